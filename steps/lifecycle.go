package steps

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/cucumber/godog"
	"github.com/google/go-cmp/cmp"

	"github.com/rentix/mediaharness/internal/client"
)

// Ranks of the optimization and job statuses: a status may follow only one
// of the same or a higher rank.
var (
	optimizationRank = map[string]int{"pending": 0, "in_progress": 1, "success": 2, "failed": 2}
	// failed_retryable shares its rank with processing: a retry goes back to
	// processing.
	jobRank = map[string]int{"pending": 0, "processing": 1, "failed_retryable": 1, "completed": 2, "failed": 2}
)

// followInterval is how often a followed optimization is read: short, so a
// state held for a moment (or a step back) is seen.
const followInterval = 20 * time.Millisecond

func registerLifecycleSteps(sc *godog.ScenarioContext) {
	sc.Then(`^the upload is accepted as "([^"]+)"$`, on1((*state).theUploadIsAcceptedAs))
	sc.When(`^I wait for the optimization of "([^"]+)" to end$`, on1((*state).iWaitForTheOptimization))
	sc.Then(`^the optimization of "([^"]+)" ended in "([^"]+)" without going back$`, on2((*state).theOptimizationEndedIn))
	sc.When(`^I follow the job of "([^"]+)" until it ends$`, on1((*state).iFollowTheJob))
	sc.Then(`^the job of "([^"]+)" ended in "([^"]+)" without going back$`, on2((*state).theJobEndedIn))
	sc.Then(`^the answer describes the job of "([^"]+)"$`, on1((*state).theAnswerDescribesTheJob))
}

// uploadAccepted is an upload's answer as the docs show it.
type uploadAccepted struct {
	MediaID    int64   `json:"mediaId"`
	Status     string  `json:"status"`
	ExternalID *string `json:"externalId"`
	JobID      int64   `json:"jobId"`
}

func (s *state) theUploadIsAcceptedAs(_ context.Context, status string) error {
	resp, err := s.lastAnswer()
	if err != nil {
		return err
	}
	if !success(resp.Status) {
		return s.failure(resp, "the upload is accepted", "2xx", resp.Status)
	}
	f, err := s.uploaded()
	if err != nil {
		return err
	}
	var got uploadAccepted
	if err := resp.Decode(&got); err != nil {
		return s.failure(resp, "the upload's answer", "a JSON object", err)
	}
	want := uploadAccepted{MediaID: f.id, Status: status, ExternalID: &f.ext, JobID: f.jobID}
	if d := cmp.Diff(want, got); d != "" || got.JobID <= 0 {
		return s.mismatch(resp, "the upload's answer (a positive jobId)", d)
	}
	f.optimization = []string{got.Status}
	return nil
}

// uploaded is the file the last operation uploaded.
func (s *state) uploaded() (*file, error) {
	if s.lastOp == nil || s.lastOp.op != "upload" {
		return nil, fmt.Errorf("the last operation was no upload")
	}
	return s.fileNamed(s.lastOp.subject)
}

func (s *state) iWaitForTheOptimization(ctx context.Context, name string) error {
	f, err := s.fileNamed(name)
	if err != nil {
		return err
	}
	if !f.exists() {
		return fmt.Errorf("%q was not created", name)
	}
	_, seen, err := s.awaitOptimization(ctx, f, func(ctx context.Context, agency string, id int64, deadline time.Time) (string, []string, error) {
		return s.env.Fixtures.FollowOptimization(ctx, agency, id, deadline, followInterval)
	})
	f.optimization = append(f.optimization, seen...)
	if err != nil {
		return fmt.Errorf("waiting for the optimization of %q: %w", name, err)
	}
	return nil
}

func (s *state) theOptimizationEndedIn(_ context.Context, name, want string) error {
	f, err := s.fileNamed(name)
	if err != nil {
		return err
	}
	return endedWithoutGoingBack("the optimization of "+strconv.Quote(name), f.optimization, want, optimizationRank)
}

// endedWithoutGoingBack checks a trail of statuses: each known, none of a
// lower rank than the one before, the last one want.
func endedWithoutGoingBack(what string, trail []string, want string, rank map[string]int) error {
	for i, st := range trail {
		r, known := rank[st]
		if !known {
			return fmt.Errorf("%s: unknown status %q (trail %v)", what, st, trail)
		}
		if i > 0 && r < rank[trail[i-1]] {
			return fmt.Errorf("%s went back from %q to %q (trail %v)", what, trail[i-1], st, trail)
		}
	}
	if len(trail) == 0 || trail[len(trail)-1] != want {
		return fmt.Errorf("%s ended in the wrong status\n  want: %q\n  got:  trail %v", what, want, trail)
	}
	return nil
}

// jobAnswer is the documented body of GET /job/status.
type jobAnswer struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Status    string `json:"status"`
	CreatedAt string `json:"createdAt"`
}

func (s *state) readJob(ctx context.Context, f *file) (*jobAnswer, *client.Response, error) {
	path := "/job/status?id=" + strconv.FormatInt(f.jobID, 10)
	resp, err := s.do(ctx, client.Request{Method: http.MethodGet, Path: path, Key: s.key(f.agency)})
	if err != nil {
		return nil, resp, err
	}
	if resp.Status != http.StatusOK {
		return nil, resp, s.failure(resp, "reading the job of "+strconv.Quote(f.name), http.StatusOK, resp.Status)
	}
	var j jobAnswer
	if err := resp.Decode(&j); err != nil {
		return nil, resp, s.failure(resp, "a job answer", "a JSON object", err)
	}
	return &j, resp, nil
}

// iFollowTheJob polls the job of f until it is completed or failed.
func (s *state) iFollowTheJob(ctx context.Context, name string) error {
	f, err := s.fileNamed(name)
	if err != nil {
		return err
	}
	if f.jobID <= 0 {
		return fmt.Errorf("%q has no job id", name)
	}
	err = poll(ctx, time.Now().Add(s.env.pollTimeout()), func(ctx context.Context) (bool, error) {
		j, resp, err := s.readJob(ctx, f)
		if resp != nil {
			s.last = resp
		}
		if err != nil {
			return false, err
		}
		if n := len(f.jobTrail); n == 0 || f.jobTrail[n-1] != j.Status {
			f.jobTrail = append(f.jobTrail, j.Status)
		}
		return j.Status == "completed" || j.Status == "failed", nil
	})
	if err != nil {
		return fmt.Errorf("following the job of %q (trail %v): %w", name, f.jobTrail, err)
	}
	return nil
}

func (s *state) theJobEndedIn(_ context.Context, name, want string) error {
	f, err := s.fileNamed(name)
	if err != nil {
		return err
	}
	err = endedWithoutGoingBack("the job of "+strconv.Quote(name), f.jobTrail, want, jobRank)
	if err != nil && s.last != nil {
		return s.report(err.Error(), s.last)
	}
	return err
}

func (s *state) theAnswerDescribesTheJob(_ context.Context, name string) error {
	f, resp, err := s.fileAndAnswer(name)
	if err != nil {
		return err
	}
	var j jobAnswer
	if err := resp.Decode(&j); err != nil {
		return s.failure(resp, "a job answer", "a JSON object", err)
	}
	_, known := jobRank[j.Status]
	if j.ID != f.jobID || j.Type == "" || j.CreatedAt == "" || !known {
		return s.failure(resp, fmt.Sprintf("the answer describes the job of %q", name),
			fmt.Sprintf("id %d, a type, a createdAt, a status of %v", f.jobID, slices.Sorted(maps.Keys(jobRank))),
			fmt.Sprintf("id %d, type %q, createdAt %q, status %q", j.ID, j.Type, j.CreatedAt, j.Status))
	}
	return nil
}

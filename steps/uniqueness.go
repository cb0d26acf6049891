package steps

import (
	"context"
	"fmt"
	"net/http"

	"github.com/cucumber/godog"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
)

// The steps about the uniqueness of an external ID within an agency: an
// upload that names a taken one, and links of one ID that race each other.

func registerUniquenessSteps(sc *godog.ScenarioContext) {
	sc.Then(`^the upload is refused with 409 "([^"]+)", or answers with "([^"]+)"$`, on2((*state).theUploadIsRefusedOrAnswersWith))
	sc.When(`^I link "([^"]+)" and "([^"]+)" to one new external ID at the same time, (\d+) times over$`, on3((*state).iLinkBothAtOnce))
	sc.Then(`^each time exactly one link succeeded and the other was refused with 409 "([^"]+)"$`, on1((*state).exactlyOneLinkWon))
	sc.Then(`^each time the external ID found the file whose link succeeded$`, on0((*state).theWinnerWasFound))
}

// iUploadWithTheExternalIDOf uploads a file as a named file with the
// external ID another file of the scenario has.
func (s *state) iUploadWithTheExternalIDOf(ctx context.Context, subject, of, creds, mod string) error {
	return s.iDo(ctx, &opRecord{op: "upload-taken", subject: subject, creds: creds, mod: mod,
		build: func(s *state, subject, creds string) (*call, error) { return s.uploadWithTakenID(subject, of, creds) }})
}

// uploadWithTakenID uploads a file with the external ID the file named
// taken has. The docs allow a 409 or the existing file's answer; a file the
// target makes anyway is adopted, so cleanup deletes it.
func (s *state) uploadWithTakenID(subject, taken, creds string) (*call, error) {
	of, err := s.fileNamed(taken)
	if err != nil {
		return nil, err
	}
	src, err := s.sourceURL("file")
	if err != nil {
		return nil, err
	}
	c, err := s.newCall(http.MethodPost, "/media/upload-from-url", nil, creds)
	if err != nil {
		return nil, err
	}
	f, err := s.declare(subject, config.Primary)
	if err != nil {
		return nil, err
	}
	f.ext, c.subject = of.ext, f
	c.body = map[string]any{"url": src, "externalId": of.ext}
	c.effect = func(resp *client.Response) error {
		var a uploadAnswer
		if resp.Decode(&a) == nil && a.MediaID == of.id {
			f.id, f.jobID, f.linked = of.id, a.JobID, true // the existing file: nothing new to clean up
			return nil
		}
		return s.adopt(f, resp)
	}
	return c, nil
}

// theUploadIsRefusedOrAnswersWith accepts the two documented readings of an
// upload whose external ID is taken: 409 with msg, or a 2xx naming the file
// that has the ID. Anything else, a second file above all, fails.
func (s *state) theUploadIsRefusedOrAnswersWith(_ context.Context, msg, name string) error {
	of, err := s.fileNamed(name)
	if err != nil {
		return err
	}
	resp, err := s.lastAnswer()
	if err != nil {
		return err
	}
	want := fmt.Sprintf("409 %q, or a 2xx with mediaId %d (%q)", msg, of.id, name)
	if resp.Status == http.StatusConflict {
		return s.theErrorMessageIsOneOf(msg)
	}
	var a uploadAnswer
	if !success(resp.Status) || resp.Decode(&a) != nil || a.MediaID != of.id {
		return s.failure(resp, "the answer to an upload whose external ID another file has", want,
			fmt.Sprintf("%d with mediaId %d", resp.Status, a.MediaID))
	}
	return nil
}

// linkRace is one round of two links of one external ID sent together.
type linkRace struct {
	ext     string
	files   [2]*file
	answers [2]*client.Response
	found   *client.Response // GET /media/external/{ext} right after
}

// winners are the files whose link succeeded.
func (r linkRace) winners() []*file {
	var out []*file
	for i, a := range r.answers {
		if success(a.Status) {
			out = append(out, r.files[i])
		}
	}
	return out
}

// iLinkBothAtOnce links two files to one new external ID at the same
// moment, n times. After each round it reads the ID and unlinks whatever
// won, so the next round starts from two files without an external ID.
func (s *state) iLinkBothAtOnce(ctx context.Context, a, b string, n int) error {
	fa, err := s.fileNamed(a)
	if err != nil {
		return err
	}
	fb, err := s.fileNamed(b)
	if err != nil {
		return err
	}
	if fa.linked || fb.linked || !fa.exists() || !fb.exists() {
		return fmt.Errorf("%q and %q must be files without an external ID", a, b)
	}
	s.races = nil
	for range n {
		r, err := s.raceOnce(ctx, [2]*file{fa, fb})
		if err != nil {
			return err
		}
		s.races = append(s.races, r)
	}
	return nil
}

func (s *state) raceOnce(ctx context.Context, files [2]*file) (linkRace, error) {
	r := linkRace{ext: s.env.Fixtures.NextExternalID(), files: files}
	if err := s.linkTogether(ctx, &r); err != nil {
		return r, err
	}
	resp, err := s.do(ctx, client.Request{Method: http.MethodGet, Path: externalPath(r.ext), Key: s.key(config.Primary)})
	if err != nil {
		return r, err
	}
	r.found, s.last = resp, resp
	for _, f := range r.winners() {
		f.ext, f.linked = r.ext, true
		if err := s.unlinkFixture(ctx, f); err != nil {
			return r, err
		}
	}
	return r, nil
}

// linkTogether sends both links at the same moment.
func (s *state) linkTogether(ctx context.Context, r *linkRace) error {
	reqs := make([]client.Request, len(r.files))
	for i, f := range r.files {
		reqs[i] = client.Request{Method: http.MethodPost, Path: f.path() + "/link", Key: s.key(f.agency),
			JSON: map[string]string{"externalId": r.ext}}
	}
	resps, errs := s.together(ctx, reqs)
	copy(r.answers[:], resps)
	for i, err := range errs {
		if r.answers[i] != nil {
			s.last = r.answers[i]
		}
		if err != nil {
			return fmt.Errorf("linking %q to %s: %w", r.files[i].name, r.ext, err)
		}
	}
	return nil
}

func (s *state) exactlyOneLinkWon(_ context.Context, msg string) error {
	if len(s.races) == 0 {
		return fmt.Errorf("no race yet: the When step that links two files at once must come first")
	}
	for i, r := range s.races {
		if w := r.winners(); len(w) != 1 {
			return s.failure(r.answers[0], s.round(i, r)+": the links that succeeded", "exactly one",
				fmt.Sprintf("%d (%s)", len(w), r.statuses()), r.answers[1])
		}
		for _, a := range r.answers {
			if success(a.Status) {
				continue
			}
			s.last = a
			if a.Status != http.StatusConflict {
				return s.failure(a, s.round(i, r)+": the link that lost", http.StatusConflict, a.Status)
			}
			if err := s.theErrorMessageIsOneOf(msg); err != nil {
				return fmt.Errorf("%s: %w", s.round(i, r), err)
			}
		}
	}
	return nil
}

func (s *state) theWinnerWasFound(context.Context) error {
	for i, r := range s.races {
		w := r.winners()
		if len(w) != 1 {
			continue // exactlyOneLinkWon reports that
		}
		got, err := s.decodeMedia(r.found)
		if err != nil {
			return fmt.Errorf("%s: %w", s.round(i, r), err)
		}
		if got.ID != w[0].id {
			return s.failure(r.found, s.round(i, r)+": the file the external ID finds",
				fmt.Sprintf("%q (id %d), whose link succeeded", w[0].name, w[0].id), fmt.Sprintf("id %d", got.ID))
		}
	}
	return nil
}

// round names a round in a failure: its number and its external ID.
func (s *state) round(i int, r linkRace) string {
	return fmt.Sprintf("round %d of %d (external ID %s)", i+1, len(s.races), r.ext)
}

// statuses says what each file's link answered.
func (r linkRace) statuses() string {
	return fmt.Sprintf("%q answered %d, %q answered %d", r.files[0].name, r.answers[0].Status, r.files[1].name, r.answers[1].Status)
}

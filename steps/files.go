package steps

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/cucumber/godog"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/runfiles"
)

// missingID is the id of "a file that does not exist" (and of its job): the
// largest 32-bit id, far beyond what a test agency reaches.
const missingID = 2147483647

// file is a named file of a scenario and what the scenario knows of it.
type file struct {
	name   string
	agency string // label of the agency that owns it
	id     int64  // 0 while an upload has not been accepted
	jobID  int64
	// ext is its external ID, or the one it had before an unlink or delete;
	// linked says whether it has it now.
	ext    string
	linked bool
	// missing marks a stand-in for a file that does not exist.
	missing bool
	// deleted: the scenario deleted it with its owner's key.
	deleted bool
	// snapshot is its body as read once it was ready (or failed).
	snapshot *media
	// optimization and jobTrail are the statuses seen while waiting, in order.
	optimization []string
	jobTrail     []string
}

func (f *file) exists() bool { return f.id > 0 && !f.missing && !f.deleted }

func (f *file) path() string { return "/media/" + strconv.FormatInt(f.id, 10) }

func registerFixtureSteps(sc *godog.ScenarioContext) {
	sc.Given(`^a ready (photo|PNG photo|file) "([^"]+)"(?: of (the other agency))?(?: (without an external ID))?$`,
		on4((*state).aReady))
	sc.Given(`^a file "([^"]+)"(?: (without an external ID))?$`, on2((*state).aFile))
	sc.Given(`^a failed upload "([^"]+)"$`, on1((*state).aFailedUpload))
	sc.Given(`^a file "([^"]+)" that does not exist$`, on1((*state).aFileThatDoesNotExist))
}

// aReady uploads an image, waits for its optimization to succeed and keeps
// what it then reads as the file's snapshot.
func (s *state) aReady(ctx context.Context, kind, name, owner, bare string) error {
	agency := config.Primary
	if owner != "" {
		agency = config.Other
	}
	f, err := s.uploadFixture(ctx, name, agency, kind)
	if err != nil {
		return err
	}
	if err := s.waitFor(ctx, f, runfiles.OptimizationSuccess); err != nil {
		return err
	}
	if bare != "" {
		if err := s.unlinkFixture(ctx, f); err != nil {
			return err
		}
	}
	return s.takeSnapshot(ctx, f)
}

// aFile uploads a photo without waiting for its optimization.
func (s *state) aFile(ctx context.Context, name, bare string) error {
	f, err := s.uploadFixture(ctx, name, config.Primary, "file")
	if err != nil || bare == "" {
		return err
	}
	return s.unlinkFixture(ctx, f)
}

// aFailedUpload uploads a non-image and waits for its optimization to fail.
func (s *state) aFailedUpload(ctx context.Context, name string) error {
	f, err := s.uploadFixture(ctx, name, config.Primary, "non-image")
	if err != nil {
		return err
	}
	if err := s.waitFor(ctx, f, runfiles.OptimizationFailed); err != nil {
		return err
	}
	return s.takeSnapshot(ctx, f)
}

// aFileThatDoesNotExist names a stand-in: an id no file has and a run-scoped
// external ID never linked.
func (s *state) aFileThatDoesNotExist(_ context.Context, name string) error {
	f, err := s.declare(name, config.Primary)
	if err != nil {
		return err
	}
	f.id, f.jobID, f.ext, f.missing = missingID, missingID, s.env.Fixtures.NextExternalID(), true
	return nil
}

// declare adds a new named file to the scenario.
func (s *state) declare(name, agency string) (*file, error) {
	if _, dup := s.files[name]; dup {
		return nil, fmt.Errorf("the scenario already has a file %q", name)
	}
	f := &file{name: name, agency: agency}
	s.files[name] = f
	return f, nil
}

// fileNamed finds a file a Given step declared.
func (s *state) fileNamed(name string) (*file, error) {
	f, ok := s.files[name]
	if !ok {
		return nil, fmt.Errorf("the scenario has no file %q: declare it with a Given step first", name)
	}
	return f, nil
}

// sourceURL is the source for a kind of file; a missing one skips the scenario.
func (s *state) sourceURL(kind string) (string, error) {
	urls := map[string]string{
		"photo": s.env.JPEGURL, "PNG photo": s.env.PNGURL, "file": cmp.Or(s.env.FileURL, s.env.JPEGURL),
		"non-image": s.env.NotImageURL,
	}
	u, known := urls[kind]
	switch {
	case !known:
		return "", fmt.Errorf("no source for a %q", kind)
	case u == "":
		return "", fmt.Errorf("%w: no %s source URL the target can download", godog.ErrSkip, kind)
	}
	return u, nil
}

// uploadFixture creates a named file through the fixture manager, which
// records it for cleanup before asking.
func (s *state) uploadFixture(ctx context.Context, name, agency, kind string) (*file, error) {
	src, err := s.sourceURL(kind)
	if err != nil {
		return nil, err
	}
	f, err := s.declare(name, agency)
	if err != nil {
		return nil, err
	}
	fx, err := s.env.Fixtures.Upload(ctx, agency, src)
	if err != nil {
		return nil, fmt.Errorf("uploading %s %q for the %s agency: %w", kind, name, agency, err)
	}
	f.id, f.jobID, f.ext, f.linked = fx.MediaID, fx.JobID, fx.ExternalID, true
	return f, nil
}

// waitFor waits until the optimization of f ends and wants it to end in want.
func (s *state) waitFor(ctx context.Context, f *file, want string) error {
	final, seen, err := s.awaitOptimization(ctx, f, s.env.Fixtures.WaitOptimization)
	f.optimization = seen
	if err != nil {
		return fmt.Errorf("waiting for the optimization of %q: %w", f.name, err)
	}
	if final != want {
		return fmt.Errorf("the optimization of %q ended in %q, want %q (seen %v)", f.name, final, want, seen)
	}
	return nil
}

// unlinkFixture removes the external ID of a fixture as part of a Given.
func (s *state) unlinkFixture(ctx context.Context, f *file) error {
	resp, err := s.do(ctx, client.Request{Method: http.MethodDelete, Path: f.path() + "/link", Key: s.key(f.agency)})
	if err != nil {
		return fmt.Errorf("unlinking %q: %w", f.name, err)
	}
	if !success(resp.Status) {
		return s.failure(resp, fmt.Sprintf("unlinking %q", f.name), "a 2xx answer", resp.Status)
	}
	f.linked = false
	return nil
}

// takeSnapshot reads f by id and keeps the body to compare with later.
func (s *state) takeSnapshot(ctx context.Context, f *file) error {
	m, _, err := s.readByID(ctx, f)
	if err != nil {
		return err
	}
	f.snapshot = m
	return nil
}

// key is the API key of an agency label ("" when the run has none).
func (s *state) key(agency string) string { return s.env.Keys[agency] }

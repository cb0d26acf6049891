package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/cucumber/godog"
	"github.com/google/go-cmp/cmp"

	"github.com/rentix/mediaharness/internal/client"
)

// The steps that look at media files: the last answer, or the file read
// again with its owner's key.
func registerReadSteps(sc *godog.ScenarioContext) {
	sc.Then(`^the answer describes "([^"]+)"$`, on1((*state).theAnswerDescribes))
	sc.Then(`^every answer describes "([^"]+)"$`, on1((*state).everyAnswerDescribes))
	sc.Then(`^every answer says the optimization is "([^"]+)"$`, on1((*state).everyAnswerSaysTheOptimizationIs))
	sc.Then(`^the answer is the same as reading "([^"]+)" by id$`, on1((*state).theAnswerIsTheSameAsReadingByID))
	sc.Then(`^the answer has "([^"]+)" null$`, on1((*state).theAnswerHasNull))
	sc.Then(`^the answer has no BlurHash and no variants$`, on0((*state).theAnswerHasNoBlurHashAndNoVariants))
	sc.Then(`^"([^"]+)" is unchanged$`, on1((*state).isUnchanged))
	sc.Then(`^"([^"]+)" can be read by its external ID$`, on1((*state).canBeReadByItsExternalID))
	sc.Then(`^"([^"]+)" cannot be read by id$`, on1((*state).cannotBeReadByID))
	sc.Then(`^"([^"]+)" cannot be read by its (?:former )?external ID$`, on1((*state).cannotBeReadByItsExternalID))
	sc.Then(`^"([^"]+)" has no external ID$`, on1((*state).hasNoExternalID))
}

func (s *state) theAnswerDescribes(_ context.Context, name string) error {
	f, resp, err := s.fileAndAnswer(name)
	if err != nil {
		return err
	}
	got, err := s.decodeMedia(resp)
	if err != nil {
		return err
	}
	if d := f.compare(got); d != "" {
		return s.mismatch(resp, fmt.Sprintf("the answer describes %q", name), d)
	}
	return nil
}

// everyAnswerDescribes checks each answer of a series of reads: a file
// that was seen settled must read the same every time.
func (s *state) everyAnswerDescribes(_ context.Context, name string) error {
	f, err := s.fileNamed(name)
	if err != nil {
		return err
	}
	return s.eachMedia(func(which string, resp *client.Response, m *media) error {
		if d := f.compare(m); d != "" {
			return s.mismatch(resp, fmt.Sprintf("%s describes %q", which, name), d)
		}
		return nil
	})
}

func (s *state) everyAnswerSaysTheOptimizationIs(_ context.Context, want string) error {
	return s.eachMedia(func(which string, resp *client.Response, m *media) error {
		if m.Optimization != want {
			return s.failure(resp, "the optimization in "+which, want, m.Optimization)
		}
		return nil
	})
}

// eachMedia reads every answer of a series as a media file and checks it;
// which names the answer ("answer 2 of 4").
func (s *state) eachMedia(check func(which string, resp *client.Response, m *media) error) error {
	if len(s.answers) == 0 {
		return fmt.Errorf("no series of answers: a When step that repeats a request must come first")
	}
	for i, a := range s.answers {
		which := fmt.Sprintf("answer %d of %d", i+1, len(s.answers))
		m, err := s.decodeMedia(a.resp)
		if err != nil {
			return fmt.Errorf("%s: %w", which, err)
		}
		if err := check(which, a.resp, m); err != nil {
			return err
		}
	}
	return nil
}

func (s *state) theAnswerIsTheSameAsReadingByID(ctx context.Context, name string) error {
	f, resp, err := s.fileAndAnswer(name)
	if err != nil {
		return err
	}
	got, err := s.decodeMedia(resp)
	if err != nil {
		return err
	}
	want, byID, err := s.readByID(ctx, f)
	if err != nil {
		return err
	}
	if d := cmp.Diff(want, got, storageURLs); d != "" {
		return s.mismatch(resp, fmt.Sprintf("the answer, compared with %q read by id", name), d, byID)
	}
	return nil
}

func (s *state) theAnswerHasNull(_ context.Context, field string) error {
	resp, err := s.lastAnswer()
	if err != nil {
		return err
	}
	var fields map[string]json.RawMessage
	if err := resp.Decode(&fields); err != nil {
		return s.failure(resp, "the answer", "a JSON object", err)
	}
	raw, ok := fields[field]
	if !ok || string(raw) != "null" {
		return s.failure(resp, fmt.Sprintf("%q is present and null", field), "null", presence(raw, ok))
	}
	return nil
}

func presence(raw json.RawMessage, ok bool) string {
	if !ok {
		return "(missing)"
	}
	return string(raw)
}

func (s *state) theAnswerHasNoBlurHashAndNoVariants(context.Context) error {
	resp, err := s.lastAnswer()
	if err != nil {
		return err
	}
	m, err := s.decodeMedia(resp)
	if err != nil {
		return err
	}
	if m.BlurHash != nil || len(m.Variants) != 0 || m.Variants == nil {
		return s.failure(resp, "a file without optimization has no BlurHash and no variants",
			`"blurhash": null, "variants": []`, fmt.Sprintf("blurhash %v, variants %v", deref(m.BlurHash), m.Variants))
	}
	return nil
}

// unchanged reads f back with its owner's key and compares it with what the
// scenario knows of it.
func (s *state) unchanged(ctx context.Context, f *file) error {
	got, resp, err := s.readByID(ctx, f)
	if err != nil {
		return fmt.Errorf("%q is unchanged: %w", f.name, err)
	}
	if d := f.compare(got); d != "" {
		return s.mismatch(resp, fmt.Sprintf("%q is unchanged", f.name), d, s.last)
	}
	return nil
}

func (s *state) isUnchanged(ctx context.Context, name string) error {
	f, err := s.fileNamed(name)
	if err != nil {
		return err
	}
	return s.unchanged(ctx, f)
}

func (s *state) canBeReadByItsExternalID(ctx context.Context, name string) error {
	f, err := s.fileNamed(name)
	if err != nil {
		return err
	}
	resp, err := s.do(ctx, client.Request{Method: http.MethodGet, Path: externalPath(f.ext), Key: s.key(f.agency)})
	if err != nil {
		return err
	}
	got, err := s.decodeMedia(resp)
	if err != nil {
		return err
	}
	if got.ID != f.id || got.ExternalID == nil || *got.ExternalID != f.ext {
		return s.failure(resp, fmt.Sprintf("%q read by its external ID", name),
			fmt.Sprintf("id %d, externalId %q", f.id, f.ext), fmt.Sprintf("id %d, externalId %v", got.ID, deref(got.ExternalID)))
	}
	return nil
}

func (s *state) cannotBeReadByID(ctx context.Context, name string) error {
	f, err := s.fileNamed(name)
	if err != nil {
		return err
	}
	return s.notFound(ctx, f, f.path())
}

func (s *state) cannotBeReadByItsExternalID(ctx context.Context, name string) error {
	f, err := s.fileNamed(name)
	if err != nil {
		return err
	}
	return s.notFound(ctx, f, externalPath(f.ext))
}

// notFound wants 404 "File not found" for a read of path with f's owner's key.
func (s *state) notFound(ctx context.Context, f *file, path string) error {
	resp, err := s.do(ctx, client.Request{Method: http.MethodGet, Path: path, Key: s.key(f.agency)})
	if err != nil {
		return err
	}
	if resp.Status != http.StatusNotFound {
		return s.failure(resp, fmt.Sprintf("reading %q finds nothing", f.name), http.StatusNotFound, resp.Status)
	}
	e, err := s.errorAnswer(resp)
	if err != nil {
		return err
	}
	if e.list || e.messages[0] != "File not found" {
		return s.failure(resp, "the error message", `"File not found"`, string(e.raw))
	}
	return nil
}

func (s *state) hasNoExternalID(ctx context.Context, name string) error {
	f, err := s.fileNamed(name)
	if err != nil {
		return err
	}
	got, resp, err := s.readByID(ctx, f)
	if err != nil {
		return err
	}
	if got.ExternalID != nil {
		return s.failure(resp, fmt.Sprintf("%q has no external ID", name), "externalId null", *got.ExternalID)
	}
	return nil
}

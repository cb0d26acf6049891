package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"github.com/cucumber/godog"
	"github.com/google/go-cmp/cmp"

	"github.com/rentix/mediaharness/internal/client"
)

func registerAnswerSteps(sc *godog.ScenarioContext) {
	sc.Then(`^the response status is (\d+)$`, on1((*state).theResponseStatusIs))
	sc.Then(`^the request succeeded$`, on0((*state).theRequestSucceeded))
	sc.Then(`^the response status is a client error$`, on0((*state).theResponseStatusIsAClientError))
	sc.Then(`^the answer is an error in the documented format$`, on0((*state).theAnswerIsAnError))
	sc.Then(`^the error message is "([^"]*)"$`, on1((*state).theErrorMessageIs))
	sc.Then(`^the error message is "([^"]*)" or "([^"]*)"$`, on2((*state).theErrorMessageIsEither))
	sc.Then(`^the error message is a list$`, on0((*state).theErrorMessageIsAList))
	sc.Then(`^the error message is a string or a list$`, on0((*state).theErrorMessageIsAStringOrAList))
	sc.Then(`^the answer is the same as for "([^"]+)"$`, on1((*state).theAnswerIsTheSameAsFor))
	sc.Then(`^the request had no effect$`, on0((*state).theRequestHadNoEffect))
}

func (s *state) theResponseStatusIs(_ context.Context, want int) error {
	resp, err := s.lastAnswer()
	if err != nil {
		return err
	}
	if resp.Status != want {
		return s.failure(resp, "the response status", want, resp.Status)
	}
	return nil
}

func (s *state) theRequestSucceeded(context.Context) error {
	resp, err := s.lastAnswer()
	if err != nil {
		return err
	}
	if !success(resp.Status) {
		return s.failure(resp, "the response status", "2xx", resp.Status)
	}
	return nil
}

func (s *state) theResponseStatusIsAClientError(context.Context) error {
	resp, err := s.lastAnswer()
	if err != nil {
		return err
	}
	if resp.Status < 400 || resp.Status > 499 {
		return s.failure(resp, "the response status", "a client error (4xx)", resp.Status)
	}
	_, err = s.errorAnswer(resp)
	return err
}

func (s *state) theAnswerIsAnError(context.Context) error {
	resp, err := s.lastAnswer()
	if err != nil {
		return err
	}
	_, err = s.errorAnswer(resp)
	return err
}

func (s *state) theErrorMessageIs(_ context.Context, want string) error {
	return s.theErrorMessageIsOneOf(want)
}

func (s *state) theErrorMessageIsEither(_ context.Context, a, b string) error {
	return s.theErrorMessageIsOneOf(a, b)
}

func (s *state) theErrorMessageIsOneOf(want ...string) error {
	resp, err := s.lastAnswer()
	if err != nil {
		return err
	}
	e, err := s.errorAnswer(resp)
	if err != nil {
		return err
	}
	if e.list || !slices.Contains(want, e.messages[0]) {
		return s.failure(resp, "the error message", quoteAll(want), string(e.raw))
	}
	return nil
}

func (s *state) theErrorMessageIsAList(context.Context) error {
	resp, err := s.lastAnswer()
	if err != nil {
		return err
	}
	e, err := s.errorAnswer(resp)
	if err != nil {
		return err
	}
	if !e.list || len(e.messages) == 0 {
		return s.failure(resp, "the error message of a request that failed validation", "a non-empty list of strings", string(e.raw))
	}
	return nil
}

// theErrorMessageIsAStringOrAList accepts what a body that is not JSON
// gets: a NestJS server's body parser fails before validation and answers one
// string, a server that validates the raw body answers a list. Either must
// say something.
func (s *state) theErrorMessageIsAStringOrAList(context.Context) error {
	resp, err := s.lastAnswer()
	if err != nil {
		return err
	}
	e, err := s.errorAnswer(resp)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(e.messages, func(m string) bool { return m != "" }) {
		return s.failure(resp, "the error message of a body that is not JSON", "a non-empty string or a non-empty list of strings", string(e.raw))
	}
	return nil
}

// theAnswerIsTheSameAsFor repeats the last operation on another file and
// wants the same status and the same body.
func (s *state) theAnswerIsTheSameAsFor(ctx context.Context, name string) error {
	got, err := s.lastAnswer()
	if err != nil {
		return err
	}
	want, err := s.repeatOn(ctx, name)
	if err != nil {
		return err
	}
	if want.Status != got.Status {
		return s.failure(got, fmt.Sprintf("the status, compared with the same request about %q", name), want.Status, got.Status, want)
	}
	var wantBody, gotBody any
	if err := json.Unmarshal(want.Body, &wantBody); err != nil {
		return s.failure(want, fmt.Sprintf("the answer about %q", name), "a JSON body", err)
	}
	if err := json.Unmarshal(got.Body, &gotBody); err != nil {
		return s.failure(got, "the answer", "a JSON body", err)
	}
	if d := cmp.Diff(wantBody, gotBody); d != "" {
		return s.mismatch(got, fmt.Sprintf("the body, compared with the same request about %q", name), d, want)
	}
	return nil
}

// theRequestHadNoEffect checks every file of the scenario: each one that
// exists is unchanged, and each refused upload created nothing (as far as can
// be seen: an upload refused to a suspended agency, or one without CRM,
// cannot be looked for with that agency's key).
func (s *state) theRequestHadNoEffect(ctx context.Context) error {
	for _, name := range sortedNames(s.files) {
		f := s.files[name]
		switch {
		case f.missing || f.deleted || f.id == 0 && !activeAgency(f.agency):
		case f.id == 0:
			if err := s.notCreated(ctx, f); err != nil {
				return err
			}
		default:
			if err := s.unchanged(ctx, f); err != nil {
				return err
			}
		}
	}
	return nil
}

// notCreated wants a refused upload's external ID to find nothing; a file it
// does find is adopted so that cleanup deletes it.
func (s *state) notCreated(ctx context.Context, f *file) error {
	resp, err := s.do(ctx, client.Request{Method: http.MethodGet, Path: externalPath(f.ext), Key: s.key(f.agency)})
	if err != nil {
		return err
	}
	if resp.Status == http.StatusNotFound {
		return nil
	}
	var m media
	if resp.Status == http.StatusOK && resp.Decode(&m) == nil && m.ID > 0 {
		f.id = m.ID
		_ = s.env.Fixtures.Adopt(f.agency, f.ext, m.ID)
	}
	return s.failure(resp, fmt.Sprintf("the refused upload %q created no file: reading its external ID", f.name),
		http.StatusNotFound, resp.Status, s.last)
}

func quoteAll(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += " or "
		}
		out += fmt.Sprintf("%q", s)
	}
	return out
}

func sortedNames(files map[string]*file) []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

package steps

import (
	"context"

	"github.com/cucumber/godog"
	"github.com/google/go-cmp/cmp"
)

// The steps about the answers of delete, link and unlink, compared as typed
// values.
func registerConfirmationSteps(sc *godog.ScenarioContext) {
	sc.Then(`^the answer confirms the deletion$`, on0((*state).theAnswerConfirmsTheDeletion))
	sc.Then(`^the answer confirms the deletion of "([^"]+)"$`, on1((*state).theAnswerConfirmsTheDeletionOf))
	sc.Then(`^the answer confirms "([^"]+)" is linked to its external ID$`, on1((*state).theAnswerConfirmsLinked))
	sc.Then(`^the answer names the external ID removed from "([^"]+)"$`, on1((*state).theAnswerNamesTheRemovedExternalID))
}

// deletedAnswer is the answer to a delete (mediaId only by external ID).
type deletedAnswer struct {
	Deleted bool  `json:"deleted"`
	MediaID int64 `json:"mediaId,omitempty"`
}

// linkAnswer is the answer to a link or an unlink.
type linkAnswer struct {
	MediaID    int64  `json:"mediaId"`
	ExternalID string `json:"externalId"`
	Linked     bool   `json:"linked,omitempty"`
	Unlinked   bool   `json:"unlinked,omitempty"`
}

// theAnswerIs decodes the last answer into a value of want's type and
// compares the two.
func theAnswerIs[T any](s *state, rule string, want T) error {
	resp, err := s.lastAnswer()
	if err != nil {
		return err
	}
	var got T
	if err := resp.Decode(&got); err != nil {
		return s.failure(resp, rule, want, err)
	}
	if d := cmp.Diff(want, got); d != "" {
		return s.mismatch(resp, rule, d)
	}
	return nil
}

func (s *state) theAnswerConfirmsTheDeletion(context.Context) error {
	return theAnswerIs(s, "the answer to a delete by id", deletedAnswer{Deleted: true})
}

func (s *state) theAnswerConfirmsTheDeletionOf(_ context.Context, name string) error {
	f, err := s.fileNamed(name)
	if err != nil {
		return err
	}
	return theAnswerIs(s, "the answer to a delete by external ID", deletedAnswer{Deleted: true, MediaID: f.id})
}

func (s *state) theAnswerConfirmsLinked(_ context.Context, name string) error {
	f, err := s.fileNamed(name)
	if err != nil {
		return err
	}
	return theAnswerIs(s, "the answer to a link", linkAnswer{MediaID: f.id, ExternalID: f.ext, Linked: true})
}

func (s *state) theAnswerNamesTheRemovedExternalID(_ context.Context, name string) error {
	f, err := s.fileNamed(name)
	if err != nil {
		return err
	}
	return theAnswerIs(s, "the answer to an unlink", linkAnswer{MediaID: f.id, ExternalID: f.ext, Unlinked: true})
}

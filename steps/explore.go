package steps

import (
	"context"
	"fmt"
	"strings"

	"github.com/cucumber/godog"

	"github.com/rentix/mediaharness/internal/explore"
)

// registerExploreSteps binds the @explore scenario: a bounded slice of
// mediaharness explore inside the conformance run.
func registerExploreSteps(sc *godog.ScenarioContext) {
	sc.Step(`^I explore generated inputs and sequences with seed (\d+) for at most (\d+) requests$`, on2((*state).explore))
	sc.Step(`^every answer kept the contract and the model$`, on0((*state).explorationClean))
}

func (s *state) explore(ctx context.Context, seed int64, budget int) error {
	source := s.env.FileURL
	if source == "" {
		source = s.env.JPEGURL
	}
	if source == "" {
		return fmt.Errorf("%w: exploring needs an image URL the target can download (--source-url)", godog.ErrSkip)
	}
	findings, err := explore.RunSlice(ctx, explore.Slice{Client: s.env.Client, Fixtures: s.env.Fixtures,
		Keys: s.env.Keys, Source: source, Seed: seed, Budget: budget})
	if err != nil {
		return err
	}
	s.explored = findings
	return nil
}

func (s *state) explorationClean(context.Context) error {
	if len(s.explored) == 0 {
		return nil
	}
	parts := make([]string, len(s.explored))
	for i, f := range s.explored {
		parts[i] = fmt.Sprintf("%s · %s · %s\n%s", f.Operation, f.Class, f.Input, f.Text())
	}
	return fmt.Errorf("exploring found %d problems (mediaharness explore repeats them at length):\n\n%s",
		len(s.explored), strings.Join(parts, "\n\n────────\n\n"))
}

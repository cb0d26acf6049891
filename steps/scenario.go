package steps

import (
	"context"
	"fmt"
	"time"

	"github.com/cucumber/godog"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/explore"
)

// state is what one scenario knows: its named files and the answers it got.
type state struct {
	env   *Resources
	files map[string]*file
	// last is the answer the Then steps look at.
	last *client.Response
	// lastOp is the last "When I <operation>", so it can be repeated on
	// another file.
	lastOp *opRecord
	// answers are the answers of a series of requests, in order.
	answers []timedAnswer
	// resetAt is when a 429 said the limit resets.
	resetAt time.Time
	// races are the rounds of links sent at the same time.
	races []linkRace
	// reads are the answers of reads sent at the same time.
	reads []pairedRead
	// limits are the last rate-limit headers seen for each key.
	limits map[string]seenLimits
	// explored are the findings of a bounded exploration.
	explored []explore.Finding
}

type stateKey struct{}

func stateOf(ctx context.Context) *state {
	s, _ := ctx.Value(stateKey{}).(*state)
	return s
}

// keyNeed is a tag whose scenarios need a key the run may not have.
type keyNeed struct {
	tag, label, flag, what string
}

var keyNeeds = []keyNeed{
	{"@isolation", config.Other, "--other-api-key", "a second agency's key"},
	{"@suspended", config.Suspended, "--suspended-api-key", "a suspended agency's key"},
	{"@crm-disabled", config.CRMDisabled, "--crm-disabled-api-key", "the key of an agency without CRM"},
}

// InitializeScenario registers the steps and hooks for one scenario.
func InitializeScenario(env *Resources) func(*godog.ScenarioContext) {
	return func(sc *godog.ScenarioContext) {
		sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
			ctx = context.WithValue(ctx, stateKey{}, &state{env: env, files: map[string]*file{}})
			if err := env.check(); err != nil {
				return ctx, err
			}
			if err := missingKey(env, p); err != nil {
				return ctx, err
			}
			if hasTag(p, "@ratelimit") {
				return ctx, overBudget(ctx, env)
			}
			return ctx, nil
		})
		sc.After(attachEvidence)
		registerFixtureSteps(sc)
		registerOperationSteps(sc)
		registerAnswerSteps(sc)
		registerReadSteps(sc)
		registerConfirmationSteps(sc)
		registerOptimizedSteps(sc)
		registerLifecycleSteps(sc)
		registerRateLimitSteps(sc)
		registerUniquenessSteps(sc)
		registerConcurrentSteps(sc)
		registerExploreSteps(sc)
	}
}

// missingKey skips a scenario whose tags need a key the run lacks.
func missingKey(env *Resources, p *godog.Scenario) error {
	for _, n := range keyNeeds {
		if hasTag(p, n.tag) && env.Keys[n.label] == "" {
			return fmt.Errorf("%w: %s needs %s (%s)", godog.ErrSkip, n.tag, n.what, n.flag)
		}
	}
	return nil
}

func hasTag(p *godog.Scenario, tag string) bool {
	for _, t := range p.Tags {
		if t.Name == tag {
			return true
		}
	}
	return false
}

// attachEvidence adds the last exchange of a failed scenario to the report.
func attachEvidence(ctx context.Context, _ *godog.Scenario, err error) (context.Context, error) {
	s := stateOf(ctx)
	if err == nil || s == nil || s.last == nil {
		return ctx, nil
	}
	return godog.Attach(ctx, godog.Attachment{
		Body: []byte(s.env.Client.Evidence(s.last)), FileName: "last-exchange.txt", MediaType: "text/plain",
	}), nil
}

// Adapters from methods of state to step handlers: the handler finds the
// scenario's state in its context, so the methods read as sentences.
func on0(m func(*state, context.Context) error) func(context.Context) error {
	return func(ctx context.Context) error { return m(stateOf(ctx), ctx) }
}

func on1[A any](m func(*state, context.Context, A) error) func(context.Context, A) error {
	return func(ctx context.Context, a A) error { return m(stateOf(ctx), ctx, a) }
}

func on2[A, B any](m func(*state, context.Context, A, B) error) func(context.Context, A, B) error {
	return func(ctx context.Context, a A, b B) error { return m(stateOf(ctx), ctx, a, b) }
}

func on3[A, B, C any](m func(*state, context.Context, A, B, C) error) func(context.Context, A, B, C) error {
	return func(ctx context.Context, a A, b B, c C) error { return m(stateOf(ctx), ctx, a, b, c) }
}

func on4[A, B, C, D any](m func(*state, context.Context, A, B, C, D) error) func(context.Context, A, B, C, D) error {
	return func(ctx context.Context, a A, b B, c C, d D) error { return m(stateOf(ctx), ctx, a, b, c, d) }
}

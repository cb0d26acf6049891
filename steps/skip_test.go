package steps

import (
	"strings"
	"testing"
	"time"

	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/refserver"
)

// A run without the keys that tagged scenarios need skips those scenarios,
// saying which flag would supply the key, and passes.
func TestFeatures_SkipScenariosWithoutTheirKeys(t *testing.T) {
	t.Parallel()
	h := newHarness(t, refserver.Config{OptimizeDelay: 5 * time.Millisecond, RateLimit: 1_000_000}, nil)
	for _, label := range []string{config.Other, config.Suspended, config.CRMDisabled} {
		delete(h.env.Keys, label)
	}
	var reasons strings.Builder
	code, out, stats := suite{
		paths:   []string{"isolation.feature", scenarioAt(t, "authentication.feature: With a suspended agency's key, I cannot <operation>")},
		skipped: &reasons,
	}.run(h.env)
	h.cleanup(t)
	if code != 0 {
		t.Fatalf("a run without the optional keys failed:\n%s", out)
	}
	if stats.scenarios.Load() != 7+8 || stats.skippedSteps.Load() == 0 {
		t.Errorf("%d scenarios ran with %d steps skipped, want 15 scenarios all skipped", stats.scenarios.Load(), stats.skippedSteps.Load())
	}
	for _, flag := range []string{"--other-api-key", "--suspended-api-key"} {
		if !strings.Contains(reasons.String(), flag) {
			t.Errorf("no skip reason names %s; reasons:\n%s", flag, reasons.String())
		}
	}
	h.assertClean(t)
}

// A target advertising a larger allowance than the request budget gets its
// @ratelimit scenario skipped with the reason, after one read: exceeding a
// limit of a million would take a million requests.
func TestFeatures_SkipRateLimitOverBudget(t *testing.T) {
	t.Parallel()
	h := newHarness(t, refserver.Config{OptimizeDelay: 5 * time.Millisecond, RateLimit: 1_000_000}, nil)
	h.env.RateLimitBudget = 50
	before := h.env.Client.Stats().Requests
	var reasons strings.Builder
	code, out, stats := suite{tags: "@ratelimit", skipped: &reasons}.run(h.env)
	h.cleanup(t)
	if code != 0 || stats.scenarios.Load() != 1 || stats.skippedSteps.Load() == 0 {
		t.Fatalf("code %d, %d scenarios, %d skipped steps; want the one @ratelimit scenario skipped:\n%s",
			code, stats.scenarios.Load(), stats.skippedSteps.Load(), out)
	}
	if sent := h.env.Client.Stats().Requests - before; sent > 5 {
		t.Errorf("sent %d requests, want a handful at most", sent)
	}
	if want := "over the request budget of 50 (--ratelimit-budget)"; !strings.Contains(reasons.String(), want) {
		t.Errorf("skip reasons %q do not say %q", reasons.String(), want)
	}
}

// Once a file of the run stays pending past its deadline, the scenarios
// after it that need a ready file fail at once with that cause, instead of
// each waiting out its own deadline.
func TestFeatures_StalledPipelineFailsFast(t *testing.T) {
	t.Parallel()
	h := newHarness(t, refserver.Config{OptimizeDelay: 5 * time.Millisecond, RateLimit: 1_000_000, Faults: []string{"optimize-stuck"}}, nil)
	h.env.PollTimeout = 300 * time.Millisecond
	code, out, stats := suite{paths: []string{"linking.feature"}}.run(h.env)
	h.cleanup(t)
	if code == 0 || stats.scenarios.Load() < 3 {
		t.Fatalf("code %d after %d scenarios; want several scenarios, failed:\n%s", code, stats.scenarios.Load(), out)
	}
	if n := strings.Count(out, "not finished by the deadline"); n != 1 {
		t.Errorf("%d waits ran out their deadline, want 1:\n%s", n, out)
	}
	if !strings.Contains(out, "the optimization pipeline stalled earlier in this run (media ") {
		t.Errorf("no later scenario names the stall:\n%s", out)
	}
}

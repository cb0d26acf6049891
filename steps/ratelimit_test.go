package steps

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rentix/mediaharness/internal/refserver"
)

// A limit that is counted but never enforced fails once one window has
// answered more requests than its limit, not after the whole budget.
func TestFeatures_LimitNotEnforcedFailsWithinOneWindow(t *testing.T) {
	t.Parallel()
	h := newHarness(t, refserver.Config{OptimizeDelay: 5 * time.Millisecond, RateLimit: 10, RateWindow: time.Minute,
		Faults: []string{"ratelimit-not-enforced"}}, nil)
	code, out, _ := suite{tags: "@ratelimit", concurrency: 1}.run(h.env)
	h.cleanup(t)
	if code == 0 || !strings.Contains(out, "11 answers without a 429 in one window") {
		t.Fatalf("exit %d, want the scenario failed at the 11th answer of a window with a limit of 10:\n%s", code, out)
	}
	if n := h.env.Client.Stats().Requests; n > 20 {
		t.Errorf("%d requests sent, want the failure found within one window's limit", n)
	}
}

func TestSameWindow(t *testing.T) {
	t.Parallel()
	answer := func(limit, reset string) http.Header {
		return http.Header{"X-Ratelimit-Limit": {limit}, "X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {reset}}
	}
	var w sameWindow
	for i := range 2 {
		if got := w.add(answer("2", "1800000000")); got != "" {
			t.Fatalf("answer %d of 2 allowed: %q", i+1, got)
		}
	}
	if got := w.add(answer("2", "1800000000")); !strings.Contains(got, "3 answers without a 429 in one window") {
		t.Errorf("the third answer of a window allowing 2: %q", got)
	}
	w = sameWindow{}
	for i, reset := range []string{"1800000000", "1800000000", "1800000060", "1800000060"} {
		if got := w.add(answer("2", reset)); got != "" {
			t.Errorf("answer %d: a new window starts its own count, got %q", i+1, got)
		}
	}
	w = sameWindow{}
	for i := range 5 {
		if got := w.add(answer("2", "42")); got != "" {
			t.Errorf("answer %d: a relative Reset names no window, got %q", i+1, got)
		}
	}
}

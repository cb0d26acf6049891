package steps

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rentix/mediaharness/internal/refserver"
)

// TestFeatures runs every feature against the embedded reference server.
//
// The @ratelimit scenario spends a key's whole allowance, so it runs against
// a server of its own whose limit is 10 requests per 2 s window; the rest run
// four at a time against a server whose limit they never reach. Both end by
// deleting every fixture and checking that the server holds no file.
func TestFeatures(t *testing.T) {
	t.Run("suite", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, refserver.Config{OptimizeDelay: 20 * time.Millisecond, RateLimit: 1_000_000}, nil)
		runAndClean(t, h, suite{tags: "~@ratelimit", concurrency: 4, t: t}, 100)
	})
	// Where the contract allows two success statuses (upload 201 or 200,
	// link 200 or 201) the suite must accept either: the features that
	// upload and link pass against a server that takes the other reading.
	t.Run("other readings", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, refserver.Config{OptimizeDelay: 20 * time.Millisecond, RateLimit: 1_000_000, OtherStatuses: true}, nil)
		runAndClean(t, h, suite{paths: []string{"linking.feature", "jobs.feature"}, concurrency: 4, t: t}, 15)
	})
	// A body that is not JSON gets the body parser's error, message one
	// string, from a NestJS server: the suite must accept that answer too.
	t.Run("string parse messages", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, refserver.Config{OptimizeDelay: 20 * time.Millisecond, RateLimit: 1_000_000, StringParseMessages: true}, nil)
		runAndClean(t, h, suite{paths: []string{"request_errors.feature"}, concurrency: 4, t: t}, 10)
	})
	t.Run("ratelimit", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, refserver.Config{
			OptimizeDelay: 20 * time.Millisecond, RateLimit: 10, RateWindow: 2 * time.Second,
		}, nil)
		runAndClean(t, h, suite{tags: "@ratelimit", concurrency: 1, t: t}, 1)
	})
	// A window longer than client.LongWait: the wait for its reset is told.
	t.Run("ratelimit wait announced", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, refserver.Config{
			OptimizeDelay: 20 * time.Millisecond, RateLimit: 10, RateWindow: 5 * time.Second,
		}, nil)
		var mu sync.Mutex
		var lines []string
		h.env.Waiting = func(line string) { mu.Lock(); lines = append(lines, line); mu.Unlock() }
		runAndClean(t, h, suite{tags: "@ratelimit", concurrency: 1, t: t}, 1)
		mu.Lock()
		defer mu.Unlock()
		if len(lines) != 1 || !strings.Contains(lines[0], "for the spent rate limit of the @ratelimit key to reset") {
			t.Errorf("announced waits: %q, want one line about the rate limit's reset", lines)
		}
	})
}

// runAndClean runs s, wants it to pass with at least min scenarios and no
// step skipped, then cleans up and wants the server empty.
func runAndClean(t *testing.T, h *harness, s suite, min int64) {
	t.Helper()
	code, out, stats := s.run(h.env)
	h.cleanup(t)
	if code != 0 {
		t.Fatalf("the features failed (exit %d):\n%s", code, out)
	}
	if n := stats.scenarios.Load(); n < min {
		t.Errorf("%d scenarios ran, want at least %d", n, min)
	}
	if n := stats.skippedSteps.Load(); n != 0 {
		t.Errorf("%d steps were skipped; against the embedded server every scenario must run:\n%s", n, out)
	}
	h.assertClean(t)
}

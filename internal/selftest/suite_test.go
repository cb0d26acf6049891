package selftest

import (
	"context"
	"fmt"
	"testing"
)

// TestStopAtFailure feeds the writer conform's progress: the run is
// cancelled at the first failed step, and not by anything else.
func TestStopAtFailure(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		writes []string
		stop   bool
	}{
		{[]string{".", ".", "-", " 70\n"}, false},
		{[]string{".", "F"}, true},
		{[]string{"U"}, true},
		{[]string{"A"}, true},
		{[]string{"P"}, true},
		// The console summary after the run says FAIL, in one write.
		{[]string{"\n❌ FAIL  3 scenarios\n"}, false},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		w := &stopAtFailure{cancel: cancel}
		for _, s := range tc.writes {
			if n, err := fmt.Fprint(w, s); n != len(s) || err != nil {
				t.Fatalf("Write(%q) = %d, %v", s, n, err)
			}
		}
		if stopped := ctx.Err() != nil; stopped != tc.stop {
			t.Errorf("writes %q: stopped %v, want %v", tc.writes, stopped, tc.stop)
		}
		cancel()
	}
}

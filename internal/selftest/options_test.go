package selftest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rentix/mediaharness/internal/refserver"
)

func TestRun_ConfigurationErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		o    Options
		want string
	}{
		{"unknown fault", Options{Faults: []string{"shape-id-string", "no-such-fault"}}, `unknown fault no-such-fault`},
		{"only commas", Options{Faults: []string{"", " "}}, "no fault named"},
		{"concurrency", Options{Concurrency: -1}, "--concurrency -1"},
		{"too many at once", Options{Concurrency: MaxConcurrency + 1}, "want 1 to"},
		{"load duration", Options{LoadDuration: -1}, "--load-duration"},
		{"run id", Options{RunID: "a/b"}, "run id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.o.ReportDir = t.TempDir()
			res, err := Run(context.Background(), tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Run(%+v): got (%v, %v), want an error containing %q", tc.o, res, err, tc.want)
			}
		})
	}
}

func TestSelectFaults(t *testing.T) {
	t.Parallel()
	all, err := selectFaults(nil, false)
	if err != nil || len(all) != len(refserver.Faults()) {
		t.Fatalf("no names: got %d faults (%v), want all %d", len(all), err, len(refserver.Faults()))
	}
	got, err := selectFaults([]string{" shape-id-string", "auth-bearer-accepted", "shape-id-string"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if names := namesOf(got); !slices.Equal(names, []string{"auth-bearer-accepted", "shape-id-string"}) {
		t.Errorf("named faults: got %v, want them once each, in catalogue order", names)
	}
}

// TestFastFaults_CoverEveryArea keeps the CI subset honest as the
// catalogue grows: every name is a fault, every area is represented, and
// every load-only fault is in it (nothing else checks the load probe).
func TestFastFaults_CoverEveryArea(t *testing.T) {
	t.Parallel()
	fast, err := selectFaults(nil, true)
	if err != nil {
		t.Fatalf("FastFaults: %v", err)
	}
	if len(fast) != len(FastFaults) {
		t.Errorf("FastFaults has %d names, %d distinct faults", len(FastFaults), len(fast))
	}
	areas := map[string]bool{}
	for _, f := range fast {
		areas[f.Area] = true
	}
	for _, f := range refserver.Faults() {
		if !areas[f.Area] {
			t.Errorf("area %q has no fault in FastFaults", f.Area)
		}
		if f.LoadOnly && !slices.Contains(FastFaults, f.Name) {
			t.Errorf("load-only fault %s is not in FastFaults", f.Name)
		}
	}
}

func namesOf(fs []refserver.FaultInfo) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}

package explore

import (
	"context"
	"github.com/rentix/mediaharness/internal/target"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rentix/mediaharness/internal/refserver"
)

func runExplore(t *testing.T, o Options) *Result {
	t.Helper()
	o.ReportDir, o.RunID = t.TempDir(), "run"
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

// The clean reference server passes with no false alarm, every report is
// written, and everything made is deleted.
func TestRun_CleanServerPasses(t *testing.T) {
	t.Parallel()
	res := runExplore(t, Options{})
	if !res.Passed() {
		t.Fatalf("clean server: passed %v, findings:\n%v", res.Passed(), res.Findings)
	}
	if s := res.Summary.Fixtures; s.Created == 0 || s.Created != s.Deleted {
		t.Errorf("fixtures: %d created, %d deleted", s.Created, s.Deleted)
	}
	for _, name := range []string{ResultsFile, SummaryFile, HTMLFile, JUnitFile, FindingsFile, target.LedgerFile} {
		if _, err := os.Stat(filepath.Join(res.Dir, name)); err != nil {
			t.Errorf("report %s: %v", name, err)
		}
	}
	md, _ := os.ReadFile(filepath.Join(res.Dir, SummaryFile))
	if !strings.Contains(string(md), "Operations × input classes") {
		t.Errorf("summary.md lacks the operations × input classes table")
	}
}

// Every fault explore is named the catcher of is caught, each finding
// with a curl line that keeps the key in the environment.
func TestRun_CatchesExploreFaults(t *testing.T) {
	t.Parallel()
	for _, f := range refserver.Faults() {
		if refserver.CaughtBy(f.Name) != "explore" {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			// Each fault in the phase that finds it, to keep the test short.
			o := Options{Faults: []string{f.Name}, NoSequences: true}
			if f.Area == "delete" || f.Area == "link" {
				o = Options{Faults: []string{f.Name}, NoInputs: true}
			}
			res := runExplore(t, o)
			if res.Passed() || len(res.Findings) == 0 {
				t.Fatalf("%s not caught", f.Name)
			}
			c := res.Findings[0].Curl
			if !strings.Contains(c, "$RENTIX_API_KEY") && !strings.Contains(c, "$RENTIX_OTHER_API_KEY") {
				t.Errorf("curl line %q does not take the key from the environment", c)
			}
		})
	}
}

// A failing sequence is shrunk: the relink fault needs only an upload, an
// unlink and a link.
func TestRun_ShrinksSequences(t *testing.T) {
	t.Parallel()
	res := runExplore(t, Options{Faults: []string{"link-relink-after-unlink-refused"}, NoInputs: true})
	for _, f := range res.Findings {
		if f.Group == "sequences" && len(f.Steps) > 3 {
			t.Errorf("%s: not shrunk, %d steps: %v", f.Input, len(f.Steps), f.Steps)
		}
	}
}

// One seed gives the same random sequences.
func TestRandomSequence_DeterministicForASeed(t *testing.T) {
	t.Parallel()
	gen := func(seed int64) []string {
		e, _ := open0(seed)
		var out []string
		for range 5 {
			out = append(out, describe(e.randomSequence())...)
		}
		return out
	}
	if a, b := gen(7), gen(7); !slices.Equal(a, b) {
		t.Errorf("seed 7 gave two different sequences")
	}
	if a, b := gen(7), gen(8); slices.Equal(a, b) {
		t.Errorf("seeds 7 and 8 gave the same sequences")
	}
}

func TestOptions_RefusesBadInput(t *testing.T) {
	t.Parallel()
	_, err := Run(context.Background(), Options{Budget: 3, ReportDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "--budget 3") {
		t.Errorf("budget 3: err = %v", err)
	}
}

// without removes an upload with the steps on its file.
func TestWithout_RemovesDependentSteps(t *testing.T) {
	t.Parallel()
	steps := []step{up(a, 0), up(a, 1), on(stepGetID, a, 0), on(stepGetID, a, 1)}
	got := describe(without(steps, 0))
	want := []string{"A: upload with ext#1", "A: get file#0 by id"}
	if !slices.Equal(got, want) {
		t.Errorf("without upload 0 = %v, want %v", got, want)
	}
}

package selftest

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRun_FastSubset is the mutation check CI runs: the clean reference
// server passes the suite and the load probe, and every fault of the fast
// subset is caught. `make mutation` runs every fault.
func TestRun_FastSubset(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite a dozen times: skipped with -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var progress strings.Builder
	res, err := Run(ctx, Options{Fast: true, ReportDir: t.TempDir(), Stdout: &progress})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.Clean.Failed() {
		t.Errorf("false alarm on the clean reference server: %v", res.Clean.CaughtBy())
	}
	if missed := res.Missed(); len(missed) > 0 {
		t.Errorf("faults missed: %v", missed)
	}
	if got, want := len(res.Faults), len(FastFaults); got != want {
		t.Errorf("faults tested: got %d, want the %d of FastFaults", got, want)
	}
	if !res.Passed() || t.Failed() {
		t.Errorf("passed %v; the run said:\n%s", res.Passed(), progress.String())
	}
	t.Logf("fast subset: %d faults in %s", len(res.Faults), res.Duration)
	checkFiles(t, res)
}

// checkFiles wants mutation.md and a mutation.json that reads back.
func checkFiles(t *testing.T, res *Result) {
	t.Helper()
	md, err := os.ReadFile(filepath.Join(res.Dir, MarkdownFile))
	if err != nil || string(md) != res.Markdown() {
		t.Errorf("%s: want the rendered table (read error %v)", MarkdownFile, err)
	}
	data, err := os.ReadFile(filepath.Join(res.Dir, JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	var back Result
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("%s: %v", JSONFile, err)
	}
	if back.Markdown() != res.Markdown() {
		t.Errorf("%s does not rebuild the table", JSONFile)
	}
}

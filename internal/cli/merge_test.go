package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// looseSLO judges what a merge must get right (every answer expected and
// within the contract), leaves latency loose and asks for no achieved
// rate: a test machine running other tests at the same time is no
// benchmark.
const looseSLO = `scenarios:
  default:
    p95: 2s
    min_success_ratio: 1
    max_contract_violations: 0
`

// TestReport_Merge: two shards of a load run merge into one passing report,
// flags may follow the shard directories, a missing shard fails the merge,
// and a merge that would write over its input is refused.
func TestReport_Merge(t *testing.T) {
	t.Parallel()
	reports := t.TempDir()
	slo := filepath.Join(t.TempDir(), "slo.yaml")
	if err := os.WriteFile(slo, []byte(looseSLO), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, shard := range []string{"1/2", "2/2"} {
		out := runCLI(context.Background(), "load", "--scenario", "get", "--rate", "40/s", "--duration", "1s",
			"--shard", shard, "--report-dir", reports, "--slo", slo)
		if out.code != ExitOK {
			t.Fatalf("load --shard %s: %s", shard, out)
		}
	}
	shards, _ := filepath.Glob(filepath.Join(reports, "2*", "load", "get-s*of2"))
	if len(shards) != 2 {
		t.Fatalf("shard directories %v; want 2", shards)
	}
	merged := filepath.Join(t.TempDir(), "merged")
	if out := runCLI(context.Background(), "report", "--merge", shards[0], shards[1], "--out", merged, "--slo", slo); out.code != ExitOK ||
		!strings.Contains(out.stdout, "Result: PASS") || !strings.Contains(out.stdout, "2 shards merged") {
		t.Errorf("merge of both shards, --out after them: %s\nwant exit 0, PASS", out)
	}
	if out := runCLI(context.Background(), "report", "--merge", "--slo", slo, "--out", filepath.Join(t.TempDir(), "m"), shards[0]); out.code != ExitFailure ||
		!strings.Contains(out.stdout, "1 of the run's 2 shards were not merged") {
		t.Errorf("merge of one shard of two: %s\nwant exit 1 naming the missing shard", out)
	}
	single := t.TempDir()
	if out := runCLI(context.Background(), "load", "--rate", "40/s", "--duration", "1s", "--report-dir", single, "--slo", slo); out.code != ExitOK {
		t.Fatalf("load: %s", out)
	}
	unsharded, _ := filepath.Glob(filepath.Join(single, "2*", "load", "get"))
	if len(unsharded) != 1 {
		t.Fatalf("run directories %v; want one", unsharded)
	}
	if out := runCLI(context.Background(), "report", "--merge", unsharded[0]); out.code != ExitUsage || !strings.Contains(out.stderr, "pass --out") {
		t.Errorf("a merge over its own input: %s\nwant exit 2", out)
	}
}

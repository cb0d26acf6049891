package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rentix/mediaharness/internal/refserver"
)

// load and capacity --dry-run print the plan and exit 0 without a request
// to the target (a host that never resolves) or a file written; the
// password of the base URL is not in it.
func TestLoad_DryRunPrintsThePlan(t *testing.T) {
	t.Parallel()
	target := []string{"--base-url", "https://mhuser:" + leakyPassword + "-long@staging.invalid/api/v1",
		"--api-key", "key-12345678", "--source-url", "https://staging.invalid/a.jpg"}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"load", "--scenario", "mixed", "--rate", "300/m", "--duration", "30s", "--warmup", "5s"},
			[]string{"scenario:   mixed", "rate:       5/s", "30s after a warm-up of 5s (175 requests planned)",
				"fixtures:   68 file(s)", "9 for mixed/delete", "target:     https://mhuser@staging.invalid/api/v1"}},
		{[]string{"load", "--scenario", "delete", "--rate", "4/s", "--duration", "10s", "--shard", "2/2"},
			[]string{"scenario:   delete-s2of2", "rate:       2/s", "(20 requests planned)", "fixtures:   20 file(s)"}},
		{[]string{"capacity", "--scenario", "get", "--start", "5/s", "--step", "4s", "--pool-size", "3"},
			[]string{"from 5/s, ×1.5 a step", "at most 5/s", "4s each (20 requests in the first)", "fixtures:   3 file(s)"}},
	} {
		reports := t.TempDir()
		out := runCLI(context.Background(), append(append(tc.args, "--dry-run", "--report-dir", reports), target...)...)
		if out.code != ExitOK {
			t.Errorf("%v --dry-run: want exit 0\n%s", tc.args, out)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(out.stdout, w) {
				t.Errorf("%v --dry-run: the plan does not say %q\n%s", tc.args, w, out)
			}
		}
		if strings.Contains(out.stdout+out.stderr, leakyPassword) {
			t.Errorf("%v --dry-run shows the base URL's password\n%s", tc.args, out)
		}
		emptyDir(t, tc.args[0]+" --dry-run", reports)
	}
	// A target on this machine, which would answer, hears nothing either.
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests.Add(1) }))
	t.Cleanup(srv.Close)
	for _, cmd := range []string{"load", "capacity"} {
		out := runCLI(context.Background(), cmd, "--dry-run", "--base-url", srv.URL+"/api/v1", "--api-key", "key-12345678")
		if out.code != ExitOK || !strings.Contains(out.stdout, "dry run: nothing is sent") {
			t.Errorf("%s --dry-run against a loopback target: want exit 0 and a plan\n%s", cmd, out)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("the dry runs sent %d requests to the target", n)
	}
	// What a real run would refuse, a dry run refuses too.
	for _, args := range [][]string{
		{"load", "--rate", "50/s"},
		{"load", "--scenario", "nope"},
		{"capacity", "--scenario", "delete"},
	} {
		out := runCLI(context.Background(), append(append(args, "--dry-run"), target...)...)
		if out.code != ExitUsage || strings.Count(out.stderr, "\n") != 1 {
			t.Errorf("%v --dry-run: want exit 2 and one line\n%s", args, out)
		}
	}
}

// The plan's fixtures are what the run makes.
func TestLoad_DryRunFixturesAreWhatTheRunMakes(t *testing.T) {
	t.Parallel()
	up := startUpstream(t, refserver.Config{}, nil)
	slo := filepath.Join(t.TempDir(), "slo.yaml")
	if err := os.WriteFile(slo, []byte(looseSLO), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"load", "--scenario", "link", "--rate", "20/s", "--duration", "1s", "--max-workers", "4", "--slo", slo},
		only("load", up.targetFlags(t, up.http.URL+"/api/v1"))...)
	plan := runCLI(context.Background(), append(args, "--dry-run")...)
	if plan.code != ExitOK || !strings.Contains(plan.stdout, "fixtures:   8 file(s)") {
		t.Fatalf("want a plan of 8 files (4 workers + 2 + 2)\n%s", plan)
	}
	reports := t.TempDir()
	run := invoke(t, append(args, "--report-dir", reports)...)
	if n := createdIn(ledgerOf(reports)); run.code != ExitOK || n != 8 {
		t.Errorf("the run made %d files, the plan said 8\n%s", n, run)
	}
}

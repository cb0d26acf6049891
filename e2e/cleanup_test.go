package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rentix/mediaharness/internal/report"
	"github.com/rentix/mediaharness/internal/runfiles"
)

// exitTimeout bounds how long a run may take to wind down after SIGINT:
// the scenarios in flight stop, the fixtures are deleted, reports written.
const exitTimeout = 30 * time.Second

// TestConform_SIGINTCleansUp: Ctrl-C in the middle of a run ends it with
// exit 130, promptly, and the server keeps none of its fixtures.
func TestConform_SIGINTCleansUp(t *testing.T) {
	t.Parallel()
	srv := startServe(t, "--optimize-delay", "20ms", "--rate-window", "5s")
	reports := t.TempDir()
	run := startHarness(t, append(append([]string{"conform", "--max-rps", "500", "--report-dir", reports},
		srv.targetFlags()...), sourceFlags(t)...)...)
	ledger := waitCreated(t, run, reports, 5, runTimeout)

	if err := run.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	r := run.wait(t, exitTimeout)
	if r.code != 130 {
		t.Fatalf("want exit 130 after SIGINT\n%s", r)
	}
	if !strings.Contains(r.stderr, "interrupted, cleaning up") {
		t.Errorf("stderr does not say the run is cleaning up:\n%s", r.stderr)
	}
	s, err := report.LoadResults(filepath.Dir(ledger))
	if err != nil {
		t.Fatal(err)
	}
	if s.Interruption == "" || s.Verdict != report.Interrupted || s.Fixtures.Created == 0 || s.Fixtures.Created != s.Fixtures.Deleted {
		t.Errorf("results.json: interruption %q, verdict %s, fixtures %d created %d deleted; want an interrupted run that deleted all it made",
			s.Interruption, s.Verdict, s.Fixtures.Created, s.Fixtures.Deleted)
	}
	newProber(t, srv).noneLeft(t, ledger)
}

// TestConform_SIGKILLThenSweep: a run killed outright cannot clean up; its
// ledger names what it left, and `sweep` deletes all of it: the files that
// still carry the run's external ID, and those a scenario unlinked.
func TestConform_SIGKILLThenSweep(t *testing.T) {
	t.Parallel()
	srv := startServe(t, "--optimize-delay", "20ms", "--rate-window", "5s")
	reports := t.TempDir()
	// @isolation scenarios never delete their own files: whatever exists
	// when the run dies is left for the sweep.
	run := startHarness(t, append(append([]string{"conform", "--tags", "@isolation", "--max-rps", "500", "--report-dir", reports},
		srv.targetFlags()...), sourceFlags(t)...)...)
	ledger := waitCreated(t, run, reports, 3, runTimeout)

	if err := run.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	if r := run.wait(t, exitTimeout); r.code != -9 {
		t.Fatalf("want death by SIGKILL\n%s", r)
	}
	p := newProber(t, srv)
	left := p.held(t, ledger)
	outstanding, err := runfiles.Outstanding(ledger)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) == 0 {
		t.Fatalf("before the sweep the server holds none of the ledger's fixtures; want the killed run's files still there")
	}
	listed, bare := map[string]bool{}, 0
	for _, f := range outstanding {
		listed[f.Agency+fixturePath(f)] = true
		if f.ExternalID == "" {
			bare++
		}
	}
	t.Logf("the killed run left %d files, %d of them uploaded without an external ID", len(outstanding), bare)
	for _, f := range left {
		if !listed[f.Agency+fixturePath(f)] {
			t.Errorf("the server holds %+v, which the ledger does not list as outstanding", f)
		}
	}

	sweep := harness(t, runTimeout, append([]string{"sweep", "--ledger", ledger, "--max-rps", "500"}, srv.targetFlags()...)...)
	if sweep.code != 0 {
		t.Fatalf("sweep: want exit 0\n%s", sweep)
	}
	// A request the killed run had sent may still have made a file after
	// the server was asked: the sweep deletes at least what was seen. Every
	// file is proved the run's, by the external ID the run gave it or, for
	// a file a scenario unlinked or relinked, by its upload job.
	var deleted, gone int
	targetLine := "sweep: target " + srv.BaseURL + "\n"
	want := fmt.Sprintf("%ssweep: %d outstanding, %%d deleted, %%d already gone, 0 skipped as not the run's, 0 failed\n", targetLine, len(outstanding))
	if _, err := fmt.Sscanf(sweep.stdout, want, &deleted, &gone); err != nil || deleted+gone != len(outstanding) || deleted < len(left) {
		t.Errorf("sweep summary %q: want %d outstanding, at least %d deleted, the rest already gone, none skipped or failed",
			sweep.stdout, len(outstanding), len(left))
	}
	if held := p.held(t, ledger); len(held) != 0 {
		t.Errorf("the server still holds %+v after the sweep", held)
	}
	again := harness(t, runTimeout, append([]string{"sweep", "--ledger", ledger}, srv.targetFlags()...)...)
	if again.code != 0 || !strings.Contains(again.stdout, "sweep: 0 outstanding, 0 deleted, 0 already gone, 0 skipped as not the run's, 0 failed\n") {
		t.Errorf("a second sweep: want nothing to delete\n%s", again)
	}
}

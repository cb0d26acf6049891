package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rentix/mediaharness/internal/report"
	"github.com/rentix/mediaharness/internal/runfiles"
)

// runTimeout is how long one harness run may take before it counts as hung.
const runTimeout = 90 * time.Second

// looseSLO keeps the load thresholds that judge correctness (every answer
// expected and within the contract, no 429) and makes the latency ones
// loose: a test machine running other tests at the same time is no
// benchmark.
const looseSLO = `scenarios:
  default:
    p50: 1s
    p95: 2s
    p99: 3s
    max: 5s
    min_success_ratio: 1
    max_contract_violations: 0
    max_identity_mismatches: 0
    max_429_share: 0
    min_achieved_rate_ratio: 0.5
`

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestServe_ConformAndLoad: a reference server started on its own, the way
// a person starts it, passes the whole conformance suite and a load run
// given every target flag; afterwards it holds none of their files.
func TestServe_ConformAndLoad(t *testing.T) {
	t.Parallel()
	srv := startServe(t, "--optimize-delay", "20ms", "--rate-window", "5s")
	dir := t.TempDir()
	slo := writeFile(t, dir, "slo.yaml", looseSLO)

	// The load run comes first: the suite spends the rate limit of the
	// primary key to the last request (its @ratelimit scenario), and the
	// client of the suite waits a 429 out where an attack would count it.
	loadReports := filepath.Join(dir, "load")
	load := harness(t, runTimeout, append([]string{"load", "--scenario", "get", "--rate", "50/s", "--duration", "1s",
		"--slo", slo, "--report-dir", loadReports}, append(srv.loadTargetFlags(), "--source-url", smallSource(t))...)...)
	if load.code != 0 || !strings.Contains(load.stdout, "Result: PASS") {
		t.Errorf("load: want exit 0 and PASS\n%s", load)
	}

	conformReports := filepath.Join(dir, "conform")
	conform := harness(t, runTimeout, append(append([]string{"conform", "--max-rps", "500", "--report-dir", conformReports},
		srv.targetFlags()...), sourceFlags(t)...)...)
	if conform.code != 0 {
		t.Errorf("conform: want exit 0\n%s", conform)
	}
	s, err := report.LoadResults(filepath.Join(conformReports, "latest"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Totals.Scenarios == 0 || s.Totals.Passed != s.Totals.Scenarios || s.Verdict != report.Pass {
		t.Errorf("results.json: %d scenarios, %d passed, %d failed, %d skipped, verdict %s; want every scenario passed",
			s.Totals.Scenarios, s.Totals.Passed, s.Totals.Failed, s.Totals.Skipped, s.Verdict)
		for _, sc := range s.Scenarios() {
			if sc.Status != report.Passed && sc.Failure != nil {
				t.Logf("%s: %s %s", sc.ID, sc.Status, sc.Failure.Message)
			}
		}
	}
	if s.Fixtures.Created == 0 || s.Fixtures.Created != s.Fixtures.Deleted {
		t.Errorf("results.json: fixtures created %d, deleted %d; want some, all deleted", s.Fixtures.Created, s.Fixtures.Deleted)
	}

	noFilesLeft(t, srv, conformReports, loadReports)
}

// TestServe_EveryLoadScenario: each load scenario against a separately
// started server passes, writes every report file and leaves no file.
func TestServe_EveryLoadScenario(t *testing.T) {
	t.Parallel()
	srv := startServe(t, "--optimize-delay", "20ms", "--rate-limit", "1000000")
	dir := t.TempDir()
	slo := writeFile(t, dir, "slo.yaml", looseSLO)
	source := smallSource(t)
	var reportDirs []string
	for _, sc := range []string{"get", "get-external", "link", "delete", "mixed"} {
		reports := filepath.Join(dir, sc)
		reportDirs = append(reportDirs, reports)
		out := harness(t, runTimeout, append([]string{"load", "--scenario", sc, "--rate", "50/s", "--duration", "1s",
			"--slo", slo, "--report-dir", reports, "--source-url", source}, srv.loadTargetFlags()...)...)
		if out.code != 0 || !strings.Contains(out.stdout, "Result: PASS") {
			t.Errorf("load %s: want exit 0 and PASS\n%s", sc, out)
		}
		run := filepath.Dir(runFile(reports, "ledger.jsonl"))
		for _, name := range []string{"results.bin", "metrics.json", "report.txt", "plot.html", "load.json", "summary.md"} {
			if _, err := os.Stat(filepath.Join(run, "load", sc, name)); err != nil {
				t.Errorf("load %s: %v", sc, err)
			}
		}
	}
	noFilesLeft(t, srv, reportDirs...)
}

// noFilesLeft: the runs' ledgers list nothing outstanding, and the server
// holds no file of theirs. Media IDs are one sequence on this server: no ID
// up to the last one the runs saw may hold a file, whichever agency asks.
// That covers every file of the ledgers but uploads whose answer was lost
// (no ID): those are asked for by external ID.
func noFilesLeft(t *testing.T, srv *server, reportDirs ...string) {
	t.Helper()
	p := newProber(t, srv)
	maxID := int64(0)
	for _, reports := range reportDirs {
		ledger := runFile(reports, "ledger.jsonl")
		if ledger == "" {
			t.Fatalf("no ledger under %s", reports)
		}
		if out, err := runfiles.Outstanding(ledger); err != nil || len(out) != 0 {
			t.Errorf("ledger %s: outstanding %+v (%v), want none", ledger, out, err)
		}
		for _, f := range unanswered(t, ledger) {
			if st := p.status(t, f.Agency, fixturePath(f)); st != http.StatusNotFound {
				t.Errorf("GET %s with the %s key: %d, want 404: a file was left", fixturePath(f), f.Agency, st)
			}
		}
		maxID = max(maxID, maxMediaID(t, ledger))
	}
	for id := int64(1); id <= maxID+5; id++ {
		for _, label := range []string{"primary", "other"} {
			if st := p.status(t, label, "/media/"+strconv.FormatInt(id, 10)); st != http.StatusNotFound {
				t.Errorf("GET /media/%d with the %s key: %d, want 404: a file was left", id, label, st)
			}
		}
	}
}

// unanswered lists the ledger's intents that never got a media ID.
func unanswered(t *testing.T, ledger string) []runfiles.Fixture {
	t.Helper()
	entries, err := runfiles.ReadLedger(ledger)
	if err != nil {
		t.Fatal(err)
	}
	withID := map[string]bool{}
	for _, e := range entries {
		if e.MediaID > 0 {
			withID[e.Agency+"@"+e.ExternalID] = true
		}
	}
	var out []runfiles.Fixture
	for _, e := range entries {
		if e.Event == runfiles.EventIntent && !withID[e.Agency+"@"+e.ExternalID] {
			out = append(out, runfiles.Fixture{Agency: e.Agency, ExternalID: e.ExternalID})
		}
	}
	return out
}

// maxMediaID is the highest media ID a ledger records.
func maxMediaID(t *testing.T, ledger string) int64 {
	t.Helper()
	entries, err := runfiles.ReadLedger(ledger)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, e := range entries {
		n = max(n, e.MediaID)
	}
	return n
}

// modelSLO judges a server modeling 400/s: each answer takes its 10ms turn,
// and the queue that builds past the capacity breaks p50 within a step.
const modelSLO = `scenarios:
  get:
    p50: 20ms
    p95: 100ms
    min_success_ratio: 0.999
    max_contract_violations: 0
    max_429_share: 0
    min_achieved_rate_ratio: 0.9
`

// TestServe_CapacityFigure: a server started on its own with a modeled
// capacity of 400/s; the capacity search against it saturates it and gives
// a figure just under 400/s, exit 0. It does not run in parallel with the
// other tests, whose load would move the figure.
func TestServe_CapacityFigure(t *testing.T) {
	srv := startServe(t, "--capacity", "400/s", "--rate-limit", "1000000")
	dir := t.TempDir()
	args := append([]string{"capacity", "--scenario", "get", "--start", "100/s", "--step", "500ms",
		"--slo", writeFile(t, dir, "slo.yaml", modelSLO), "--report-dir", dir}, srv.loadTargetFlags()...)
	out := harness(t, runTimeout, append(args, "--source-url", smallSource(t))...)
	if out.code != 0 || !strings.Contains(out.stdout, "Ending: saturated") {
		t.Fatalf("capacity: want exit 0, saturated\n%s", out)
	}
	_, after, _ := strings.Cut(out.stdout, "\nCapacity: ")
	figure, _, _ := strings.Cut(after, "/s")
	if n, err := strconv.ParseFloat(figure, 64); err != nil || n < 300 || n > 440 {
		t.Errorf("capacity %q; want just under the modeled 400/s\n%s", figure, out)
	}
}

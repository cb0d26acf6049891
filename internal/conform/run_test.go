package conform

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"github.com/rentix/mediaharness/internal/target"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rentix/mediaharness/internal/redact"
	"github.com/rentix/mediaharness/internal/report"
	"github.com/rentix/mediaharness/internal/rundir"
)

const mixedFeature = `Feature: Mixed results
  Scenario: the agency answers
    When I ask for the agency
    Then it answers 200

  Scenario: a documented expectation breaks
    Given "setup" passes
    Then "the documented check" fails

  @inferred
  Scenario: an inferred expectation breaks
    Then "the inferred check" fails

  Scenario: a precondition is missing
    Given it is skipped because "no second agency key"
    Then "never reached" passes
`

func TestRun_WritesEveryReport(t *testing.T) {
	fk := newFakeSteps()
	dir := t.TempDir()
	res, out := runFake(t, context.Background(), Options{ReportDir: dir, RunID: "r1"},
		fakeSuite(map[string]string{"mixed.feature": mixedFeature}, fk))

	if res.Dir != filepath.Join(dir, "r1") {
		t.Errorf("Dir = %q, want %q", res.Dir, filepath.Join(dir, "r1"))
	}
	for _, name := range []string{ResultsFile, SummaryFile, CoverageFile, DriftFile, HTMLFile, junitFile, cucumberFile, target.LedgerFile} {
		if fi, err := os.Stat(filepath.Join(res.Dir, name)); err != nil || (fi.Size() == 0 && name != target.LedgerFile) {
			t.Errorf("report file %s: missing or empty (%v)", name, err)
		}
	}
	if link, err := os.Readlink(filepath.Join(dir, rundir.Latest)); err != nil || link != "r1" {
		t.Errorf("latest -> %q (%v), want r1", link, err)
	}
	got := [...]int{res.Passed, res.Failed, res.Skipped, res.DocumentedFailures, res.InferredFailures}
	if want := [...]int{1, 2, 1, 1, 1}; got != want {
		t.Errorf("passed, failed, skipped, documented, inferred = %v, want %v", got, want)
	}
	if res.Verdict.Passed() || res.Verdict != report.Fail {
		t.Errorf("passed %v verdict %s, want false fail", res.Verdict.Passed(), res.Verdict)
	}
	if !strings.Contains(out, "✗ 1. the documented check failed\n      mixed.feature » a documented expectation breaks [documented]") ||
		!strings.Contains(out, "skipped 1:\n      1 × no second agency key") ||
		!strings.Contains(out, "reports: "+filepath.Join(res.Dir, HTMLFile)) {
		t.Errorf("console summary lacks the failure line or the report path:\n%s", out)
	}

	// results.json reads back, and the skip keeps its reason.
	s, err := report.LoadResults(res.Dir)
	if err != nil {
		t.Fatal(err)
	}
	skip := findScenario(t, s, "mixed.feature » a precondition is missing")
	if skip.Status != report.Skipped || skip.Skip == nil || skip.Skip.Reason != "no second agency key" || skip.Failure != nil {
		t.Errorf("skipped scenario = %+v, want skipped with its reason under skip, no failure", skip)
	}
	if c := coverageOf(s, "getAgency"); !slices.Contains(c.Received, 200) {
		t.Errorf("coverage of getAgency = %+v, want 200 received", c)
	}

	// junit carries the failure evidence verbatim.
	failures := junitFailures(t, filepath.Join(res.Dir, junitFile))
	if msg := failures["a documented expectation breaks"]; !strings.Contains(msg, "the documented check failed\nsecond line of evidence") {
		t.Errorf("junit failure message = %q, want the step's whole error", msg)
	}
	junit, _ := os.ReadFile(filepath.Join(res.Dir, junitFile))
	if !strings.Contains(string(junit), `skipped="1"`) || !strings.Contains(string(junit), `<skipped message="no second agency key">`) {
		t.Errorf("junit.xml should count the skip and give its reason:\n%s", junit)
	}
}

func TestRun_AScenarioWhoseLaterStepSkipsIsSkipped(t *testing.T) {
	feat := `Feature: Late skip
  Scenario: passes, then lacks a precondition
    Given "setup" passes
    And it is skipped because "no suspended key"
    Then "never reached" passes
`
	res, _ := runFake(t, context.Background(), Options{},
		fakeSuite(map[string]string{"late.feature": feat}, newFakeSteps()))
	sc := res.Summary.Features[0].Scenarios[0]
	if sc.Status != report.Skipped || sc.Skip == nil || sc.Skip.Reason != "no suspended key" || res.Passed != 0 {
		t.Errorf("scenario = %s (skip %+v), passed %d; want skipped with its reason, none passed", sc.Status, sc.Skip, res.Passed)
	}
}

func TestRun_NeverWritesTheKey(t *testing.T) {
	const key = "rx_Distinctive+Key/With&Chars<0123456789>"
	lb := startLoopback(t, key)
	dir := t.TempDir()
	o := Options{Target: lb.target(), ReportDir: dir, RunID: "secret"}
	feat := `Feature: Leaky
  Scenario: a step quotes the key in its failure
    When I ask for the agency
    And the key is attached as evidence
    Then the failure quotes the key
`
	res, out := runFake(t, context.Background(), o, fakeSuite(map[string]string{"leaky.feature": feat}, newFakeSteps()))
	if res.Failed != 1 {
		t.Fatalf("failed = %d, want 1 (the leaky scenario)", res.Failed)
	}
	forms := append(redact.Forms(key), "Distinctive+Key", "Distinctive%2BKey")
	entries, _ := os.ReadDir(res.Dir)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(res.Dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range forms {
			if strings.Contains(string(data), f) {
				t.Errorf("%s contains the key (as %q)", e.Name(), f)
			}
		}
	}
	for _, f := range forms {
		if strings.Contains(out, f) {
			t.Errorf("console output contains the key (as %q):\n%s", f, out)
		}
	}
	junit, _ := os.ReadFile(filepath.Join(res.Dir, junitFile))
	if !strings.Contains(string(junit), "ApiKey [REDACTED]") {
		t.Errorf("junit.xml should show the redacted evidence:\n%s", junit)
	}
	// Attachments are base64 in cucumber.json: decode them to look.
	cuke, _ := os.ReadFile(filepath.Join(res.Dir, cucumberFile))
	want := base64.StdEncoding.EncodeToString([]byte("key: [REDACTED]"))
	if !strings.Contains(string(cuke), want) {
		t.Errorf("cucumber.json should hold the attachment redacted (%s):\n%s", want, cuke)
	}
}

func TestRun_CancelledRunCleansUp(t *testing.T) {
	lb := startLoopback(t, "")
	fk := newFakeSteps()
	feat := `Feature: Interrupted
  Scenario: upload, then get interrupted
    Given a fixture is uploaded
    Then the run is interrupted while the scenario runs

  Scenario: never starts
    Then "anything" passes
`
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-fk.uploaded
		cancel() // what the CLI does on SIGINT
	}()
	res, out := runFake(t, ctx, Options{Target: lb.target(), RunID: "cancel"},
		fakeSuite(map[string]string{"interrupted.feature": feat}, fk))

	if n := lb.srv.MediaCount(lb.keys.Primary); n != 0 {
		t.Errorf("after an interrupted run the agency holds %d files, want 0 (cleanup)", n)
	}
	if !res.Interrupted || res.Verdict.Passed() || res.Verdict != report.Interrupted {
		t.Errorf("interrupted=%v passed=%v verdict=%s, want true 1 interrupted", res.Interrupted, res.Verdict.Passed(), res.Verdict)
	}
	if res.FixturesCreated != 1 || res.FixturesDeleted != 1 || res.CleanupError != nil {
		t.Errorf("fixtures created %d deleted %d (cleanup error %v), want 1 1 nil", res.FixturesCreated, res.FixturesDeleted, res.CleanupError)
	}
	if res.Failed != 0 || res.Skipped != 2 {
		t.Errorf("failed %d skipped %d, want 0 2: a scenario cut short by the interrupt is not a failure\n%s", res.Failed, res.Skipped, out)
	}
	if outstanding := readOutstanding(t, filepath.Join(res.Dir, target.LedgerFile)); outstanding != 0 {
		t.Errorf("ledger lists %d outstanding fixtures, want 0", outstanding)
	}
}

func TestRun_DeadlineStopsTheRun(t *testing.T) {
	feat := `Feature: Slow
  Scenario: waits for the deadline
    Then the run is interrupted while the scenario runs
`
	// The deadline covers starting the embedded server and the preflight too.
	res, _ := runFake(t, context.Background(), Options{RunDeadline: time.Second},
		fakeSuite(map[string]string{"slow.feature": feat}, newFakeSteps()))
	if !res.Interrupted || !strings.Contains(res.Summary.Interruption, "deadline") {
		t.Errorf("interruption = %q, want the run deadline", res.Summary.Interruption)
	}
}

func TestRun_Baseline(t *testing.T) {
	dir := t.TempDir()
	first := `Feature: Gate
  Scenario: a
    Then "a" fails
  Scenario: b
    Then "b" passes
  Scenario: c
    Then "c" fails
`
	second := `Feature: Gate
  Scenario: a
    Then "a" fails
  Scenario: b
    Then "b" fails
  Scenario: c
    Then "c" passes
`
	known := `Feature: Gate
  Scenario: a
    Then "a" fails
  Scenario: b
    Then "b" passes
  Scenario: c
    Then "c" passes
`
	base, _ := runFake(t, context.Background(), Options{ReportDir: dir, RunID: "base"},
		fakeSuite(map[string]string{"gate.feature": first}, newFakeSteps()))

	res, out := runFake(t, context.Background(), Options{ReportDir: dir, RunID: "next", Baseline: base.Dir},
		fakeSuite(map[string]string{"gate.feature": second}, newFakeSteps()))
	b := res.Summary.Baseline
	if b == nil || !slices.Equal(b.Regressions, []string{"gate.feature » b"}) ||
		!slices.Equal(b.Known, []string{"gate.feature » a"}) || !slices.Equal(b.Fixed, []string{"gate.feature » c"}) {
		t.Fatalf("baseline diff = %+v, want new [b], known [a], fixed [c]", b)
	}
	if b.From != "base" || res.Verdict.Passed() || !strings.Contains(out, "against base: 1 new, 1 known, 1 fixed") {
		t.Errorf("from %q passed %v, want base and false; console:\n%s", b.From, res.Verdict.Passed(), out)
	}

	// A pre-release gate: known failures alone do not fail the run.
	gate, _ := runFake(t, context.Background(), Options{ReportDir: dir, RunID: "gate", Baseline: filepath.Join(base.Dir, ResultsFile),
		FailOnlyOnRegressions: true}, fakeSuite(map[string]string{"gate.feature": known}, newFakeSteps()))
	if !gate.Verdict.Passed() || gate.KnownFailures != 1 || gate.Regressions != 0 || gate.Verdict != report.PassWarned {
		t.Errorf("gate run: passed %v known %d new %d verdict %s, want true 1 0 pass-with-warnings",
			gate.Verdict.Passed(), gate.KnownFailures, gate.Regressions, gate.Verdict)
	}
	// The same failures without the gate flag still fail.
	plain, _ := runFake(t, context.Background(), Options{ReportDir: dir, RunID: "plain", Baseline: base.Dir},
		fakeSuite(map[string]string{"gate.feature": known}, newFakeSteps()))
	if plain.Verdict.Passed() {
		t.Errorf("known failure without --fail-only-on-regressions: passed %v, want false", plain.Verdict.Passed())
	}
}

func TestRun_InferredWarnOrFail(t *testing.T) {
	feat := `Feature: Readings
  Scenario: documented
    Then "documented" passes

  @inferred
  Scenario: our reading
    Then "our reading" fails
`
	for _, tc := range []struct {
		mode    string
		passed  bool
		verdict report.Verdict
	}{
		{InferredFail, false, report.Fail},
		{InferredWarn, true, report.PassWarned},
	} {
		res, _ := runFake(t, context.Background(), Options{Inferred: tc.mode},
			fakeSuite(map[string]string{"readings.feature": feat}, newFakeSteps()))
		if res.Verdict.Passed() != tc.passed || res.Verdict != tc.verdict || res.InferredFailures != 1 || res.DocumentedFailures != 0 {
			t.Errorf("--inferred %s: passed %v verdict %s inferred %d documented %d, want %v %s 1 0",
				tc.mode, res.Verdict.Passed(), res.Verdict, res.InferredFailures, res.DocumentedFailures, tc.passed, tc.verdict)
		}
	}
}

func TestRun_ConfigurationErrors(t *testing.T) {
	su := fakeSuite(map[string]string{"x.feature": mixedFeature}, newFakeSteps())
	for _, tc := range []struct {
		name string
		o    Options
		want string
	}{
		{"tags select nothing", Options{Tags: "@nothing"}, "selects no scenario"},
		{"baseline missing", Options{Baseline: "/nonexistent/run"}, "--baseline"},
		{"spec missing", Options{SpecFile: "/nonexistent/spec.yaml"}, "openapi"},
	} {
		dir := t.TempDir()
		tc.o.ReportDir = dir
		_, err := run(context.Background(), tc.o, su)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error = %v, want it to mention %q", tc.name, err, tc.want)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("%s: a configuration error left files in the report dir: %v", tc.name, entries)
		}
	}
}

// TestRun_RealSuite runs the production-safe part of the real features
// (no @destructive, no @ratelimit: no uploads, a handful of scenarios)
// against the embedded server: the wiring of Env, hooks, formatter and
// reports with the real steps. The steps' own tests run the whole suite.
func TestRun_RealSuite(t *testing.T) {
	res, out := runFake(t, context.Background(), Options{Tags: "~@destructive && ~@ratelimit", Concurrency: 2}, defaultSuite())
	if res.Passed == 0 || res.Failed != 0 || !res.Verdict.Passed() || res.Verdict != report.Pass {
		t.Errorf("passed %d failed %d passed %v verdict %s, want all passed\n%s", res.Passed, res.Failed, res.Verdict.Passed(), res.Verdict, out)
	}
	if res.Requests == 0 || len(res.Summary.Coverage) == 0 {
		t.Errorf("requests %d, coverage rows %d: the run's exchanges were not observed", res.Requests, len(res.Summary.Coverage))
	}
}

func findScenario(t *testing.T, s *report.Summary, id string) report.Scenario {
	t.Helper()
	for _, sc := range s.Scenarios() {
		if sc.ID == id {
			return sc
		}
	}
	t.Fatalf("no scenario %q in %+v", id, s.Features)
	return report.Scenario{}
}

func coverageOf(s *report.Summary, op string) report.OperationCoverage {
	for _, c := range s.Coverage {
		if c.Operation == op {
			return c
		}
	}
	return report.OperationCoverage{}
}

// junitFailures maps test case names to their failure messages.
func junitFailures(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Suites []struct {
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("junit.xml: %v", err)
	}
	out := map[string]string{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Failure != nil {
				out[c.Name] = c.Failure.Message
			}
		}
	}
	return out
}

func TestRun_BrokenStepsFailScenariosAndStillCleanUp(t *testing.T) {
	su := fakeSuite(map[string]string{"x.feature": mixedFeature}, newFakeSteps())
	su.steps = brokenSteps
	res, _ := runFake(t, context.Background(), Options{Concurrency: 2}, su)
	if res.Failed != 4 || res.Verdict.Passed() {
		t.Fatalf("failed %d passed %v, want every scenario failed", res.Failed, res.Verdict.Passed())
	}
	if msg := res.Summary.Failures()[0].Failure.Message; !strings.Contains(msg, "could not be registered") {
		t.Errorf("failure = %q, want it to say the steps could not be registered", msg)
	}
}

package loadtest

import (
	"context"
	"encoding/json"
	"errors"
	"github.com/rentix/mediaharness/internal/syncbuf"
	"github.com/rentix/mediaharness/internal/target"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/runfiles"
)

// lenientSLO holds only what tests mean to break: latency ceilings are far
// above what a loaded CI machine running -race could add, and no achieved
// rate is asked for, which only the machine's speed decides (judgeSLO has
// one).
const lenientSLO = `
scenarios:
  default:
    p95: 2s
    p99: 3s
    min_success_ratio: 0.999
    max_contract_violations: 0
    max_identity_mismatches: 0
    max_429_share: 0
`

// judgeSLO is lenientSLO with a floor on the achieved rate, for tests that
// judge made-up figures and for capacity searches, which stop where the
// generator falls behind.
const judgeSLO = lenientSLO + "    min_achieved_rate_ratio: 0.8\n"

func writeSLO(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "slo.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// quickOptions is a one-second run at 50/s against env.
func quickOptions(t *testing.T, env *preparedTarget, scenario string) Options {
	return Options{
		Scenario: scenario, Rate: perSec(50), Duration: time.Second,
		SLOFile: writeSLO(t, lenientSLO), ReportDir: t.TempDir(), prepared: env,
	}
}

func mustRun(t *testing.T, o Options) *Report {
	t.Helper()
	r, err := Run(context.Background(), o)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return r
}

func TestRun_ShortRunPassesAndWritesReports(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	env, fx := fakeEnv(t, api)
	o := quickOptions(t, env, scenarioGet)
	var progress syncbuf.Buffer
	o.Progress = &progress
	r := mustRun(t, o)

	// Outside a terminal the quiet phases still say what they do.
	log := progress.String()
	for _, want := range []string{"· fixtures: uploading", "· fixtures: 16 ready in", "· attack get: 1s at 50/s", "· cleanup: deleting", "· cleanup: 16 deleted"} {
		if !strings.Contains(log, want) {
			t.Errorf("progress log lacks %q:\n%s", want, log)
		}
	}

	c := r.Counts
	if c.Requests != 50 || c.Expected != 50 || c.Validated != 50 || c.Transport+c.RateLimited+c.Unexpected != 0 {
		t.Errorf("counts = %+v; want 50 requests, all expected and checked", c)
	}
	if !r.Passed() {
		t.Errorf("Passed = %v, failures %v; want a pass", r.Passed(), r.Failures())
	}
	if len(r.Thresholds) != 6 {
		t.Errorf("%d thresholds evaluated, want the 6 of the file: %+v", len(r.Thresholds), r.Thresholds)
	}
	for _, name := range []string{resultsFile, metricsFile, textFile, plotFile, reportFile, sectionFile} {
		if fi, err := os.Stat(filepath.Join(r.Dir, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v (empty: %v)", name, err, fi != nil && fi.Size() == 0)
		}
	}
	if got := countResults(t, filepath.Join(r.Dir, resultsFile)); got != 50 {
		t.Errorf("results file holds %d results, want 50", got)
	}
	text := readFile(t, filepath.Join(r.Dir, textFile))
	for _, want := range []string{"Requests      [total, rate, throughput]", "p95 latency", "Result: PASS"} {
		if !strings.Contains(text, want) {
			t.Errorf("report.txt lacks %q:\n%s", want, text)
		}
	}
	if html := readFile(t, filepath.Join(r.Dir, plotFile)); !strings.Contains(html, "uPlot") || !strings.Contains(html, "latency distribution") ||
		!strings.Contains(html, "Result: PASS") {
		t.Error("plot.html lacks the plot, the distribution or the result")
	}
	if md := readFile(t, filepath.Join(o.ReportDir, "load", sectionFile)); !strings.Contains(md, "### Load: get") {
		t.Errorf("load/summary.md lacks the run's section:\n%s", md)
	}
	if api.count() != 0 || fx.left() != 0 || r.Fixtures.Created != r.Fixtures.CleanedUp {
		t.Errorf("fixtures left: %d on the target, %d tracked; summary %+v", api.count(), fx.left(), r.Fixtures)
	}
	back, err := readReport(filepath.Join(r.Dir, reportFile))
	if err != nil || back.Counts.Requests != 50 || back.Latency.P95 != r.Latency.P95 {
		t.Errorf("load.json read back: %v, %+v", err, back)
	}
}

func countResults(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	if err := decodeAll(f, func(*vegeta.Result) { n++ }); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return n
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func failureNames(r *Report) []string { return failed(r.Thresholds) }

func wantOnlyFailure(t *testing.T, r *Report, name string) {
	t.Helper()
	got := failureNames(r)
	if r.Passed() || len(got) != 1 || got[0] != name {
		t.Errorf("Passed %v, broken %v; want exit 1 with only %q broken", r.Passed(), got, name)
	}
	if !strings.Contains(strings.Join(r.Failures(), "\n"), name) {
		t.Errorf("Failures() = %q; want it to name %q", r.Failures(), name)
	}
}

// An operation's threshold in the SLO file is checked on that operation's
// requests of a mixed run, and named after it when it breaks.
func TestRun_OperationThreshold(t *testing.T) {
	t.Parallel()
	env, _ := fakeEnv(t, newFakeAPI())
	o := quickOptions(t, env, scenarioMixed)
	o.SLOFile = writeSLO(t, lenientSLO+`  mixed:
    p95: 2s
    operations:
      getMedia:
        p95: 2s
      deleteMedia:
        max: 1ns
`)
	r := mustRun(t, o)
	wantOnlyFailure(t, r, "deleteMedia max latency")
	if i := slices.IndexFunc(r.Thresholds, func(th thresholdResult) bool { return th.Name == "getMedia p95 latency" }); i < 0 || !r.Thresholds[i].Pass {
		t.Errorf("thresholds %+v; want getMedia's checked and met", r.Thresholds)
	}
}

func TestRun_SlowServerBreaksP95(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	api.delay = 50 * time.Millisecond
	env, _ := fakeEnv(t, api)
	o := quickOptions(t, env, scenarioGet)
	o.Rate = perSec(20)
	o.SLOFile = writeSLO(t, "scenarios:\n  get:\n    p95: 20ms\n    min_success_ratio: 0.99\n")
	r := mustRun(t, o)
	wantOnlyFailure(t, r, "p95 latency")
	if r.Latency.P95 < 50*time.Millisecond {
		t.Errorf("p95 = %s with a 50ms handler", r.Latency.P95)
	}
}

func TestRun_FlakyServerBreaksSuccessRatio(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	api.failEvery = 20 // 5% answer 500
	env, _ := fakeEnv(t, api)
	o := quickOptions(t, env, scenarioGet)
	o.Rate = perSec(100)
	r := mustRun(t, o)
	wantOnlyFailure(t, r, "success ratio")
	if c := r.Counts; c.Unexpected != 5 || c.Expected != 95 || c.StatusCodes["500"] != 5 {
		t.Errorf("counts = %+v; want 5 unexpected 500s of 100", c)
	}
	if len(r.Problems) == 0 || r.Problems[0].Kind != "status" || !strings.Contains(r.Problems[0].Message, "boom") {
		t.Errorf("problems = %v; want the 500s with their body", r.Problems)
	}
}

func TestRun_OffContractBodiesCountViolations(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	api.badBody = true
	env, _ := fakeEnv(t, api)
	r := mustRun(t, quickOptions(t, env, scenarioGet))
	wantOnlyFailure(t, r, "contract violations")
	if c := r.Counts; c.ContractViolations != 50 || c.Expected != 50 || c.IdentityMismatches != 0 {
		t.Errorf("counts = %+v; want 50 violations, statuses all as expected", c)
	}
	if len(r.Problems) != 1 || r.Problems[0].Pointer != "/optimization" || r.Problems[0].Count != 50 {
		t.Errorf("problems = %v; want one: /optimization missing, 50 times", r.Problems)
	}
}

// A body past the read limit is reported as too large, not as the JSON
// error its cut-off end would give.
func TestRun_HugeBodyIsNamed(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	api.hugeBody = true
	env, _ := fakeEnv(t, api)
	o := quickOptions(t, env, scenarioGet)
	// Slow enough that inflating a mebibyte per answer under the race
	// detector keeps up with the rate on a busy machine.
	o.Rate, o.Duration = perSec(4), time.Second
	r := mustRun(t, o)
	wantOnlyFailure(t, r, "identity mismatches")
	if len(r.Problems) != 1 || !strings.Contains(r.Problems[0].Message, "the body is at least 1048576 bytes") {
		t.Errorf("problems = %v; want one naming the size", r.Problems)
	}
}

// cleanupFails is a fixture maker whose cleanup cannot reach the target.
type cleanupFails struct{ fixtureMaker }

func (cleanupFails) Cleanup(context.Context) (int, error) {
	return 0, errors.New("connection refused")
}

// A run that could not delete its fixtures fails, whatever its thresholds
// say: it left files on the target.
func TestRun_CleanupFailureFails(t *testing.T) {
	t.Parallel()
	env, _ := fakeEnv(t, newFakeAPI())
	env.fixtures = cleanupFails{env.fixtures}
	o := quickOptions(t, env, scenarioGet)
	o.Rate, o.Duration = perSec(10), 300*time.Millisecond
	r, err := Run(context.Background(), o)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(failed(r.Thresholds)) != 0 || r.Passed() || !slices.ContainsFunc(r.Failures(), func(f string) bool {
		return strings.Contains(f, "fixtures left on the target: ") && strings.Contains(f, "connection refused")
	}) {
		t.Errorf("thresholds broken %v, passed %v, failures %q; want every threshold held, a failure naming the cleanup",
			failed(r.Thresholds), r.Passed(), r.Failures())
	}
}

func TestRun_WrongFileCountsIdentityMismatches(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	api.wrongID = true
	env, _ := fakeEnv(t, api)
	r := mustRun(t, quickOptions(t, env, scenarioGet))
	wantOnlyFailure(t, r, "identity mismatches")
	if r.Counts.IdentityMismatches != 50 || r.Counts.ContractViolations != 0 {
		t.Errorf("counts = %+v; want 50 identity mismatches and no violation", r.Counts)
	}
}

func TestRun_ValidateShare(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	api.badBody = true
	env, _ := fakeEnv(t, api)
	o := quickOptions(t, env, scenarioGet)
	o.Rate = perSec(100)
	o.Validate = Validation(0.25)
	r := mustRun(t, o)
	if c := r.Counts; c.Validated != 25 || c.NotSampled != 75 || c.ContractViolations != 25 {
		t.Errorf("counts = %+v; want 25 checked (all violating), 75 not sampled", c)
	}
	o.Validate = validateOff
	o.ReportDir = t.TempDir()
	r = mustRun(t, o)
	if r.Counts.Validated != 0 || !r.Passed() {
		t.Errorf("validation off: %d checked, failures %v; want none checked and the contract threshold skipped", r.Counts.Validated, r.Failures())
	}
}

func TestRun_DeleteUsesEachFileOnce(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	env, fx := fakeEnv(t, api)
	o := quickOptions(t, env, scenarioDelete)
	o.Warmup = 200 * time.Millisecond
	r := mustRun(t, o)
	if r.Counts.Requests != 50 || r.Counts.Expected != 50 || !r.Passed() {
		t.Errorf("counts %+v, failures %v; want 50 deletes, all 200", r.Counts, r.Failures())
	}
	if f := r.Fixtures; f.Created != 60 || f.DeletedByScenario != 60 || f.CleanedUp != 0 {
		t.Errorf("fixtures %+v; want 60 made (warm-up included), all deleted by the scenario", f)
	}
	if api.count() != 0 || fx.left() != 0 {
		t.Errorf("%d files left on the target, %d tracked", api.count(), fx.left())
	}
}

func TestRun_DeletePoolCapped(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	env, _ := fakeEnv(t, api)
	o := quickOptions(t, env, scenarioDelete)
	o.MaxPool = 10
	r := mustRun(t, o)
	if r.Counts.Requests != 10 || r.Planned != 10 {
		t.Errorf("%d requests (%d planned); want the pool's 10", r.Counts.Requests, r.Planned)
	}
	if !strings.Contains(strings.Join(r.Notes, "\n"), "capped at 10 files") {
		t.Errorf("notes %q do not say the pool was capped", r.Notes)
	}
}

// A ramp cut short by a capped pool asked only for its slow start: the
// requested rate is taken over what was planned, so the generator is not
// said to have fallen behind.
func TestRun_RampCutByThePool(t *testing.T) {
	t.Parallel()
	env, _ := fakeEnv(t, newFakeAPI())
	o := quickOptions(t, env, scenarioDelete)
	o.Rate, o.Ramp, o.Duration, o.MaxPool = Rate{}, Ramp{perSec(10), perSec(400)}, 2*time.Second, 50
	r := mustRun(t, o)
	if r.Counts.Requests != 50 || r.RateRatio < 0.95 || strings.Contains(strings.Join(r.Notes, "\n"), "fell behind") {
		t.Errorf("%d requests, requested %.1f/s, achieved %.1f/s, notes %q; want 50 sent at the rate asked",
			r.Counts.Requests, r.Requested, r.Achieved, r.Notes)
	}
}

// A warm-up never takes the files of a capped pool that the measured
// attack needs: it is cut, or skipped.
func TestRun_WarmupLeavesTheMeasuredAttackItsFiles(t *testing.T) {
	t.Parallel()
	main := attackSpec{rate: perSec(50), duration: time.Second}
	warm := attackSpec{rate: perSec(50), duration: 200 * time.Millisecond}
	for _, tc := range []struct {
		left, want uint64
		note       string
	}{
		{math.MaxUint64, 10, ""}, {60, 10, ""}, {55, 5, "cut to 5 requests (of 10)"}, {50, 0, "skipped"}, {10, 0, "skipped"},
	} {
		got, notes := warmLimit(warm, main, tc.left)
		if got != tc.want || !strings.Contains(strings.Join(notes, ""), tc.note) || (tc.note == "") != (len(notes) == 0) {
			t.Errorf("%d left: warm-up of %d, notes %q; want %d, %q", tc.left, got, notes, tc.want, tc.note)
		}
	}
	env, _ := fakeEnv(t, newFakeAPI())
	o := quickOptions(t, env, scenarioDelete)
	o.MaxPool, o.Warmup = 10, time.Second
	if r := mustRun(t, o); r.Counts.Requests != 10 || r.Counts.Expected != 10 {
		t.Errorf("%d requests, %d as expected; want the pool's 10 all measured (notes %q)", r.Counts.Requests, r.Counts.Expected, r.Notes)
	}
}

func TestRun_LinkAndMixedAreAllValid(t *testing.T) {
	t.Parallel()
	for _, sc := range []string{scenarioLink, scenarioMixed, scenarioGetExternal} {
		t.Run(sc, func(t *testing.T) {
			t.Parallel()
			api := newFakeAPI()
			env, fx := fakeEnv(t, api)
			o := quickOptions(t, env, sc)
			o.Rate = perSec(100)
			o.Warmup = 100 * time.Millisecond
			o.Workers = 4 // a small pool, so files go round several times
			r := mustRun(t, o)
			if c := r.Counts; c.Requests != 100 || c.Expected != 100 || c.Validated != 100 {
				t.Errorf("counts %+v; want 100 requests, all as expected and checked (problems %v)", c, r.Problems)
			}
			ops := map[operation]bool{}
			for _, op := range r.Operations {
				ops[op.Operation] = true
			}
			want := map[string][]operation{
				scenarioLink:        {opLink, opUnlink},
				scenarioMixed:       {opGet, opGetExternal, opLink, opUnlink, opDelete},
				scenarioGetExternal: {opGetExternal},
			}[sc]
			for _, op := range want {
				if !ops[op] {
					t.Errorf("no %s requests; operations %v", op, ops)
				}
			}
			if api.count() != 0 || fx.left() != 0 {
				t.Errorf("%d files left", api.count())
			}
		})
	}
}

// A link run shorter than one pass over its pool (whose files all begin
// linked) still measures link as much as unlink.
func TestRun_ShortLinkRunMeasuresBoth(t *testing.T) {
	t.Parallel()
	env, _ := fakeEnv(t, newFakeAPI())
	r := mustRun(t, quickOptions(t, env, scenarioLink)) // 50 requests; the pool for 50 workers holds 77 files
	n := map[operation]uint64{}
	for _, op := range r.Operations {
		n[op.Operation] = op.Counts.Requests
	}
	if n[opLink] < 20 || n[opUnlink] < 20 || r.Counts.Expected != 50 {
		t.Errorf("link %d, unlink %d, %d expected of 50; want both measured about evenly, all as expected", n[opLink], n[opUnlink], r.Counts.Expected)
	}
}

func TestRun_RampAndWarmup(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	env, _ := fakeEnv(t, api)
	o := quickOptions(t, env, scenarioGet)
	o.Rate = Rate{}
	o.Ramp = Ramp{perSec(20), perSec(60)}
	o.Warmup = 200 * time.Millisecond // at 20/s: 4 requests, not counted
	r := mustRun(t, o)
	if r.Planned != 40 || r.Counts.Requests != 40 {
		t.Errorf("ramp 20/s:60/s over 1s: %d requests of %d planned; want 40", r.Counts.Requests, r.Planned)
	}
	if got := api.gets.Load(); got != 44 {
		t.Errorf("the target saw %d requests; want 40 measured + 4 warm-up", got)
	}
	if r.Ramp != "20/s:60/s" || r.Requested != 40 {
		t.Errorf("report: ramp %q, requested %v/s", r.Ramp, r.Requested)
	}
}

func TestRun_CancelStopsPromptlyAndCleansUp(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	api.delay = 20 * time.Millisecond
	env, fx := fakeEnv(t, api)
	o := quickOptions(t, env, scenarioLink)
	o.Duration = time.Minute
	o.Rate = perSec(100)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for api.requests.Load() < 20 {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	r, err := Run(ctx, o)
	if !errors.Is(err, ErrInterrupted) || r == nil {
		t.Fatalf("Run = %v, %v; want a partial report and ErrInterrupted", r, err)
	}
	if !r.Interrupted || r.Passed() {
		t.Errorf("Interrupted %v, Passed %v; want true, 1", r.Interrupted, r.Passed())
	}
	if r.Counts.Requests >= 1000 {
		t.Errorf("%d requests after cancel of a 6000-request run: did not stop promptly", r.Counts.Requests)
	}
	if api.count() != 0 || fx.left() != 0 || r.Fixtures.CleanedUp != r.Fixtures.Created {
		t.Errorf("after cancel: %d files left on the target; fixtures %+v", api.count(), r.Fixtures)
	}
	if _, err := os.Stat(filepath.Join(r.Dir, reportFile)); err != nil {
		t.Errorf("the partial report was not written: %v", err)
	}
}

func TestRun_RemoteTargetRateLimit(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	env, _ := fakeEnv(t, api)
	env.loopback = false
	o := quickOptions(t, env, scenarioGet)
	o.Rate = perSec(10)
	if _, err := Run(context.Background(), o); !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), "--force") {
		t.Errorf("10/s against a remote target: %v; want a usage error naming --force", err)
	}
	if api.requests.Load() != 0 {
		t.Errorf("%d requests sent after refusing", api.requests.Load())
	}
	o.Rate = Rate{Freq: 5, Per: time.Second} // exactly the documented limit
	o.Duration = 400 * time.Millisecond
	if r := mustRun(t, o); r.Counts.Requests != 2 {
		t.Errorf("5/s for 400ms: %d requests, want 2", r.Counts.Requests)
	}
}

// A target that refuses the key ends the run before the ledger or any
// fixture is made, as a usage error without the key.
func TestRun_PreflightRefusesBeforeFixtures(t *testing.T) {
	t.Parallel()
	const key = "rx_load_preflight_secret_42"
	var uploads atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			uploads.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"statusCode":401,"message":"Invalid API key","error":"Unauthorized"}`))
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	o := Options{Scenario: scenarioGet, Rate: perSec(10), Duration: time.Second, ReportDir: dir,
		Target: config.Target{BaseURL: srv.URL + "/api/v1", APIKey: key, SourceURL: srv.URL + "/a.jpg"}}
	_, err := Run(context.Background(), o)
	if !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), "refused the API key") || strings.Contains(err.Error(), key) {
		t.Errorf("Run: %v; want a usage error saying the key was refused, without the key", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 || uploads.Load() != 0 {
		t.Errorf("%d uploads, report dir %v; want nothing made", uploads.Load(), entries)
	}
}

func TestRun_UsageErrors(t *testing.T) {
	t.Parallel()
	base := Options{Scenario: scenarioGet, Rate: perSec(10), Duration: time.Second, prepared: &preparedTarget{}}
	cases := map[string]func(o *Options){
		"unknown scenario": func(o *Options) { o.Scenario = "put" },
		"no rate":          func(o *Options) { o.Rate = Rate{} },
		"no duration":      func(o *Options) { o.Duration = 0 },
		"no request due":   func(o *Options) { o.Rate, o.Duration = Rate{Freq: 1, Per: time.Minute}, time.Second },
		"bad shard":        func(o *Options) { o.Shard = Shard{4, 3} },
		"bad slo file":     func(o *Options) { o.SLOFile = "/nonexistent/slo.yaml" },
		"bad baseline":     func(o *Options) { o.Baseline = "/nonexistent/load.json" },
	}
	for name, mutate := range cases {
		o := base
		mutate(&o)
		if _, err := Run(context.Background(), o); !errors.Is(err, ErrUsage) {
			t.Errorf("%s: Run error %v; want ErrUsage", name, err)
		}
	}
}

func TestRun_Baseline(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	env, _ := fakeEnv(t, api)
	o := quickOptions(t, env, scenarioGet)
	first := mustRun(t, o)
	firstFile := filepath.Join(first.Dir, reportFile)

	o.Baseline, o.ReportDir = firstFile, t.TempDir()
	api.delay = 10 * time.Millisecond // p95 grows from well under a millisecond to over 10ms
	slow := mustRun(t, o)
	if slow.Baseline == nil || !slow.Baseline.Regressed || slow.Passed() {
		t.Fatalf("baseline %+v, passed %v; want a regression", slow.Baseline, slow.Passed())
	}
	msg := slow.Baseline.Message
	if !strings.Contains(msg, fmtDur(first.Latency.P95)) || !strings.Contains(msg, fmtDur(slow.Latency.P95)) {
		t.Errorf("message %q does not print both p95 figures", msg)
	}

	o.Baseline = filepath.Join(slow.Dir, reportFile)
	o.ReportDir = t.TempDir()
	o.Tolerance = 1 // the same load again: only a doubling of p95 would count, so CI noise cannot fail it
	r := mustRun(t, o)
	if r.Baseline.Regressed {
		t.Errorf("same load against its own baseline regressed: %s", r.Baseline.Message)
	}
	if strings.Contains(strings.Join(r.Notes, "\n"), "another load") {
		t.Errorf("notes %q: the same load said to differ", r.Notes)
	}

	// Another load: compared, with a note that it may not compare.
	o.Rate, o.ReportDir = perSec(20), t.TempDir()
	if r := mustRun(t, o); !strings.Contains(strings.Join(r.Notes, "\n"), "the baseline ran another load: rate 50/s (now 20/s)") {
		t.Errorf("notes %q do not say the baseline ran another load", r.Notes)
	}
}

// A baseline that did not run to its end, or sent nothing, is refused.
func TestRun_BaselineMustBeComplete(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, rep := range map[string]Report{
		"empty.json":       {Scenario: scenarioGet},
		"interrupted.json": {Scenario: scenarioGet, Counts: counts{Requests: 10}, Interrupted: true},
		"aborted.json":     {Scenario: scenarioGet, Counts: counts{Requests: 10}, Aborted: "the target failed"},
	} {
		b, _ := json.Marshal(rep)
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := loadBaseline(path, scenarioGet); !errors.Is(err, ErrUsage) {
			t.Errorf("%s: %v; want a usage error", name, err)
		}
	}
}

// The whole stack: the embedded reference server, fixtures through
// upload-from-url with the ledger, and the real contract validator.
func TestRun_EmbeddedServer(t *testing.T) {
	t.Parallel()
	for _, sc := range Scenarios() {
		t.Run(sc, func(t *testing.T) {
			t.Parallel()
			o := Options{Scenario: sc, Rate: perSec(50), Duration: time.Second, Workers: 8,
				SLOFile: writeSLO(t, lenientSLO), ReportDir: t.TempDir(), RunID: "embedded-" + sc}
			r := mustRun(t, o)
			c := r.Counts
			if c.Requests != 50 || c.Expected != 50 || c.Validated != 50 || c.ContractViolations+c.Drift+c.IdentityMismatches != 0 {
				t.Errorf("counts %+v; want 50 requests, all expected and checked, no findings (problems %v)", c, r.Problems)
			}
			if f := r.Fixtures; f.Created == 0 || f.Created != f.DeletedByScenario+f.CleanedUp || f.CleanupError != "" {
				t.Errorf("fixtures %+v; want every file made deleted", f)
			}
			left, err := runfiles.Outstanding(filepath.Join(o.ReportDir, target.LedgerFile))
			if err != nil || len(left) != 0 {
				t.Errorf("ledger: %d fixtures outstanding (%v)", len(left), err)
			}
			if !r.Passed() {
				t.Errorf("failures %v", r.Failures())
			}
		})
	}
}

package loadtest

import (
	"context"
	"errors"
	"github.com/rentix/mediaharness/internal/syncbuf"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func capacityOptions(t *testing.T, env *preparedTarget) CapacityOptions {
	return CapacityOptions{
		Options:   Options{Scenario: scenarioGet, SLOFile: writeSLO(t, judgeSLO), prepared: env, ReportDir: t.TempDir()},
		Start:     perSec(100),
		Step:      300 * time.Millisecond,
		precision: 0.1,
		MaxSteps:  16,
	}
}

// The searches whose figure a test checks do not run in parallel with the
// package's other tests: on a small CI host those would take the CPU the
// server under test needs, and the figure would be theirs.

func mustCapacity(t *testing.T, co CapacityOptions) *CapacityReport {
	t.Helper()
	rep, err := Capacity(context.Background(), co)
	if err != nil {
		t.Fatalf("Capacity: %v", err)
	}
	var text strings.Builder
	_ = rep.WriteText(&text)
	t.Logf("\n%s", text.String())
	return rep
}

// A server that turns requests away above 400/s: the search climbs 100,
// 150, 225, 338, 506, then bisects to a figure just under 400.
func TestCapacity_SaturatedServerGivesFigure(t *testing.T) {
	api := newFakeAPI()
	api.limit, api.limitCode = newBucket(400), 503
	env, _ := fakeEnv(t, api)
	co := capacityOptions(t, env)
	rep := mustCapacity(t, co)
	if rep.Ending != endSaturated || !rep.Passed() {
		t.Fatalf("ending %s, passed %v; want saturated with a figure (%s)", rep.Ending, rep.Passed(), rep.Reason)
	}
	if rep.Capacity < 300 || rep.Capacity > 450 {
		t.Errorf("capacity %v/s; want about 400/s", rep.Capacity)
	}
	if len(rep.Steps) < 6 || rep.Steps[0].Rate != 100 || rep.Steps[1].Rate != 150 {
		t.Errorf("steps %+v; want a climb from 100/s by 1.5 then bisection", rep.Steps)
	}
	for _, name := range []string{capacityFile, capacityTextFile, sectionFile} {
		if _, err := os.Stat(filepath.Join(rep.Dir, name)); err != nil {
			t.Error(err)
		}
	}
}

// One failed step in the climb is run again; when the repeat passes, the
// climb goes on and the figure is the server's, not the upset's.
func TestCapacity_FailedStepIsConfirmed(t *testing.T) {
	api := newFakeAPI()
	api.limit, api.limitCode = newBucket(400), 503
	api.hiccupFrom, api.hiccupTo = 40, 45 // in the second step (150/s)
	env, _ := fakeEnv(t, api)
	co := capacityOptions(t, env)
	var progress syncbuf.Buffer
	co.Progress = &progress
	rep := mustCapacity(t, co)
	// Each step is printed as it is measured, between the fixture and
	// cleanup phase lines.
	log := progress.String()
	if n := strings.Count(log, "· step "); n != len(rep.Steps) || !strings.Contains(log, "· step 1 climb 100/s: achieved") ||
		!strings.Contains(log, "· step 3 confirm 150/s") ||
		strings.Index(log, "· fixtures:") > strings.Index(log, "· step 1") ||
		strings.Index(log, "· cleanup:") < strings.LastIndex(log, "· step ") {
		t.Errorf("progress log has %d step lines for %d steps, or lacks the phases in order:\n%s", n, len(rep.Steps), log)
	}
	if len(rep.Steps) < 3 || rep.Steps[1].Verdict == stepOK || rep.Steps[2].Phase != "confirm" || rep.Steps[2].Verdict != stepOK {
		t.Fatalf("steps %+v; want the second step failed, then confirmed as passing", rep.Steps)
	}
	if rep.Ending != endSaturated || rep.Capacity < 300 {
		t.Errorf("ending %s, capacity %v; want saturated at about 400/s (%s)", rep.Ending, rep.Capacity, rep.Reason)
	}
}

func TestCapacity_RateLimitedServer(t *testing.T) {
	api := newFakeAPI()
	api.limit, api.limitCode = newBucket(250), 429
	env, _ := fakeEnv(t, api)
	rep := mustCapacity(t, capacityOptions(t, env))
	if rep.Ending != endRateLimited || rep.Capacity < 150 || rep.Capacity > 300 {
		t.Errorf("ending %s, capacity %v; want rate-limited at about 250/s (%s)", rep.Ending, rep.Capacity, rep.Reason)
	}
}

// One worker and a 20ms handler can send 50/s at most; the server meets
// every SLO, so the figure would be the generator's: none is given.
func TestCapacity_GeneratorBoundGivesNoFigure(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	api.delay = 20 * time.Millisecond
	env, _ := fakeEnv(t, api)
	co := capacityOptions(t, env)
	co.Workers = 1
	rep := mustCapacity(t, co)
	if rep.Ending != endGeneratorBound || rep.Capacity != 0 || rep.Passed() {
		t.Fatalf("ending %s, capacity %v, passed %v; want generator-bound, no figure, a failure", rep.Ending, rep.Capacity, rep.Passed())
	}
	if !strings.Contains(rep.Reason, "generator-bound") || !strings.Contains(rep.Reason, "no capacity figure") {
		t.Errorf("reason %q does not say why there is no figure", rep.Reason)
	}
}

func TestCapacity_CeilingAndMixedRefill(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	env, fx := fakeEnv(t, api)
	co := capacityOptions(t, env)
	co.Scenario = scenarioMixed
	co.MaxRate = perSec(225)
	rep := mustCapacity(t, co)
	if rep.Ending != endCeiling || rep.Capacity != 225 || len(rep.Steps) != 3 {
		t.Errorf("ending %s, capacity %v after %d steps; want the 225/s ceiling after 3", rep.Ending, rep.Capacity, len(rep.Steps))
	}
	for _, s := range rep.Steps {
		if s.Verdict != stepOK || s.Success != 1 {
			t.Errorf("step %+v: every request of the mixed blend should be valid", s)
		}
	}
	if api.count() != 0 || fx.left() != 0 {
		t.Errorf("%d files left on the target", api.count())
	}
}

func TestCapacity_Refusals(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	env, _ := fakeEnv(t, api)
	co := capacityOptions(t, env)
	co.Scenario = scenarioDelete
	if _, err := Capacity(context.Background(), co); !errors.Is(err, ErrUsage) {
		t.Errorf("delete: %v; want a usage error", err)
	}
	co = capacityOptions(t, env)
	remote := *env
	remote.loopback = false
	co.prepared = &remote
	if _, err := Capacity(context.Background(), co); !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), "documented limit") {
		t.Errorf("100/s against a remote target: %v; want a usage error about the documented limit", err)
	}
	if api.requests.Load() != 0 {
		t.Errorf("%d requests sent after refusing", api.requests.Load())
	}
	co = capacityOptions(t, env)
	co.Start, co.Step = perSec(5), time.Second // 5 requests: too few to judge
	if _, err := Capacity(context.Background(), co); !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), "too few") {
		t.Errorf("a first step of 5 requests: %v; want a usage error", err)
	}
}

// Against a remote target without --force, no step goes above the
// documented 5/s, whatever the start, factor and rounding, and a lower
// ceiling of the user's stands; a slow start never rounds to no rate.
func TestCapacity_RemoteStepsStayUnderTheLimit(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	env, _ := fakeEnv(t, api)
	remote := *env
	remote.loopback = false
	for _, tc := range []struct {
		start   Rate
		factor  float64
		maxRate Rate
		top     float64
	}{
		{Rate{Freq: 19, Per: time.Minute}, 1.5, Rate{}, remoteRateLimit}, // 0.32/s: 0.48/s next, not 0
		{perSec(2), 1.5, Rate{Freq: 3, Per: time.Second}, 3},
	} {
		co := capacityOptions(t, &remote)
		co.Start, co.Factor, co.MaxRate, co.Step, co.MaxSteps = tc.start, tc.factor, tc.maxRate, 40*time.Second, 3
		sr := &search{co: co.withDefaults(), rep: &CapacityReport{}}
		sr.co.MaxRate = ceiling(sr.co, false)
		var rates []float64
		sr.attack = func(_ context.Context, phase string, rate float64) (string, error) {
			rates = append(rates, rate)
			sr.rep.Steps = append(sr.rep.Steps, capacityStep{Rate: rate})
			return stepOK, nil
		}
		if _, _, _, err := sr.climb(context.Background()); err != nil {
			t.Fatal(err)
		}
		for i, r := range rates {
			if r <= 0 || r > tc.top+1e-9 || (i > 0 && r <= rates[i-1] && r != tc.top) {
				t.Errorf("start %s: steps %v; want each above the last, above 0 and at most %v/s", tc.start, rates, tc.top)
				break
			}
		}
	}
	if got := stepRate(0.48, 0.32); got != 0.48 {
		t.Errorf("stepRate(0.48) = %v; want 0.48", got)
	}
	if got := stepRate(2.4, 2); got != 3 && got != 2.4 {
		t.Errorf("stepRate(2.4 after 2) = %v", got)
	}
	if got := stepRate(10.2, 10); got != 11 {
		t.Errorf("stepRate(10.2 after 10) = %v; want 11: the climb must move", got)
	}
}

func TestJudge(t *testing.T) {
	t.Parallel()
	slo, err := parseSLO([]byte(judgeSLO))
	if err != nil {
		t.Fatal(err)
	}
	rules, _ := slo.forScenario(scenarioGet)
	good := summary{counts: counts{Requests: 100, Expected: 100}, requested: 100, achieved: 100, validated: true,
		latency: latencies{P95: time.Millisecond, P99: time.Millisecond}, service: latencies{P95: time.Millisecond, P99: time.Millisecond}}
	tests := []struct {
		name   string
		change func(s *summary)
		want   string
	}{
		{"all good", func(*summary) {}, stepOK},
		{"429s", func(s *summary) { s.counts.Expected, s.counts.RateLimited = 90, 10 }, string(endRateLimited)},
		{"errors", func(s *summary) { s.counts.Expected, s.counts.Unexpected = 90, 10 }, string(endSaturated)},
		{"slow server", func(s *summary) { s.latency.P95, s.service.P95 = 5*time.Second, 5*time.Second }, string(endSaturated)},
		{"late generator", func(s *summary) { s.latency.P95 = 5 * time.Second }, string(endGeneratorBound)},
		{"rate fell short", func(s *summary) { s.achieved = 50 }, string(endGeneratorBound)},
		{"violations", func(s *summary) { s.counts.ContractViolations = 1 }, string(endSaturated)},
	}
	for _, tt := range tests {
		s := good
		tt.change(&s)
		if got, broken := judge(rules, s); got != tt.want {
			t.Errorf("%s: judge = %s (broken %v), want %s", tt.name, got, broken, tt.want)
		}
	}
}

func TestCapacity_CancelStopsAndCleansUp(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	api.delay = 5 * time.Millisecond
	env, fx := fakeEnv(t, api)
	co := capacityOptions(t, env)
	co.Step = 10 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for api.gets.Load() < 30 {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	rep, err := Capacity(ctx, co)
	if !errors.Is(err, ErrInterrupted) || rep == nil || rep.Ending != endInterrupted || rep.Passed() {
		t.Fatalf("Capacity = %+v, %v; want an interrupted report and ErrInterrupted", rep, err)
	}
	if strings.Contains(err.Error(), "%!") || !strings.Contains(err.Error(), "context canceled") {
		t.Errorf("error %q; want it to say why, readably", err)
	}
	if len(rep.Steps) != 1 || rep.Steps[0].Requests >= 1000 {
		t.Errorf("steps %+v; want one step cut short", rep.Steps)
	}
	if api.count() != 0 || fx.left() != 0 {
		t.Errorf("%d files left on the target", api.count())
	}
}

// modelSLO suits the embedded server modeling 400/s: each answer takes
// its 10ms turn on a worker, and the queue that builds past the capacity
// breaks p50 (which CI noise hardly moves) within a short step.
const modelSLO = `
scenarios:
  default:
    p50: 20ms
    p95: 100ms
    min_success_ratio: 0.999
    max_contract_violations: 0
    max_identity_mismatches: 0
    max_429_share: 0
    min_achieved_rate_ratio: 0.9
`

func embeddedModelOptions(t *testing.T) CapacityOptions {
	return CapacityOptions{
		Options: Options{Scenario: scenarioGet, EmbeddedCapacity: perSec(400), SLOFile: writeSLO(t, modelSLO),
			ReportDir: t.TempDir(), RunID: "capacity-model"},
		Start:     perSec(100),
		Step:      500 * time.Millisecond,
		precision: 0.1,
		MaxSteps:  16,
	}
}

// The whole stack against the embedded server modeling an API that holds
// 400/s: the search saturates it and gives a figure just under the model's.
func TestCapacity_EmbeddedServerGivesFigure(t *testing.T) {
	co := embeddedModelOptions(t)
	rep := mustCapacity(t, co)
	if rep.Ending != endSaturated || !rep.Passed() {
		t.Fatalf("ending %s, passed %v; want saturated with a figure (%s)", rep.Ending, rep.Passed(), rep.Reason)
	}
	if rep.Capacity < 300 || rep.Capacity > 440 {
		t.Errorf("capacity %v/s; want just under the modeled 400/s", rep.Capacity)
	}
	if f := rep.Fixtures; f.Created == 0 || f.CleanedUp != f.Created || f.CleanupError != "" {
		t.Errorf("fixtures %+v; want every file made cleaned up", f)
	}
	if len(rep.Notes) == 0 || !strings.Contains(rep.Notes[0], "models an API that holds 400/s") {
		t.Errorf("notes %q do not say the figure describes the model", rep.Notes)
	}
}

// The same server with a generator of one worker: each request takes at
// least the server's 10ms turn, so the generator sends 100/s at most while
// the server answers in time. The search gives no figure.
func TestCapacity_EmbeddedServerGeneratorBound(t *testing.T) {
	t.Parallel()
	co := embeddedModelOptions(t)
	co.Workers, co.Start = 1, perSec(150)
	rep := mustCapacity(t, co)
	if rep.Ending != endGeneratorBound || rep.Capacity != 0 || rep.Passed() {
		t.Fatalf("ending %s, capacity %v, passed %v; want generator-bound, no figure, a failure", rep.Ending, rep.Capacity, rep.Passed())
	}
}

// scriptedSearch is a search whose steps answer from verdict(rate, try),
// try counting from 0 for each rate.
func scriptedSearch(verdict func(rate float64, try int) ending) *search {
	co := CapacityOptions{Start: perSec(100), precision: 0.05}.withDefaults()
	sr := &search{co: co, rep: &CapacityReport{}}
	tries := map[float64]int{}
	sr.attack = func(_ context.Context, phase string, rate float64) (string, error) {
		v := string(verdict(rate, tries[rate]))
		tries[rate]++
		sr.rep.Steps = append(sr.rep.Steps, capacityStep{Phase: phase, Rate: rate, Achieved: rate, Verdict: v})
		return v, nil
	}
	return sr
}

// above is a verdict: end above limit, ok at or below it.
func above(limit float64, end ending) func(float64, int) ending {
	return func(rate float64, _ int) ending {
		if rate > limit {
			return end
		}
		return stepOK
	}
}

// TestSearch_Decisions: the climb, the confirmation of a failed step, the
// bisection and the endings, on scripted verdicts.
func TestSearch_Decisions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		verdict   func(rate float64, try int) ending
		ending    ending
		low, high float64 // the figure's range
		note      string
	}{
		{"saturated, bisected", above(400, endSaturated), endSaturated, 380, 400, ""},
		{"a failure not confirmed", func(rate float64, try int) ending {
			if rate == 150 && try == 0 {
				return endSaturated
			}
			return above(400, endSaturated)(rate, try)
		}, endSaturated, 380, 400, ""},
		{"rate-limited", above(200, endRateLimited), endRateLimited, 190, 200, ""},
		{"generator-bound in the climb", above(200, endGeneratorBound), endGeneratorBound, 0, 0, ""},
		{"generator-bound while bisecting", func(rate float64, try int) ending {
			if rate > 450 {
				return endSaturated
			}
			return above(400, endGeneratorBound)(rate, try)
		}, endSaturated, 338, 338,
			"the generator fell behind at 423/s, between the last rate met (338/s) and the first that broke the target (507/s)"},
	}
	for _, tt := range tests {
		sr := scriptedSearch(tt.verdict)
		if err := sr.run(context.Background()); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		rep := sr.rep
		if rep.Ending != tt.ending || rep.Capacity < tt.low || rep.Capacity > tt.high {
			t.Errorf("%s: ending %s, capacity %v; want %s, %v to %v (steps %+v)", tt.name, rep.Ending, rep.Capacity, tt.ending, tt.low, tt.high, rep.Steps)
		}
		if got := strings.Join(rep.Notes, "\n"); tt.note != "" && !strings.Contains(got, tt.note) || tt.note == "" && got != "" {
			t.Errorf("%s: notes %q; want %q", tt.name, got, tt.note)
		}
		for i, s := range rep.Steps {
			if s.Verdict != stepOK && s.Phase != "confirm" && (i+1 == len(rep.Steps) || rep.Steps[i+1].Phase != "confirm") {
				t.Errorf("%s: step %d (%v/s) failed and was not run again", tt.name, i+1, s.Rate)
			}
		}
	}
}

// The warm-up of a search sends what it plans at the start rate, no more.
func TestCapacity_WarmupSendsWhatItPlans(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	env, _ := fakeEnv(t, api)
	co := capacityOptions(t, env)
	co.Warmup, co.MaxRate = 300*time.Millisecond, perSec(100) // one step of 30 after 30 warm-up requests
	rep := mustCapacity(t, co)
	if got := api.gets.Load(); got != 60 || len(rep.Steps) != 1 {
		t.Errorf("the target saw %d reads in %d steps; want 30 warm-up + 30 in one step", got, len(rep.Steps))
	}
}

package loadtest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// The breaker trips once, when the failed share of the last 100 requests
// reaches its share, and not before 100 requests are in.
func TestBreaker(t *testing.T) {
	var reasons []string
	b := newBreaker(0.5, func(r string) { reasons = append(reasons, r) })
	ok, bad := &vegeta.Result{Code: 200}, &vegeta.Result{Code: 503}
	for range 60 {
		b.add(bad) // 60 of 60 failed, but the window is not full
	}
	for range 39 {
		b.add(ok)
	}
	if len(reasons) != 0 {
		t.Fatalf("tripped after 99 requests: %q", reasons)
	}
	b.add(ok) // 60 of the last 100
	if len(reasons) != 1 || !strings.HasPrefix(reasons[0], "60 of the last 100 requests failed") {
		t.Fatalf("reasons %q; want one trip at 60 of 100", reasons)
	}
	for range 200 {
		b.add(bad)
	}
	if len(reasons) != 1 {
		t.Errorf("tripped %d times; want once", len(reasons))
	}

	// A window that slides: old failures leave it.
	reasons = nil
	b = newBreaker(0.5, func(r string) { reasons = append(reasons, r) })
	for i := range 1000 {
		r := ok
		if i%3 == 0 || i%7 == 0 {
			r = &vegeta.Result{Code: 0, Error: "connection refused"}
		}
		b.add(r) // about 43% fail: never the half
	}
	if len(reasons) != 0 {
		t.Errorf("tripped below the share: %q", reasons)
	}
	for _, r := range []*vegeta.Result{{Code: 429}, {Code: 0}, {Code: 500}} {
		reasons = nil
		b = newBreaker(1, func(r string) { reasons = append(reasons, r) })
		for range abortWindow {
			b.add(r)
		}
		if len(reasons) != 1 {
			t.Errorf("code %d: a window of nothing else did not trip", r.Code)
		}
	}
	if newBreaker(-1, nil) != nil || newBreaker(0, nil) != nil {
		t.Error("a share of 0 or below should give no breaker")
	}
}

// A target answering 500 to everything: the attack stops after about 100
// requests instead of sending all 400, and the run fails saying why.
func TestRun_FailingTargetStopsTheAttack(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	api.failEvery = 1
	env, _ := fakeEnv(t, api)
	o := quickOptions(t, env, scenarioGet)
	o.Rate, o.Duration = perSec(200), 2*time.Second
	r := mustRun(t, o)
	if r.Aborted == "" || r.Passed() || r.Counts.Requests >= 300 {
		t.Fatalf("aborted %q, passed %v after %d requests; want stopped early, a failure", r.Aborted, r.Passed(), r.Counts.Requests)
	}
	if f := strings.Join(r.Failures(), "; "); !strings.Contains(f, "stopped early: 100 of the last 100 requests failed") {
		t.Errorf("failures %q do not say why the attack stopped", f)
	}
	if html := readFile(t, filepath.Join(r.Dir, plotFile)); !strings.Contains(html, "Result: FAIL") || !strings.Contains(html, "stopped early") {
		t.Error("plot.html does not say the run failed and why")
	}

	o.AbortShare = -1
	o.ReportDir = t.TempDir()
	if r := mustRun(t, o); r.Aborted != "" || r.Counts.Requests != 400 {
		t.Errorf("with the breaker off: aborted %q after %d requests; want all 400", r.Aborted, r.Counts.Requests)
	}
}

// The breaker stops a capacity step too, and the step says so.
func TestCapacity_FailingTargetStopsEachStep(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	api.failEvery = 1
	env, _ := fakeEnv(t, api)
	co := capacityOptions(t, env)
	co.Start, co.Step, co.MaxSteps = perSec(400), time.Second, 2
	rep, err := Capacity(context.Background(), co)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Steps) == 0 || rep.Steps[0].Requests >= 300 || !strings.Contains(strings.Join(rep.Steps[0].Broken, ","), "stopped early") {
		t.Errorf("first step %+v; want it stopped early", rep.Steps)
	}
}

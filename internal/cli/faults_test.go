package cli

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/faultproxy"
	"github.com/rentix/mediaharness/internal/refserver"
	"github.com/rentix/mediaharness/internal/runfiles"
)

// hangDeadline is how long any one invocation may take before the test
// calls it hung. Runs here take seconds; this only catches a hang.
const hangDeadline = 60 * time.Second

// faultCase is one way a target breaks, the per-request timeout to run
// with, and the words a report of it must use.
type faultCase struct {
	mode    faultproxy.Mode
	timeout string
	causes  []string // at least one must name the cause
}

// The timeout is short where the fault is a wait (latency, hang), so the
// runs are quick, yet long enough that a healthy request on a busy test
// machine (race detector, every fault at once) is not cut; elsewhere it is
// long enough that no fault turns into a timeout.
var faultCases = []faultCase{
	{faultproxy.ModeLatency, "1s", []string{"no answer within 1s", "Timeout exceeded", "deadline exceeded"}},
	{faultproxy.ModeReset, "10s", []string{"connection reset", "unexpected EOF"}},
	{faultproxy.ModeTruncate, "10s", []string{"unexpected EOF"}},
	{faultproxy.ModeNonJSON, "10s", []string{"not JSON", "without a JSON object", "invalid character"}},
	{faultproxy.ModeHuge, "10s", []string{"too large"}},
	{faultproxy.ModeHang, "1s", []string{"no answer within 1s", "Timeout exceeded", "deadline exceeded"}},
	{faultproxy.ModeBurst5xx, "10s", []string{"503"}},
}

// brokenTarget is a reference server behind a fault proxy.
type brokenTarget struct {
	up      *upstream
	proxy   *faultproxy.Proxy
	fc      faultCase
	attack  chan struct{} // closed at the first request of a load attack
	attackO sync.Once
}

func startBroken(t *testing.T, fc faultCase) *brokenTarget {
	t.Helper()
	b := &brokenTarget{fc: fc, attack: make(chan struct{})}
	// The harness's own client says who it is; the attack's requests do not.
	b.up = startUpstream(t, refserver.Config{}, func(api http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.UserAgent() != "mediaharness" {
				b.attackO.Do(func() { close(b.attack) })
			}
			api.ServeHTTP(w, r)
		})
	})
	// The latency outlasts the timeout; the huge body the client's cap.
	p, err := faultproxy.Start(faultproxy.Config{Upstream: b.up.http.URL, Latency: 2 * time.Second, HugeBytes: client.MaxBodyBytes + 64<<10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	b.proxy = p
	return b
}

// flags point a command through the proxy, with the case's per-request
// timeout and a whole-run deadline.
func (b *brokenTarget) flags(t *testing.T) []string {
	return append(b.up.targetFlags(t, b.proxy.URL()+"/api/v1"), "--timeout", b.fc.timeout, "--run-deadline", "30s")
}

// settled waits until the proxy has no request in hand: one a client gave
// up on may still reach the server (a slow server finishes what its client
// abandoned), and the server's state is only final after that.
func (b *brokenTarget) settled(t *testing.T) {
	t.Helper()
	waitFor(t, "the proxy to finish its requests", hangDeadline, func() bool { return b.proxy.Stats().Active == 0 })
}

// invoke runs one command and fails the test if it does not end in time.
func invoke(t *testing.T, args ...string) outcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*hangDeadline)
	defer cancel()
	done := make(chan outcome, 1)
	go func() { done <- runCLI(ctx, args...) }()
	select {
	case out := <-done:
		return out
	case <-time.After(hangDeadline):
		t.Fatalf("%v hung: no exit within %v", args, hangDeadline)
		return outcome{}
	}
}

// invokeSwitching runs one command against b and switches the proxy to the
// fault once when says so: the preflight (and what when waits for) sees a
// healthy target, the rest of the run a broken one.
func (b *brokenTarget) invokeSwitching(t *testing.T, when func() bool, args ...string) outcome {
	t.Helper()
	b.proxy.SetMode(faultproxy.ModeNone)
	ctx, cancel := context.WithTimeout(context.Background(), 2*hangDeadline)
	defer cancel()
	done := make(chan outcome, 1)
	go func() { done <- runCLI(ctx, args...) }()
	deadline := time.After(hangDeadline)
	for !when() {
		select {
		case out := <-done:
			t.Fatalf("%v ended before the fault was due: %s", args, out)
		case <-deadline:
			t.Fatalf("%v: the moment for the fault did not come within %v", args, hangDeadline)
		case <-time.After(5 * time.Millisecond):
		}
	}
	b.proxy.SetMode(b.fc.mode)
	select {
	case out := <-done:
		return out
	case <-deadline:
		t.Fatalf("%v hung: no exit within %v", args, hangDeadline)
		return outcome{}
	}
}

// TestBrokenTarget: through each fault of the proxy, conform and load end
// in time with a non-zero exit that names the cause, never panic, leave no
// goroutine behind, and every file left on the server is in the ledger,
// from which a sweep through a healthy path removes it.
func TestBrokenTarget(t *testing.T) {
	// Registered first, so it runs last: after every server is closed. The
	// shared image server, started here if not before, is no leak.
	sourceFlags(t)
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	// The faults run at once, each in its own goroutine rather than as
	// parallel subtests: most of their time is spent waiting out timeouts,
	// which -parallel (the number of CPUs by default) would serialize.
	var wg sync.WaitGroup
	defer wg.Wait()
	for _, fc := range faultCases {
		wg.Go(func() { t.Run(string(fc.mode), func(t *testing.T) { brokenTargetPhases(t, fc) }) })
	}
}

// brokenTargetPhases meets the fault at each point of a run in turn (at
// once they would starve each other of CPU, and healthy requests would
// miss the short timeout).
func brokenTargetPhases(t *testing.T, fc faultCase) {
	t.Run("conform from the start", func(t *testing.T) { conformBrokenAtStart(t, fc) })
	t.Run("conform mid-run", func(t *testing.T) { conformBrokenMidRun(t, fc) })
	t.Run("load from the start", func(t *testing.T) { loadBrokenAtStart(t, fc) })
	t.Run("load making fixtures", func(t *testing.T) { loadBroken(t, fc, makingFixtures) })
	t.Run("load during the attack", func(t *testing.T) { loadBroken(t, fc, duringTheAttack) })
}

// conformBrokenAtStart: the preflight meets the fault, so the run stops as
// a configuration error before it creates anything.
func conformBrokenAtStart(t *testing.T, fc faultCase) {
	brokenAtStart(t, fc, "conform", "--tags", "@isolation")
}

// loadBrokenAtStart: load runs the same preflight.
func loadBrokenAtStart(t *testing.T, fc faultCase) {
	brokenAtStart(t, fc, "load", "--scenario", "get", "--rate", "10/s", "--duration", "1s", "--pool-size", "2")
}

// brokenAtStart runs the command with args against the broken target and
// wants exit 2 in one line naming the preflight's request and the cause,
// and nothing made, on disk or on the server.
func brokenAtStart(t *testing.T, fc faultCase, command string, args ...string) {
	b := startBroken(t, fc)
	b.proxy.SetMode(fc.mode)
	reports := t.TempDir()
	out := invoke(t, append(append([]string{command, "--report-dir", reports}, args...), only(command, b.flags(t))...)...)
	if out.code != ExitUsage {
		t.Fatalf("%s\nwant exit %d: the preflight fails", out, ExitUsage)
	}
	oneLine(t, command, out.stderr, "GET "+b.proxy.URL()+"/api/v1/agency")
	if !mentionsAny(out.stderr, fc.causes) {
		t.Errorf("stderr %q names none of %q", out.stderr, fc.causes)
	}
	emptyDir(t, command, reports)
	b.settled(t)
	if n := b.up.held(); n != 0 {
		t.Errorf("the server holds %d files after a run that tested nothing", n)
	}
}

// conformBrokenMidRun: the fault starts after the first fixture; the
// scenarios fail naming the cause, cleanup through the proxy fails and
// says so, and the ledger lists every file the server still holds.
func conformBrokenMidRun(t *testing.T, fc faultCase) {
	b := startBroken(t, fc)
	reports := t.TempDir()
	args := append([]string{"conform", "--features", shortFeatures(t), "--concurrency", "2", "--report-dir", reports}, b.flags(t)...)
	out := b.invokeSwitching(t, func() bool { return createdIn(ledgerOf(reports)) > 0 }, args...)
	// The scenarios fail (exit 1), or the breaker stops the run because the
	// target keeps failing (exit 3).
	if out.code != ExitFailure && out.code != ExitAborted {
		t.Fatalf("%s\nwant exit %d or %d", out, ExitFailure, ExitAborted)
	}
	s := results(t, reports)
	if s.Totals.Failed == 0 || s.ExitCode != ExitFailure {
		t.Errorf("results.json: %d failed, exit %d; want failures and exit 1", s.Totals.Failed, s.ExitCode)
	}
	text := resultsText(t, reports)
	if !mentionsAny(text, fc.causes) {
		t.Errorf("results.json names none of %q:\n%s", fc.causes, text)
	}
	// --timeout is what cut the requests short where the target stalls.
	if (fc.mode == faultproxy.ModeHang || fc.mode == faultproxy.ModeLatency) && !strings.Contains(text, "no answer within "+fc.timeout) {
		t.Errorf("results.json does not say the requests timed out after --timeout %s", fc.timeout)
	}
	b.checkLeftovers(t, ledgerOf(reports), out)
}

// When a load run meets the fault (past its preflight).
const (
	makingFixtures  = iota // after the first upload: making the fixtures fails
	duringTheAttack        // the attack's first request: the thresholds break
)

// shortFeature is a few scenarios of the real steps, each making a file and
// reading it: small enough to run once per fault.
const shortFeature = `Feature: A short run
  Scenario: a file is read by its id
    Given a ready file "A"
    When I get "A" by id
    Then the response status is 200
    And the answer describes "A"

  Scenario: another agency cannot read a file
    Given a ready file "A"
    When I get "A" by id with another agency's key
    Then the response status is 404

  Scenario: a file is read by its external ID
    Given a ready file "B"
    When I get "B" by external ID
    Then the response status is 200
`

// shortFeatures is a directory holding shortFeature.
func shortFeatures(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "short.feature"), []byte(shortFeature), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// loadBroken runs a short load test and switches the fault on at when.
// Either way the run fails naming the cause.
func loadBroken(t *testing.T, fc faultCase, when int) {
	b := startBroken(t, fc)
	reports := t.TempDir()
	args := append([]string{"load", "--scenario", "get", "--rate", "10/s", "--duration", "1s", "--pool-size", "2", "--report-dir", reports}, only("load", b.flags(t))...)
	var out outcome
	switch when {
	case makingFixtures:
		out = b.invokeSwitching(t, func() bool { return createdIn(ledgerOf(reports)) > 0 }, args...)
	case duringTheAttack:
		out = b.invokeSwitching(t, func() bool {
			select {
			case <-b.attack:
				return true
			default:
				return false
			}
		}, args...)
	}
	// Broken during the attack, the run fails its thresholds (exit 1) or,
	// when the target keeps failing, stops the attack early (exit 3).
	if out.code != ExitFailure && (when != duringTheAttack || out.code != ExitAborted) {
		t.Fatalf("%s\nwant exit 1 (or 3, the attack stopped early, when broken during it)", out)
	}
	if !mentionsAny(out.stdout+out.stderr, fc.causes) {
		t.Errorf("the output names none of %q:\n%s", fc.causes, out)
	}
	b.checkLeftovers(t, ledgerOf(reports), out)
}

// checkLeftovers: every file the server holds is outstanding in the ledger
// (a delete whose answer was lost may leave the ledger listing a file that
// is gone: the ledger may say more, never less); if any is left, the run
// said so; and a sweep through the proxy, healthy again, removes them all.
func (b *brokenTarget) checkLeftovers(t *testing.T, ledger string, run outcome) {
	t.Helper()
	if ledger == "" {
		t.Fatalf("the run left no ledger:\n%s", run)
	}
	b.settled(t)
	out, err := runfiles.Outstanding(ledger)
	if err != nil {
		t.Fatal(err)
	}
	held := b.up.held()
	if listed := b.existing(t, out); listed != held {
		t.Errorf("the server holds %d files, of which the ledger lists %d (outstanding %+v)", held, listed, out)
	}
	if held > 0 && !strings.Contains(run.stderr+run.stdout, "sweep") {
		t.Errorf("%d files are left and the run did not say to sweep:\n%s", held, run)
	}
	// The same target as the run (sweep refuses any other), the fault off.
	b.proxy.SetMode(faultproxy.ModeNone)
	sweep := invoke(t, append([]string{"sweep", "--ledger", ledger}, only("sweep", b.up.targetFlags(t, b.proxy.URL()+"/api/v1"))...)...)
	if sweep.code != ExitOK || b.up.held() != 0 {
		t.Fatalf("sweep: %s\nthe server still holds %d files; want exit 0 and none", sweep, b.up.held())
	}
	if want := "sweep: " + strconv.Itoa(len(out)) + " outstanding"; !strings.Contains(sweep.stdout, want) {
		t.Errorf("sweep output %q does not start with %q", sweep.stdout, want)
	}
	if again, _ := runfiles.Outstanding(ledger); len(again) != 0 {
		t.Errorf("after the sweep the ledger still lists %+v", again)
	}
}

// existing counts the outstanding fixtures the server still holds, asking
// it directly (not through the proxy).
func (b *brokenTarget) existing(t *testing.T, out []runfiles.Fixture) int {
	t.Helper()
	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	c, err := client.New(client.Options{BaseURL: b.up.http.URL + "/api/v1", HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range out {
		path := "/media/external/" + f.ExternalID
		if f.MediaID > 0 {
			path = "/media/" + strconv.FormatInt(f.MediaID, 10)
		}
		resp, err := c.Do(context.Background(), client.Request{Method: http.MethodGet, Path: path, Key: b.up.keyOf(f.Agency)})
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		if resp.Status == http.StatusOK {
			n++
		}
	}
	return n
}

func mentionsAny(text string, words []string) bool {
	for _, w := range words {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

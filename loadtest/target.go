package loadtest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/contract"
	"github.com/rentix/mediaharness/internal/fixtures"
	"github.com/rentix/mediaharness/internal/preflight"
	"github.com/rentix/mediaharness/internal/refserver"
	"github.com/rentix/mediaharness/internal/rundir"
	"github.com/rentix/mediaharness/openapi"
)

// LedgerFile is the fixture ledger in the run directory, shared with the
// conformance suite, so `mediaharness sweep` finds load fixtures too.
const LedgerFile = "ledger.jsonl"

// Tuning of fixture creation.
const (
	verdictCache     = 4096            // contract verdicts remembered
	remoteFixtureRPS = 4.0             // pace of fixture calls to a remote target without --max-rps
	optimizeDeadline = 2 * time.Minute // per file
)

// buildEnv prepares Options.Target: the embedded reference server when no
// base URL is given (with a rate limit no load test reaches), the contract
// validator, and a fixture maker over internal/fixtures with its ledger.
func buildEnv(ctx context.Context, o Options) (env *Env, err error) {
	t := o.Target
	if err := t.Validate(); err != nil {
		return nil, usagef("%v", err)
	}
	doc, err := openapi.Load()
	if err != nil {
		return nil, err
	}
	checker, err := contract.New(doc, contract.WithCache(verdictCache))
	if err != nil {
		return nil, err
	}
	var closers closeList
	defer func() {
		if err != nil {
			closers.run()
		}
	}()
	base := t.BaseURL
	var notes []string
	if t.Embedded() {
		capacity := o.EmbeddedCapacity.PerSecond()
		srv, err := refserver.Listen(refserver.Config{RateLimit: math.MaxInt32, Capacity: capacity})
		if err != nil {
			return nil, fmt.Errorf("embedded %w", err)
		}
		closers.add(srv.Close)
		t, base = t.WithKeys(srv.Target().Keys()), srv.BaseURL
		if capacity > 0 {
			notes = append(notes, fmt.Sprintf("the embedded server models an API that holds %s and queues the rest "+
				"(--embedded-capacity); its figures describe that model, not the server's own speed", o.EmbeddedCapacity))
		}
	}
	src, err := sourceFor(t, &closers)
	if err != nil {
		return nil, err
	}
	c, err := fixtureClient(t, base, checker)
	if err != nil {
		return nil, err
	}
	// A target this run did not start must be there and take the key
	// before the ledger or any fixture is made.
	if !t.Embedded() {
		if err := preflight.Check(ctx, c, t.APIKey); err != nil {
			return nil, usagef("%v", err)
		}
	}
	fx, err := newManagerFixtures(o, t, c, src, &closers)
	if err != nil {
		return nil, err
	}
	return &Env{
		BaseURL:  base,
		Header:   http.Header{"Authorization": {"ApiKey " + t.APIKey}},
		Checker:  checker,
		Fixtures: fx,
		Loopback: t.IsLoopback(),
		Close:    closers.run,
		Notes:    notes,
		Secrets:  t.Secrets(),
	}, nil
}

// closeList runs cleanups in reverse order, once.
type closeList struct {
	mu  sync.Mutex
	fns []func()
}

func (c *closeList) add(f func()) { c.mu.Lock(); c.fns = append(c.fns, f); c.mu.Unlock() }

func (c *closeList) run() {
	c.mu.Lock()
	fns := c.fns
	c.fns = nil
	c.mu.Unlock()
	for i := len(fns) - 1; i >= 0; i-- {
		fns[i]()
	}
}

// sourceFor is the image the target uploads fixtures from: the configured
// one, else (loopback targets only) a small image served here, which the
// target optimizes in milliseconds, so large pools are quick to make.
func sourceFor(t config.Target, closers *closeList) (string, error) {
	if t.SourceURL != "" {
		return t.SourceURL, nil
	}
	if !t.IsLoopback() {
		return "", usagef("load scenarios against a remote target need --source-url: an image the target can download to make fixtures")
	}
	s, err := startSource()
	if err != nil {
		return "", err
	}
	closers.add(s.close)
	return s.url, nil
}

// managerFixtures makes pools through internal/fixtures: upload-from-url
// with run-scoped external IDs, recorded in the ledger before each call.
type managerFixtures struct {
	mgr      *fixtures.Manager
	source   string
	parallel int
}

// fixtureClient is the validating client that makes and deletes fixtures,
// paced under the documented limit against a remote target.
func fixtureClient(t config.Target, base string, checker *contract.Validator) (*client.Client, error) {
	rps := t.MaxRPS
	if rps == 0 && !t.IsLoopback() {
		rps = remoteFixtureRPS
	}
	return client.New(client.Options{BaseURL: base, Validator: checker, Secrets: t.Secrets(), MaxRPS: rps, Timeout: t.Timeout})
}

func newManagerFixtures(o Options, t config.Target, c *client.Client, src string, closers *closeList) (*managerFixtures, error) {
	ledger, err := openLedger(o, closers)
	if err != nil {
		return nil, err
	}
	parallel := 8
	if !t.IsLoopback() {
		parallel = 2
	}
	return &managerFixtures{
		mgr:      fixtures.NewManager(c, ledger, t.Keys(), fixturePrefix(o)),
		source:   src,
		parallel: parallel,
	}, nil
}

// openLedger opens the run directory's ledger; without a run directory a
// temporary one keeps the fixtures traceable while the run lasts.
func openLedger(o Options, closers *closeList) (*fixtures.Ledger, error) {
	dir := o.ReportDir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "mediaharness-load-")
		if err != nil {
			return nil, err
		}
		closers.add(func() { _ = os.RemoveAll(tmp) })
		dir = tmp
	}
	l, err := fixtures.OpenLedger(filepath.Join(dir, LedgerFile), runID(o))
	if err != nil {
		return nil, err
	}
	closers.add(func() { _ = l.Close() })
	if !o.Target.Embedded() {
		if err := l.RecordTarget(o.Target.Place()); err != nil {
			return nil, err
		}
	}
	return l, nil
}

func runID(o Options) string {
	switch {
	case o.RunID != "":
		return o.RunID
	case o.ReportDir != "":
		return filepath.Base(o.ReportDir)
	}
	return rundir.NewRunID()
}

// fixturePrefix scopes external IDs to the run, scenario and shard, so
// shards never share a file: "mh-<run>-load-get-s2of3".
func fixturePrefix(o Options) string {
	p := "mh-" + runID(o) + "-load-" + o.Scenario
	if o.Shard.Active() {
		p += "-" + o.Shard.tag()
	}
	return p
}

// Create uploads n files, a few at a time, and waits for each to be
// optimized. On error the files made so far stay with the manager, whose
// Cleanup deletes them.
func (m *managerFixtures) Create(ctx context.Context, n int) ([]Fixture, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make([]Fixture, n)
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(m.parallel, n) {
		wg.Go(func() {
			for i := range next {
				if out[i], errs[i] = m.one(ctx); errs[i] != nil {
					cancel()
				}
			}
		})
	}
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, firstError(err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func (m *managerFixtures) one(ctx context.Context) (Fixture, error) {
	f, err := m.mgr.Upload(ctx, config.Primary, m.source)
	if err != nil {
		return Fixture{}, err
	}
	final, _, err := m.mgr.WaitOptimization(ctx, config.Primary, f.MediaID, time.Now().Add(optimizeDeadline))
	if err != nil {
		return Fixture{}, err
	}
	if final != fixtures.OptimizationSuccess {
		return Fixture{}, fmt.Errorf("media %d (%s): optimization ended %q, want success", f.MediaID, f.ExternalID, final)
	}
	return Fixture{ID: f.MediaID, ExternalID: f.ExternalID}, nil
}

func (m *managerFixtures) Deleted(f Fixture) { m.mgr.Deleted(config.Primary, f.ID) }

func (m *managerFixtures) Cleanup(ctx context.Context) (int, error) { return m.mgr.Cleanup(ctx) }

// firstError keeps the first of many joined errors (a pool of a thousand
// failing the same way would otherwise print a thousand lines).
func firstError(err error) error {
	var j interface{ Unwrap() []error }
	if errors.As(err, &j) {
		for _, e := range j.Unwrap() {
			if e != nil && !errors.Is(e, context.Canceled) {
				return e
			}
		}
	}
	return err
}

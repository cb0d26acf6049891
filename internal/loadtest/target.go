package loadtest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/rundir"
	"github.com/rentix/mediaharness/internal/runfiles"
	"github.com/rentix/mediaharness/internal/target"
	"github.com/rentix/mediaharness/internal/usage"
)

// Tuning of fixture creation.
const (
	verdictCache     = 4096            // contract verdicts remembered
	optimizeDeadline = 2 * time.Minute // per file
)

// prepareTarget prepares Options.Target through a target session: the embedded
// reference server when no base URL is given (with a rate limit no load
// test reaches), the contract validator, and a fixture maker with its
// ledger.
func prepareTarget(ctx context.Context, o Options) (*preparedTarget, error) {
	t := o.Target
	if err := t.Validate(); err != nil {
		return nil, usagef("%v", err)
	}
	if err := target.CheckFaults(t, o.Faults); err != nil {
		return nil, usage.Wrap(err)
	}
	if t.SourceURL == "" && !t.Embedded() && !t.IsLoopback() {
		return nil, usagef("load scenarios against a remote target need --source-url: an image the target can download to make fixtures")
	}
	// One run ID for the ledger and the fixtures' external IDs, so a sweep
	// of the ledger recognises the run's files (runID makes a new one each
	// call when nothing names the run).
	o.RunID = runID(o)
	capacity := o.EmbeddedCapacity.PerSecond()
	sess, err := target.Open(ctx, target.Options{
		Target:       t,
		Embedded:     target.Embedded{Unlimited: true, Capacity: capacity, Faults: o.Faults},
		VerdictCache: verdictCache,
		Client:       target.ClientOptions{MaxRPS: target.LoopbackPace(t)},
		// A target this run did not start must be there and take the key
		// before the ledger or any fixture is made.
		Preflight: !t.Embedded(),
		Run:       &target.RunOptions{Dir: o.ReportDir, ID: o.RunID},
	})
	if err != nil {
		return nil, err // a failed preflight is a usage error already
	}
	var notes []string
	if sess.Started && capacity > 0 {
		notes = append(notes, fmt.Sprintf("the embedded server models an API that holds %s and queues the rest "+
			"(--embedded-capacity); its figures describe that model, not the server's own speed", o.EmbeddedCapacity))
	}
	parallel := 8
	if !sess.Target.IsLoopback() {
		parallel = 2
	}
	mgr, err := sess.Fixtures(sess.Client, fixturePrefix(o))
	if err != nil {
		sess.Close()
		return nil, err
	}
	return &preparedTarget{
		baseURL:  sess.BaseURL,
		header:   attackHeader(sess.Target),
		checker:  sess.Validator,
		fixtures: &managerFixtures{mgr: mgr, source: cmp.Or(sess.Sources.Small, sess.Sources.JPEG), parallel: parallel},
		loopback: sess.Target.IsLoopback(),
		close:    sess.Close,
		notes:    notes,
		secrets:  sess.Target.Secrets(),
	}, nil
}

// managerFixtures makes pools through internal/runfiles: upload-from-url
// with run-scoped external IDs, recorded in the ledger before each call.
type managerFixtures struct {
	mgr      *runfiles.Manager
	source   string
	parallel int
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
	if o.Shard.active() {
		p += "-" + o.Shard.tag()
	}
	return p
}

// Create uploads n files, a few at a time, and waits for each to be
// optimized. On error the files made so far stay with the manager, whose
// Cleanup deletes them.
func (m *managerFixtures) Create(ctx context.Context, n int) ([]fixture, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make([]fixture, n)
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

func (m *managerFixtures) one(ctx context.Context) (fixture, error) {
	f, err := m.mgr.Upload(ctx, config.Primary, m.source)
	if err != nil {
		return fixture{}, err
	}
	final, _, err := m.mgr.WaitOptimization(ctx, config.Primary, f.MediaID, time.Now().Add(optimizeDeadline))
	if err != nil {
		return fixture{}, err
	}
	if final != runfiles.OptimizationSuccess {
		return fixture{}, fmt.Errorf("media %d (%s): optimization ended %q, want success", f.MediaID, f.ExternalID, final)
	}
	return fixture{ID: f.MediaID, ExternalID: f.ExternalID}, nil
}

func (m *managerFixtures) Deleted(f fixture) { m.mgr.Deleted(config.Primary, f.ID) }

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

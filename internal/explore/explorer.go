package explore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
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

// LedgerFile is the fixture ledger's name in the run directory.
const LedgerFile = "ledger.jsonl"

// The embedded server's settings, as conform's: the documented allowance
// over a shorter window, and an optimization quick enough to finish within
// a run.
const (
	embeddedOptimizeDelay = 20 * time.Millisecond
	embeddedRateWindow    = 5 * time.Second
)

// errBudget: the run spent its request budget.
var errBudget = errors.New("request budget spent")

// explorer holds one run's resources and what it found.
type explorer struct {
	o       Options
	doc     *contractDoc
	target  config.Target
	base    string
	c       *client.Client
	mgr     *fixtures.Manager
	ledger  *fixtures.Ledger
	dir     string
	source  string // an image URL the target can download
	prefix  string // of every external ID the run makes
	rng     *rand.Rand
	closers []func()

	fix          fileSet // the files the input phase works on
	findings     []Finding
	table        *classTable
	traffic      *traffic
	requests     int // sent before cleanup
	start        int // requests the client had sent before the run (a slice shares it)
	sequences    []sequenceRecord
	interruption string
	cleanupErr   error
}

// open starts the embedded server if needed and makes the client, the run
// directory, the ledger and the fixtures manager.
func open(ctx context.Context, o Options) (*explorer, error) {
	e := &explorer{o: o, target: o.Target, base: o.Target.BaseURL, table: newClassTable(),
		rng: newRand(o.Seed), prefix: "mh-" + o.RunID}
	if err := e.openAll(ctx); err != nil {
		e.close()
		return nil, errors.New(e.redact(err.Error()))
	}
	return e, nil
}

func (e *explorer) openAll(ctx context.Context) error {
	spec, err := loadSpec(e.o.SpecFile)
	if err != nil {
		return err
	}
	e.doc = newContractDoc(spec)
	validator, err := contract.New(spec)
	if err != nil {
		return err
	}
	if err := e.openTarget(); err != nil {
		return err
	}
	e.traffic = newTraffic(validator.Operations())
	e.c, err = client.New(client.Options{BaseURL: e.base, Validator: validator, Secrets: e.target.Secrets(),
		MaxRPS: maxRPS(e.target), Timeout: e.target.Timeout, Observe: e.traffic.observe})
	if err != nil {
		return err
	}
	if err := preflight.Check(ctx, e.c, e.target.APIKey); err != nil {
		return err
	}
	return e.openRun()
}

func loadSpec(path string) (*openapiDoc, error) {
	if path == "" {
		return openapi.Load()
	}
	return openapi.LoadFile(path)
}

func (e *explorer) openTarget() error {
	if e.target.Embedded() {
		srv, err := refserver.Listen(refserver.Config{OptimizeDelay: embeddedOptimizeDelay,
			RateWindow: embeddedRateWindow, Faults: e.o.Faults})
		if err != nil {
			return fmt.Errorf("embedded %w", err)
		}
		e.closers = append(e.closers, srv.Close)
		e.target, e.base = e.target.WithKeys(srv.Target().Keys()), srv.BaseURL
	}
	if e.target.SourceURL != "" || !e.target.IsLoopback() {
		e.source = e.target.SourceURL
		if e.source == "" {
			return errors.New("--source-url (or RENTIX_SOURCE_URL) is required for a remote target: explore uploads files")
		}
		return nil
	}
	src, err := fixtures.StartSources()
	if err != nil {
		return fmt.Errorf("image source server: %w", err)
	}
	e.closers = append(e.closers, func() { _ = src.Close() })
	e.source = src.SmallURL
	return nil
}

func (e *explorer) openRun() error {
	dir, err := rundir.Create(e.o.ReportDir, e.o.RunID)
	if err != nil {
		return err
	}
	e.dir = dir
	e.ledger, err = fixtures.OpenLedger(filepath.Join(dir, LedgerFile), e.o.RunID)
	if err != nil {
		return err
	}
	e.closers = append(e.closers, func() { _ = e.ledger.Close() })
	e.mgr = fixtures.NewManager(e.c, e.ledger, e.target.Keys(), e.prefix)
	return nil
}

// maxRPS is the pace: as configured, else unpaced for the embedded server
// and DefaultRemoteRPS for anything else.
func maxRPS(t config.Target) float64 {
	switch {
	case t.MaxRPS > 0:
		return t.MaxRPS
	case t.Embedded():
		return 0
	}
	return DefaultRemoteRPS
}

func (e *explorer) close() {
	for i := len(e.closers) - 1; i >= 0; i-- {
		e.closers[i]()
	}
	e.closers = nil
}

// cleanup deletes every file the run left, on its own deadline.
func (e *explorer) cleanup() {
	if e.mgr == nil {
		return
	}
	e.requests = e.spent()
	if _, err := e.mgr.Cleanup(context.Background()); err != nil {
		e.cleanupErr = errors.New(e.redact(strings.Join(strings.Fields(err.Error()), " ")))
		fmt.Fprintf(e.o.Stderr, "warning: fixture cleanup incomplete: %s\n  delete what is left with: mediaharness sweep --ledger %s (and the target flags)\n",
			e.cleanupErr, filepath.Join(e.dir, LedgerFile))
	}
}

// redact removes every key from s.
func (e *explorer) redact(s string) string {
	for _, k := range e.target.Secrets() {
		if k != "" {
			s = strings.ReplaceAll(s, k, "[REDACTED]")
		}
	}
	return s
}

// key is the API key of an agency label.
func (e *explorer) key(agency string) string { return e.target.Keys()[agency] }

// spent is the number of requests sent so far.
func (e *explorer) spent() int { return int(e.c.Stats().Requests) }

// left is what remains of the budget.
func (e *explorer) left() int { return e.o.Budget - (e.spent() - e.start) }

// send sends one request within the budget. A contract error comes back
// with its response; only a request that got no answer has no response.
func (e *explorer) send(ctx context.Context, agency string, r client.Request) (*client.Response, error) {
	if e.left() <= 0 {
		return nil, errBudget
	}
	if r.Key == "" && agency != "" {
		r.Key = e.key(agency)
	}
	return e.c.Do(ctx, r)
}

// fail records a finding and prints its first line.
func (e *explorer) fail(f Finding) {
	f.Message = e.redact(f.Message)
	e.findings = append(e.findings, f)
	fmt.Fprintf(e.o.Stdout, "  ✗ %s · %s · %s: %s\n", f.Operation, f.Class, f.Input, firstLine(f.Message))
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// ok is the contract's 2xx.
func ok(status int) bool { return status >= 200 && status < 300 }

// newRand is the run's one random source: the seed decides everything.
func newRand(seed int64) *rand.Rand { return rand.New(rand.NewPCG(uint64(seed), 0x6d68)) }

package explore

import (
	"cmp"
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
	"github.com/rentix/mediaharness/internal/redact"
	"github.com/rentix/mediaharness/internal/report"
	"github.com/rentix/mediaharness/internal/runfiles"
	"github.com/rentix/mediaharness/internal/target"
	"github.com/rentix/mediaharness/openapi"
)

// errBudget: the run spent its request budget.
var errBudget = errors.New("request budget spent")

// explorer holds one run's resources and what it found.
type explorer struct {
	o       Options
	doc     *contractDoc
	sess    *target.Session
	target  config.Target
	base    string
	c       *client.Client
	mgr     *runfiles.Manager
	dir     string
	source  string // an image URL the target can download
	prefix  string // of every external ID the run makes
	rng     *rand.Rand
	closers []func()

	fix          fileSet // the files the input phase works on
	findings     []Finding
	table        *classTable
	traffic      *report.Observed
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
	e.traffic = report.NewObserved(validator.Operations())
	e.sess, err = target.Open(ctx, target.Options{
		Target: e.o.Target, Embedded: target.Quick(e.o.Faults), Validator: validator,
		Client:    target.ClientOptions{MaxRPS: target.Pace(e.o.Target), Observe: e.observe},
		Preflight: true,
		Run:       &target.RunOptions{ReportDir: e.o.ReportDir, ID: e.o.RunID},
	})
	if err != nil {
		return err
	}
	e.closers = append(e.closers, e.sess.Close)
	e.target, e.base, e.c, e.dir = e.sess.Target, e.sess.BaseURL, e.sess.Client, e.sess.Dir
	// Any image will do: the small one optimizes quickest.
	e.source = cmp.Or(e.sess.Sources.Small, e.sess.Sources.JPEG)
	if e.source == "" {
		return errors.New("--source-url (or RENTIX_SOURCE_URL) is required for a remote target: explore uploads files")
	}
	e.mgr, err = e.sess.Fixtures(e.c, e.prefix)
	return err
}

func loadSpec(path string) (*openapiDoc, error) {
	if path == "" {
		return openapi.Load()
	}
	return openapi.LoadFile(path)
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
	began := time.Now()
	e.phase("cleanup: deleting the files left (%d created)", e.mgr.Created())
	n, err := e.mgr.Cleanup(context.Background())
	e.phase("cleanup: %d deleted in %s", n, time.Since(began).Round(100*time.Millisecond))
	if err != nil {
		e.cleanupErr = errors.New(e.redact(strings.Join(strings.Fields(err.Error()), " ")))
		fmt.Fprintf(e.o.Stderr, "warning: fixture cleanup incomplete: %s\n  delete what is left with: mediaharness sweep --ledger %s (and the target flags)\n",
			e.cleanupErr, filepath.Join(e.dir, target.LedgerFile))
	}
}

// phase prints what the run is doing, a line each, as conform and load do
// (a CI log shows where a long run is).
func (e *explorer) phase(format string, args ...any) {
	fmt.Fprintf(e.o.Stdout, "· "+format+"\n", args...)
}

// redact removes every secret of the target from s, in every form.
func (e *explorer) redact(s string) string {
	if e.sess != nil && e.sess.Redactor != nil {
		return e.sess.Redactor.String(s)
	}
	return redact.New(e.target.Secrets()...).String(s)
}

// observe counts every exchange for the coverage table and drift.
func (e *explorer) observe(r *client.Response) { e.traffic.Add(r.Operation, r.Status, r.Drift()) }

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

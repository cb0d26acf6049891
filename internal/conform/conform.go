// Package conform runs the conformance suite against a target: it checks
// the configuration, starts the embedded reference server when no target is
// given, runs the Gherkin features through godog, always cleans up the
// fixtures it made, and writes the run's reports to reports/<run-id>/.
package conform

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/contract"
	"github.com/rentix/mediaharness/internal/report"
	"github.com/rentix/mediaharness/internal/runfiles"
	"github.com/rentix/mediaharness/internal/target"
	"github.com/rentix/mediaharness/internal/usage"
	"github.com/rentix/mediaharness/openapi"
	"github.com/rentix/mediaharness/steps"
)

// Result is what a run found. Summary holds every detail (results.json).
type Result struct {
	RunID   string
	Dir     string // the run's report directory
	Verdict report.Verdict

	Passed, Failed, Skipped              int
	DocumentedFailures, InferredFailures int
	Regressions, KnownFailures, Fixed    int // with a baseline
	Drift                                int // distinct pieces of drift

	FixturesCreated, FixturesDeleted int
	CleanupError                     error // fixtures that may be left on the target

	Requests, RateLimitWaits int
	Duration                 time.Duration
	Interrupted              bool

	Summary report.Summary
}

// Run checks o, runs the suite and writes the reports. An error means the
// run could not start or its reports could not be written (a configuration
// or usage problem, exit 2); failures of the target are in the Result.
func Run(ctx context.Context, o Options) (*Result, error) {
	return run(ctx, o, suiteFor(o.FeaturesDir))
}

// runner holds one run's resources. close releases them in reverse order
// of creation, so fixtures are cleaned up before the server goes away.
type runner struct {
	o         Options
	su        suite
	validator *contract.Validator
	baseline  *report.Summary

	sess    *target.Session
	red     redactor
	traffic *report.Observed
	client  *client.Client
	burst   *client.Client // unpaced, for the scenarios that spend a rate limit
	dir     string
	mgr     *runfiles.Manager
	rec     *recorder
	closers []func()

	cleanOnce  sync.Once
	cleanupErr error

	// deadline ends the run (preflight and scenarios); cleanup gets
	// CleanupGrace past it. Zero: none.
	deadline time.Time
	// breaker stops the scenarios when the target keeps refusing.
	breaker *client.Breaker
	stopMu  sync.Mutex
	stop    context.CancelCauseFunc // ends the scenarios; nil outside them
}

// CleanupGrace is how long past the run deadline the fixture cleanup may
// take.
const CleanupGrace = 30 * time.Second

func run(ctx context.Context, o Options, su suite) (*Result, error) {
	r := &runner{o: o.withDefaults(), su: su}
	r.red = newRedactor(r.o.Target.Secrets())
	defer r.close()
	if err := r.setUp(ctx); err != nil {
		return nil, r.usage(err)
	}
	started := time.Now()
	why, err := r.runSuite(ctx)
	r.cleanup()
	if err != nil {
		return nil, r.usage(err)
	}
	s := r.summarize(started, why)
	if err := r.writeReports(s); err != nil {
		return nil, r.usage(err)
	}
	r.printSummary(s)
	return newResult(s, r.dir, r.cleanupErr), nil
}

// usage is err, redacted, as the usage error it is: the run could not be
// set up or reported, so its verdict means nothing.
func (r *runner) usage(err error) error { return usage.Wrap(errors.New(r.red.String(err.Error()))) }

func (r *runner) close() {
	for i := len(r.closers) - 1; i >= 0; i-- {
		r.closers[i]()
	}
	r.closers = nil
}

// setUp checks everything that can be checked before the run, then builds
// the target, the client, the run directory and the fixtures manager.
func (r *runner) setUp(ctx context.Context) error {
	if err := r.prepare(); err != nil {
		return err
	}
	// The deadline starts with the first request to the target: what came
	// before (the spec, the step check) is local.
	if r.o.RunDeadline > 0 {
		r.deadline = time.Now().Add(r.o.RunDeadline)
	}
	return r.openTarget(ctx)
}

// prepare validates the options and loads what they point at: the spec,
// the baseline and the selected scenarios. Every problem is reported.
func (r *runner) prepare() error {
	errs := []error{r.o.validate()}
	doc, err := loadSpec(r.o.SpecFile)
	if err == nil {
		r.validator, err = contract.New(doc)
	}
	errs = append(errs, err)
	if r.o.Baseline != "" {
		r.baseline, err = report.LoadResults(r.o.Baseline)
		errs = append(errs, wrapIf(err, "--baseline"))
	}
	if checkTags(r.o.Tags) == nil && checkFeaturesDir(r.o.FeaturesDir) == nil {
		errs = append(errs, r.checkSuite())
	}
	return errors.Join(errs...)
}

// checkSuite makes sure the selected scenarios parse, exist, and use only
// steps the harness defines, so a typo in a feature file is a configuration
// error rather than a failure of the target.
func (r *runner) checkSuite() error {
	n, err := r.su.selected(r.o.Tags)
	switch {
	case err != nil:
		return err
	case n == 0 && strings.TrimSpace(r.o.Tags) == "":
		return fmt.Errorf("--features %q: no scenario in its .feature files", r.o.FeaturesDir)
	case n == 0:
		return fmt.Errorf("--tags %q selects no scenario", r.o.Tags)
	}
	undefined, err := r.su.undefinedSteps(r.o.Tags)
	if err != nil {
		return err
	}
	if len(undefined) > 0 {
		return undefinedError(undefined)
	}
	return nil
}

func loadSpec(path string) (*openapi3.T, error) {
	if path == "" {
		return openapi.Load()
	}
	return openapi.LoadFile(path)
}

func wrapIf(err error, what string) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}

// openTarget prepares the target session (the embedded server when no
// base URL is given, the clients, the preflight check, the run directory,
// its ledger and the image sources), then the fixtures manager. Cleanup is
// registered last, so it runs first on close.
func (r *runner) openTarget(ctx context.Context) error {
	r.traffic = report.NewObserved(r.validator.Operations())
	r.breaker = &client.Breaker{OnTrip: r.stopScenarios}
	ctx, cancel := r.withDeadline(ctx)
	defer cancel()
	sess, err := target.Open(ctx, target.Options{
		Target: r.o.Target, Embedded: target.Quick(r.o.Faults), Validator: r.validator,
		Client:    r.clientOptions(target.Pace(r.o.Target), r.breaker),
		Preflight: true,
		Run:       &target.RunOptions{ReportDir: r.o.ReportDir, ID: r.o.RunID},
		Extra:     target.Sources{PNG: r.o.Sources.PNG, Small: r.o.Sources.File},
	})
	if err != nil {
		if !r.deadline.IsZero() && ctx.Err() != nil || errors.Is(err, client.ErrWaitPastDeadline) {
			return fmt.Errorf("%w (the run deadline of %v passed in the preflight)", err, r.o.RunDeadline)
		}
		return err
	}
	r.sess = sess
	r.closers = append(r.closers, sess.Close)
	r.client, r.dir = sess.Client, sess.Dir
	r.red = newRedactor(sess.Target.Secrets())
	if r.burst, err = sess.NewClient(r.clientOptions(0, nil)); err != nil {
		return err
	}
	if r.mgr, err = sess.Fixtures(r.client, "mh-"+r.o.RunID); err != nil {
		return err
	}
	r.closers = append(r.closers, r.cleanup)
	return nil
}

// withDeadline bounds ctx by the run deadline, if there is one.
func (r *runner) withDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if r.deadline.IsZero() {
		return ctx, func() {}
	}
	return context.WithDeadline(ctx, r.deadline)
}

// clientOptions are those of a client of the run: every exchange observed
// for coverage and drift, long waits announced. The client of the
// scenarios and fixtures has the run's breaker; the burst client, which
// spends rate limits on purpose, has none.
func (r *runner) clientOptions(rps float64, b *client.Breaker) target.ClientOptions {
	return target.ClientOptions{
		MaxRPS: rps, Strict: r.o.Strict, Observe: r.observe,
		Waiting: r.announce,
		Breaker: b,
	}
}

// observe counts every exchange of the run for coverage and drift.
func (r *runner) observe(resp *client.Response) {
	r.traffic.Add(resp.Operation, resp.Status, resp.Drift())
}

// announce prints a line about a long wait, so that it is never silent.
func (r *runner) announce(line string) { fmt.Fprintln(r.o.Stderr, r.red.String(line)) }

// stopScenarios ends the scenarios because the target keeps refusing.
func (r *runner) stopScenarios(e *client.RefusingError) {
	fmt.Fprintf(r.o.Stderr, "stopping the run: %s\n", r.red.String(e.Error()))
	r.stopMu.Lock()
	defer r.stopMu.Unlock()
	if r.stop != nil {
		r.stop(e)
	}
}

// cleanup deletes every fixture left; it runs once, on its own deadline,
// even after the run's context was cancelled.
func (r *runner) cleanup() {
	r.cleanOnce.Do(func() {
		if r.mgr == nil {
			return
		}
		if !r.deadline.IsZero() {
			r.mgr.CleanupTimeout = max(time.Until(r.deadline.Add(CleanupGrace)), time.Second)
		}
		began := time.Now()
		fmt.Fprintf(r.o.Stdout, "· cleanup: deleting the fixtures left (%d created)\n", r.mgr.Created())
		n, err := r.mgr.Cleanup(context.Background())
		fmt.Fprintf(r.o.Stdout, "· cleanup: %d deleted in %s\n", n, time.Since(began).Round(100*time.Millisecond))
		if err != nil {
			r.cleanupErr = errors.New(r.red.String(oneLine(err.Error())))
			problems := splitJoined(err)
			fmt.Fprintf(r.o.Stderr, "warning: fixture cleanup incomplete (%d failed; all in %s), the first: %s\n"+
				"  delete what is left with: mediaharness sweep --ledger %s (and the target flags)\n",
				len(problems), ResultsFile, r.red.String(oneLine(problems[0].Error())), filepath.Join(r.dir, target.LedgerFile))
		}
	})
}

// splitJoined lists the errors errors.Join put together (err itself if it
// is a single one).
func splitJoined(err error) []error {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok || len(j.Unwrap()) == 0 {
		return []error{err}
	}
	return j.Unwrap()
}

// runSuite runs the scenarios until they end or ctx (or the run deadline)
// stops them. It returns why the run stopped early ("" if it did not); an
// error means godog could not run the suite at all.
func (r *runner) runSuite(ctx context.Context) (string, error) {
	stopCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	r.stopMu.Lock()
	r.stop = stop
	r.stopMu.Unlock()
	defer func() {
		r.stopMu.Lock()
		r.stop = nil
		r.stopMu.Unlock()
	}()
	runCtx, cancel := r.withDeadline(stopCtx)
	defer cancel()
	why := func() string { return r.interruption(ctx, runCtx) }
	r.rec = newRecorder(r.o.Stdout, why)
	fmt.Fprintf(r.o.Stdout, "· running the scenarios against %s, %d at a time (. passed  F failed  - skipped, one a step)\n",
		r.sess.Describe(), r.o.Concurrency)
	defer r.watchProgress(time.Now())()
	if _, err := r.su.run(runCtx, "mediaharness "+r.o.RunID, r.o, r.rec, r.env(), r.dir); err != nil {
		return "", err
	}
	return why(), nil
}

// statusEvery is how often a run that does not print to a terminal says
// how far it is.
const statusEvery = 15 * time.Second

// watchProgress starts the status lines when stdout is not a terminal; the
// returned func stops them.
func (r *runner) watchProgress(began time.Time) func() {
	if isTerminal(r.o.Stdout) {
		return func() {}
	}
	total, _ := r.su.selected(r.o.Tags)
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		r.rec.watch(statusEvery, func() string { return r.status(began, total) }, stop)
	}()
	return func() { close(stop); <-done }
}

// status is one line on how far the run is.
func (r *runner) status(began time.Time, total int) string {
	ended, failed := r.rec.done()
	st := r.client.Stats()
	return fmt.Sprintf("%s: %d of %d scenarios done, %d failed · %d requests, %d rate-limit waits",
		time.Since(began).Round(time.Second), ended, total, failed, st.Requests, st.RateLimitWaits)
}

// isTerminal reports whether w is a terminal; a file, a pipe or a buffer
// is not.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// interruption says why runCtx ended, "" while it has not.
func (r *runner) interruption(parent, runCtx context.Context) string {
	switch {
	case runCtx.Err() == nil:
		return ""
	case parent.Err() != nil:
		return "the run was cancelled (interrupt or termination)"
	}
	var refusing *client.RefusingError
	if errors.As(context.Cause(runCtx), &refusing) {
		return "stopped: " + r.red.String(refusing.Error())
	}
	return fmt.Sprintf("the run deadline of %v passed", r.o.RunDeadline)
}

func (r *runner) env() *steps.Resources {
	return &steps.Resources{
		Client:                  r.client,
		Fixtures:                r.mgr,
		Keys:                    r.sess.Target.Keys(),
		JPEGURL:                 r.sess.Sources.JPEG,
		PNGURL:                  r.sess.Sources.PNG,
		FileURL:                 r.sess.Sources.Small,
		NotImageURL:             r.sess.Sources.NotImage,
		PollTimeout:             pollTimeout(r.sess.Target),
		RateLimitRecoverTimeout: rateLimitRecoverTimeout,
		RateLimitClient:         r.burst,
		RateLimitBudget:         r.o.RateLimitBudget,
		Waiting:                 r.announce,
		Storage:                 &http.Client{Transport: r.sess.Transport(), Timeout: requestTimeout(r.sess.Target)},
	}
}

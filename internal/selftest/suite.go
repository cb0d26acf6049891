package selftest

import (
	"context"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/rentix/mediaharness/internal/conform"
)

// suiteDeadline bounds one conformance run: the clean suite takes seconds,
// so only a fault that makes the suite hang comes near it.
const suiteDeadline = 5 * time.Minute

// runSuite runs the conformance suite against the embedded reference
// server, clean or with one fault, into mutation/<name>/. A fault's run
// stops at its first failed step: the scenarios not yet started are
// skipped, and fixtures are cleaned up as after an interrupt. With
// o.EveryScenario it runs to the end instead, everyScenarioConcurrency
// scenarios at once.
func (t *tester) runSuite(ctx context.Context, name string) SuiteResult {
	o := conform.Options{
		Concurrency: 1,
		ReportDir:   t.runs,
		RunID:       name,
		Stdout:      io.Discard,
		Stderr:      io.Discard,
		RunDeadline: suiteDeadline,
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	switch {
	case name == CleanRun:
	case t.o.EveryScenario:
		o.Faults = []string{name}
		o.Concurrency = everyScenarioConcurrency
	default:
		o.Faults = []string{name}
		o.Stdout = &stopAtFailure{cancel: cancel}
	}
	res, err := conform.Run(runCtx, o)
	switch {
	case ctx.Err() != nil: // the self-test itself was interrupted
		return SuiteResult{NotRun: true}
	case err != nil:
		return SuiteResult{Refused: oneLine(err.Error())}
	}
	s := suiteResult(res)
	if name == CleanRun && t.o.EveryScenario {
		for _, sc := range res.Summary.Scenarios() {
			s.Scenarios = append(s.Scenarios, sc.ID)
		}
	}
	return s
}

// everyScenarioConcurrency is how many scenarios a fault's suite runs at
// once when it runs to the end (Options.EveryScenario).
const everyScenarioConcurrency = 4

// stopAtFailure reads conform's progress, one mark a step written on its
// own ("." passed, "-" skipped; "F" failed, "U" undefined, "P" pending, "A"
// ambiguous), and cancels the run at the first failure. The run then skips
// every scenario not yet started, as after an interrupt.
type stopAtFailure struct {
	once   sync.Once
	cancel context.CancelFunc
}

func (w *stopAtFailure) Write(p []byte) (int, error) {
	if len(p) == 1 && strings.IndexByte("FUPA", p[0]) >= 0 {
		w.once.Do(w.cancel)
	}
	return len(p), nil
}

// suiteResult keeps what the table needs from a conformance run: every
// failed scenario, not only the first.
func suiteResult(res *conform.Result) SuiteResult {
	s := SuiteResult{Dir: res.Dir, Passed: res.Passed, Failed: res.Failed, Skipped: res.Skipped}
	for _, sc := range res.Summary.Failures() {
		s.Failures = append(s.Failures, Catch{Scenario: sc.ID, Reason: reason(sc.Failure)})
	}
	if e := res.Summary.Fixtures.CleanupError; e != "" {
		s.Failures = append(s.Failures, Catch{Scenario: "fixture cleanup", Reason: oneLine(e)})
	}
	if why := res.Summary.Interruption; why != "" && len(s.Failures) == 0 {
		// Not stopped by a failure: the run deadline passed, a hang.
		s.Failures = append(s.Failures, Catch{Scenario: "the run", Reason: "stopped early: " + why})
	}
	return s
}

// oneLine folds multi-line error text into one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Package explore finds what no hand-written scenario names. From the
// OpenAPI contract it generates valid and invalid inputs for every
// operation (boundary ids, reserved URL characters, non-ASCII and RTL text,
// surrounding whitespace, control characters, wrong JSON types, missing and
// extra fields) and checks every answer: never a 5xx, a status of the class
// the input belongs to, a body that conforms, and external IDs that
// round-trip exactly. Then it runs random sequences of operations across two
// agencies against a model of the API, compares after every step and
// shrinks a failing sequence to the shortest that still fails.
//
// A run is reproducible: one seed decides every input and sequence, in a
// deterministic order. It spends at most Options.Budget requests (cleanup
// aside), paced like every other run, and every file it makes goes through
// the fixture ledger and is deleted at the end.
//
// Example:
//
//	res, err := explore.Run(ctx, explore.Options{Seed: 1, Budget: 400})
//	if err != nil { ... } // a configuration problem: exit 2
//	if !res.Passed() { os.Exit(1) }
package explore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rentix/mediaharness/internal/report"
	"github.com/rentix/mediaharness/internal/usage"
)

// Result is what a run found; Summary is written as results.json.
type Result struct {
	RunID    string
	Dir      string
	Seed     int64
	Requests int
	Findings []Finding
	Duration time.Duration
	Summary  report.Summary
}

// Passed reports whether nothing was found and the run was not interrupted.
func (r *Result) Passed() bool { return r.Summary.Verdict.Passed() }

// Run checks o, explores the target and writes the reports. An error means
// the run could not start or its reports could not be written.
func Run(ctx context.Context, o Options) (*Result, error) {
	o = o.withDefaults()
	if err := o.validate(); err != nil {
		return nil, usage.Wrap(err)
	}
	e, err := open(ctx, o)
	if err != nil {
		return nil, usage.Wrap(err)
	}
	defer e.close()
	started := time.Now()
	e.explore(ctx)
	e.cleanup()
	res := e.result(started)
	if err := e.writeReports(res); err != nil {
		return nil, usage.Wrap(errors.New(e.redact(err.Error())))
	}
	e.printSummary(res)
	return res, nil
}

// explore runs the input phase, then the sequences, until the budget or
// ctx ends.
func (e *explorer) explore(ctx context.Context) {
	e.phase("exploring %s with seed %d, a budget of %d requests", e.describe(), e.o.Seed, e.o.Budget)
	e.phase("fixtures: uploading the files exploring needs and waiting until each is optimized")
	if err := e.prepareFixtures(ctx); err != nil {
		e.fail(Finding{Group: "setup", Operation: "uploadFromUrl", Class: "valid",
			Message: "could not make the files exploring needs: " + e.redact(err.Error())})
		return
	}
	if !e.o.NoInputs {
		e.phase("inputs: generated from the contract, %d requests left", e.left())
		e.exploreInputs(ctx)
	}
	e.phase("sequences: checked against the model, %d requests left, %d finding(s) so far", e.left(), len(e.findings))
	e.exploreSequences(ctx)
	if ctx.Err() != nil {
		e.interruption = fmt.Sprintf("stopped early: %v", context.Cause(ctx))
	}
}

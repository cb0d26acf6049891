package selftest

import (
	"context"
	"io"

	"github.com/rentix/mediaharness/internal/explore"
	"github.com/rentix/mediaharness/internal/target"
)

// exploreMode is target.CaughtBy's name for faults explore catches.
const exploreMode = "explore"

// exploreRunsDir holds the explore runs: mutation/explore/<fault>/.
const exploreRunsDir = "explore"

// runExplore runs explore with its default budget and seed against the
// embedded reference server, clean or with one fault, into
// mutation/explore/<name>/, and reads its findings as a suite result.
func (t *tester) runExplore(ctx context.Context, name string) SuiteResult {
	o := explore.Options{ReportDir: t.runs + "/" + exploreRunsDir, RunID: name, Stdout: io.Discard, Stderr: io.Discard}
	if name != CleanRun {
		o.Faults = []string{name}
	}
	res, err := explore.Run(ctx, o)
	switch {
	case ctx.Err() != nil:
		return SuiteResult{NotRun: true}
	case err != nil:
		return SuiteResult{Refused: oneLine(err.Error())}
	}
	s := SuiteResult{Dir: res.Dir}
	for _, sc := range res.Summary.Scenarios() {
		switch {
		case sc.Failure != nil:
			s.Failed++
		default:
			s.Passed++
		}
	}
	for _, f := range res.Findings {
		s.Failures = append(s.Failures, Catch{Scenario: "explore » " + f.Operation + " · " + f.Class + " · " + f.Input,
			Reason: oneLine(firstLineOf(f.Message))})
	}
	return s
}

func firstLineOf(s string) string {
	for i := range len(s) {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}

// exploreCatches reports whether explore is the mode that catches fault.
func exploreCatches(fault string) bool { return target.CaughtBy(fault) == exploreMode }

// mergeExplore adds explore's findings on the clean server to the clean
// suite's: either is a false alarm.
func mergeExplore(s, e SuiteResult) SuiteResult {
	s.Failures = append(s.Failures, e.Failures...)
	s.Failed += e.Failed
	if s.Refused == "" {
		s.Refused = e.Refused
	}
	return s
}

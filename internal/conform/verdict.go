package conform

import (
	"github.com/rentix/mediaharness/internal/report"
)

// policy decides which failures count toward the exit code.
type policy struct {
	warnInferred    bool // inferred failures are warnings
	onlyRegressions bool // known failures (in the baseline) do not count
	strict          bool // drift fails the run
}

func (p policy) counts(sc report.Scenario) bool {
	switch {
	case sc.Status != report.Failed:
		return false
	case sc.Inferred && p.warnInferred:
		return false
	case p.onlyRegressions && sc.Baseline == "known":
		return false
	}
	return true
}

// judge fills in the totals, which failures count, the verdict and the exit
// code. Exit 1 for any counted failure, drift under strict, an interrupted
// run (it did not check everything), or fixtures cleanup could not delete
// (they are on the target still; the ledger lists them); else 0.
func (p policy) judge(s *report.Summary) {
	t := report.Totals{}
	for fi := range s.Features {
		for si := range s.Features[fi].Scenarios {
			sc := &s.Features[fi].Scenarios[si]
			sc.Counted = p.counts(*sc)
			t.Add(*sc)
		}
	}
	s.Totals = t
	switch {
	case s.Interruption != "":
		s.SetVerdict(report.Interrupted)
	case t.Counted > 0 || (p.strict && len(s.Drift) > 0) || s.Fixtures.CleanupError != "":
		s.SetVerdict(report.Fail)
	case t.Failed > 0:
		s.SetVerdict(report.PassWarned)
	default:
		s.SetVerdict(report.Pass)
	}
}

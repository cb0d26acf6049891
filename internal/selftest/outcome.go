package selftest

import (
	"fmt"

	"github.com/rentix/mediaharness/internal/report"
)

// Outcome is what testing one server found: the clean one, or one with a
// fault switched on.
type Outcome struct {
	Fault    string          `json:"fault"` // CleanRun for the clean server
	Area     string          `json:"area,omitempty"`
	LoadOnly bool            `json:"loadOnly,omitempty"`
	Suite    SuiteResult     `json:"suite"`
	Load     *LoadResult     `json:"load,omitempty"` // the clean server and load-only faults
	Duration report.Duration `json:"duration"`
}

// Failed reports whether the suite or the load probe found something wrong:
// for a fault, that it was caught; for the clean server, a false alarm.
func (o Outcome) Failed() bool { return o.Suite.failed() || o.Load.failed() }

// CaughtBy lists what failed: scenarios first, then broken thresholds.
func (o Outcome) CaughtBy() []string {
	var by []string
	if o.Suite.Refused != "" {
		by = append(by, "the suite refused to start: "+o.Suite.Refused)
	}
	for _, c := range o.Suite.Failures {
		by = append(by, c.Scenario+" — "+c.Reason)
	}
	if o.Load != nil {
		for _, f := range o.Load.Failures {
			by = append(by, "load "+o.Load.Scenario+": "+f)
		}
		if o.Load.Error != "" {
			by = append(by, "load "+o.Load.Scenario+": "+o.Load.Error)
		}
	}
	return by
}

// SuiteResult is one conformance run against the server.
type SuiteResult struct {
	Dir     string `json:"dir,omitempty"` // its reports
	Passed  int    `json:"passed"`
	Failed  int    `json:"failed"`
	Skipped int    `json:"skipped"`
	// Failures are the failed scenarios, in feature-file order.
	Failures []Catch `json:"failures,omitempty"`
	// Refused: the run did not start its scenarios, e.g. because the target
	// refused the key in the preflight check.
	Refused string `json:"refused,omitempty"`
	// NotRun: the self-test was interrupted before this run.
	NotRun bool `json:"notRun,omitempty"`
	// Scenarios lists the ID of every scenario of the run (feature »
	// scenario; each row of an outline on its own). Only the clean run
	// keeps it, and only with Options.EveryScenario: it is the universe of
	// Result.Unbroken.
	Scenarios []string `json:"scenarios,omitempty"`
}

func (s SuiteResult) failed() bool { return s.Refused != "" || len(s.Failures) > 0 }

// first names the first thing that failed, for the progress line.
func (s SuiteResult) first() string {
	if s.Refused != "" {
		return "refused: " + s.Refused
	}
	if len(s.Failures) > 0 {
		return s.Failures[0].Scenario
	}
	return ""
}

// Catch is a failed scenario and why it failed, in one line.
type Catch struct {
	Scenario string `json:"scenario"` // feature file » scenario name
	Reason   string `json:"reason"`
}

// LoadResult is one short load run against the server.
type LoadResult struct {
	Scenario string   `json:"scenario"`
	Rate     string   `json:"rate"`
	Dir      string   `json:"dir,omitempty"`
	Failures []string `json:"failures,omitempty"` // broken thresholds
	Error    string   `json:"error,omitempty"`    // the run did not complete
}

func (l *LoadResult) failed() bool { return l != nil && (len(l.Failures) > 0 || l.Error != "") }

// Result is a whole self-test.
type Result struct {
	RunID string `json:"runId"`
	Dir   string `json:"-"`
	Fast  bool   `json:"fast"` // the fast subset
	// EveryScenario: each fault's suite ran to the end (Options.EveryScenario).
	EveryScenario bool            `json:"everyScenario,omitempty"`
	Clean         Outcome         `json:"clean"`
	Faults        []Outcome       `json:"faults"`
	Duration      report.Duration `json:"duration"`
	Interrupted   bool            `json:"interrupted,omitempty"`
}

// Score is how many of the tested faults were caught.
func (r *Result) Score() (caught, total int) {
	for _, o := range r.Faults {
		if o.Failed() {
			caught++
		}
	}
	return caught, len(r.Faults)
}

// Missed lists the faults that were tested and that nothing caught.
func (r *Result) Missed() []string {
	return r.faultsWhere(func(o Outcome) bool { return !o.Failed() && !o.Suite.NotRun })
}

// NotRun lists the faults an interrupted self-test did not reach.
func (r *Result) NotRun() []string {
	return r.faultsWhere(func(o Outcome) bool { return !o.Failed() && o.Suite.NotRun })
}

func (r *Result) faultsWhere(keep func(Outcome) bool) []string {
	var out []string
	for _, o := range r.Faults {
		if keep(o) {
			out = append(out, o.Fault)
		}
	}
	return out
}

// Passed: the clean server passed, every fault was caught, and the run
// was not interrupted.
func (r *Result) Passed() bool {
	caught, total := r.Score()
	return !r.Interrupted && !r.Clean.Failed() && caught == total
}

// Unbroken lists the scenarios of the clean run that no fault's suite made
// fail, in the clean run's order, and how many scenarios that run had. It
// means something only when every fault's suite ran to the end
// (EveryScenario). Failures that name no scenario of the clean run (fixture
// cleanup, a run stopped by its deadline) break nothing.
func (r *Result) Unbroken() (unbroken []string, total int) {
	return unbrokenScenarios(r.Clean.Suite.Scenarios, r.Faults)
}

func unbrokenScenarios(universe []string, faults []Outcome) ([]string, int) {
	broken := map[string]bool{}
	for _, o := range faults {
		for _, c := range o.Suite.Failures {
			broken[c.Scenario] = true
		}
	}
	unbroken := []string{}
	for _, id := range universe {
		if !broken[id] {
			unbroken = append(unbroken, id)
		}
	}
	return unbroken, len(universe)
}

// BrokenLine is the summary line of an EveryScenario run.
func (r *Result) BrokenLine() string {
	unbroken, total := r.Unbroken()
	return fmt.Sprintf("scenarios broken by at least one fault: %d of %d", total-len(unbroken), total)
}

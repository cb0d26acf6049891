// Package report renders the results of a conformance or explore run:
// results.json,
// a Markdown summary for CI job pages, coverage and drift JSON, and one
// self-contained HTML page. The writers are pure functions over a Summary,
// so every report can be rebuilt offline from a saved results.json.
package report

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/rentix/mediaharness/internal/contract"
)

// Version is the version of the results.json layout.
const Version = 1

// Status of one scenario.
type Status string

// Scenario statuses. Undefined, pending and ambiguous steps fail a run
// (strict mode), so they are reported as failed with the reason in Failure.
const (
	Passed  Status = "passed"
	Failed  Status = "failed"
	Skipped Status = "skipped"
)

// Verdict of a whole run.
type Verdict string

// Verdicts.
const (
	Pass        Verdict = "pass"
	PassWarned  Verdict = "pass-with-warnings" // only failures that do not count (inferred in warn mode, known ones)
	Fail        Verdict = "fail"
	Interrupted Verdict = "interrupted"
)

// Passed reports whether the verdict lets the run pass.
func (v Verdict) Passed() bool { return v == Pass || v == PassWarned }

// SetVerdict records the verdict, and in ExitCode what it means for the
// process: 0 when it passed, 1 when not (results.json's readers need not
// know the verdicts).
func (s *Summary) SetVerdict(v Verdict) {
	s.Verdict, s.ExitCode = v, 1
	if v.Passed() {
		s.ExitCode = 0
	}
}

// Summary is everything a run found; results.json is this value.
type Summary struct {
	Version int    `json:"version"`
	RunID   string `json:"runId"`
	// Kind is KindExploration for an explore run, "" for conformance.
	Kind      string    `json:"kind,omitempty"`
	Target    string    `json:"target"` // base URL, or a description of the embedded server
	Tags      string    `json:"tags,omitempty"`
	Inferred  string    `json:"inferred"` // "fail" or "warn"
	Strict    bool      `json:"strict"`
	StartedAt time.Time `json:"startedAt"`
	Duration  Duration  `json:"duration"`
	Verdict   Verdict   `json:"verdict"`
	ExitCode  int       `json:"exitCode"`
	// Interruption says why the run stopped early ("" when it ran to the end).
	Interruption string `json:"interruption,omitempty"`

	Totals   Totals              `json:"totals"`
	Baseline *BaselineDiff       `json:"baseline,omitempty"`
	Fixtures Fixtures            `json:"fixtures"`
	Traffic  Traffic             `json:"traffic"`
	Features []Feature           `json:"features"`
	Coverage []OperationCoverage `json:"coverage"`
	Drift    []DriftItem         `json:"drift"`
	// Explored is what an explore run exercised (nil for conformance).
	Explored *Exploration `json:"explored,omitempty"`
}

// Totals counts scenarios. Failed = DocumentedFailures + InferredFailures.
// Counted is the number of failures that decide the exit code.
type Totals struct {
	Scenarios          int `json:"scenarios"`
	Passed             int `json:"passed"`
	Failed             int `json:"failed"`
	Skipped            int `json:"skipped"`
	DocumentedFailures int `json:"documentedFailures"`
	InferredFailures   int `json:"inferredFailures"`
	Counted            int `json:"countedFailures"`
}

// Add counts one scenario.
func (t *Totals) Add(sc Scenario) {
	t.Scenarios++
	switch sc.Status {
	case Passed:
		t.Passed++
	case Failed:
		t.Failed++
		if sc.Inferred {
			t.InferredFailures++
		} else {
			t.DocumentedFailures++
		}
		if sc.Counted {
			t.Counted++
		}
	default:
		t.Skipped++
	}
}

// BaselineDiff compares the failures of this run with a previous one.
// The lists hold scenario IDs (Scenario.ID).
type BaselineDiff struct {
	From        string   `json:"from"`        // the baseline's run ID or path
	Regressions []string `json:"regressions"` // fail now, did not fail then
	Known       []string `json:"known"`       // fail now and failed then
	Fixed       []string `json:"fixed"`       // failed then, pass now
}

// Fixtures the run created on the target and what cleanup did with them.
type Fixtures struct {
	Created      int    `json:"created"`
	Deleted      int    `json:"deleted"`
	CleanupError string `json:"cleanupError,omitempty"`
	Ledger       string `json:"ledger,omitempty"` // file name of the ledger in the run dir
}

// Traffic counts the HTTP exchanges of the run.
type Traffic struct {
	Requests       int `json:"requests"`
	RateLimitWaits int `json:"rateLimitWaits"`
	Retries        int `json:"retries"`
}

// Feature is one feature file and its scenarios, in file order.
type Feature struct {
	Name      string     `json:"name"`
	URI       string     `json:"uri"`
	Scenarios []Scenario `json:"scenarios"`
}

// Scenario is the result of one scenario (one row of an outline).
type Scenario struct {
	// ID names the scenario across runs: "<feature uri> » <name>", with " #n"
	// added when an outline repeats a name. Baselines match on it.
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	URI      string   `json:"uri"` // the feature file
	Line     int      `json:"line"`
	Tags     []string `json:"tags,omitempty"`
	Status   Status   `json:"status"`
	Duration Duration `json:"duration"`
	// Inferred marks a failure that rests on our reading of the docs, not on
	// the docs: the scenario is tagged @inferred, or it failed only on
	// contract rules marked x-inferred.
	Inferred bool     `json:"inferred,omitempty"`
	Failure  *Failure `json:"failure,omitempty"`
	// Skip says why a skipped scenario did not run.
	Skip *Skip `json:"skip,omitempty"`
	// Baseline is "new" or "known" for a failure when a baseline was given.
	Baseline string `json:"baseline,omitempty"`
	// Counted: this failure decides the exit code (false for warnings).
	Counted bool `json:"counted,omitempty"`
}

// OperationCoverage lists, for one operation of the contract, the statuses
// it documents and the ones the run received.
type OperationCoverage struct {
	Operation    string `json:"operation"`
	Method       string `json:"method"`
	Path         string `json:"path"`
	Documented   []int  `json:"documented"`
	Received     []int  `json:"received"`     // documented statuses seen
	Undocumented []int  `json:"undocumented"` // statuses seen that the contract does not list
}

// DriftItem is one distinct piece of drift (something the contract does not
// mention) and how often it was seen.
type DriftItem struct {
	Operation string        `json:"operation"`
	Status    int           `json:"status,omitempty"`
	Rule      contract.Rule `json:"rule"`
	Pointer   string        `json:"pointer,omitempty"`
	Message   string        `json:"message"`
	Count     int           `json:"count"`
}

// Duration is a time.Duration written as "1.5s" in JSON.
type Duration time.Duration

// MarshalJSON writes the duration as a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads a Go duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration: %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration: %w", err)
	}
	*d = Duration(v)
	return nil
}

// String rounds to what a reader cares about: ms under a second, else 0.1s.
// MarshalJSON keeps the exact value.
func (d Duration) String() string {
	v := time.Duration(d)
	if v > 0 && v < time.Millisecond {
		return "<1ms"
	}
	if v < time.Second {
		return v.Round(time.Millisecond).String()
	}
	return v.Round(100 * time.Millisecond).String()
}

// Scenarios returns every scenario of every feature, in report order.
func (s Summary) Scenarios() []Scenario {
	var all []Scenario
	for _, f := range s.Features {
		all = append(all, f.Scenarios...)
	}
	return all
}

// Failures returns the failed scenarios, in report order.
func (s Summary) Failures() []Scenario {
	var out []Scenario
	for _, sc := range s.Scenarios() {
		if sc.Status == Failed {
			out = append(out, sc)
		}
	}
	return out
}

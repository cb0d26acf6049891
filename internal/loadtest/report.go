package loadtest

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"github.com/tsenart/vegeta/v12/lib/plot"
)

// Report is the outcome of one load run (or of merged shards). It is written
// as load.json, which later runs compare with (--baseline) and Merge reads.
type Report struct {
	Scenario string    `json:"scenario"`
	RunID    string    `json:"runId,omitempty"`
	Shard    Shard     `json:"shard"`
	Shards   int       `json:"shards,omitempty"` // shards merged into this report
	Target   string    `json:"target"`
	Started  time.Time `json:"started"`

	Rate       string        `json:"rate,omitempty"`
	Ramp       string        `json:"ramp,omitempty"`
	Duration   time.Duration `json:"duration"`
	Warmup     time.Duration `json:"warmup,omitempty"`
	Validation string        `json:"validation"`

	Requested float64 `json:"requestedRate"` // mean rate asked for
	Achieved  float64 `json:"achievedRate"`  // measured over the span of send times
	RateRatio float64 `json:"rateRatio"`
	Planned   uint64  `json:"plannedRequests"`

	Latency latencies `json:"latency"`        // from the scheduled send time: what the thresholds use
	Service latencies `json:"serviceLatency"` // Vegeta's, from the actual send time
	SendLag latencies `json:"sendLag"`        // actual send time minus scheduled send time

	Counts     counts           `json:"counts"`
	Operations []operationStats `json:"operations"`
	// Timeline is the attack second by second (not kept by a merge).
	Timeline []timePoint `json:"timeline,omitempty"`
	Problems []problem   `json:"problems,omitempty"`

	SLOSource  string            `json:"sloSource"`
	Thresholds []thresholdResult `json:"thresholds"`
	Baseline   *baselineResult   `json:"baseline,omitempty"`

	Fixtures    fixtureSummary `json:"fixtures"`
	Notes       []string       `json:"notes,omitempty"`
	Interrupted bool           `json:"interrupted,omitempty"`
	// Aborted says why the attack was stopped early: the target was failing.
	Aborted string `json:"aborted,omitempty"`
	// MissingShards counts the shards of the run a merge did not have: the
	// load it judges is less than was planned.
	MissingShards int `json:"missingShards,omitempty"`

	// Schedules rebuild the due time of each saved result (one per shard).
	Schedules []scheduleSpec `json:"schedules"`

	Dir   string   `json:"-"` // where the files went; "" when none were written
	Files []string `json:"files,omitempty"`

	metrics    vegeta.Metrics // Vegeta's own view, for the text report
	hist       vegeta.Histogram
	mergedPlot *plot.Plot
}

// Passed reports whether every threshold held, the baseline comparison (if
// any) found no regression and the run was not interrupted.
func (r *Report) Passed() bool {
	if r.Interrupted || r.Aborted != "" || r.MissingShards > 0 || r.Fixtures.CleanupError != "" || len(failed(r.Thresholds)) > 0 {
		return false
	}
	return r.Baseline == nil || !r.Baseline.Regressed
}

// Failures names what failed, one line each.
func (r *Report) Failures() []string {
	var out []string
	for _, t := range r.Thresholds {
		if !t.Pass && !t.Skipped {
			out = append(out, fmt.Sprintf("threshold %s: measured %s, want %s", t.Name, t.Measured, t.Limit))
		}
	}
	if r.Baseline != nil && r.Baseline.Regressed {
		out = append(out, r.Baseline.Message)
	}
	if r.Interrupted {
		out = append(out, "the run was interrupted")
	}
	if r.Aborted != "" {
		out = append(out, "the attack was stopped early: "+r.Aborted)
	}
	if r.MissingShards > 0 {
		out = append(out, fmt.Sprintf("%d of the run's %d shards were not merged: the load judged is less than was planned",
			r.MissingShards, r.Shards+r.MissingShards))
	}
	if r.Fixtures.CleanupError != "" {
		out = append(out, "fixtures left on the target: "+r.Fixtures.CleanupError)
	}
	return out
}

// fill copies a summary into the report and evaluates slo.
func (r *Report) fill(sm summary, slo slo) {
	r.Requested, r.Achieved, r.RateRatio = sm.requested, sm.achieved, sm.rateRatio()
	r.Planned = sm.planned
	r.Latency, r.Service, r.SendLag = sm.latency, sm.service, sm.lag
	r.Counts, r.Operations = sm.counts, sm.ops
	r.metrics, r.hist = sm.metrics, sm.hist
	r.Thresholds = slo.evaluate(sm.measured())
	if sm.end.aborted != "" {
		r.Aborted = sm.end.aborted
	}
	r.Notes = append(r.Notes, generatorNotes(sm)...)
}

// generatorNotes say when the load was not what was asked for.
func generatorNotes(sm summary) []string {
	var notes []string
	if sm.requested > 0 && sm.achieved > 0 && sm.rateRatio() < 0.95 {
		notes = append(notes, fmt.Sprintf("the generator fell behind: it achieved %s of the %s requested (%.0f%%)",
			formatRate(sm.achieved), formatRate(sm.requested), 100*sm.rateRatio()))
	}
	if sm.end.cut {
		notes = append(notes, fmt.Sprintf("the attack was cut %s after its scheduled end: %d of the %d planned requests were sent",
			sm.grace, sm.counts.Requests, sm.planned))
	}
	if sm.lag.P99 > 10*time.Millisecond {
		notes = append(notes, fmt.Sprintf("requests left the generator late: p99 send lag %s, max %s "+
			"(latency is measured from the scheduled time, so the wait is counted)", fmtDur(sm.lag.P99), fmtDur(sm.lag.Max)))
	}
	if sm.counts.Unvalidated > 0 {
		notes = append(notes, fmt.Sprintf("%d sampled responses were not checked: the check queue was full", sm.counts.Unvalidated))
	}
	return notes
}

// WriteText writes the text report: Vegeta's own report (latency from the
// actual send time), then ours.
func (r *Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "Load test: scenario %s against %s\n", r.title(), r.Target)
	fmt.Fprintf(w, "Load: %s for %s", r.load(), r.Duration)
	if r.Warmup > 0 {
		fmt.Fprintf(w, " after a %s warm-up (not counted)", r.Warmup)
	}
	fmt.Fprintf(w, "; validation %s\n\n", r.Validation)
	fmt.Fprintln(w, "Vegeta report (latency from the actual send time):")
	m := r.metrics
	if err := vegeta.NewTextReporter(&m).Report(w); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	r.writeFigures(tw)
	tw.Flush()
	fmt.Fprintln(w)
	r.writeThresholds(w)
	r.writeTail(w)
	return nil
}

func (r *Report) title() string {
	if r.Shard.active() {
		return r.Scenario + " (shard " + r.Shard.String() + ")"
	}
	if r.Shards > 1 {
		return fmt.Sprintf("%s (%d shards merged)", r.Scenario, r.Shards)
	}
	return r.Scenario
}

func (r *Report) load() string {
	if r.Ramp != "" {
		return "ramp " + r.Ramp
	}
	return r.Rate
}

func (r *Report) writeFigures(w io.Writer) {
	l, s, g := r.Latency, r.Service, r.SendLag
	fmt.Fprintf(w, "Rate\t[requested, achieved, ratio]\t%s, %s, %s\n", formatRate(r.Requested), formatRate(r.Achieved), fmtRatio(r.RateRatio))
	fmt.Fprintf(w, "Requests\t[sent, planned]\t%d, %d\n", r.Counts.Requests, r.Planned)
	fmt.Fprintf(w, "Latency from scheduled send\t[p50, p90, p95, p99, max]\t%s\n", fmtLat(l))
	fmt.Fprintf(w, "Latency from actual send\t[p50, p90, p95, p99, max]\t%s\n", fmtLat(s))
	fmt.Fprintf(w, "Send lag (timer resolution, waits for a worker)\t[p50, p99, max]\t%s, %s, %s\n", fmtDur(g.P50), fmtDur(g.P99), fmtDur(g.Max))
	c := r.Counts
	fmt.Fprintf(w, "Responses\t[expected, transport errors, 429, unexpected]\t%d, %d, %d, %d\n", c.Expected, c.Transport, c.RateLimited, c.Unexpected)
	fmt.Fprintf(w, "Checks\t[checked, not sampled, unchecked (queue full)]\t%d, %d, %d\n", c.Validated, c.NotSampled, c.Unvalidated)
	fmt.Fprintf(w, "Findings\t[contract violations, drift, identity mismatches]\t%d, %d, %d\n", c.ContractViolations, c.Drift, c.IdentityMismatches)
	for _, op := range r.Operations {
		oc := op.Counts
		fmt.Fprintf(w, "  %s\t[requests, expected, p95, p99]\t%d, %d, %s, %s\n", op.Operation, oc.Requests, oc.Expected, fmtDur(op.Latency.P95), fmtDur(op.Latency.P99))
	}
}

func fmtLat(l latencies) string {
	return strings.Join([]string{fmtDur(l.P50), fmtDur(l.P90), fmtDur(l.P95), fmtDur(l.P99), fmtDur(l.Max)}, ", ")
}

func (r *Report) writeThresholds(w io.Writer) {
	fmt.Fprintf(w, "Thresholds (%s):\n", r.SLOSource)
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "  threshold\tlimit\tmeasured\tverdict")
	for _, t := range r.Thresholds {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", t.Name, t.Limit, t.Measured, t.verdict())
	}
	tw.Flush()
}

func (r *Report) writeTail(w io.Writer) {
	if b := r.Baseline; b != nil {
		fmt.Fprintf(w, "\nBaseline: %s\n", b.Message)
	}
	f := r.Fixtures
	fmt.Fprintf(w, "\nFixtures: %d created, %d deleted by the scenario, %d cleaned up\n", f.Created, f.DeletedByScenario, f.CleanedUp)
	if f.CleanupError != "" {
		fmt.Fprintf(w, "  %s\n", f.CleanupError)
	}
	if len(r.Problems) > 0 {
		fmt.Fprintln(w, "\nProblems (most frequent first):")
		for _, p := range r.Problems {
			fmt.Fprintf(w, "  %s\n", p)
		}
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(w, "\nNotes:")
		for _, n := range r.Notes {
			fmt.Fprintf(w, "  - %s\n", n)
		}
	}
	verdict := "PASS"
	if !r.Passed() {
		verdict = "FAIL: " + strings.Join(r.Failures(), "; ")
	}
	fmt.Fprintf(w, "\nResult: %s\n", verdict)
}

// markdown is the run's section of summary.md.
func (r *Report) markdown() string {
	var b strings.Builder
	verdict := "pass"
	if !r.Passed() {
		verdict = "**FAIL**"
	}
	fmt.Fprintf(&b, "### Load: %s — %s\n\n", r.title(), verdict)
	fmt.Fprintf(&b, "%s for %s against `%s`; achieved %s of %s requested; %d requests, validation %s.\n\n",
		r.load(), r.Duration, r.Target, formatRate(r.Achieved), formatRate(r.Requested), r.Counts.Requests, r.Validation)
	fmt.Fprintf(&b, "| threshold | limit | measured | verdict |\n|---|---|---|---|\n")
	for _, t := range r.Thresholds {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", t.Name, t.Limit, t.Measured, t.verdict())
	}
	c := r.Counts
	fmt.Fprintf(&b, "\nResponses: %d expected, %d transport errors, %d × 429, %d unexpected; "+
		"%d contract violations, %d drift, %d identity mismatches (of %d checked).\n",
		c.Expected, c.Transport, c.RateLimited, c.Unexpected, c.ContractViolations, c.Drift, c.IdentityMismatches, c.Validated)
	if r.Baseline != nil {
		fmt.Fprintf(&b, "\nBaseline: %s\n", r.Baseline.Message)
	}
	if r.Aborted != "" {
		fmt.Fprintf(&b, "\nStopped early: %s\n", r.Aborted)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "\n- %s", n)
	}
	if len(r.Notes) > 0 {
		b.WriteString("\n")
	}
	return b.String()
}

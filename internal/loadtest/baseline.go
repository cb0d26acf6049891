package loadtest

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
)

// baselineResult compares a run's p95 latency with an earlier run's.
type baselineResult struct {
	File      string        `json:"file"`
	BaseP95   time.Duration `json:"baseP95"`
	P95       time.Duration `json:"p95"`
	BaseP99   time.Duration `json:"baseP99"`
	P99       time.Duration `json:"p99"`
	Tolerance float64       `json:"tolerance"`
	Regressed bool          `json:"regressed"`
	Message   string        `json:"message"`
}

// readReport reads a load.json.
func readReport(path string) (*Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &r, nil
}

// loadBaseline reads the baseline and checks it is a complete run of the
// same scenario: a run cut short has no p95 worth comparing with.
func loadBaseline(path, scenario string) (*Report, error) {
	base, err := readReport(path)
	if err != nil {
		return nil, usagef("baseline: %v", err)
	}
	switch {
	case base.Scenario != scenario:
		return nil, usagef("baseline %s is a %q run, this is %q", path, base.Scenario, scenario)
	case base.Counts.Requests == 0:
		return nil, usagef("baseline %s has no requests to compare with", path)
	case base.Interrupted || base.Aborted != "":
		return nil, usagef("baseline %s did not run to its end (interrupted or stopped early): pick a complete run", path)
	}
	return base, nil
}

// differences names what the two runs did differently: latency under
// another load is not a regression, so the comparison says so.
func differences(base, cur *Report) []string {
	var out []string
	differ := func(what, was, now string) {
		if was != now {
			out = append(out, fmt.Sprintf("%s %s (now %s)", what, orNone(was), orNone(now)))
		}
	}
	differ("rate", base.Rate, cur.Rate)
	differ("ramp", base.Ramp, cur.Ramp)
	differ("duration", base.Duration.String(), cur.Duration.String())
	differ("validation", base.Validation, cur.Validation)
	differ("shards", fmt.Sprint(max(base.Shards, 1)), fmt.Sprint(max(cur.Shards, 1)))
	return out
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// compareBaseline fails when p95 grew by more than tolerance and by at least
// minDelta: on loopback a p95 of 0.8ms against 0.6ms is noise, not a
// regression.
func compareBaseline(path string, base *Report, cur *Report, tolerance float64, minDelta time.Duration) *baselineResult {
	res := &baselineResult{File: path, BaseP95: base.Latency.P95, P95: cur.Latency.P95,
		BaseP99: base.Latency.P99, P99: cur.Latency.P99, Tolerance: tolerance}
	limit := time.Duration(float64(base.Latency.P95) * (1 + tolerance))
	res.Regressed = cur.Latency.P95 > limit && cur.Latency.P95-base.Latency.P95 >= minDelta
	change := 0.0
	if base.Latency.P95 > 0 {
		change = 100 * (float64(cur.Latency.P95)/float64(base.Latency.P95) - 1)
	}
	verdict := "within tolerance"
	if res.Regressed {
		verdict = "REGRESSION"
	}
	res.Message = fmt.Sprintf("p95 %s now vs %s in %s (%+.1f%%, tolerance +%.0f%%): %s; p99 %s vs %s",
		fmtDur(cur.Latency.P95), fmtDur(base.Latency.P95), path, change, 100*tolerance, verdict,
		fmtDur(cur.Latency.P99), fmtDur(base.Latency.P99))
	if diff := differences(base, cur); len(diff) > 0 {
		cur.Notes = append(cur.Notes, "the baseline ran another load: "+strings.Join(diff, ", ")+"; its latency may not compare")
	}
	return res
}

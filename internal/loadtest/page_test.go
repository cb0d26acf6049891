package loadtest

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rentix/mediaharness/internal/report"
	"github.com/rentix/mediaharness/internal/report/reportcheck"
)

// spikyReport is a mixed run whose latency is flat but for two one-second
// spikes, with a few 503s and 429s, and a broken threshold.
func spikyReport() *Report {
	r := &Report{Scenario: scenarioMixed, RunID: "20261205-120000-abcd", Target: "http://127.0.0.1:8080/api/v1",
		Started: time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC), Rate: "200/s", Duration: 30 * time.Second,
		Validation: "all", Requested: 200, Achieved: 199.9, RateRatio: 0.9995, Planned: 6000,
		Latency:    latencies{P50: time.Millisecond, P90: 2 * time.Millisecond, P95: 2 * time.Millisecond, P99: 4 * time.Millisecond, Max: 420 * time.Millisecond},
		Counts:     counts{Requests: 6000, Expected: 5960, Unexpected: 30, RateLimited: 10, Validated: 6000},
		SLOSource:  "embedded slo.yaml",
		Thresholds: []thresholdResult{{Name: "p95 latency", Limit: "<= 20ms", Measured: "2ms", Pass: true}, {Name: "success ratio", Limit: ">= 0.999", Measured: "0.9933"}},
		Operations: []operationStats{{Operation: "getMedia", Counts: counts{Requests: 3600, Expected: 3580, Unexpected: 20}}},
		Notes:      []string{"a note"},
		Files:      []string{resultsFile, plotFile},
	}
	for s := range 30 {
		p := timePoint{Second: s, Requests: 200, Expected: 200, P50: time.Millisecond, P95: 2 * time.Millisecond, P99: 3 * time.Millisecond, Max: 5 * time.Millisecond}
		switch s {
		case 7, 22:
			p.Max, p.P99 = 420*time.Millisecond, 30*time.Millisecond
		case 12:
			p.Expected, p.Unexpected, p.RateLimited = 160, 30, 10
		}
		r.Timeline = append(r.Timeline, p)
	}
	return r
}

func TestReport_WritePage_VerdictFirstWithCharts(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := spikyReport().writePage(&buf); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	fail, charts := strings.Index(html, "threshold success ratio: measured 0.9933"), strings.Index(html, "<svg")
	if fail < 0 || charts < 0 || fail > charts {
		t.Errorf("want what failed before the charts (failure at %d, first chart at %d)", fail, charts)
	}
	for _, want := range []string{"Latency over time", "Throughput", "Answers over time", "max (where above 2 × p99)", `href="plot.html"`, `href="../../index.html"`} {
		if !strings.Contains(html, want) {
			t.Errorf("load page lacks %q", want)
		}
	}
	// The two spikes are dots of their own: a line through sparse points
	// would hide them.
	if n := strings.Count(html, `fill="`+report.ColorRed+`" fill-opacity`); n != 2 {
		t.Errorf("spike dots = %d, want 2 (seconds 7 and 22)", n)
	}
}

// Not parallel: Chromium takes the CPU the package's timed attacks need.
func TestReport_WritePage_RendersInChromium(t *testing.T) {
	var buf bytes.Buffer
	if err := spikyReport().writePage(&buf); err != nil {
		t.Fatal(err)
	}
	img := reportcheck.Shoot(t, "load", buf.Bytes(), 1400)
	if !reportcheck.Near(img, 8, 8, "#cf222e", 40) {
		t.Error("the top of the page is not the red FAIL banner")
	}
	for _, c := range []string{report.ColorOrange, report.ColorPurple, report.ColorGreen} {
		if n := reportcheck.Count(img, c, 24); n < 300 {
			t.Errorf("%d pixels of %s: a chart series is missing", n, c)
		}
	}
}

func capacitySample() *CapacityReport {
	c := &CapacityReport{Scenario: scenarioGet, Target: "http://127.0.0.1:8080/api/v1", SLOSource: "embedded slo.yaml",
		Ending: endSaturated, Capacity: 1900, Reason: "saturated: above 1900/s latency or errors broke an SLO"}
	for i, r := range []float64{200, 300, 450, 675, 1013, 1520, 2280, 2280, 1900} {
		st := capacityStep{Phase: "climb", Rate: r, Achieved: min(r, 2030), Requests: uint64(r), P50: 3 * time.Millisecond,
			P95: 4 * time.Millisecond, P99: 6 * time.Millisecond, Success: 1, Verdict: stepOK}
		if r > 2000 {
			st.P50, st.P95, st.P99, st.Verdict = 75*time.Millisecond, 140*time.Millisecond, 146*time.Millisecond, string(endSaturated)
		}
		if i == 7 {
			st.Phase = "confirm"
		}
		c.Steps = append(c.Steps, st)
	}
	return c
}

// Not parallel: Chromium takes the CPU the package's timed attacks need.
func TestCapacityReport_WritePage_RendersInChromium(t *testing.T) {
	var buf bytes.Buffer
	if err := capacitySample().writePage(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "CAPACITY 1900/s") || !strings.Contains(buf.String(), "Latency against rate") {
		t.Fatal("capacity page lacks the figure in its banner or the rate-against-latency chart")
	}
	img := reportcheck.Shoot(t, "capacity", buf.Bytes(), 1300)
	if !reportcheck.Near(img, 8, 8, "#1a7f37", 40) {
		t.Error("the top of the page is not the green banner of a search with a figure")
	}
	if n := reportcheck.Count(img, report.ColorOrange, 24); n < 300 {
		t.Errorf("%d pixels of the p95 line: the rate-against-latency chart is missing", n)
	}
	if n := reportcheck.Count(img, report.ColorRed, 24); n < 20 {
		t.Errorf("%d pixels of red: the failed steps' dots are missing", n)
	}
}

func TestRunEntries_ListsLoadAndCapacityReports(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := spikyReport()
	rd := reportDir(dir, r.Scenario, Shard{})
	if err := os.MkdirAll(rd, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := r.writeFiles(rd, nil); err != nil {
		t.Fatal(err)
	}
	if err := capacitySample().writeFiles(dir); err != nil {
		t.Fatal(err)
	}
	got := RunEntries(dir)
	if len(got) != 2 || got[0].Href != "load/mixed/index.html" || got[0].Verdict != report.Fail ||
		got[1].Href != "load/capacity-get/index.html" || got[1].Verdict != report.Pass {
		t.Errorf("entries = %+v, want the failed mixed load run, then the capacity search with a figure", got)
	}
}

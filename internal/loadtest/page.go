package loadtest

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/rentix/mediaharness/internal/report"
)

// pageFile is the verdict-first HTML page of a load run or a capacity
// search, in its report directory.
const pageFile = "index.html"

//go:embed page.tmpl
var pageSource string

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"inc":   func(i int) int { return i + 1 },
	"rate":  formatRate,
	"dur":   fmtDur,
	"ratio": fmtRatio,
	"join":  strings.Join,
}).Parse(pageSource))

// pageView is what the page shows; the load page and the capacity page
// fill the parts they have.
type pageView struct {
	Style                      template.CSS
	Kind, Title, Target, RunID string
	Label, Class, Headline     string // the verdict banner
	Subtitle, Reason           string
	Passed                     bool
	Failures                   []string
	Cards                      []card
	Charts                     []report.Chart
	ChartHint                  string
	Steps                      []capacityStep
	SLOSource                  string
	Thresholds                 []thresholdResult
	Operations                 []operationStats
	Buckets                    []bucket
	Problems                   []string
	Notes                      []string
	Fixtures                   string
	Files                      []string
	RunIndex                   string // the run's index page, relative
}

type card struct{ Label, Value, Sub, Class string }

func writePage(w io.Writer, v pageView) error {
	v.Style = report.Style()
	return pageTemplate.Execute(w, v)
}

func verdictBanner(passed, interrupted bool) (label, class string) {
	switch {
	case interrupted:
		return "INTERRUPTED", "v-interrupted"
	case passed:
		return "PASS", "v-pass"
	}
	return "FAIL", "v-fail"
}

// writePage writes the load run's page: the verdict and what failed first,
// then the figures, latency, throughput and statuses over time, the
// thresholds, the operations and the latency distribution.
func (r *Report) writePage(w io.Writer) error {
	v := pageView{Kind: "Load test", Title: r.title(), Target: r.Target, RunID: r.RunID,
		Passed: r.Passed(), SLOSource: r.SLOSource, Thresholds: r.Thresholds, Operations: r.Operations,
		Notes: r.Notes, Files: r.Files, RunIndex: "../../index.html"}
	v.Label, v.Class = verdictBanner(v.Passed, r.Interrupted)
	if !v.Passed {
		v.Failures = r.Failures()
	}
	v.Subtitle = r.loadLine()
	c := r.Counts
	v.Cards = []card{
		{Label: "Requests", Value: fmt.Sprint(c.Requests), Sub: fmt.Sprintf("of %d planned", r.Planned)},
		{Label: "Achieved rate", Value: formatRate(r.Achieved), Sub: fmt.Sprintf("of %s requested (%s)", formatRate(r.Requested), fmtRatio(r.RateRatio))},
		{Label: "p95 latency", Value: fmtDur(r.Latency.P95), Sub: "p50 " + fmtDur(r.Latency.P50) + " · p99 " + fmtDur(r.Latency.P99)},
		{Label: "Max latency", Value: fmtDur(r.Latency.Max)},
		{Label: "As expected", Value: fmt.Sprintf("%.2f%%", 100*c.successRatio()), Class: passClass(c.Expected == c.Requests),
			Sub: fmt.Sprintf("%d unexpected · %d transport", c.Unexpected, c.Transport)},
		{Label: "429", Value: fmt.Sprint(c.RateLimited), Class: passClass(c.RateLimited == 0), Sub: fmtRatio(c.rateLimitedShare()) + " of requests"},
		{Label: "Contract", Value: fmt.Sprint(c.ContractViolations), Class: passClass(c.ContractViolations == 0),
			Sub: fmt.Sprintf("violations in %d checked", c.Validated)},
	}
	v.Charts, v.ChartHint = timelineCharts(r.Timeline)
	d := r.distribution()
	v.Buckets = d.Buckets
	for _, p := range r.Problems {
		v.Problems = append(v.Problems, p.String())
	}
	v.Fixtures = fixtureLine(r.Fixtures)
	return writePage(w, v)
}

func (r *Report) loadLine() string {
	s := fmt.Sprintf("%s for %s", r.load(), r.Duration)
	if r.Warmup > 0 {
		s += fmt.Sprintf(" after a %s warm-up (not counted)", r.Warmup)
	}
	s += " · validation " + r.Validation
	if !r.Started.IsZero() {
		s = r.Started.UTC().Format("2006-01-02 15:04:05 UTC") + " · " + s
	}
	return s
}

func passClass(ok bool) string {
	if ok {
		return "pass"
	}
	return "fail"
}

func fixtureLine(f fixtureSummary) string {
	s := fmt.Sprintf("Fixtures: %d created, %d deleted by the scenario, %d cleaned up.", f.Created, f.DeletedByScenario, f.CleanedUp)
	if f.CleanupError != "" {
		s += " " + f.CleanupError
	}
	return s
}

// timelineCharts are latency, throughput and statuses second by second.
func timelineCharts(tl []timePoint) ([]report.Chart, string) {
	if len(tl) == 0 {
		return nil, ""
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	var p50, p95, p99, peak, sent, ok, expected, limited, unexpected, transport []report.Point
	for _, p := range tl {
		x := float64(p.Second)
		if p.Requests > 0 {
			p50 = append(p50, report.Point{X: x, Y: ms(p.P50)})
			p95 = append(p95, report.Point{X: x, Y: ms(p.P95)})
			p99 = append(p99, report.Point{X: x, Y: ms(p.P99)})
			if p.Max > 2*p.P99 { // a spike the percentiles hide
				peak = append(peak, report.Point{X: x, Y: ms(p.Max)})
			}
		}
		sent = append(sent, report.Point{X: x, Y: float64(p.Requests)})
		ok = append(ok, report.Point{X: x, Y: float64(p.Expected)})
		expected = append(expected, report.Point{X: x, Y: float64(p.Expected)})
		limited = append(limited, report.Point{X: x, Y: float64(p.RateLimited)})
		unexpected = append(unexpected, report.Point{X: x, Y: float64(p.Unexpected)})
		transport = append(transport, report.Point{X: x, Y: float64(p.Transport)})
	}
	secs := func(v float64) string { return fmt.Sprintf("%gs", v) }
	latency := report.Chart{Title: "Latency over time (from the scheduled send, log scale)", XLabel: "second of the attack",
		YLabel: "latency", LogY: true, XFormat: secs, YFormat: msLabel,
		Series: []report.Series{
			{Name: "p50", Color: report.ColorBlue, Points: p50},
			{Name: "p95", Color: report.ColorOrange, Points: p95},
			{Name: "p99", Color: report.ColorPurple, Points: p99},
			{Name: "max (where above 2 × p99)", Color: report.ColorRed, Points: peak, Dots: true},
		}}
	throughput := report.Chart{Title: "Throughput", XLabel: "second of the attack", YLabel: "requests / s", XFormat: secs,
		Series: []report.Series{
			{Name: "sent", Color: report.ColorBlue, Points: sent},
			{Name: "answered as expected", Color: report.ColorGreen, Points: ok},
		}}
	statuses := report.Chart{Title: "Answers over time", XLabel: "second of the attack", YLabel: "requests", XFormat: secs, Stacked: true,
		Series: []report.Series{
			{Name: "as expected", Color: report.ColorGreen, Points: expected},
			{Name: "429", Color: report.ColorAmber, Points: limited},
			{Name: "unexpected status", Color: report.ColorRed, Points: unexpected},
			{Name: "transport error", Color: report.ColorGray, Points: transport},
		}}
	charts := []report.Chart{latency, throughput, statuses}
	hint := "Each second of the attack is one point; the last second may be partial. Dots mark seconds whose slowest request was far above their p99."
	return charts, hint
}

// msLabel writes a latency axis value given in milliseconds.
func msLabel(ms float64) string {
	switch {
	case ms >= 1000:
		return fmt.Sprintf("%gs", ms/1000)
	case ms < 1:
		return fmt.Sprintf("%gµs", ms*1000)
	}
	return fmt.Sprintf("%gms", ms)
}

// writePage writes the capacity search's page: the figure first, then the
// rate-versus-latency chart and every step.
func (c *CapacityReport) writePage(w io.Writer) error {
	v := pageView{Kind: "Capacity search", Title: c.Scenario, Target: c.Target, Passed: c.Passed(),
		SLOSource: c.SLOSource, Steps: c.Steps, Notes: c.Notes, Reason: c.Reason, RunIndex: "../../index.html",
		Files: []string{capacityFile, capacityTextFile, sectionFile}}
	v.Label, v.Class = verdictBanner(v.Passed, c.Ending == endInterrupted)
	if v.Passed {
		v.Label, v.Headline = "CAPACITY "+formatRate(c.Capacity), string(c.Ending)
	} else if c.Ending != endInterrupted {
		v.Label, v.Headline = "NO CAPACITY FIGURE", string(c.Ending)
	}
	v.Subtitle = fmt.Sprintf("%d steps · thresholds %s", len(c.Steps), c.SLOSource)
	var met float64
	for _, s := range c.Steps {
		if s.Verdict == stepOK {
			met = max(met, s.Rate)
		}
	}
	v.Cards = []card{
		{Label: "Capacity", Value: capacityValue(c), Class: passClass(v.Passed)},
		{Label: "Ending", Value: string(c.Ending)},
		{Label: "Steps", Value: fmt.Sprint(len(c.Steps))},
		{Label: "Highest rate met", Value: formatRate(met)},
	}
	v.Charts = capacityCharts(c)
	v.ChartHint = "Each step is one attack at a fixed rate; green dots met every threshold, red ones broke one. The dashed line is the capacity."
	v.Fixtures = fixtureLine(c.Fixtures)
	return writePage(w, v)
}

func capacityValue(c *CapacityReport) string {
	if !c.Passed() {
		return "none"
	}
	return formatRate(c.Capacity)
}

// capacityCharts plot latency against the rate asked for: p50, p95 and p99
// as lines over the steps in rate order, each step's verdict as a dot.
func capacityCharts(c *CapacityReport) []report.Chart {
	steps := slices.Clone(c.Steps)
	slices.SortStableFunc(steps, func(a, b capacityStep) int {
		switch {
		case a.Rate < b.Rate:
			return -1
		case a.Rate > b.Rate:
			return 1
		}
		return 0
	})
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	var p50, p95, p99, good, bad, achieved, asked []report.Point
	for _, s := range steps {
		p50 = append(p50, report.Point{X: s.Rate, Y: ms(s.P50)})
		p95 = append(p95, report.Point{X: s.Rate, Y: ms(s.P95)})
		p99 = append(p99, report.Point{X: s.Rate, Y: ms(s.P99)})
		pt := report.Point{X: s.Rate, Y: ms(s.P95)}
		if s.Verdict == stepOK {
			good = append(good, pt)
		} else {
			bad = append(bad, pt)
		}
		achieved = append(achieved, report.Point{X: s.Rate, Y: s.Achieved})
		asked = append(asked, report.Point{X: s.Rate, Y: s.Rate})
	}
	rate := func(v float64) string { return formatRate(v) }
	var marks []report.Marker
	if c.Passed() {
		marks = []report.Marker{{X: c.Capacity, Label: "capacity " + formatRate(c.Capacity), Color: report.ColorGreen}}
	}
	latency := report.Chart{Title: "Latency against rate (log scale)", XLabel: "rate asked for", YLabel: "latency",
		LogY: true, XFormat: rate, YFormat: msLabel, Marks: marks,
		Series: []report.Series{
			{Name: "p50", Color: report.ColorBlue, Points: p50},
			{Name: "p95", Color: report.ColorOrange, Points: p95},
			{Name: "p99", Color: report.ColorPurple, Points: p99},
			{Name: "step met the thresholds (p95)", Color: report.ColorGreen, Points: good, Dots: true},
			{Name: "step broke a threshold (p95)", Color: report.ColorRed, Points: bad, Dots: true},
		}}
	throughput := report.Chart{Title: "Achieved against asked-for rate", XLabel: "rate asked for", YLabel: "requests / s",
		XFormat: rate, YFormat: rate, Marks: marks,
		Series: []report.Series{
			{Name: "asked for", Color: report.ColorGray, Points: asked},
			{Name: "achieved", Color: report.ColorBlue, Points: achieved},
		}}
	return []report.Chart{latency, throughput}
}

package loadtest

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/tsenart/vegeta/v12/lib/plot"
)

// writeHTML writes Vegeta's latency-over-time plot with the latency
// distribution (percentiles and a histogram) added below it, in one
// self-contained file.
func (r *Report) writeHTML(w io.Writer, pl *plot.Plot) error {
	var page bytes.Buffer
	if pl != nil {
		pl.Close()
		if _, err := pl.WriteTo(&page); err != nil {
			return err
		}
	} else {
		page.WriteString("<!doctype html><html><head><meta charset=\"utf-8\"></head><body></body></html>")
	}
	var section, banner bytes.Buffer
	d := r.distribution()
	if err := distributionTemplate.Execute(&section, d); err != nil {
		return err
	}
	if err := bannerTemplate.Execute(&banner, d); err != nil {
		return err
	}
	html := readableSeries(page.Bytes())
	if body := bytes.Index(html, []byte("<body")); body >= 0 {
		if end := bytes.IndexByte(html[body:], '>'); end >= 0 {
			at := body + end + 1
			html = append(append(append([]byte{}, html[:at]...), banner.Bytes()...), html[at:]...)
		}
	}
	at := bytes.LastIndex(html, []byte("</body>"))
	if at < 0 {
		at = len(html)
	}
	if _, err := w.Write(html[:at]); err != nil {
		return err
	}
	if _, err := w.Write(section.Bytes()); err != nil {
		return err
	}
	_, err := w.Write(html[at:])
	return err
}

// darkSeries are colours of Vegeta's palette that vanish on its dark
// theme, each with a lighter one of the same hue.
var darkSeries = strings.NewReplacer(
	`"#171738"`, `"#8C9EFF"`, `"#39393A"`, `"#B0B3B8"`, `"#593C8F"`, `"#B39DDB"`, `"#297373"`, `"#4DB6AC"`,
	`"#881618"`, `"#F28B82"`, `"#6F050E"`, `"#FFAB91"`,
)

// readableSeries swaps the series colours of a Vegeta plot that vanish on
// a dark background for lighter ones.
func readableSeries(html []byte) []byte { return []byte(darkSeries.Replace(string(html))) }

type distribution struct {
	Title       string
	Percentiles []labelled
	Service     []labelled
	Buckets     []bucket
	Thresholds  []thresholdResult
	Result      string   // PASS or FAIL
	Failures    []string // what failed, when the result is FAIL
	Notes       []string
}

type labelled struct{ Label, Value string }

type bucket struct {
	Range   string
	Count   uint64
	Percent string
	Width   float64 // of the widest bar, in percent
}

func (r *Report) distribution() distribution {
	pct := func(l latencies) []labelled {
		return []labelled{{"p50", fmtDur(l.P50)}, {"p90", fmtDur(l.P90)}, {"p95", fmtDur(l.P95)},
			{"p99", fmtDur(l.P99)}, {"max", fmtDur(l.Max)}}
	}
	d := distribution{Title: "Load test: " + r.title(), Percentiles: pct(r.Latency), Service: pct(r.Service),
		Thresholds: r.Thresholds, Result: "PASS", Notes: r.Notes}
	if !r.Passed() {
		d.Result, d.Failures = "FAIL", r.Failures()
	}
	h := r.hist
	var most uint64
	for _, c := range h.Counts {
		most = max(most, c)
	}
	for i, c := range h.Counts {
		lo, hi := h.Buckets.Nth(i)
		b := bucket{Range: "[" + lo + ", " + hi + ")", Count: c, Percent: fmt.Sprintf("%.2f%%", 100*ratio(c, h.Total))}
		if most > 0 {
			b.Width = 100 * float64(c) / float64(most)
		}
		d.Buckets = append(d.Buckets, b)
	}
	return d
}

// bannerTemplate puts the verdict first, above the plot.
var bannerTemplate = template.Must(template.New("banner").Parse(`
<div style="font:600 16px system-ui,sans-serif;padding:10px 16px;color:#fff;background:{{if eq .Result "PASS"}}#1e7e34{{else}}#b3261e{{end}}">
  {{.Title}}: {{.Result}}{{if .Failures}} · {{index .Failures 0}}{{if gt (len .Failures) 1}} (and {{len .Failures}} in all, below){{end}}{{end}}
  · <a href="index.html" style="color:#fff">the full report</a>
</div>
`))

var distributionTemplate = template.Must(template.New("distribution").Parse(`
<div class="container" style="margin-top:24px;font-size:14px">
  <h2 style="font-size:18px">{{.Title}}: latency distribution</h2>
  <p>Latency is measured from the time each request was scheduled to be sent, so time spent waiting for a free worker counts.
     The line above shows the same measure per request.</p>
  <table style="border-collapse:collapse;margin-bottom:16px">
    <tr><th style="text-align:left;padding:2px 12px">from</th>{{range .Percentiles}}<th style="padding:2px 12px">{{.Label}}</th>{{end}}</tr>
    <tr><td style="padding:2px 12px">scheduled send</td>{{range .Percentiles}}<td style="padding:2px 12px;text-align:right">{{.Value}}</td>{{end}}</tr>
    <tr><td style="padding:2px 12px">actual send</td>{{range .Service}}<td style="padding:2px 12px;text-align:right">{{.Value}}</td>{{end}}</tr>
  </table>
  <table style="border-collapse:collapse;width:100%;max-width:900px">
    <tr><th style="text-align:left;padding:2px 8px">latency</th><th style="padding:2px 8px">requests</th><th style="padding:2px 8px">share</th><th></th></tr>
    {{range .Buckets}}<tr>
      <td style="padding:2px 8px;white-space:nowrap">{{.Range}}</td>
      <td style="padding:2px 8px;text-align:right">{{.Count}}</td>
      <td style="padding:2px 8px;text-align:right">{{.Percent}}</td>
      <td style="padding:2px 8px;width:60%"><div style="background:#297373;height:12px;width:{{printf "%.1f" .Width}}%"></div></td>
    </tr>{{end}}
  </table>
  {{if .Thresholds}}<h2 style="font-size:18px;margin-top:24px">Thresholds</h2>
  <table style="border-collapse:collapse">
    <tr><th style="text-align:left;padding:2px 12px">threshold</th><th style="padding:2px 12px">limit</th><th style="padding:2px 12px">measured</th><th style="padding:2px 12px">verdict</th></tr>
    {{range .Thresholds}}<tr><td style="padding:2px 12px">{{.Name}}</td><td style="padding:2px 12px">{{.Limit}}</td><td style="padding:2px 12px">{{.Measured}}</td><td style="padding:2px 12px">{{.Verdict}}</td></tr>{{end}}
  </table>{{end}}
  <h2 style="font-size:18px;margin-top:24px">Result: {{.Result}}</h2>
  {{if .Failures}}<ul>{{range .Failures}}<li>{{.}}</li>{{end}}</ul>{{end}}
  {{if .Notes}}<h2 style="font-size:18px;margin-top:24px">Notes</h2>
  <ul>{{range .Notes}}<li>{{.}}</li>{{end}}</ul>{{end}}
</div>
`))

// Verdict is "pass", "FAIL" or "skip", for templates.
func (t thresholdResult) Verdict() string { return t.verdict() }

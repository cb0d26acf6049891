package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rentix/mediaharness/internal/report/reportcheck"
)

func sampleEntries() []RunEntry {
	return []RunEntry{
		{Kind: "Load test", Title: "mixed", Href: "load/mixed/index.html", Verdict: Fail, Detail: "200/s for 30s"},
		{Kind: "Capacity search", Title: "get", Href: "load/capacity-get/index.html", Verdict: Pass, Detail: "capacity 1900/s"},
	}
}

func TestWriteRunIndex_LinksEveryReportUnderTheRunVerdict(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteRunIndex(&buf, "r1", sampleEntries()); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{`href="load/mixed/index.html"`, `href="load/capacity-get/index.html"`, "<h1>FAIL</h1>"} {
		if !strings.Contains(html, want) {
			t.Errorf("run index lacks %q", want)
		}
	}
	if v := RunVerdict([]RunEntry{{Verdict: Pass}, {Verdict: PassWarned}}); v != PassWarned {
		t.Errorf("RunVerdict(pass, warned) = %s, want the worse", v)
	}
}

func TestWriteRunIndex_RendersInChromium(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteRunIndex(&buf, "20261205-120000-abcd", sampleEntries()); err != nil {
		t.Fatal(err)
	}
	img := reportcheck.Shoot(t, "run-index", buf.Bytes(), 600)
	if !reportcheck.Near(img, 8, 8, "#cf222e", 40) {
		t.Error("the top of the run index is not the red banner of a run with a failed report")
	}
}

func TestWriteHTMLWithRelated_LinksTheRunsOtherReports(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteHTMLWithRelated(&buf, sampleSummary(), sampleEntries()); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	if at := strings.Index(html, `href="load/mixed/index.html"`); at < 0 || at > strings.Index(html, `id="failures"`) {
		t.Error("the conformance page should link the run's load report above its failures")
	}
}

package report

import (
	_ "embed"
	"fmt"
	"hash/fnv"
	"html/template"
	"io"
	"strings"
)

//go:embed html.tmpl
var htmlSource string

//go:embed style.css
var styleSource string

// Style is the stylesheet every HTML page of the harness shares (the
// conformance report, the load and capacity pages, the run index): light,
// with a verdict banner on top.
func Style() template.CSS { return template.CSS(styleSource) }

// page is parsed once; html/template escapes every value by context.
var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"style":         Style,
	"verdictLabel":  htmlVerdict,
	"verdictClass":  func(v Verdict) string { return "v-" + string(v) },
	"kind":          htmlKind,
	"anchor":        anchor,
	"reason":        Reason,
	"markClass":     markClass,
	"join":          strings.Join,
	"skipReason":    SkipReason,
	"inc":           func(i int) int { return i + 1 },
	"keyVars":       KeyVariablesOf,
	"exploredClass": exploredClass,
}).Parse(htmlSource))

// WriteHTML writes one self-contained page (inline CSS, no scripts, no
// external assets) that works offline: the verdict, every feature with its
// scenarios, each failure with its evidence, the coverage matrix and drift.
func WriteHTML(w io.Writer, s Summary) error {
	return page.Execute(w, newPageData(s))
}

// WriteHTMLWithRelated is WriteHTML with links to the other reports of the
// run (load, capacity) at the top: then the page is the run's index too.
func WriteHTMLWithRelated(w io.Writer, s Summary, related []RunEntry) error {
	d := newPageData(s)
	d.Related = related
	return page.Execute(w, d)
}

type pageData struct {
	Summary
	Failing  []Scenario
	Groups   []FailureGroup
	Related  []RunEntry
	Skips    []SkipGroup
	Feats    []featureView
	Statuses []int
	CovRows  []covRow
	CovGot   int
	CovDoc   int
	CovUndoc int
}

type featureView struct {
	Feature
	Passed, Failed, Skipped int
}

type covRow struct {
	OperationCoverage
	Cells []covCell
}

type covCell struct {
	Status int
	Mark   Mark
}

func newPageData(s Summary) pageData {
	d := pageData{Summary: s, Failing: s.Failures(), Groups: s.FailureGroups(), Skips: s.SkipGroups(),
		Statuses: CoverageStatuses(s.Coverage)}
	d.CovGot, d.CovDoc, d.CovUndoc = CoverageCounts(s.Coverage)
	for _, f := range s.Features {
		d.Feats = append(d.Feats, newFeatureView(f))
	}
	for _, c := range s.Coverage {
		row := covRow{OperationCoverage: c}
		for _, st := range d.Statuses {
			row.Cells = append(row.Cells, covCell{Status: st, Mark: c.Mark(st)})
		}
		d.CovRows = append(d.CovRows, row)
	}
	return d
}

func newFeatureView(f Feature) featureView {
	v := featureView{Feature: f}
	for _, sc := range f.Scenarios {
		switch sc.Status {
		case Passed:
			v.Passed++
		case Failed:
			v.Failed++
		default:
			v.Skipped++
		}
	}
	return v
}

// htmlVerdict is the verdict without emoji: headless and CI machines often
// lack an emoji font, and the banner colour already carries the meaning.
func htmlVerdict(v Verdict) string {
	switch v {
	case PassWarned:
		return "PASS with warnings"
	case "":
		return "NO VERDICT"
	}
	return strings.ToUpper(string(v))
}

// htmlKind is the failure kind without the baseline part, which the page
// shows as its own badge.
func htmlKind(sc Scenario) string {
	sc.Baseline = ""
	return FailureKind(sc)
}

// anchor is a stable fragment id for a scenario's failure.
func anchor(id string) string {
	h := fnv.New32a()
	h.Write([]byte(id))
	return fmt.Sprintf("f-%08x", h.Sum32())
}

func markClass(m Mark) string {
	switch m {
	case MarkReceived:
		return "got"
	case MarkMissed:
		return "miss"
	case MarkUndocumented:
		return "undoc"
	}
	return "none"
}

package report

import (
	_ "embed"
	"html/template"
	"io"
)

// RunEntry is one report of a run directory, for the run's index page.
type RunEntry struct {
	Kind    string  // "Conformance", "Load test", "Capacity search"
	Title   string  // the scenario, or the target
	Href    string  // relative to the run directory
	Verdict Verdict // Pass, Fail or Interrupted
	Detail  string  // one line: the counts, the figure
}

//go:embed runindex.tmpl
var runIndexSource string

var runIndexPage = template.Must(template.New("runindex").Funcs(template.FuncMap{
	"style":        Style,
	"verdictLabel": htmlVerdict,
	"verdictClass": func(v Verdict) string { return "v-" + string(v) },
}).Parse(runIndexSource))

// RunVerdict is the verdict of a run made of several reports: the worst.
func RunVerdict(entries []RunEntry) Verdict {
	rank := map[Verdict]int{Pass: 0, PassWarned: 1, Fail: 2, Interrupted: 3}
	v := Pass
	for _, e := range entries {
		if rank[e.Verdict] > rank[v] {
			v = e.Verdict
		}
	}
	if len(entries) == 0 {
		return ""
	}
	return v
}

// WriteRunIndex writes the index page of a run directory: the run's
// verdict, then one link per report (conformance, load, capacity).
func WriteRunIndex(w io.Writer, runID string, entries []RunEntry) error {
	return runIndexPage.Execute(w, struct {
		RunID   string
		Verdict Verdict
		Entries []RunEntry
	}{runID, RunVerdict(entries), entries})
}

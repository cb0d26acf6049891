package conform

import (
	"github.com/rentix/mediaharness/internal/report"
)

// compareBaseline marks each failure of this run "new" or "known" against
// an earlier run and lists the scenarios fixed since. A scenario that did
// not run then counts as new when it fails now.
func compareBaseline(base *report.Summary, from string, features []report.Feature) *report.BaselineDiff {
	before := map[string]report.Status{}
	for _, sc := range base.Scenarios() {
		before[sc.ID] = sc.Status
	}
	d := &report.BaselineDiff{From: from, Regressions: []string{}, Known: []string{}, Fixed: []string{}}
	for fi := range features {
		for si := range features[fi].Scenarios {
			sc := &features[fi].Scenarios[si]
			switch {
			case sc.Status == report.Failed && before[sc.ID] == report.Failed:
				sc.Baseline = "known"
				d.Known = append(d.Known, sc.ID)
			case sc.Status == report.Failed:
				sc.Baseline = "new"
				d.Regressions = append(d.Regressions, sc.ID)
			case sc.Status == report.Passed && before[sc.ID] == report.Failed:
				d.Fixed = append(d.Fixed, sc.ID)
			}
		}
	}
	return d
}

// baselineName is how a report names the baseline: its run ID, else its path.
func baselineName(base *report.Summary, path string) string {
	if base.RunID != "" {
		return base.RunID
	}
	return path
}

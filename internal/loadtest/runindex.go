package loadtest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/rentix/mediaharness/internal/report"
)

// RunEntries lists the load and capacity reports of a run directory for
// its index page, each with its verdict and a line of figures. Reports
// that cannot be read are left out.
func RunEntries(runDir string) []report.RunEntry {
	var out []report.RunEntry
	loads, _ := filepath.Glob(filepath.Join(runDir, "load", "*", reportFile))
	sort.Strings(loads)
	for _, path := range loads {
		var r Report
		if readJSON(path, &r) != nil {
			continue
		}
		out = append(out, report.RunEntry{Kind: "Load test", Title: r.title(), Href: pageHref(runDir, path),
			Verdict: loadVerdict(&r), Detail: fmt.Sprintf("%s for %s · %d requests · p95 %s · %.2f%% as expected",
				r.load(), r.Duration, r.Counts.Requests, fmtDur(r.Latency.P95), 100*r.Counts.successRatio())})
	}
	caps, _ := filepath.Glob(filepath.Join(runDir, "load", "capacity-*", capacityFile))
	sort.Strings(caps)
	for _, path := range caps {
		var c CapacityReport
		if readJSON(path, &c) != nil {
			continue
		}
		v := report.Pass
		if !c.Passed() {
			v = report.Fail
		}
		if c.Ending == endInterrupted {
			v = report.Interrupted
		}
		out = append(out, report.RunEntry{Kind: "Capacity search", Title: c.Scenario, Href: pageHref(runDir, path),
			Verdict: v, Detail: fmt.Sprintf("capacity %s · %s · %d steps", capacityValue(&c), c.Ending, len(c.Steps))})
	}
	return out
}

func loadVerdict(r *Report) report.Verdict {
	switch {
	case r.Interrupted:
		return report.Interrupted
	case r.Passed():
		return report.Pass
	}
	return report.Fail
}

// pageHref is the report page beside a report file, relative to the run
// directory, with forward slashes for a URL.
func pageHref(runDir, file string) string {
	rel, err := filepath.Rel(runDir, filepath.Join(filepath.Dir(file), pageFile))
	if err != nil {
		return filepath.ToSlash(file)
	}
	return filepath.ToSlash(rel)
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

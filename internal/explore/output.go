package explore

import (
	"errors"
	"fmt"
	"github.com/rentix/mediaharness/internal/target"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rentix/mediaharness/internal/report"
)

// Report files, the same set conform writes.
const (
	ResultsFile  = report.ResultsFile
	SummaryFile  = "summary.md"
	HTMLFile     = "index.html"
	JUnitFile    = "junit.xml"
	FindingsFile = "findings.json"
)

// result gathers the run into a report.Summary: a feature per operation
// (a scenario per input class) and one for the sequences.
func (e *explorer) result(started time.Time) *Result {
	s := report.Summary{
		Version: report.Version, Kind: report.KindExploration, RunID: e.o.RunID, Target: e.describe(), Inferred: "fail",
		Tags:      fmt.Sprintf("explore seed=%d budget=%d", e.o.Seed, e.o.Budget),
		StartedAt: started.UTC(), Duration: report.Duration(time.Since(started)), Interruption: e.interruption,
		Fixtures: report.Fixtures{Created: e.mgr.Created(), Deleted: e.mgr.DeletedCount(), Ledger: target.LedgerFile},
		Traffic:  report.Traffic{Requests: e.requests, RateLimitWaits: int(e.c.Stats().RateLimitWaits), Retries: int(e.c.Stats().Retries)},
		Coverage: e.traffic.Coverage(), Drift: e.traffic.Drift(), Explored: e.explored(),
	}
	if e.cleanupErr != nil {
		s.Fixtures.CleanupError = e.cleanupErr.Error()
	}
	s.Features = e.features()
	for _, sc := range s.Scenarios() {
		s.Totals.Add(sc)
	}
	s.Totals.Counted = s.Totals.Failed
	s.SetVerdict(report.Pass)
	switch {
	case s.Totals.Failed > 0 || s.Fixtures.CleanupError != "":
		s.SetVerdict(report.Fail)
	case s.Interruption != "":
		s.SetVerdict(report.Interrupted)
	}
	return &Result{RunID: e.o.RunID, Dir: e.dir, Seed: e.o.Seed, Requests: e.requests, Findings: e.findings,
		Duration: time.Since(started), Summary: s}
}

func (e *explorer) describe() string { return e.sess.Describe() }

// features: one per operation, a scenario per input class, failed with
// every finding of that cell as its evidence.
func (e *explorer) features() []report.Feature {
	byCell := map[string][]Finding{}
	for _, f := range e.findings {
		byCell[f.Operation+"\x00"+f.Class] = append(byCell[f.Operation+"\x00"+f.Class], f)
	}
	var out []report.Feature
	for _, op := range e.table.ops() {
		uri := "explore/" + op
		ft := report.Feature{Name: op, URI: uri}
		for _, class := range e.table.classes() {
			c, found := e.table.get(op, class)
			if !found {
				continue
			}
			sc := report.Scenario{ID: uri + " » " + class, Name: fmt.Sprintf("%s (%d inputs)", class, c.Tried),
				URI: uri, Status: report.Passed}
			key := op + "\x00" + class
			if op == "sequences" {
				key = ""
				for _, f := range e.findings {
					if f.Group == "sequences" && f.Input == class {
						byCell[key] = append(byCell[key], f)
					}
				}
				sc.Name = class
			}
			if fs := byCell[key]; len(fs) > 0 {
				sc.Status, sc.Counted = report.Failed, true
				sc.Failure = failureOf(fs)
			}
			delete(byCell, "")
			ft.Scenarios = append(ft.Scenarios, sc)
		}
		out = append(out, ft)
	}
	if setup := e.setupFindings(); len(setup) > 0 {
		out = append(out, report.Feature{Name: "setup", URI: "explore/setup", Scenarios: []report.Scenario{{
			ID: "explore/setup » fixtures", Name: "fixtures", URI: "explore/setup", Status: report.Failed, Counted: true,
			Failure: failureOf(setup)}}})
	}
	return out
}

func (e *explorer) setupFindings() []Finding {
	var out []Finding
	for _, f := range e.findings {
		if f.Group == "setup" {
			out = append(out, f)
		}
	}
	return out
}

// failureOf is the failure of a cell: every finding's evidence, and the
// first one's operation and reproduction, which the reports show at once.
func failureOf(fs []Finding) *report.Failure {
	step := fs[0].Operation + " · " + fs[0].Input
	if fs[0].Group == "setup" {
		step = "upload"
	}
	return &report.Failure{Step: step, Message: findingsText(fs), Operation: fs[0].Operation, Curl: fs[0].Curl}
}

func findingsText(fs []Finding) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = f.Text()
	}
	return strings.Join(parts, "\n\n────────\n\n")
}

// writeReports writes results.json, summary.md (with every finding and
// its curl line), index.html, junit.xml and findings.json.
func (e *explorer) writeReports(res *Result) error {
	s := res.Summary
	writers := []struct {
		name  string
		write func(io.Writer) error
	}{
		{ResultsFile, func(w io.Writer) error { return report.WriteResults(w, s) }},
		{SummaryFile, func(w io.Writer) error {
			if err := report.WriteSummaryMarkdown(w, s); err != nil {
				return err
			}
			return e.writeFindings(w)
		}},
		{HTMLFile, func(w io.Writer) error { return report.WriteHTML(w, s) }},
		{JUnitFile, func(w io.Writer) error { return report.WriteJUnit(w, s) }},
		{FindingsFile, func(w io.Writer) error { return report.WriteJSON(w, nonNil(e.findings)) }},
	}
	var errs []error
	for _, wr := range writers {
		errs = append(errs, writeFile(filepath.Join(e.dir, wr.name), wr.write, e.redact))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("writing reports to %s: %w", e.dir, err)
	}
	return nil
}

func nonNil(fs []Finding) []Finding {
	if fs == nil {
		return []Finding{}
	}
	return fs
}

// writeFile writes through redact, so no key reaches a report.
func writeFile(path string, write func(io.Writer) error, redact func(string) string) error {
	var b strings.Builder
	if err := write(&b); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(redact(b.String())), 0o644)
}

// explored is the operations × input classes table of the run, with the
// sequences counted apart.
func (e *explorer) explored() *report.Exploration {
	x := &report.Exploration{Seed: e.o.Seed, Sequences: len(e.sequences), SequencesFailed: countFailed(e.sequences)}
	for _, c := range e.table.classes() {
		if _, isSeq := e.table.get("sequences", c); !isSeq {
			x.Classes = append(x.Classes, c)
		}
	}
	for _, op := range e.table.ops() {
		if op == "sequences" {
			continue
		}
		row := report.ExploredOperation{Operation: op}
		for _, class := range x.Classes {
			c, _ := e.table.get(op, class)
			row.Cells = append(row.Cells, report.ExploredCell{Class: class, Tried: c.Tried, Failed: c.Failed})
		}
		x.Operations = append(x.Operations, row)
	}
	return x
}

// writeFindings appends every finding with its evidence and curl line.
func (e *explorer) writeFindings(w io.Writer) error {
	var b strings.Builder
	if len(e.findings) > 0 {
		fmt.Fprintf(&b, "### Findings (%d)\n", len(e.findings))
	}
	for _, f := range e.findings {
		fmt.Fprintf(&b, "\n#### ✗ %s · %s · %s\n\n```\n%s\n```\n", f.Operation, f.Class, mdInline(f.Input), strings.ReplaceAll(f.Text(), "```", "'''"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func countFailed(rs []sequenceRecord) int {
	n := 0
	for _, r := range rs {
		if r.Failure != nil {
			n++
		}
	}
	return n
}

// printSummary prints the verdict, counts and each finding with its curl.
func (e *explorer) printSummary(res *Result) {
	s := res.Summary
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s  explore seed %d: %d input classes and sequences, %d failed · %d requests · %s\n",
		report.VerdictLabel(s.Verdict), e.o.Seed, s.Totals.Scenarios, s.Totals.Failed, s.Traffic.Requests, s.Duration)
	if s.Interruption != "" {
		fmt.Fprintf(&b, "  %s\n", s.Interruption)
	}
	fmt.Fprintf(&b, "  fixtures: %d created, %d deleted\n", s.Fixtures.Created, s.Fixtures.Deleted)
	for _, f := range res.Findings {
		fmt.Fprintf(&b, "  ✗ %s · %s · %s\n      %s\n", f.Operation, f.Class, f.Input, firstLine(f.Message))
		for i, st := range f.Steps {
			fmt.Fprintf(&b, "      %d. %s\n", i+1, st)
		}
		if f.Curl != "" {
			fmt.Fprintf(&b, "      %s\n", f.Curl)
		}
	}
	fmt.Fprintf(&b, "reproduce the run: mediaharness explore --seed %d --budget %d\nreports: %s\n",
		e.o.Seed, e.o.Budget, filepath.Join(e.dir, HTMLFile))
	_, _ = io.WriteString(e.o.Stdout, e.redact(b.String()))
}

// mdInline keeps a generated input on one Markdown line.
func mdInline(s string) string { return strings.Join(strings.Fields(strconv.QuoteToGraphic(s)), " ") }

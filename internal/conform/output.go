package conform

import (
	"errors"
	"fmt"
	"github.com/rentix/mediaharness/internal/target"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/rentix/mediaharness/internal/report"
)

// Report files conform writes into the run directory, beside junit.xml,
// cucumber.json and the ledger.
const (
	ResultsFile  = report.ResultsFile
	SummaryFile  = "summary.md"
	CoverageFile = "coverage.json"
	DriftFile    = "drift.json"
	HTMLFile     = "index.html"
)

// summarize gathers everything the run found into one report.Summary and
// judges it.
func (r *runner) summarize(started time.Time, why string) report.Summary {
	stats, burst := r.client.Stats(), r.burst.Stats()
	stats.Requests += burst.Requests
	stats.RateLimitWaits += burst.RateLimitWaits
	stats.Retries += burst.Retries
	s := report.Summary{
		Version: report.Version, RunID: r.o.RunID, Target: r.sess.Describe(),
		Tags: r.o.Tags, Inferred: r.o.Inferred, Strict: r.o.Strict,
		StartedAt: started.UTC(), Duration: report.Duration(time.Since(started)),
		Interruption: why,
		Features:     r.rec.scenarios(r.red.String, r.sess.BaseURL),
		Fixtures:     report.Fixtures{Created: r.mgr.Created(), Deleted: r.mgr.DeletedCount(), Ledger: target.LedgerFile},
		Traffic: report.Traffic{Requests: int(stats.Requests), RateLimitWaits: int(stats.RateLimitWaits),
			Retries: int(stats.Retries)},
		Coverage: r.traffic.Coverage(),
		Drift:    r.traffic.Drift(),
	}
	if r.cleanupErr != nil {
		s.Fixtures.CleanupError = r.cleanupErr.Error()
	}
	if r.baseline != nil {
		s.Baseline = compareBaseline(r.baseline, baselineName(r.baseline, r.o.Baseline), s.Features)
	}
	policy{warnInferred: r.o.Inferred == InferredWarn, onlyRegressions: r.o.FailOnlyOnRegressions,
		strict: r.o.Strict}.judge(&s)
	return s
}

// writeReports writes the reports of s into the run directory, then
// redacts every file there (godog's cucumber.json included).
func (r *runner) writeReports(s report.Summary) error {
	writers := []struct {
		name  string
		write func(io.Writer, report.Summary) error
	}{
		{ResultsFile, report.WriteResults},
		{SummaryFile, report.WriteSummaryMarkdown},
		{CoverageFile, report.WriteCoverageJSON},
		{DriftFile, report.WriteDriftJSON},
		{HTMLFile, report.WriteHTML},
		{junitFile, report.WriteJUnit},
	}
	var errs []error
	for _, w := range writers {
		errs = append(errs, writeFile(filepath.Join(r.dir, w.name), func(f io.Writer) error { return w.write(f, s) }))
	}
	errs = append(errs, r.red.cucumber(filepath.Join(r.dir, cucumberFile)), r.red.dir(r.dir))
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("writing reports to %s: %w", r.dir, err)
	}
	return nil
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// printSummary prints the verdict, the counts, each failure's first line
// and where the reports are, through the redactor.
func (r *runner) printSummary(s report.Summary) {
	w := newLineWriter(r.o.Stdout, r.red)
	defer w.Flush()
	t := s.Totals
	fmt.Fprintf(w, "\n%s  %d scenarios: %d passed, %d failed (%d documented, %d inferred), %d skipped · %s\n",
		report.VerdictLabel(s.Verdict), t.Scenarios, t.Passed, t.Failed, t.DocumentedFailures, t.InferredFailures, t.Skipped, s.Duration)
	fmt.Fprintf(w, "  target: %s\n", s.Target)
	if s.Interruption != "" {
		fmt.Fprintf(w, "  stopped early: %s\n", s.Interruption)
	}
	if b := s.Baseline; b != nil {
		fmt.Fprintf(w, "  against %s: %d new, %d known, %d fixed\n", b.From, len(b.Regressions), len(b.Known), len(b.Fixed))
	}
	fmt.Fprintf(w, "  fixtures: %d created, %d deleted · requests: %d (%d rate-limit waits)\n",
		s.Fixtures.Created, s.Fixtures.Deleted, s.Traffic.Requests, s.Traffic.RateLimitWaits)
	if len(s.Drift) > 0 {
		fmt.Fprintf(w, "  drift: %d distinct (%s)\n", len(s.Drift), DriftFile)
	}
	if s.Fixtures.CleanupError != "" {
		fmt.Fprintf(w, "  ✗ fixture cleanup incomplete: some may be left on the target\n      delete them with: mediaharness sweep --ledger %s (and the target flags)\n",
			filepath.Join(r.dir, target.LedgerFile))
	}
	printSkips(w, s)
	printFailures(w, s)
	fmt.Fprintf(w, "reports: %s\n", filepath.Join(r.dir, HTMLFile))
}

// consoleScenarios is how many scenarios of one finding the console names.
const consoleScenarios = 5

// printSkips gives each reason for skipping once, with how many it skipped.
func printSkips(w io.Writer, s report.Summary) {
	groups := s.SkipGroups()
	if len(groups) == 0 {
		return
	}
	fmt.Fprintf(w, "  skipped %d:\n", s.Totals.Skipped)
	for _, g := range groups {
		fmt.Fprintf(w, "    %3d × %s\n", len(g.Scenarios), g.Reason)
	}
}

// printFailures gives each distinct finding (rule × operation) once, the
// scenarios that ran into it, and a curl that sends its request again.
func printFailures(w io.Writer, s report.Summary) {
	groups := s.FailureGroups()
	if len(groups) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%d distinct finding(s) in %d failed scenario(s):\n", len(groups), len(s.Failures()))
	for i, g := range groups {
		fmt.Fprintf(w, "\n  ✗ %d. %s\n", i+1, g.Title())
		for j, sc := range g.Scenarios {
			if j == consoleScenarios {
				fmt.Fprintf(w, "      … and %d more\n", len(g.Scenarios)-j)
				break
			}
			fmt.Fprintf(w, "      %s [%s]\n", sc.ID, report.FailureKind(sc))
		}
		if c := g.Curl(); c != "" {
			fmt.Fprintf(w, "      reproduce: %s\n", c)
		}
	}
	fmt.Fprintln(w)
}

func newResult(s report.Summary, dir string, cleanupErr error) *Result {
	res := &Result{
		RunID: s.RunID, Dir: dir, Verdict: s.Verdict,
		Passed: s.Totals.Passed, Failed: s.Totals.Failed, Skipped: s.Totals.Skipped,
		DocumentedFailures: s.Totals.DocumentedFailures, InferredFailures: s.Totals.InferredFailures,
		Drift:           len(s.Drift),
		FixturesCreated: s.Fixtures.Created, FixturesDeleted: s.Fixtures.Deleted, CleanupError: cleanupErr,
		Requests: s.Traffic.Requests, RateLimitWaits: s.Traffic.RateLimitWaits,
		Duration: time.Duration(s.Duration), Interrupted: s.Interruption != "",
		Summary: s,
	}
	if b := s.Baseline; b != nil {
		res.Regressions, res.KnownFailures, res.Fixed = len(b.Regressions), len(b.Known), len(b.Fixed)
	}
	return res
}

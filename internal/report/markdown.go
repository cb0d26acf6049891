package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxMarkdownFailures caps the failure list of the Markdown summary; the
// HTML report and results.json always hold every failure.
const MaxMarkdownFailures = 50

// maxReason is the longest reason line, in runes, in the Markdown summary.
const maxReason = 200

// WriteSummaryMarkdown writes a short Markdown summary fit for a CI job page
// ($GITHUB_STEP_SUMMARY): the verdict and counts, the failures with the
// first line of their reason, what an exploration exercised, the coverage
// matrix and the drift.
func WriteSummaryMarkdown(w io.Writer, s Summary) error {
	bw := bufio.NewWriter(w)
	mdHeader(bw, s)
	mdCounts(bw, s)
	mdFailures(bw, s)
	mdSkips(bw, s)
	mdExplored(bw, s.Explored)
	mdCoverage(bw, s.Coverage)
	mdDrift(bw, s)
	return bw.Flush()
}

// VerdictLabel is the verdict as a short label with a symbol.
func VerdictLabel(v Verdict) string {
	switch v {
	case Pass:
		return "✅ PASS"
	case PassWarned:
		return "⚠️ PASS with warnings"
	case Fail:
		return "❌ FAIL"
	case Interrupted:
		return "⛔ INTERRUPTED"
	}
	return strings.ToUpper(string(v))
}

func mdHeader(w io.Writer, s Summary) {
	fmt.Fprintf(w, "## Rentix Media API %s: %s\n\n", s.Subject(), VerdictLabel(s.Verdict))
	fmt.Fprintf(w, "Run `%s` against `%s`", s.RunID, s.Target)
	if s.Tags != "" {
		fmt.Fprintf(w, " · tags `%s`", s.Tags)
	}
	fmt.Fprintf(w, " · inferred: %s", inferredMode(s.Inferred))
	if s.Strict {
		fmt.Fprint(w, " · strict (drift fails)")
	}
	fmt.Fprint(w, "\n\n")
	if s.Interruption != "" {
		fmt.Fprintf(w, "> **Stopped early:** %s\n\n", mdInline(s.Interruption))
	}
	if s.Fixtures.CleanupError != "" {
		fmt.Fprintf(w, "> **Cleanup incomplete:** %s\n\n", mdInline(s.Fixtures.CleanupError))
	}
}

func inferredMode(m string) string {
	if m == "warn" {
		return "warn (inferred failures do not fail the run)"
	}
	return "fail"
}

func mdCounts(w io.Writer, s Summary) {
	t := s.Totals
	fmt.Fprint(w, "| | |\n|---|---|\n")
	fmt.Fprintf(w, "| Scenarios | %d: %d passed, %d failed, %d skipped |\n", t.Scenarios, t.Passed, t.Failed, t.Skipped)
	fmt.Fprintf(w, "| Failures | %d documented, %d inferred; %d counted |\n", t.DocumentedFailures, t.InferredFailures, t.Counted)
	if b := s.Baseline; b != nil {
		fmt.Fprintf(w, "| Against baseline `%s` | %d new, %d known, %d fixed |\n",
			mdCode(b.From), len(b.Regressions), len(b.Known), len(b.Fixed))
	}
	fmt.Fprintf(w, "| Fixtures | %d created, %d deleted |\n", s.Fixtures.Created, s.Fixtures.Deleted)
	fmt.Fprintf(w, "| Requests | %d (%d rate-limit waits, %d retries) |\n",
		s.Traffic.Requests, s.Traffic.RateLimitWaits, s.Traffic.Retries)
	rec, doc, undoc := CoverageCounts(s.Coverage)
	fmt.Fprintf(w, "| Coverage | %d of %d documented statuses received, %d undocumented |\n", rec, doc, undoc)
	fmt.Fprintf(w, "| Drift | %d distinct |\n", len(s.Drift))
	fmt.Fprintf(w, "| Duration | %s |\n\n", s.Duration)
}

// mdFailures lists each distinct finding (rule × operation) once, with the
// scenarios that ran into it and a reproduction; at most
// MaxMarkdownFailures scenarios in all.
func mdFailures(w io.Writer, s Summary) {
	groups := s.FailureGroups()
	if len(groups) == 0 {
		return
	}
	fmt.Fprintf(w, "### Failures: %s in %s\n\n", plural(len(groups), "distinct finding"), plural(len(s.Failures()), "scenario"))
	listed := 0
	for i, g := range groups {
		if listed >= MaxMarkdownFailures {
			fmt.Fprintf(w, "… and %d more findings (see index.html)\n\n", len(groups)-i)
			return
		}
		fmt.Fprintf(w, "**%d. %s** (%s)\n\n| Scenario | Kind | Failed step |\n|---|---|---|\n", i+1, mdGroupTitle(g), plural(len(g.Scenarios), "scenario"))
		for j, sc := range g.Scenarios {
			if listed == MaxMarkdownFailures {
				fmt.Fprintf(w, "| … and %d more (see index.html) | | |\n", len(g.Scenarios)-j)
				break
			}
			listed++
			fmt.Fprintf(w, "| %s | %s | %s |\n", mdCell(sc.ID), FailureKind(sc), mdCell(failedStep(sc)))
		}
		fmt.Fprintln(w)
		if c := g.Curl(); c != "" {
			fence := mdFence(c)
			fmt.Fprintf(w, "<details><summary>%s</summary>\n\n%ssh\n%s\n%s\n\n</details>\n\n",
				reproduceLabel(c, "with"), fence, c, fence)
		}
	}
}

// failedStep is the step a failure happened in; the group's title already
// says what broke.
func failedStep(sc Scenario) string {
	if sc.Failure == nil || sc.Failure.Step == "" {
		return "–"
	}
	return sc.Failure.Step
}

func mdGroupTitle(g FailureGroup) string {
	if g.Operation == "" {
		return mdInline(g.Detail())
	}
	return "`" + mdCode(g.Operation) + "` · " + mdInline(g.Detail())
}

// mdFence is a code fence longer than any run of backticks in s.
func mdFence(s string) string {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// mdSkips lists why scenarios were skipped, the most common reason first.
func mdSkips(w io.Writer, s Summary) {
	groups := s.SkipGroups()
	if len(groups) == 0 {
		return
	}
	fmt.Fprintf(w, "### Skipped (%d)\n\n| Reason | Scenarios | For example |\n|---|--:|---|\n", s.Totals.Skipped)
	for _, g := range groups {
		fmt.Fprintf(w, "| %s | %d | %s |\n", mdCell(g.Reason), len(g.Scenarios), mdCell(g.Scenarios[0].ID))
	}
	fmt.Fprintln(w)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// FailureKind describes a failure: documented or inferred, new or known,
// and whether it counts toward the exit code.
func FailureKind(sc Scenario) string {
	parts := []string{"documented"}
	if sc.Inferred {
		parts[0] = "inferred"
	}
	if sc.Baseline != "" {
		parts = append(parts, sc.Baseline)
	}
	if !sc.Counted {
		parts = append(parts, "not counted")
	}
	return strings.Join(parts, ", ")
}

// Reason is a one-line reason for a failure: the step and what broke (the
// contract finding, or the expectation with its want and got), cut to a
// readable length.
func Reason(sc Scenario) string {
	if sc.Failure == nil {
		return ""
	}
	r := detail(sc.Failure.Message)
	if sc.Failure.Step != "" {
		r = sc.Failure.Step + ": " + r
	}
	if utf8.RuneCountInString(r) > maxReason {
		r = string([]rune(r)[:maxReason-1]) + "…"
	}
	return r
}

// detail is the broken rule of a failure message, with what came instead
// when a step compared a want and a got.
func detail(message string) string {
	rule := ruleOf(message)
	lines := strings.Split(strings.TrimSpace(message), "\n")
	if _, ok := wantGot(lines, "want:"); !ok {
		return rule
	}
	if got, ok := wantGot(lines, "got:"); ok {
		return rule + ", got " + got
	}
	return rule
}

func mdCoverage(w io.Writer, cov []OperationCoverage) {
	if len(cov) == 0 {
		return
	}
	statuses := CoverageStatuses(cov)
	fmt.Fprint(w, "### Coverage\n\n✓ documented and received, · documented but not received, ! received but not documented\n\n| Operation |")
	for _, st := range statuses {
		fmt.Fprintf(w, " %d |", st)
	}
	fmt.Fprint(w, "\n|---|")
	for range statuses {
		fmt.Fprint(w, ":-:|")
	}
	fmt.Fprintln(w)
	for _, c := range cov {
		fmt.Fprintf(w, "| `%s` |", c.Operation)
		for _, st := range statuses {
			fmt.Fprintf(w, " %s |", c.Mark(st))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
}

func mdDrift(w io.Writer, s Summary) {
	if len(s.Drift) == 0 {
		return
	}
	note := "reported, does not fail the run"
	if s.Strict {
		note = "fails the run (strict)"
	}
	fmt.Fprintf(w, "### Drift (%d, %s)\n\n| Operation | Status | Where | Message | Seen |\n|---|---|---|---|---|\n", len(s.Drift), note)
	for _, d := range s.Drift {
		where := strings.TrimSpace(string(d.Rule) + " " + d.Pointer)
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %d |\n",
			d.Operation, statusOrDash(d.Status), mdCell(where), mdCell(d.Message), d.Count)
	}
	fmt.Fprintln(w)
}

func statusOrDash(s int) string {
	if s == 0 {
		return "–"
	}
	return statusText(s)
}

// mdCell makes text safe inside a Markdown table cell: one line, pipes
// escaped, HTML neutralised (GitHub renders some inline HTML).
func mdCell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return mdInline(s)
}

var mdEscaper = strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "&", "&amp;", "`", "\\`")

func mdInline(s string) string {
	return mdEscaper.Replace(strings.Join(strings.Fields(s), " "))
}

// mdCode makes text safe inside `code`.
func mdCode(s string) string { return strings.ReplaceAll(s, "`", "'") }

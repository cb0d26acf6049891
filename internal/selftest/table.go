package selftest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Table layout: how many catches a row lists, and how long each may be.
const (
	maxCatches    = 2
	maxCatchRunes = 360
)

// Markdown renders the score and the table of faults: what caught each, or
// that nothing did. It is a pure function of the Result.
func (r *Result) Markdown() string {
	var b strings.Builder
	caught, total := r.Score()
	fmt.Fprintf(&b, "# Mutation check\n\n%s **%s**: %d of %d faults caught (%s), %s · %s · %s\n\n",
		verdictMark(r.Passed()), r.verdict(), caught, total, percent(caught, total), r.cleanWord(), r.scope(), r.Duration)
	r.writeClean(&b)
	b.WriteString("| fault | area | result | caught by |\n|---|---|---|---|\n")
	for _, o := range r.Faults {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", o.Fault, area(o), result(o), cell(o.CaughtBy()))
	}
	if r.EveryScenario {
		b.WriteString("\nEvery fault's suite ran to the end (--every-scenario), a load-only fault's after its short load probe " +
			"(thresholds in mutation/probe-slo.yaml); its report is in mutation/<fault>/.\n")
	} else {
		b.WriteString("\nEach fault is tested until something catches it: a load-only fault by a short load probe first " +
			"(thresholds in mutation/probe-slo.yaml), then by the suite, which stops at its first failed scenario " +
			"(so its report in mutation/<fault>/ says the run was cancelled there).\n")
	}
	if missed := r.Missed(); len(missed) > 0 {
		fmt.Fprintf(&b, "\nMissed (%d): %s. Each is a behaviour the suite does not check yet.\n", len(missed), strings.Join(missed, ", "))
	}
	if notRun := r.NotRun(); len(notRun) > 0 {
		fmt.Fprintf(&b, "\nNot run (%d), the self-test was interrupted first: %s.\n", len(notRun), strings.Join(notRun, ", "))
	}
	if r.EveryScenario {
		r.writeUnbroken(&b)
	}
	return b.String()
}

// writeUnbroken lists the scenarios no fault made fail: where a new fault
// would prove something the catalogue does not.
func (r *Result) writeUnbroken(b *strings.Builder) {
	unbroken, total := r.Unbroken()
	fmt.Fprintf(b, "\n## Scenarios no fault breaks\n\n%d of %d scenarios of the clean run failed against no fault (%s).",
		len(unbroken), total, r.BrokenLine())
	if r.Interrupted || len(r.NotRun()) > 0 {
		b.WriteString(" The self-test was interrupted, so some of them may be broken by a fault not run.")
	}
	b.WriteString("\n\n")
	for _, id := range unbroken {
		fmt.Fprintf(b, "- %s\n", id)
	}
}

func (r *Result) verdict() string {
	switch {
	case r.Interrupted:
		return "INTERRUPTED"
	case r.Passed():
		return "PASS"
	}
	return "FAIL"
}

func (r *Result) cleanWord() string {
	switch {
	case r.Clean.Failed():
		return "false alarm on the clean server"
	case r.Clean.Suite.NotRun:
		return "the clean server's suite did not finish"
	}
	return "no false alarm on the clean server"
}

func (r *Result) scope() string {
	if r.Fast {
		return "fast subset"
	}
	return "faults tested: " + fmt.Sprint(len(r.Faults))
}

// writeClean says how the clean server fared; a false alarm lists what
// failed, since it makes every catch below suspect.
func (r *Result) writeClean(b *strings.Builder) {
	c := r.Clean
	fmt.Fprintf(b, "Clean reference server: suite %d passed, %d failed, %d skipped", c.Suite.Passed, c.Suite.Failed, c.Suite.Skipped)
	if c.Load != nil {
		word := "every threshold kept"
		if c.Load.failed() {
			word = "thresholds broken"
		}
		fmt.Fprintf(b, "; load %s at %s: %s", c.Load.Scenario, c.Load.Rate, word)
	}
	b.WriteString(".\n\n")
	for _, by := range c.CaughtBy() {
		fmt.Fprintf(b, "- false alarm: %s\n", escape(by))
	}
	if c.Failed() {
		b.WriteString("\n")
	}
}

func area(o Outcome) string {
	if o.LoadOnly {
		return o.Area + " (load only)"
	}
	return o.Area
}

func result(o Outcome) string {
	switch {
	case o.Failed():
		return "✅ caught"
	case o.Suite.NotRun:
		return "⏸ not run"
	}
	return "❌ missed"
}

func verdictMark(ok bool) string {
	if ok {
		return "✅"
	}
	return "❌"
}

func percent(n, total int) string {
	if total == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(n)/float64(total))
}

// cell lists the first catches, each cut to a readable length.
func cell(by []string) string {
	if len(by) == 0 {
		return "—"
	}
	parts := make([]string, 0, maxCatches+1)
	for _, s := range by[:min(len(by), maxCatches)] {
		parts = append(parts, escape(cut(s, maxCatchRunes)))
	}
	if more := len(by) - maxCatches; more > 0 {
		parts = append(parts, fmt.Sprintf("and %d more", more))
	}
	return strings.Join(parts, "<br>")
}

func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// escape keeps text inside its table cell.
func escape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ").Replace(s)
}

// write saves mutation.json (the data) and mutation.md (its rendering).
func (r *Result) write(dir string) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, JSONFile), append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, MarkdownFile), []byte(r.Markdown()), 0o644)
}

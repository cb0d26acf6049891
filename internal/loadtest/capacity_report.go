package loadtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
)

// Files of a capacity search, in <rundir>/load/capacity-<scenario>/.
const (
	capacityFile     = "capacity.json"
	capacityTextFile = "capacity.txt"
)

// WriteText writes the table of steps and the conclusion.
func (c *CapacityReport) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "Capacity search: scenario %s against %s (thresholds: %s)\n\n", c.Scenario, c.Target, c.SLOSource)
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "step\tphase\trate\tachieved\tp50\tp95\tp99\tp95 (actual send)\tsuccess\t429 share\tviolations\tverdict")
	for i, s := range c.Steps {
		verdict := s.Verdict
		if len(s.Broken) > 0 {
			verdict += " (" + strings.Join(s.Broken, ", ") + ")"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", i+1, s.Phase, formatRate(s.Rate), formatRate(s.Achieved),
			fmtDur(s.P50), fmtDur(s.P95), fmtDur(s.P99), fmtDur(s.ServiceP95), fmtRatio(s.Success), fmtRatio(s.Share429), s.Violations, verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nEnding: %s\n", c.Ending)
	if c.Passed() {
		fmt.Fprintf(w, "Capacity: %s\n", formatRate(c.Capacity))
	} else {
		fmt.Fprintln(w, "Capacity: none")
	}
	fmt.Fprintf(w, "Why: %s\n", c.Reason)
	for _, n := range c.Notes {
		fmt.Fprintf(w, "Note: %s\n", n)
	}
	f := c.Fixtures
	_, err := fmt.Fprintf(w, "Fixtures: %d created, %d deleted by the scenario, %d cleaned up\n", f.Created, f.DeletedByScenario, f.CleanedUp)
	if f.CleanupError != "" {
		fmt.Fprintf(w, "  %s\n", f.CleanupError)
	}
	return err
}

// stepLine prints a capacity step as soon as it is measured, so a long
// search shows its way up instead of one table at the end.
func (s *session) stepLine(n int, st capacityStep) {
	if s.o.Progress == nil {
		return
	}
	verdict := st.Verdict
	if len(st.Broken) > 0 {
		verdict += " (" + strings.Join(st.Broken, ", ") + ")"
	}
	fmt.Fprintf(s.o.Progress, "· step %d %s %s: achieved %s, p95 %s, p99 %s, success %s, 429 share %s → %s\n",
		n, st.Phase, formatRate(st.Rate), formatRate(st.Achieved), fmtDur(st.P95), fmtDur(st.P99),
		fmtRatio(st.Success), fmtRatio(st.Share429), verdict)
}

// markdown is the search's section of summary.md.
func (c *CapacityReport) markdown() string {
	var b strings.Builder
	figure := "none"
	if c.Passed() {
		figure = formatRate(c.Capacity)
	}
	fmt.Fprintf(&b, "### Capacity: %s — %s (%s)\n\n%s\n\n", c.Scenario, figure, c.Ending, c.Reason)
	b.WriteString("| rate | achieved | p95 | p99 | success | 429 share | verdict |\n|---|---|---|---|---|---|---|\n")
	for _, s := range c.Steps {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", formatRate(s.Rate), formatRate(s.Achieved),
			fmtDur(s.P95), fmtDur(s.P99), fmtRatio(s.Success), fmtRatio(s.Share429), s.Verdict)
	}
	return b.String()
}

func (c *CapacityReport) writeFiles(runDir string) error {
	dir := filepath.Join(runDir, "load", "capacity-"+c.Scenario)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	c.Dir = dir
	var text bytes.Buffer
	if err := c.WriteText(&text); err != nil {
		return err
	}
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	var page bytes.Buffer
	if err := c.writePage(&page); err != nil {
		return err
	}
	for name, content := range map[string][]byte{
		capacityFile: append(data, '\n'), capacityTextFile: text.Bytes(), sectionFile: []byte(c.markdown()),
		pageFile: page.Bytes(),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			return err
		}
	}
	return writeLoadSummary(filepath.Dir(dir))
}

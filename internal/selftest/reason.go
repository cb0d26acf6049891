package selftest

import (
	"strings"
	"unicode"

	"github.com/rentix/mediaharness/internal/report"
)

// maxReasonRunes bounds a reason in the table.
const maxReasonRunes = 240

// reason folds a scenario's failure into one line a reader can judge the
// catch by: the step, then the rule with what was wanted and what came, or
// for a go-cmp diff its first changed lines; for a broken contract, the
// request and its first finding (the request says what the step did). The
// exchanges after it are left to the fault's report.
func reason(f *report.Failure) string {
	if f == nil {
		return ""
	}
	lines := strings.Split(strings.TrimSpace(f.Message), "\n")
	head := headline(lines)
	switch {
	case strings.Contains(head, "broke the contract"):
		return cut(oneLine(head+": "+firstFinding(lines)), maxReasonRunes)
	case strings.HasSuffix(head, "(-want +got):"):
		head += " " + firstChanges(lines)
	}
	if f.Step != "" {
		head = f.Step + ": " + head
	}
	return cut(oneLine(head), maxReasonRunes)
}

// headline is the message up to its first blank line or exchange.
func headline(lines []string) string {
	var out []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "→") || strings.HasPrefix(t, "←") {
			break
		}
		out = append(out, t)
		if strings.HasSuffix(t, "(-want +got):") {
			break
		}
	}
	return strings.Join(out, " ")
}

// firstFinding is the first rule the contract check names ("response.body
// /id: ...", "request.header ...").
func firstFinding(lines []string) string {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "response.") || strings.HasPrefix(t, "request.") {
			return t
		}
	}
	return "(no finding named)"
}

// firstChanges are the first removed and added lines of a go-cmp diff.
func firstChanges(lines []string) string {
	var out []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if len(out) < 2 && changed(t) {
			out = append(out, t[:1]+" "+strings.TrimSpace(t[1:]))
		}
	}
	return strings.Join(out, " ")
}

// changed: a go-cmp diff line that removes or adds ("-" or "+" and a
// space; go-cmp may use a non-breaking one).
func changed(line string) bool {
	r := []rune(line)
	return len(r) > 1 && (r[0] == '-' || r[0] == '+') && unicode.IsSpace(r[1])
}

// errorHeadline is an error in one line without the exchange it carries as
// evidence, keeping a broken contract's first finding.
func errorHeadline(err error) string {
	lines := strings.Split(strings.TrimSpace(err.Error()), "\n")
	head := headline(lines)
	if strings.Contains(head, "broke the contract") {
		head += ": " + firstFinding(lines)
	}
	return cut(oneLine(head), maxReasonRunes)
}

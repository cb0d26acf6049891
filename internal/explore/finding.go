package explore

import (
	"fmt"
	"sort"
	"strings"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
)

// Finding is one answer an oracle refused, with what reproduces it.
type Finding struct {
	Group     string `json:"group"`     // "inputs" or "sequences"
	Operation string `json:"operation"` // operationId
	Class     string `json:"class"`     // input class: valid, bounds, reserved, ...
	Input     string `json:"input"`     // the input in a few words
	Message   string `json:"message"`   // what is wrong, then the evidence
	// Curl reproduces the request with the key as the variable of the
	// agency that sent it ($RENTIX_API_KEY, $RENTIX_OTHER_API_KEY).
	Curl string `json:"curl,omitempty"`
	// Steps is a shrunk failing sequence, one step a line.
	Steps []string `json:"steps,omitempty"`
}

// Text is the finding as a person reads it: message, steps, curl.
func (f Finding) Text() string {
	var b strings.Builder
	b.WriteString(f.Message)
	if len(f.Steps) > 0 {
		fmt.Fprintf(&b, "\n\nshortest failing sequence (%d steps):\n", len(f.Steps))
		for i, s := range f.Steps {
			fmt.Fprintf(&b, "  %d. %s\n", i+1, s)
		}
	}
	if f.Curl != "" {
		b.WriteString("\n\nreproduce:\n  " + f.Curl)
	}
	return b.String()
}

// curl is a copy-pasteable command that sends r again; the key stays in
// the environment variable of the agency it belongs to, so the line never
// holds it.
func curl(base, agency string, r client.Request, body []byte) string {
	parts := []string{"curl", "-sS", "-i", "-X", r.Method, shellQuote(base + r.Path)}
	parts = append(parts, "-H", `"Authorization: ApiKey `+config.KeyVariable(agency)+`"`)
	if body != nil {
		ct := "application/json"
		if h := r.Header.Get("Content-Type"); h != "" {
			ct = h
		}
		parts = append(parts, "-H", shellQuote("Content-Type: "+ct), "--data-binary", shellQuote(string(body)))
	}
	return strings.Join(parts, " ")
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// classTable counts, for each operation and input class, the inputs tried
// and the ones that failed.
type classTable struct {
	cells map[string]map[string]*cell
}

type cell struct{ Tried, Failed int }

func newClassTable() *classTable { return &classTable{cells: map[string]map[string]*cell{}} }

func (t *classTable) add(op, class string, failed bool) {
	row := t.cells[op]
	if row == nil {
		row = map[string]*cell{}
		t.cells[op] = row
	}
	c := row[class]
	if c == nil {
		c = &cell{}
		row[class] = c
	}
	c.Tried++
	if failed {
		c.Failed++
	}
}

// ops and classes list the table's rows and columns in a stable order.
func (t *classTable) ops() []string { return sortedKeys(t.cells) }

func (t *classTable) classes() []string {
	seen := map[string]bool{}
	for _, row := range t.cells {
		for c := range row {
			seen[c] = true
		}
	}
	return sortedKeys(seen)
}

func (t *classTable) get(op, class string) (cell, bool) {
	c, ok := t.cells[op][class]
	if !ok {
		return cell{}, false
	}
	return *c, true
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

package report

import (
	"fmt"
	"io"
	"strings"
)

// Kinds of run a Summary reports on; the zero Kind is a conformance run.
const (
	KindConformance = "conformance"
	KindExploration = "exploration"
)

// Subject is what the run was, as its reports title it: "conformance"
// or "exploration".
func (s Summary) Subject() string {
	if s.Kind == "" {
		return KindConformance
	}
	return s.Kind
}

// Exploration is what an explore run exercised: each operation against
// each input class, and the sequences it checked against its model.
type Exploration struct {
	Seed       int64               `json:"seed"`
	Classes    []string            `json:"classes"` // the table's columns
	Operations []ExploredOperation `json:"operations"`
	Sequences  int                 `json:"sequences"`
	// SequencesFailed counts the sequences whose target disagreed with
	// the model.
	SequencesFailed int `json:"sequencesFailed"`
}

// ExploredOperation is one row of the table: a cell per class of
// Exploration.Classes, in that order.
type ExploredOperation struct {
	Operation string         `json:"operation"`
	Cells     []ExploredCell `json:"cells"`
}

// ExploredCell counts the inputs of one class tried on one operation, and
// the ones that failed. Tried is 0 where the class does not apply.
type ExploredCell struct {
	Class  string `json:"class"`
	Tried  int    `json:"tried"`
	Failed int    `json:"failed"`
}

// Mark is the cell as the tables show it: "–" (not tried), "✓ 12"
// (tried, none failed) or "✗ 2/12" (failed of tried).
func (c ExploredCell) Mark() string {
	switch {
	case c.Tried == 0:
		return "–"
	case c.Failed > 0:
		return fmt.Sprintf("✗ %d/%d", c.Failed, c.Tried)
	}
	return fmt.Sprintf("✓ %d", c.Tried)
}

// mdExplored writes the operations × input classes table.
func mdExplored(w io.Writer, x *Exploration) {
	if x == nil {
		return
	}
	fmt.Fprintf(w, "### Operations × input classes (seed %d)\n\n✓ inputs tried, none failed · ✗ failed of tried · – not tried\n\n| Operation |", x.Seed)
	for _, c := range x.Classes {
		fmt.Fprintf(w, " %s |", mdCell(c))
	}
	fmt.Fprint(w, "\n|---|"+strings.Repeat(":-:|", len(x.Classes))+"\n")
	for _, op := range x.Operations {
		fmt.Fprintf(w, "| `%s` |", mdCode(op.Operation))
		for _, c := range op.Cells {
			fmt.Fprintf(w, " %s |", c.Mark())
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\nSequences run against the model: %d, failed: %d.\n\n", x.Sequences, x.SequencesFailed)
}

// exploredClass colours a cell of the HTML table like the coverage matrix:
// passed green, failed red.
func exploredClass(c ExploredCell) string {
	switch {
	case c.Tried == 0:
		return "none"
	case c.Failed > 0:
		return "undoc"
	}
	return "got"
}

package report

import (
	"slices"
	"strconv"

	"github.com/rentix/mediaharness/internal/contract"
)

// Mark is what one cell of the coverage matrix shows.
type Mark string

// Coverage marks.
const (
	MarkReceived     Mark = "✓" // documented and received
	MarkMissed       Mark = "·" // documented, not received by this run
	MarkUndocumented Mark = "!" // received, not documented
	MarkNone         Mark = ""  // neither
)

// CoverageStatuses returns every status that appears in the matrix, sorted:
// the columns of the coverage table.
func CoverageStatuses(cov []OperationCoverage) []int {
	var all []int
	for _, c := range cov {
		all = append(all, c.Documented...)
		all = append(all, c.Undocumented...)
	}
	slices.Sort(all)
	return slices.Compact(all)
}

// Mark returns the cell of the matrix for one status.
func (c OperationCoverage) Mark(status int) Mark {
	switch {
	case slices.Contains(c.Undocumented, status):
		return MarkUndocumented
	case slices.Contains(c.Received, status):
		return MarkReceived
	case slices.Contains(c.Documented, status):
		return MarkMissed
	}
	return MarkNone
}

// CoverageCounts returns how many documented (operation, status) pairs the
// run received, out of how many, and how many undocumented pairs it saw.
func CoverageCounts(cov []OperationCoverage) (received, documented, undocumented int) {
	for _, c := range cov {
		received += len(c.Received)
		documented += len(c.Documented)
		undocumented += len(c.Undocumented)
	}
	return
}

func statusText(s int) string { return strconv.Itoa(s) }

// StatusCoverage lists, for every operation of the contract, the documented
// statuses, those received, and those received but not documented.
func StatusCoverage(ops []contract.OperationInfo, received map[string]map[int]bool) []OperationCoverage {
	out := make([]OperationCoverage, 0, len(ops))
	for _, op := range ops {
		c := OperationCoverage{Operation: op.ID, Method: op.Method, Path: op.Path,
			Documented: slices.Clone(op.Statuses), Received: []int{}, Undocumented: []int{}}
		for st := range received[op.ID] {
			if slices.Contains(op.Statuses, st) {
				c.Received = append(c.Received, st)
			} else {
				c.Undocumented = append(c.Undocumented, st)
			}
		}
		slices.Sort(c.Received)
		slices.Sort(c.Undocumented)
		out = append(out, c)
	}
	return out
}

package explore

import (
	"slices"
	"sync"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/contract"
	"github.com/rentix/mediaharness/internal/report"
)

// traffic records the statuses each operation answered (the client's
// Observe hook), for the coverage table of the reports.
type traffic struct {
	ops []contract.OperationInfo

	mu       sync.Mutex
	statuses map[string]map[int]bool // operationId → statuses received
}

func newTraffic(ops []contract.OperationInfo) *traffic {
	return &traffic{ops: ops, statuses: map[string]map[int]bool{}}
}

// observe is safe for concurrent use, as client.Options.Observe requires.
func (t *traffic) observe(r *client.Response) {
	if r.Operation == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.statuses[r.Operation] == nil {
		t.statuses[r.Operation] = map[int]bool{}
	}
	t.statuses[r.Operation][r.Status] = true
}

// coverage lists, for every operation, the documented statuses, those
// received, and those received but not documented.
func (t *traffic) coverage() []report.OperationCoverage {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]report.OperationCoverage, 0, len(t.ops))
	for _, op := range t.ops {
		c := report.OperationCoverage{Operation: op.ID, Method: op.Method, Path: op.Path,
			Documented: slices.Clone(op.Statuses), Received: []int{}, Undocumented: []int{}}
		for st := range t.statuses[op.ID] {
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

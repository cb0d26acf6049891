package conform

import (
	"sync"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/contract"
	"github.com/rentix/mediaharness/internal/report"
)

// traffic watches every exchange of the run (the client's Observe hook):
// which statuses each operation answered, and every piece of drift.
type traffic struct {
	ops []contract.OperationInfo

	mu       sync.Mutex
	statuses map[string]map[int]bool // operationId → statuses received
	drift    map[contract.Finding]int
	order    []contract.Finding // drift in order of first sight
}

func newTraffic(ops []contract.OperationInfo) *traffic {
	return &traffic{ops: ops, statuses: map[string]map[int]bool{}, drift: map[contract.Finding]int{}}
}

// observe is safe for concurrent use, as client.Options.Observe requires.
func (t *traffic) observe(r *client.Response) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if r.Operation != "" {
		if t.statuses[r.Operation] == nil {
			t.statuses[r.Operation] = map[int]bool{}
		}
		t.statuses[r.Operation][r.Status] = true
	}
	for _, f := range r.Drift() {
		if t.drift[f] == 0 {
			t.order = append(t.order, f)
		}
		t.drift[f]++
	}
}

// coverage lists, for every operation of the contract, the documented
// statuses, those received, and those received but not documented.
func (t *traffic) coverage() []report.OperationCoverage {
	t.mu.Lock()
	defer t.mu.Unlock()
	return report.StatusCoverage(t.ops, t.statuses)
}

// driftItems returns each distinct piece of drift with how often it was seen.
func (t *traffic) driftItems() []report.DriftItem {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]report.DriftItem, 0, len(t.order))
	for _, f := range t.order {
		out = append(out, report.DriftItem{Operation: f.Operation, Status: f.Status, Rule: f.Rule,
			Pointer: f.Pointer, Message: f.Message, Count: t.drift[f]})
	}
	return out
}

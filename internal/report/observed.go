package report

import (
	"sync"

	"github.com/rentix/mediaharness/internal/contract"
)

// Observed gathers, over every exchange of a run (a client's Observe
// hook), which statuses each operation answered and every piece of drift,
// for the coverage table and the drift list of the reports. It is safe for
// concurrent use.
type Observed struct {
	ops []contract.OperationInfo

	mu       sync.Mutex
	statuses map[string]map[int]bool // operationId → statuses received
	drift    map[contract.Finding]int
	order    []contract.Finding // drift in order of first sight
}

// NewObserved watches the operations of a contract.
func NewObserved(ops []contract.OperationInfo) *Observed {
	return &Observed{ops: ops, statuses: map[string]map[int]bool{}, drift: map[contract.Finding]int{}}
}

// Add records one answer: its operation ("" when the contract has none for
// the request), status and drift.
func (o *Observed) Add(operation string, status int, drift []contract.Finding) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if operation != "" {
		if o.statuses[operation] == nil {
			o.statuses[operation] = map[int]bool{}
		}
		o.statuses[operation][status] = true
	}
	for _, f := range drift {
		if o.drift[f] == 0 {
			o.order = append(o.order, f)
		}
		o.drift[f]++
	}
}

// Coverage lists, for every operation of the contract, the documented
// statuses, those received, and those received but not documented.
func (o *Observed) Coverage() []OperationCoverage {
	o.mu.Lock()
	defer o.mu.Unlock()
	return StatusCoverage(o.ops, o.statuses)
}

// Drift returns each distinct piece of drift with how often it was seen.
func (o *Observed) Drift() []DriftItem {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]DriftItem, 0, len(o.order))
	for _, f := range o.order {
		out = append(out, DriftItem{Operation: f.Operation, Status: f.Status, Rule: f.Rule,
			Pointer: f.Pointer, Message: f.Message, Count: o.drift[f]})
	}
	return out
}

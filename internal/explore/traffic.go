package explore

import (
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
	return report.StatusCoverage(t.ops, t.statuses)
}

package report

import (
	"sync"
	"testing"

	"github.com/rentix/mediaharness/internal/contract"
)

func TestObserved_CountsStatusesAndDriftOnce(t *testing.T) {
	t.Parallel()
	o := NewObserved(nil)
	plan := contract.Finding{Operation: "getAgency", Status: 200, Rule: "drift.property", Pointer: "/plan"}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { o.Add("getAgency", 200, []contract.Finding{plan}) })
	}
	wg.Wait()
	o.Add("", 404, nil) // a request no operation of the contract matches
	d := o.Drift()
	if len(d) != 1 || d[0].Count != 8 || d[0].Pointer != "/plan" {
		t.Errorf("Drift() = %+v, want /plan seen 8 times", d)
	}
	if got := o.statuses["getAgency"]; !got[200] || len(o.statuses) != 1 {
		t.Errorf("statuses %v, want getAgency answered 200 only", o.statuses)
	}
}

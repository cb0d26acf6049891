package report

import (
	"slices"
	"testing"
)

func TestOperationCoverage_Mark(t *testing.T) {
	t.Parallel()
	c := OperationCoverage{Documented: []int{200, 404}, Received: []int{200}, Undocumented: []int{500}}
	for _, tc := range []struct {
		status int
		want   Mark
	}{{200, MarkReceived}, {404, MarkMissed}, {500, MarkUndocumented}, {418, MarkNone}} {
		if got := c.Mark(tc.status); got != tc.want {
			t.Errorf("Mark(%d) = %q, want %q", tc.status, got, tc.want)
		}
	}
}

func TestCoverageStatuses_SortedUnion(t *testing.T) {
	t.Parallel()
	got := CoverageStatuses([]OperationCoverage{
		{Documented: []int{404, 200}, Undocumented: []int{500}},
		{Documented: []int{201, 200}},
	})
	if want := []int{200, 201, 404, 500}; !slices.Equal(got, want) {
		t.Errorf("CoverageStatuses = %v, want %v", got, want)
	}
}

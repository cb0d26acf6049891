package loadtest

import (
	"encoding/json"
	"testing"

	"github.com/rentix/mediaharness/internal/contract"
)

// The JSON of a Problem is the load report's layout: embedding the finding
// must not add, drop or reorder fields.
func TestProblem_JSON(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		p    problem
		want string
	}{
		{problem{Finding: contract.Finding{Kind: contract.Violation, Operation: "getMedia", Status: 200,
			Rule: contract.RuleResponseBody, Pointer: "/size", Message: "want integer", Inferred: true},
			Count: 3, Example: "GET /media/1 (seq 4)"},
			`{"kind":"violation","operation":"getMedia","status":200,"rule":"response.body","pointer":"/size",` +
				`"message":"want integer","inferred":true,"count":3,"example":"GET /media/1 (seq 4)"}`},
		{problem{Finding: contract.Finding{Kind: kindTransport, Operation: "getAgency", Message: "refused"},
			Count: 1, Example: "GET /agency (seq 0)"},
			`{"kind":"transport","operation":"getAgency","message":"refused","count":1,"example":"GET /agency (seq 0)"}`},
	} {
		got, err := json.Marshal(tt.p)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("json of %v:\n got %s\nwant %s", tt.p, got, tt.want)
		}
		var back problem
		if err := json.Unmarshal(got, &back); err != nil || back != tt.p {
			t.Errorf("read back %s: %+v, %v; want %+v", got, back, err, tt.p)
		}
	}
}

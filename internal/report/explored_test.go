package report

import (
	"bytes"
	"strings"
	"testing"
)

// An exploration's reports say so and show its operations × input classes
// table; a conformance run's keep their title and show no table.
func TestReports_TitleAndExplorationTable(t *testing.T) {
	t.Parallel()
	x := &Exploration{Seed: 7, Classes: []string{"bounds", "valid"}, Sequences: 3, SequencesFailed: 1,
		Operations: []ExploredOperation{{Operation: "getMedia", Cells: []ExploredCell{
			{Class: "bounds", Tried: 12, Failed: 2}, {Class: "valid", Tried: 1}}}}}
	for _, tc := range []struct {
		s           Summary
		title, want []string
		not         string
	}{
		{Summary{RunID: "r", Verdict: Fail, Kind: KindExploration, Explored: x},
			[]string{"## Rentix Media API exploration: ", "<title>FAIL · exploration run r</title>", `name="mediaharness exploration r"`},
			[]string{"Operations × input classes (seed 7)", "getMedia", "✗ 2/12", "✓ 1", "Sequences run against the model: 3, failed: 1."},
			"conformance"},
		{Summary{RunID: "r", Verdict: Pass},
			[]string{"## Rentix Media API conformance: ", "<title>PASS · conformance run r</title>", `name="mediaharness conformance r"`},
			nil, "Operations × input classes"},
	} {
		for i, write := range []func(*bytes.Buffer, Summary) error{
			func(b *bytes.Buffer, s Summary) error { return WriteSummaryMarkdown(b, s) },
			func(b *bytes.Buffer, s Summary) error { return WriteHTML(b, s) },
			func(b *bytes.Buffer, s Summary) error { return WriteJUnit(b, s) },
		} {
			var b bytes.Buffer
			if err := write(&b, tc.s); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			want := append([]string{tc.title[i]}, tc.want...)
			if i == 2 {
				want = want[:1] // junit holds no table
			}
			for _, w := range want {
				if !strings.Contains(out, w) {
					t.Errorf("kind %q, writer %d: lacks %q:\n%s", tc.s.Kind, i, w, out)
				}
			}
			if strings.Contains(out, tc.not) {
				t.Errorf("kind %q, writer %d: holds %q", tc.s.Kind, i, tc.not)
			}
		}
	}
}

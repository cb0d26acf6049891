package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestWriteSummaryMarkdown_Golden(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		s    Summary
	}{
		{"summary.golden.md", sampleSummary()},
		{"summary_pass.golden.md", passingSummary()},
	} {
		var buf bytes.Buffer
		if err := WriteSummaryMarkdown(&buf, tc.s); err != nil {
			t.Fatalf("%s: WriteSummaryMarkdown: %v", tc.name, err)
		}
		golden := filepath.Join("testdata", tc.name)
		if *update {
			if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
		}
		if diff := cmp.Diff(string(want), buf.String()); diff != "" {
			t.Errorf("%s mismatch (-want +got); rerun with -update if intended:\n%s", tc.name, diff)
		}
	}
}

func passingSummary() Summary {
	s := sampleSummary()
	s.Verdict, s.ExitCode, s.Baseline, s.Drift, s.Tags, s.Inferred = Pass, 0, nil, nil, "", "fail"
	s.Features = s.Features[:1]
	s.Features[0].Scenarios = s.Features[0].Scenarios[1:]
	s.Totals = Totals{Scenarios: 1, Passed: 1}
	return s
}

func TestWriteSummaryMarkdown_TableCellsStaySafe(t *testing.T) {
	t.Parallel()
	s := sampleSummary()
	s.Features[0].Scenarios[0].Failure.Message = "a | b <img src=x>\nsecond line"
	var buf bytes.Buffer
	if err := WriteSummaryMarkdown(&buf, s); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"<img", "a | b", "second line"} {
		if strings.Contains(out, bad) {
			t.Errorf("summary contains %q; want pipes escaped, HTML neutralised, only the first line:\n%s", bad, out)
		}
	}
	if !strings.Contains(out, `a \| b &lt;img src=x&gt;`) {
		t.Errorf("summary lacks the escaped reason line:\n%s", out)
	}
}

func TestWriteSummaryMarkdown_CapsFailureList(t *testing.T) {
	t.Parallel()
	s := sampleSummary()
	var many []Scenario
	for range MaxMarkdownFailures + 7 {
		many = append(many, Scenario{ID: "f » x", Name: "x", Status: Failed, Failure: &Failure{Message: "m"}})
	}
	s.Features = []Feature{{Name: "F", URI: "f", Scenarios: many}}
	var buf bytes.Buffer
	if err := WriteSummaryMarkdown(&buf, s); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "… and 7 more") {
		t.Errorf("want the list cut after %d failures with '… and 7 more':\n%s", MaxMarkdownFailures, buf.String())
	}
}

func TestReason(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 300)
	for _, tc := range []struct {
		sc   Scenario
		want string
	}{
		{Scenario{}, ""},
		{Scenario{Failure: &Failure{Step: "I do x", Message: "boom\nevidence"}}, "I do x: boom"},
		{Scenario{Failure: &Failure{Message: "  only message  "}}, "only message"},
		{Scenario{Failure: &Failure{Message: long}}, strings.Repeat("é", maxReason-1) + "…"},
	} {
		if got := Reason(tc.sc); got != tc.want {
			t.Errorf("Reason(%+v) = %q, want %q", tc.sc.Failure, got, tc.want)
		}
	}
}

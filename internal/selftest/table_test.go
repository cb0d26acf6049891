package selftest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rentix/mediaharness/internal/report"
)

// sample is a self-test with one fault of each kind of outcome.
func sample() *Result {
	return &Result{
		RunID:    "20261128-120000-abcd",
		Duration: report.Duration(90 * time.Second),
		Clean: Outcome{Fault: CleanRun, Suite: SuiteResult{Passed: 125},
			Load: &LoadResult{Scenario: "get", Rate: "200/s"}},
		Faults: []Outcome{
			{Fault: "isolation-read", Area: "isolation", Suite: SuiteResult{Failed: 1, Failures: []Catch{
				{Scenario: "isolation.feature » Another agency cannot get \"A\" by id", Reason: "the response status is 404: want: 404 got: 200"},
			}}},
			{Fault: "load-slow", Area: "load", LoadOnly: true,
				Load: &LoadResult{Scenario: "get", Rate: "200/s", Failures: []string{"threshold p50 latency: measured 51ms, want <= 25ms"}}},
			{Fault: "link-upload-duplicate", Area: "link", Suite: SuiteResult{Passed: 125}},
			{Fault: "auth-authorization-ignored", Area: "auth", Suite: SuiteResult{Refused: "GET /agency answered 401 | twice"}},
		},
	}
}

func TestResult_ScoreAndPassed(t *testing.T) {
	t.Parallel()
	r := sample()
	if caught, total := r.Score(); caught != 3 || total != 4 {
		t.Errorf("Score() = %d, %d; want 3 of 4", caught, total)
	}
	if got := r.Missed(); len(got) != 1 || got[0] != "link-upload-duplicate" {
		t.Errorf("Missed() = %v, want [link-upload-duplicate]", got)
	}
	for _, tc := range []struct {
		name   string
		change func(*Result)
		want   bool
	}{
		{"a fault missed", func(*Result) {}, false},
		{"every fault caught", func(r *Result) { r.Faults = r.Faults[:2] }, true},
		{"a false alarm", func(r *Result) {
			r.Faults = r.Faults[:2]
			r.Clean.Load.Failures = []string{"threshold p50 latency: measured 30ms, want <= 25ms"}
		}, false},
		{"interrupted", func(r *Result) { r.Faults, r.Interrupted = r.Faults[:2], true }, false},
	} {
		r := sample()
		tc.change(r)
		if got := r.Passed(); got != tc.want {
			t.Errorf("%s: Passed() = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestResult_Markdown(t *testing.T) {
	t.Parallel()
	md := sample().Markdown()
	for _, want := range []string{
		"❌ **FAIL**: 3 of 4 faults caught (75%), no false alarm on the clean server · faults tested: 4 · 1m30s",
		"Clean reference server: suite 125 passed, 0 failed, 0 skipped; load get at 200/s: every threshold kept.",
		"| `isolation-read` | isolation | ✅ caught | isolation.feature » Another agency cannot get \"A\" by id — the response status is 404: want: 404 got: 200 |",
		"| `load-slow` | load (load only) | ✅ caught | load get: threshold p50 latency: measured 51ms, want <= 25ms |",
		"| `link-upload-duplicate` | link | ❌ missed | — |",
		// A pipe inside a cell is escaped, so the row keeps its four columns.
		"| `auth-authorization-ignored` | auth | ✅ caught | the suite refused to start: GET /agency answered 401 \\| twice |",
		"Missed (1): link-upload-duplicate.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q; got:\n%s", want, md)
		}
	}
}

func TestResult_MarkdownInterrupted(t *testing.T) {
	t.Parallel()
	r := sample()
	r.Interrupted = true
	r.Clean.Suite = SuiteResult{NotRun: true}
	r.Faults[2].Suite = SuiteResult{NotRun: true}
	if got := r.Missed(); len(got) != 0 {
		t.Errorf("Missed() = %v: a fault not reached is not a miss", got)
	}
	md := r.Markdown()
	for _, want := range []string{"❌ **INTERRUPTED**: 3 of 4 faults caught", "the clean server's suite did not finish",
		"| `link-upload-duplicate` | link | ⏸ not run | — |", "Not run (1), the self-test was interrupted first: link-upload-duplicate."} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q; got:\n%s", want, md)
		}
	}
	if r.Passed() {
		t.Errorf("an interrupted self-test passed (%v), want a failure", r.Passed())
	}
}

func TestResult_MarkdownFalseAlarm(t *testing.T) {
	t.Parallel()
	r := sample()
	r.Clean.Suite.Failures = []Catch{{Scenario: "reading.feature » A file is read by its id", Reason: "flaky"}}
	md := r.Markdown()
	for _, want := range []string{"false alarm on the clean server", "- false alarm: reading.feature » A file is read by its id — flaky"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q; got:\n%s", want, md)
		}
	}
}

func TestCell_ListsTheFirstCatches(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 2*maxCatchRunes)
	got := cell([]string{"a", long, "c", "d"})
	parts := strings.Split(got, "<br>")
	if len(parts) != 3 || parts[0] != "a" || parts[2] != "and 2 more" {
		t.Fatalf("cell() = %q, want the first %d catches and a count of the rest", got, maxCatches)
	}
	if n := len([]rune(parts[1])); n != maxCatchRunes {
		t.Errorf("a long catch is cut to %d runes, got %d", maxCatchRunes, n)
	}
}

func TestReason(t *testing.T) {
	t.Parallel()
	nbsp := "\u00a0"
	for _, tc := range []struct {
		name string
		f    *report.Failure
		want string
	}{
		{"want and got", &report.Failure{Step: "the response status is 401",
			Message: "the response status\n  want: 401\n  got:  200\n\n→ GET /api/v1/media/43 (getMedia)\nHost: x\n"},
			"the response status is 401: the response status want: 401 got: 200"},
		{"broken contract", &report.Failure{Step: `I get "A" by id`,
			Message: "GET /media/1 broke the contract (1 finding)\n→ GET /api/v1/media/1 (getMedia)\n\n← 200\n\n{\"id\":\"1\"}\n\nresponse.body /id: value must be an integer (got \"1\")"},
			`GET /media/1 broke the contract (1 finding): response.body /id: value must be an integer (got "1")`},
		{"go-cmp diff", &report.Failure{Step: "every answer describes the file it asked for",
			Message: "answer 19 of 50 describes \"A\" (-want +got):\n" + nbsp + nbsp + "&steps.media{\n-" + nbsp + "\tID:  202,\n+" + nbsp + "\tID:  203,\n-" + nbsp + "\tSize: 1,\n"},
			`every answer describes the file it asked for: answer 19 of 50 describes "A" (-want +got): - ID: 202, + ID: 203,`},
		{"no step", &report.Failure{Message: "stopped\nearly"}, "stopped early"},
		{"none", nil, ""},
	} {
		if got := reason(tc.f); got != tc.want {
			t.Errorf("%s: reason() =\n  %q\nwant\n  %q", tc.name, got, tc.want)
		}
	}
}

func TestErrorHeadline(t *testing.T) {
	t.Parallel()
	err := errors.New("create the get pool (16 files): media 11: GET /media/11 broke the contract (1 finding)\n→ GET /api/v1/media/11 (getMedia)\nHost: x\n\n← 503\n\n{}\n\nresponse.status: status 503 is not in the contract")
	want := "create the get pool (16 files): media 11: GET /media/11 broke the contract (1 finding): response.status: status 503 is not in the contract"
	if got := errorHeadline(err); got != want {
		t.Errorf("errorHeadline() =\n  %q\nwant\n  %q", got, want)
	}
}

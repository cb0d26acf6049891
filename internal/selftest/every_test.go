package selftest

import (
	"slices"
	"strings"
	"testing"
)

// everySample is an EveryScenario self-test: four scenarios in the clean
// run (two rows of one outline among them), faults that break some of them.
func everySample() *Result {
	r := sample()
	r.EveryScenario = true
	r.Clean.Suite.Scenarios = []string{
		"auth.feature » A missing key is refused",
		"isolation.feature » Another agency cannot get \"A\" by id",
		"links.feature » Link answers #1",
		"links.feature » Link answers #2",
	}
	r.Faults = append(r.Faults, Outcome{Fault: "link-answer-no-linked", Area: "link", Suite: SuiteResult{Failed: 2, Failures: []Catch{
		{Scenario: "links.feature » Link answers #2", Reason: "want linked"},
		{Scenario: "isolation.feature » Another agency cannot get \"A\" by id", Reason: "got 200"},
		// Not a scenario: breaks nothing.
		{Scenario: "fixture cleanup", Reason: "1 left"},
	}}})
	return r
}

func TestEveryScenario_Unbroken(t *testing.T) {
	t.Parallel()
	r := everySample()
	unbroken, total := r.Unbroken()
	want := []string{"auth.feature » A missing key is refused", "links.feature » Link answers #1"}
	if total != 4 || !slices.Equal(unbroken, want) {
		t.Errorf("Unbroken() = %q, %d; want %q, 4", unbroken, total, want)
	}
	if got, want := r.BrokenLine(), "scenarios broken by at least one fault: 2 of 4"; got != want {
		t.Errorf("BrokenLine() = %q, want %q", got, want)
	}

	// Every scenario broken; and no fault at all.
	if u, n := unbrokenScenarios(r.Clean.Suite.Scenarios[:2], r.Faults); len(u) != 1 || n != 2 {
		t.Errorf("first two: %q, %d; want only the auth scenario of 2", u, n)
	}
	if u, n := unbrokenScenarios(r.Clean.Suite.Scenarios, nil); len(u) != 4 || n != 4 {
		t.Errorf("no fault: %q, %d; want all 4 unbroken", u, n)
	}
	if u, n := unbrokenScenarios(r.Clean.Suite.Scenarios[3:], r.Faults); len(u) != 0 || n != 1 {
		t.Errorf("one broken scenario: %q, %d; want none unbroken of 1", u, n)
	}
}

func TestEveryScenario_Markdown(t *testing.T) {
	t.Parallel()
	md := everySample().Markdown()
	for _, want := range []string{
		"Every fault's suite ran to the end (--every-scenario)",
		"## Scenarios no fault breaks\n\n2 of 4 scenarios of the clean run failed against no fault (scenarios broken by at least one fault: 2 of 4).\n\n" +
			"- auth.feature » A missing key is refused\n- links.feature » Link answers #1\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q; got:\n%s", want, md)
		}
	}
	// The exit code does not depend on the unbroken scenarios.
	if got, want := everySample().Passed(), sample().Passed(); got != want {
		t.Errorf("Passed() = %v, want %v as without the mode", got, want)
	}

	// Outside the mode nothing of it is printed.
	r := everySample()
	r.EveryScenario = false
	md = r.Markdown()
	for _, not := range []string{"Scenarios no fault breaks", "scenarios broken by", "--every-scenario"} {
		if strings.Contains(md, not) {
			t.Errorf("Markdown without EveryScenario has %q", not)
		}
	}
	if !strings.Contains(md, "stops at its first failed scenario") {
		t.Errorf("Markdown without EveryScenario lost the usual note")
	}
}

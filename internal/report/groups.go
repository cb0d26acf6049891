package report

import (
	"slices"
	"strings"
)

// FailureGroup is one distinct finding (a rule broken by an operation) and
// every scenario that ran into it, as Schemathesis groups its failures.
type FailureGroup struct {
	Rule      string
	Operation string
	Scenarios []Scenario // in report order; the first one's evidence stands for all
}

// Detail is the rule as the group's first scenario broke it: with what
// came instead when a step compared a want and a got.
func (g FailureGroup) Detail() string {
	if f := g.Scenarios[0].Failure; f != nil && f.Message != "" {
		return detail(f.Message)
	}
	return g.Rule
}

// Title is "operation · detail", or the detail alone.
func (g FailureGroup) Title() string {
	if g.Operation == "" {
		return g.Detail()
	}
	return g.Operation + " · " + g.Detail()
}

// Curl is the reproduction of the group's first scenario.
func (g FailureGroup) Curl() string {
	if f := g.Scenarios[0].Failure; f != nil {
		return f.Curl
	}
	return ""
}

// FailureGroups groups the failed scenarios by rule and operation, in the
// order each group first appears; failures whose requests carried other
// agencies' keys are groups of their own, so a group's reproduction always
// sends the key its scenarios sent.
func (s Summary) FailureGroups() []FailureGroup {
	var groups []FailureGroup
	index := map[[3]string]int{}
	for _, sc := range s.Failures() {
		key := [3]string{failureRule(sc), failureOperation(sc), failureKeys(sc)}
		i, ok := index[key]
		if !ok {
			i = len(groups)
			index[key] = i
			groups = append(groups, FailureGroup{Rule: key[0], Operation: key[1]})
		}
		groups[i].Scenarios = append(groups[i].Scenarios, sc)
	}
	return groups
}

func failureRule(sc Scenario) string {
	if sc.Failure == nil {
		return "failed"
	}
	if sc.Failure.Rule != "" {
		return sc.Failure.Rule
	}
	return ruleOf(sc.Failure.Message)
}

// failureKeys are the key variables a failure's reproduction needs.
func failureKeys(sc Scenario) string {
	if sc.Failure == nil || sc.Failure.Curl == "" {
		return ""
	}
	return strings.Join(KeyVariablesOf(sc.Failure.Curl), " ")
}

func failureOperation(sc Scenario) string {
	if sc.Failure == nil {
		return ""
	}
	return sc.Failure.Operation
}

// SkipGroup is one reason for skipping and the scenarios it skipped.
type SkipGroup struct {
	Reason    string
	Scenarios []Scenario
}

// NoSkipReason stands in for a skip whose reason was not recorded.
const NoSkipReason = "no reason recorded"

// SkipReason is why a scenario was skipped. Older results.json files kept
// the reason in Failure.
func SkipReason(sc Scenario) string {
	switch {
	case sc.Skip != nil && sc.Skip.Reason != "":
		return sc.Skip.Reason
	case sc.Status == Skipped && sc.Failure != nil && sc.Failure.Message != "":
		return sc.Failure.Message
	}
	return NoSkipReason
}

// SkipGroups groups the skipped scenarios by reason, the most common first.
func (s Summary) SkipGroups() []SkipGroup {
	var groups []SkipGroup
	index := map[string]int{}
	for _, sc := range s.Scenarios() {
		if sc.Status != Skipped {
			continue
		}
		r := strings.Join(strings.Fields(SkipReason(sc)), " ")
		i, ok := index[r]
		if !ok {
			i = len(groups)
			index[r] = i
			groups = append(groups, SkipGroup{Reason: r})
		}
		groups[i].Scenarios = append(groups[i].Scenarios, sc)
	}
	// Stable: among groups of one size, first seen first.
	slices.SortStableFunc(groups, func(a, b SkipGroup) int { return len(b.Scenarios) - len(a.Scenarios) })
	return groups
}

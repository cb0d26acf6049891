package loadtest

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	defaults "github.com/rentix/mediaharness/loadtest"
)

// defaultSLO is loadtest/slo.yaml: thresholds that the embedded reference
// server meets on a two-core machine. Point --slo at your own file for a
// real target.
var defaultSLO = defaults.SLO

// slo is one scenario's thresholds. A nil field is not checked.
type slo struct {
	P50 *duration `yaml:"p50" json:"p50,omitempty"`
	P95 *duration `yaml:"p95" json:"p95,omitempty"`
	P99 *duration `yaml:"p99" json:"p99,omitempty"`
	Max *duration `yaml:"max" json:"max,omitempty"`
	// MinSuccessRatio: the share of requests answered with an expected status.
	MinSuccessRatio *float64 `yaml:"min_success_ratio" json:"minSuccessRatio,omitempty"`
	// MaxContractViolations: responses that break the contract.
	MaxContractViolations *uint64 `yaml:"max_contract_violations" json:"maxContractViolations,omitempty"`
	// MaxIdentityMismatches: bodies about another file than the one asked for.
	MaxIdentityMismatches *uint64 `yaml:"max_identity_mismatches" json:"maxIdentityMismatches,omitempty"`
	// Max429Share: the share of requests answered 429.
	Max429Share *float64 `yaml:"max_429_share" json:"max429Share,omitempty"`
	// MinRateRatio: achieved rate over requested rate; below it the generator
	// fell behind and the latency figures describe a lighter load.
	MinRateRatio *float64 `yaml:"min_achieved_rate_ratio" json:"minAchievedRateRatio,omitempty"`
	// Operations holds thresholds of one operation of the scenario (its
	// operationId, say linkExternalId in mixed), checked on its requests
	// alone, besides the scenario's.
	Operations map[operation]slo `yaml:"operations" json:"operations,omitempty"`
}

// duration reads "25ms" in YAML.
type duration time.Duration

// UnmarshalYAML parses a Go duration string.
func (d *duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || v < 0 {
		return fmt.Errorf("line %d: %q is not a duration such as 25ms", n.Line, n.Value)
	}
	*d = duration(v)
	return nil
}

// sloSet is a parsed SLO file: thresholds by scenario name, with "default"
// for scenarios the file does not name.
type sloSet struct {
	Scenarios map[string]slo `yaml:"scenarios"`
	source    string
}

// loadSLO reads the SLO file at path, or the embedded default when path is "".
func loadSLO(path string) (sloSet, error) {
	data, source := defaultSLO, "embedded slo.yaml"
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return sloSet{}, usagef("SLO file: %v", err)
		}
		data, source = b, path
	}
	set, err := parseSLO(data)
	if err != nil {
		return sloSet{}, usagef("%s: %v", source, err)
	}
	set.source = source
	return set, nil
}

// parseSLO parses an SLO file; unknown keys are errors, so a typo never
// switches a threshold off.
func parseSLO(data []byte) (sloSet, error) {
	var set sloSet
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&set); err != nil {
		return sloSet{}, err
	}
	for name, slo := range set.Scenarios {
		if _, ok := scenarios[name]; !ok && name != "default" {
			return sloSet{}, fmt.Errorf("unknown scenario %q (want one of %s or default)", name, strings.Join(Scenarios(), ", "))
		}
		if err := slo.check(); err != nil {
			return sloSet{}, fmt.Errorf("scenario %s: %w", name, err)
		}
	}
	return set, nil
}

// check refuses thresholds that could never pass or never fail: a ratio
// outside 0 to 1, or an entry with none at all.
func (slo slo) check() error {
	for name, r := range map[string]*float64{"min_success_ratio": slo.MinSuccessRatio, "max_429_share": slo.Max429Share,
		"min_achieved_rate_ratio": slo.MinRateRatio} {
		if r != nil && (*r < 0 || *r > 1) {
			return fmt.Errorf("%s %v: want a ratio from 0 to 1", name, *r)
		}
	}
	if slo.empty() {
		return errors.New("no threshold: a run could never fail")
	}
	for op, sub := range slo.Operations {
		if err := sub.check(); err != nil {
			return fmt.Errorf("operation %s: %w", op, err)
		}
		switch {
		case !slices.Contains(operations, op):
			return fmt.Errorf("unknown operation %q (want one of %s)", op, joinOps(operations))
		case sub.Operations != nil:
			return fmt.Errorf("operation %s: operations cannot nest", op)
		case sub.MinRateRatio != nil:
			return fmt.Errorf("operation %s: min_achieved_rate_ratio is the scenario's, not an operation's", op)
		}
	}
	return nil
}

// empty reports whether the entry sets no threshold at all.
func (slo slo) empty() bool {
	return slo.P50 == nil && slo.P95 == nil && slo.P99 == nil && slo.Max == nil && slo.MinSuccessRatio == nil &&
		slo.MaxContractViolations == nil && slo.MaxIdentityMismatches == nil && slo.Max429Share == nil &&
		slo.MinRateRatio == nil && len(slo.Operations) == 0
}

// operations are those a scenario can send.
var operations = []operation{opGet, opGetExternal, opLink, opUnlink, opDelete}

func joinOps(ops []operation) string {
	names := make([]string, len(ops))
	for i, op := range ops {
		names[i] = string(op)
	}
	return strings.Join(names, ", ")
}

// forScenario returns the thresholds of a scenario.
func (s sloSet) forScenario(scenario string) (slo, bool) {
	if slo, ok := s.Scenarios[scenario]; ok {
		return slo, true
	}
	slo, ok := s.Scenarios["default"]
	return slo, ok
}

// sourceName names where the thresholds came from.
func (s sloSet) sourceName() string { return s.source }

// thresholdResult is one threshold after a run.
type thresholdResult struct {
	Name     string `json:"name"`
	Limit    string `json:"limit"`
	Measured string `json:"measured"`
	Pass     bool   `json:"pass"`
	// Skipped: not measured in this run (validation off); it does not fail.
	Skipped bool `json:"skipped,omitempty"`
}

func (t thresholdResult) verdict() string {
	switch {
	case t.Skipped:
		return "skip"
	case t.Pass:
		return "pass"
	}
	return "FAIL"
}

// measured is what thresholds are checked against.
type measured struct {
	latency   latencies
	counts    counts
	rateRatio float64
	validated bool             // responses were checked (validation not off)
	ops       []operationStats // for the operations' thresholds
	service   bool             // judge latency from the actual send time, operations' too
}

// evaluate checks every threshold of slo that is set.
func (slo slo) evaluate(m measured) []thresholdResult {
	var out []thresholdResult
	lat := func(name string, limit *duration, got time.Duration) {
		if limit != nil {
			out = append(out, thresholdResult{Name: name + " latency", Limit: "<= " + fmtDur(time.Duration(*limit)),
				Measured: fmtDur(got), Pass: got <= time.Duration(*limit)})
		}
	}
	lat("p50", slo.P50, m.latency.P50)
	lat("p95", slo.P95, m.latency.P95)
	lat("p99", slo.P99, m.latency.P99)
	lat("max", slo.Max, m.latency.Max)
	if slo.MinSuccessRatio != nil {
		got := m.counts.successRatio()
		out = append(out, thresholdResult{Name: "success ratio", Limit: ">= " + fmtRatio(*slo.MinSuccessRatio),
			Measured: fmtRatio(got), Pass: m.counts.Requests > 0 && got >= *slo.MinSuccessRatio})
	}
	count := func(name string, limit *uint64, got uint64) {
		if limit != nil {
			out = append(out, thresholdResult{Name: name, Limit: fmt.Sprintf("<= %d", *limit),
				Measured: fmt.Sprintf("%d of %d checked", got, m.counts.Validated), Pass: got <= *limit, Skipped: !m.validated})
		}
	}
	count("contract violations", slo.MaxContractViolations, m.counts.ContractViolations)
	count("identity mismatches", slo.MaxIdentityMismatches, m.counts.IdentityMismatches)
	if slo.Max429Share != nil {
		got := m.counts.rateLimitedShare()
		out = append(out, thresholdResult{Name: "429 share", Limit: "<= " + fmtRatio(*slo.Max429Share),
			Measured: fmtRatio(got), Pass: got <= *slo.Max429Share})
	}
	if slo.MinRateRatio != nil {
		out = append(out, thresholdResult{Name: "achieved rate ratio", Limit: ">= " + fmtRatio(*slo.MinRateRatio),
			Measured: fmtRatio(m.rateRatio), Pass: m.rateRatio >= *slo.MinRateRatio})
	}
	return append(out, slo.evaluateOperations(m)...)
}

// evaluateOperations checks each operation's thresholds on its requests; an
// operation the run did not send is skipped.
func (slo slo) evaluateOperations(m measured) []thresholdResult {
	names := slices.Sorted(maps.Keys(slo.Operations))
	var out []thresholdResult
	for _, op := range names {
		i := slices.IndexFunc(m.ops, func(st operationStats) bool { return st.Operation == op })
		var results []thresholdResult
		if i < 0 {
			results = slo.Operations[op].evaluate(measured{})
			for j := range results {
				results[j].Measured, results[j].Pass, results[j].Skipped = "no requests", true, true
			}
		} else {
			st := m.ops[i]
			sub := measured{latency: st.Latency, counts: st.Counts, validated: m.validated}
			if m.service {
				sub.latency = st.Service
			}
			results = slo.Operations[op].evaluate(sub)
		}
		for j := range results {
			results[j].Name = string(op) + " " + results[j].Name
		}
		out = append(out, results...)
	}
	return out
}

// failed names the thresholds that broke.
func failed(ts []thresholdResult) []string {
	var names []string
	for _, t := range ts {
		if !t.Pass && !t.Skipped {
			names = append(names, t.Name)
		}
	}
	sort.Strings(names)
	return names
}

func fmtDur(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

func fmtRatio(f float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.4f", f), "0"), ".")
}

package loadtest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/rentix/mediaharness/internal/config"
)

// Defaults for the zero values of CapacityOptions.
const (
	defaultCapacityStart     = 100 // requests per second
	defaultCapacityFactor    = 1.5
	defaultCapacityStep      = 2 * time.Second
	defaultCapacityMaxRate   = 20000
	DefaultCapacityMaxSteps  = 20
	defaultCapacityPrecision = 0.05
)

// CapacityOptions configure a capacity search. The embedded Options give
// the scenario, target, thresholds, workers, validation and report
// directory; their Rate, Ramp, Duration, Baseline and Shard are not used.
type CapacityOptions struct {
	Options
	Start     Rate          // first step; 0: 100/s
	Factor    float64       // rate growth per step while every SLO holds; 0: 1.5
	Step      time.Duration // length of each step's attack; 0: 2s
	MaxRate   Rate          // never step above; 0: 20000/s (5/s against a remote target without Force)
	MaxSteps  int           // steps in all, bisection included; 0: 20
	precision float64       // bisect until the gap is this share of the good rate; 0: 5%
}

// ending says why a capacity search stopped.
type ending string

// Endings. Only saturated, rate-limited and ceiling give a figure.
const (
	// endSaturated: latency or errors broke an SLO, measured from the
	// actual send time, so the target (not the generator) was the limit.
	endSaturated ending = "saturated"
	// endRateLimited: the target answered 429 beyond the SLO's share.
	endRateLimited ending = "rate-limited"
	// endGeneratorBound: the achieved rate fell short of the requested one
	// (or only the generator's send lag broke a latency SLO) while the
	// target was fine. The figure would describe the generator: none is given.
	endGeneratorBound ending = "generator-bound"
	// endCeiling: every step passed up to MaxRate or MaxSteps; the figure
	// is a lower bound.
	endCeiling ending = "ceiling"
	// endInterrupted: the context ended.
	endInterrupted ending = "interrupted"
)

const stepOK = "ok"

// minStepRequests is the fewest requests a step may plan: fewer give no
// percentiles and no achieved rate worth judging.
const minStepRequests = 10

// capacityStep is one attack of the search.
type capacityStep struct {
	Phase      string        `json:"phase"` // "climb", "bisect" or "confirm" (a failed step run again)
	Rate       float64       `json:"rate"`
	Achieved   float64       `json:"achieved"`
	Requests   uint64        `json:"requests"`
	P50        time.Duration `json:"p50"`
	P95        time.Duration `json:"p95"`
	P99        time.Duration `json:"p99"`
	ServiceP95 time.Duration `json:"serviceP95"` // from the actual send time
	Success    float64       `json:"successRatio"`
	Share429   float64       `json:"share429"`
	Violations uint64        `json:"contractViolations"`
	Verdict    string        `json:"verdict"` // "ok" or an ending
	Broken     []string      `json:"broken,omitempty"`
}

// CapacityReport is the outcome of a capacity search.
type CapacityReport struct {
	Scenario  string         `json:"scenario"`
	Target    string         `json:"target"`
	SLOSource string         `json:"sloSource"`
	Steps     []capacityStep `json:"steps"`
	Ending    ending         `json:"ending"`
	// Capacity is the highest rate at which every SLO held; 0 when the
	// search gives no figure (see Reason).
	Capacity float64        `json:"capacity"`
	Reason   string         `json:"reason"`
	Fixtures fixtureSummary `json:"fixtures"`
	Notes    []string       `json:"notes,omitempty"`
	Dir      string         `json:"-"`
}

// Passed reports whether the search found a capacity figure (not
// generator-bound, not interrupted, and some rate met the SLOs).
func (c *CapacityReport) Passed() bool {
	return c.Capacity > 0 && c.Ending != endInterrupted && c.Ending != endGeneratorBound
}

func (co CapacityOptions) withDefaults() CapacityOptions {
	co.Options = co.Options.withDefaults()
	if co.Start.IsZero() {
		co.Start = perSecondRate(defaultCapacityStart)
	}
	if co.Factor == 0 {
		co.Factor = defaultCapacityFactor
	}
	if co.Step == 0 {
		co.Step = defaultCapacityStep
	}
	if co.MaxRate.IsZero() {
		co.MaxRate = perSecondRate(defaultCapacityMaxRate)
	}
	if co.MaxSteps == 0 {
		co.MaxSteps = DefaultCapacityMaxSteps
	}
	if co.precision == 0 {
		co.precision = defaultCapacityPrecision
	}
	return co
}

func perSecondRate(n int) Rate { return Rate{Freq: n, Per: time.Second} }

func (co CapacityOptions) check() error {
	if err := co.Options.check(false); err != nil {
		return err
	}
	switch {
	case co.Scenario == scenarioDelete:
		return usagef("capacity search runs get, get-external, link or mixed: delete would need a fresh file for every request of every step")
	case co.Factor <= 1:
		return usagef("capacity factor %v: want more than 1", co.Factor)
	case co.Step <= 0 || co.Step > maxDuration:
		return usagef("capacity step %s: want more than 0 and at most %s", co.Step, maxDuration)
	case co.MaxSteps < 1 || co.precision <= 0 || co.precision >= 1:
		return usagef("capacity steps must be at least 1 and precision between 0 and 1")
	case co.MaxRate.PerSecond() < co.Start.PerSecond():
		return usagef("capacity max rate %s is below the start %s", co.MaxRate, co.Start)
	case co.Start.PerSecond()*co.Step.Seconds() < minStepRequests:
		return usagef("a first step of %s for %s sends under %d requests, too few to measure; raise the start rate or lengthen the step",
			co.Start, co.Step, minStepRequests)
	}
	return nil
}

// Capacity searches for the highest rate at which every SLO of the
// scenario holds: it climbs from Start by Factor while steps pass, then
// bisects between the last good and the first bad rate; a failed step is
// run once more before it counts. It tells three endings apart: saturated,
// rate-limited and generator-bound (no figure).
func Capacity(ctx context.Context, co CapacityOptions) (*CapacityReport, error) {
	co = co.withDefaults()
	if err := co.check(); err != nil {
		return nil, err
	}
	slos, err := loadSLO(co.SLOFile)
	if err != nil {
		return nil, err
	}
	slo, ok := slos.forScenario(co.Scenario)
	if !ok {
		return nil, usagef("%s has no thresholds for scenario %q and no default", slos.sourceName(), co.Scenario)
	}
	s, err := openSession(ctx, co.Options)
	if err != nil {
		return nil, err
	}
	rep := &CapacityReport{Scenario: co.Scenario, Target: safeURL(s.target.baseURL), SLOSource: slos.sourceName()}
	err = s.capacity(ctx, co, slo, rep)
	rep.Fixtures = s.fx
	if err == nil && rep.Ending == endInterrupted {
		err = fmt.Errorf("%w: %v", ErrInterrupted, context.Cause(ctx))
	}
	if co.ReportDir != "" && len(rep.Steps) > 0 {
		if werr := rep.writeFiles(co.ReportDir); werr != nil {
			err = errors.Join(err, fmt.Errorf("write the capacity report: %w", werr))
		}
	}
	return rep, err
}

// capacity runs the search on an open session and always closes it.
func (s *session) capacity(ctx context.Context, co CapacityOptions, slo slo, rep *CapacityReport) error {
	defer s.close(ctx)
	if err := checkRemote(s.target.loopback, co.Force, co.Start.PerSecond()); err != nil {
		return err
	}
	co.MaxRate = ceiling(co, s.target.loopback)
	first := attackSpec{rate: co.Start, duration: co.Step}
	scn, reg, notes, err := s.scenario(ctx, co.Scenario, first.schedule().planned(co.Step), true)
	rep.Notes = slices.Concat(rep.Notes, s.target.notes, notes)
	if err != nil {
		return interrupted(ctx, err)
	}
	if co.Warmup > 0 {
		warm := attackSpec{name: co.Scenario + "-warmup", rate: co.Start, duration: co.Warmup}
		warm.limit = min(warm.schedule().planned(co.Warmup), limitOf(scn)) // the steps refill what it uses
		s.warm(ctx, warm, scn, reg)
	}
	search := &search{s: s, co: co, slo: slo, scn: scn, reg: reg, rep: rep}
	search.attack = search.step
	err = search.run(ctx)
	s.retire(scn)
	return interrupted(ctx, err)
}

// search is the state of one capacity search.
type search struct {
	s   *session
	co  CapacityOptions
	slo slo
	scn scenario
	reg registry
	rep *CapacityReport
	// attack runs and records one step: step, or a script in tests of the
	// search's decisions.
	attack func(ctx context.Context, phase string, rate float64) (string, error)
}

func (sr *search) run(ctx context.Context) error {
	good, bad, end, err := sr.climb(ctx)
	if err != nil || end == endGeneratorBound || end == endInterrupted || end == endCeiling {
		sr.finish(good, end)
		return err
	}
	good, end2, err := sr.bisect(ctx, good, bad)
	if end2 != "" {
		end = end2
	}
	sr.finish(good, end)
	return err
}

// climb steps the rate up until a step fails; it returns the last good
// rate, the first bad one and why that one failed.
func (sr *search) climb(ctx context.Context) (good, bad float64, end ending, err error) {
	maxRate := sr.co.MaxRate.PerSecond()
	for r := sr.co.Start.PerSecond(); len(sr.rep.Steps) < sr.co.MaxSteps; r = math.Min(stepRate(r*sr.co.Factor, r), maxRate) {
		verdict, err := sr.confirmed(ctx, "climb", r)
		switch {
		case err != nil:
			return good, 0, "", err
		case verdict == stepOK && r >= maxRate:
			return r, 0, endCeiling, nil
		case verdict == stepOK:
			good = r
		default:
			return good, r, ending(verdict), nil
		}
	}
	return good, 0, endCeiling, nil
}

// ceiling is the highest rate the search may step to: against a remote
// target without Force, the documented limit or the user's lower one.
func ceiling(co CapacityOptions, loopback bool) Rate {
	if loopback || co.Force || co.MaxRate.PerSecond() <= remoteRateLimit {
		return co.MaxRate
	}
	return Rate{Freq: config.DocumentedRatePerMinute, Per: time.Minute}
}

// stepRate rounds a step's rate for a readable table, to whole requests a
// second from 10/s and to hundredths below, and keeps it above the last
// rate: rounding must neither stall the climb nor reach 0 (no rate at all).
func stepRate(r, last float64) float64 {
	unit := 1.0
	if r < 10 {
		unit = 0.01
	}
	return math.Max(math.Round(r/unit)*unit, last+unit)
}

// bisect narrows the gap between good and bad. A generator-bound step
// stops it: the rates between it and bad cannot be measured from here,
// but good was met and bad broke the target, so good stands as the figure
// and a note gives the bracket. An interrupted step ends the search.
func (sr *search) bisect(ctx context.Context, good, bad float64) (float64, ending, error) {
	for len(sr.rep.Steps) < sr.co.MaxSteps && bad-good > sr.co.precision*math.Max(good, 1) {
		mid := stepRate((good+bad)/2, good)
		if mid >= bad {
			break
		}
		verdict, err := sr.confirmed(ctx, "bisect", mid)
		switch {
		case err != nil:
			return good, "", err
		case verdict == stepOK:
			good = mid
		case ending(verdict) == endInterrupted:
			return good, endInterrupted, nil
		case ending(verdict) == endGeneratorBound:
			sr.rep.Notes = append(sr.rep.Notes, fmt.Sprintf("the generator fell behind at %s, between the last rate met (%s) "+
				"and the first that broke the target (%s): the capacity lies in that range", formatRate(mid), formatRate(good), formatRate(bad)))
			return good, "", nil
		default:
			bad = mid
		}
	}
	return good, "", nil
}

// confirmed runs a step and, when it fails, runs it once more: the second
// verdict stands. A pause of the host (a GC, a noisy neighbour) can break
// one short step; letting it end the climb would report a figure far
// below the target's.
func (sr *search) confirmed(ctx context.Context, phase string, rate float64) (string, error) {
	verdict, err := sr.attack(ctx, phase, rate)
	if err != nil || verdict == stepOK || ending(verdict) == endInterrupted || len(sr.rep.Steps) >= sr.co.MaxSteps {
		return verdict, err
	}
	return sr.attack(ctx, "confirm", rate)
}

// step runs one attack at rate and records it. It never attacks without a
// rate, nor a remote target above its documented limit unless forced.
func (sr *search) step(ctx context.Context, phase string, rate float64) (string, error) {
	spec := attackSpec{name: fmt.Sprintf("%s-%s", sr.co.Scenario, formatRate(rate)), rate: perSecond(rate), duration: sr.co.Step}
	if spec.rate.IsZero() {
		return "", fmt.Errorf("capacity step at %v/s: no rate", rate)
	}
	if err := checkRemote(sr.s.target.loopback, sr.co.Force, rate); err != nil {
		return "", err
	}
	if err := sr.refill(ctx, spec); err != nil {
		return "", err
	}
	spec.limit = min(spec.schedule().planned(spec.duration), limitOf(sr.scn))
	m := sr.s.measure(ctx, spec, sr.scn, sr.reg, outputs{})
	sm := m.summarize()
	verdict, broken := judge(sr.slo, sm)
	if sm.end.aborted != "" {
		broken = append(broken, "stopped early: the target was failing")
	}
	if ctx.Err() != nil {
		verdict = string(endInterrupted)
	}
	sr.rep.Steps = append(sr.rep.Steps, capacityStep{
		Phase: phase, Rate: rate, Achieved: sm.achieved, Requests: sm.counts.Requests,
		P50: sm.latency.P50, P95: sm.latency.P95, P99: sm.latency.P99, ServiceP95: sm.service.P95,
		Success: sm.counts.successRatio(), Share429: sm.counts.rateLimitedShare(),
		Violations: sm.counts.ContractViolations, Verdict: verdict, Broken: broken,
	})
	sr.s.stepLine(len(sr.rep.Steps), sr.rep.Steps[len(sr.rep.Steps)-1])
	return verdict, nil
}

// refill tops up a scenario that uses files up (mixed) before a step.
func (sr *search) refill(ctx context.Context, spec attackSpec) error {
	r, ok := sr.scn.(refillable)
	if !ok {
		return nil
	}
	n := r.shortfall(spec.schedule().planned(spec.duration))
	if n == 0 {
		return nil
	}
	sr.s.phase("fixtures: uploading %d more file(s) for the next step", n)
	files, err := sr.s.target.fixtures.Create(ctx, n)
	if err != nil {
		return fmt.Errorf("refill the delete pool (%d files): %w", n, err)
	}
	sr.s.fx.Pools["mixed/delete"] += len(files)
	sr.s.fx.Created += len(files)
	r.refill(newEndpoint(sr.s.target.baseURL, sr.s.target.header), files, sr.reg)
	return nil
}

// refillable is a scenario whose used-up pool can be topped up.
type refillable interface {
	shortfall(hits uint64) int
	refill(e endpoint, files []fixture, reg registry)
}

// judge decides a step. 429s beyond the SLO mean rate-limited. Otherwise
// the thresholds are checked again with latency from the actual send time:
// if they still break, the target was the limit (saturated); if only the
// figures that include the generator's lag broke (latency from the
// scheduled time, the achieved rate), the generator was.
func judge(slo slo, sm summary) (string, []string) {
	m := sm.measured()
	broken := failed(slo.evaluate(m))
	if len(broken) == 0 {
		return stepOK, nil
	}
	for _, b := range broken {
		if strings.HasSuffix(b, "429 share") { // the scenario's or an operation's
			return string(endRateLimited), broken
		}
	}
	m.latency, m.rateRatio, m.service = sm.service, 1, true
	if len(failed(slo.evaluate(m))) > 0 {
		return string(endSaturated), broken
	}
	return string(endGeneratorBound), broken
}

// finish sets the ending, the figure and the reason.
func (sr *search) finish(good float64, end ending) {
	rep := sr.rep
	rep.Ending = end
	switch end {
	case endGeneratorBound:
		last := rep.Steps[len(rep.Steps)-1]
		rep.Reason = fmt.Sprintf("generator-bound at %s: the generator achieved %s while the target met its SLOs "+
			"(latency from the actual send p95 %s); the limit measured would be the generator's (%d workers, this machine's CPU), "+
			"so no capacity figure is given. Use more workers, shards on more machines, or a faster generator host.",
			formatRate(last.Rate), formatRate(last.Achieved), fmtDur(last.ServiceP95), sr.co.Workers)
	case endInterrupted:
		rep.Reason = "the search was interrupted; no capacity figure"
	case endCeiling:
		rep.Capacity = good
		rep.Reason = fmt.Sprintf("every step met the SLOs up to %s (the search's ceiling): the capacity is at least that", formatRate(good))
	default:
		rep.Capacity = good
		what := map[ending]string{endSaturated: "latency or errors broke an SLO", endRateLimited: "the target answered 429"}[end]
		if good == 0 {
			rep.Reason = fmt.Sprintf("%s: %s at every rate tried; no rate met the SLOs", end, what)
		} else {
			rep.Reason = fmt.Sprintf("%s: above %s %s", end, formatRate(good), what)
		}
	}
}

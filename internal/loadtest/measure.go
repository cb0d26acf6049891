package loadtest

import (
	"context"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"github.com/tsenart/vegeta/v12/lib/plot"
)

// maxBody bounds what is read of one response body.
const maxBody = 1 << 20

// attackSpec is one attack: its pace, length and name in the results.
type attackSpec struct {
	name     string
	rate     Rate
	ramp     Ramp
	duration time.Duration
	limit    uint64 // most requests; 0: no limit
}

func (a attackSpec) schedule() *schedule {
	return newSchedule(a.rate, a.ramp, a.duration, a.limit)
}

// requested is the mean rate the attack asks for. Along a ramp it is taken
// over the requests planned, as the achieved rate is over those sent: a
// limit (a pool used up) ends the attack in the ramp's slow part.
func (a attackSpec) requested() float64 {
	if a.ramp.isZero() {
		return a.rate.PerSecond()
	}
	s := a.schedule()
	if n := s.planned(a.duration); n >= 2 {
		return float64(n) / s.due(n-1).Seconds()
	}
	return (a.ramp.from.PerSecond() + a.ramp.to.PerSecond()) / 2
}

// grace is how long an attack may overrun its duration to send requests
// the generator fell behind on; then it is cut.
func (a attackSpec) grace() time.Duration { return a.duration/2 + time.Second }

// attack runs one Vegeta attack and hands every result to c. The schedule's
// limit ends it once every planned request is sent, late ones included, so
// a generator that fell behind shows up as send lag and a low achieved
// rate rather than as requests silently not sent. It returns when the last
// result is in. It is cut at duration plus grace, and stopped early when
// the target fails (see abort.go); the end says which. When ctx ends it
// stops the attacker at once and cuts the connections still open.
func (s *session) attack(ctx context.Context, spec attackSpec, sched *schedule, scn scenario, c *collector) attackEnd {
	atk := vegeta.NewAttacker(
		vegeta.Client(s.hc), // first: later transport options do nothing on our transport
		vegeta.Workers(uint64(min(s.o.Workers, vegeta.DefaultWorkers))),
		vegeta.MaxWorkers(uint64(s.o.Workers)),
		vegeta.MaxBody(maxBody),
	)
	var du time.Duration // 0: the schedule's limit ends the attack
	if sched.unlimited {
		du = spec.duration
	}
	aborts := make(chan string, 1)
	c.guard = newBreaker(s.o.AbortShare, func(reason string) { aborts <- reason })
	results := atk.Attack(scn.targeter(), sched, du, spec.name)
	finished := make(chan struct{})
	overrun := time.NewTimer(spec.duration + spec.grace())
	defer overrun.Stop()
	stop := func() {
		sched.halt()
		atk.Stop()
		scn.stop()
	}
	ended := make(chan attackEnd, 1)
	go func() {
		var end attackEnd
		defer func() { ended <- end }()
		select {
		case <-ctx.Done():
			stop()
			s.conns.cutAll()
		case <-overrun.C:
			end.cut = true
			stop()
		case end.aborted = <-aborts:
			stop()
		case <-finished:
		}
	}()
	c.run(results)
	close(finished)
	return <-ended
}

// attackEnd says how an attack ended when it did not end as planned.
type attackEnd struct {
	cut     bool   // stopped at duration plus grace with requests unsent
	aborted string // why it was stopped early because the target failed
}

// warm runs an attack whose results only keep the scenario's bookkeeping.
func (s *session) warm(ctx context.Context, spec attackSpec, scn scenario, reg registry) {
	s.phase("warm-up: %s at %s (not counted)", spec.duration, formatRate(spec.requested()))
	sched := spec.schedule()
	c := newCollector(sched, reg, nil, nil, 0)
	c.red = s.red
	s.attack(ctx, spec, sched, scn, c)
}

// measurement is one counted attack.
type measurement struct {
	spec     attackSpec
	sched    *schedule
	sink     *sink
	checks   map[operation]*counts // from validation
	skips    map[operation]*counts // not sampled or not validated
	problems *problems
	planned  uint64
	share    float64 // validated share asked for
	end      attackEnd
}

// outputs are what a measured attack writes besides its figures.
type outputs struct {
	enc  vegeta.Encoder
	plot *plot.Plot
}

// measure runs a counted attack: results go to the sink and, sampled, to
// the checks; both are drained before it returns.
func (s *session) measure(ctx context.Context, spec attackSpec, scn scenario, reg registry, out outputs) *measurement {
	m := &measurement{spec: spec, sched: spec.schedule(), problems: newProblems(), share: s.o.Validate.fraction()}
	m.planned = m.sched.planned(spec.duration)
	m.sink = newSink(out.enc, out.plot, s.prom, m.problems, s.o.KeepBodies)
	var val *validation
	if m.share > 0 {
		val = newValidation(s.target.checker, m.problems, s.prom)
	}
	s.prom.setRate(spec.requested())
	c := newCollector(m.sched, reg, m.sink, val, m.share)
	c.red = s.red
	s.phase("attack %s: %s at %s", spec.name, spec.duration, formatRate(spec.requested()))
	stop := startProgress(s.o.Progress, spec.name, spec.duration, m.sink)
	m.end = s.attack(ctx, spec, m.sched, scn, c)
	stop()
	m.sink.finish()
	if val != nil {
		val.finish()
		m.checks = val.counts()
	}
	m.skips = c.skip
	return m
}

// summary is a measurement reduced to figures.
type summary struct {
	counts    counts
	latency   latencies // from the due time
	service   latencies // Vegeta's: from the actual send
	lag       latencies
	ops       []operationStats
	requested float64
	achieved  float64
	metrics   vegeta.Metrics
	hist      vegeta.Histogram
	planned   uint64
	validated bool
	end       attackEnd
	grace     time.Duration
}

func (m *measurement) summarize() summary {
	sk := m.sink
	sk.metrics.Close()
	sm := summary{
		counts:    sk.counts,
		latency:   latencyOf(&sk.latency, sk.counts.Requests),
		service:   latencyOf(&sk.metrics.Latencies, sk.counts.Requests),
		lag:       latencyOf(&sk.lag, sk.counts.Requests),
		requested: m.spec.requested(),
		achieved:  achievedRate(&sk.metrics),
		metrics:   sk.metrics,
		hist:      sk.hist,
		planned:   m.planned,
		validated: m.share > 0,
		end:       m.end,
		grace:     m.spec.grace(),
	}
	for _, op := range sortedOps(sk.ops) {
		st := sk.ops[op].stats(op)
		addChecks(&st.Counts, m.checks[op], m.skips[op])
		addChecks(&sm.counts, m.checks[op], m.skips[op])
		sm.ops = append(sm.ops, st)
	}
	return sm
}

func addChecks(c *counts, checks, skips *counts) {
	if checks != nil {
		c.add(*checks)
	}
	if skips != nil {
		c.add(*skips)
	}
}

// achievedRate is requests per second over the span of send times. It
// counts the gaps between sends (n-1), where Vegeta's Metrics.Rate divides
// n by the same span and so reads a few percent high on short attacks.
func achievedRate(m *vegeta.Metrics) float64 {
	span := m.Latest.Sub(m.Earliest)
	if m.Requests < 2 || span <= 0 {
		return 0
	}
	return float64(m.Requests-1) / span.Seconds()
}

func (sm summary) rateRatio() float64 {
	if sm.requested <= 0 {
		return 0
	}
	return sm.achieved / sm.requested
}

func (sm summary) measured() measured {
	return measured{latency: sm.latency, counts: sm.counts, rateRatio: sm.rateRatio(), validated: sm.validated, ops: sm.ops}
}

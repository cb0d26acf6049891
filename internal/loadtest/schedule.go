package loadtest

import (
	"math"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// schedule is the Pacer of one attack: it sends each request when it is
// due, at the times Vegeta's ConstantPacer would, and along a ramp at the
// exact times LinearPacer approximates (LinearPacer waits as if the rate
// it had at the last send held until the next, which at a slow start sends
// late bursts). It keeps what Vegeta does not: the time each request was
// due. Result.Timestamp is when a worker actually sent it, which is late
// whenever every worker was busy, so latency measured from Timestamp hides
// the wait (coordinated omission). Latency measured from the due time does
// not.
//
// Request n (Result.Seq) is matched with the n-th tick: Vegeta numbers
// requests in the order workers pick ticks up, so two requests picked up at
// the same instant may swap numbers, an error of one interval at most.
type schedule struct {
	inner vegeta.Pacer // Vegeta's own pacer: its Rate for Vegeta's progress
	due   func(n uint64) time.Duration
	hits  func(d time.Duration) float64 // requests due by d
	limit uint64                        // stop after this many requests; 0: no limit
	// unlimited: no rate, as fast as the workers go; the attack's duration
	// ends it.
	unlimited bool

	once  sync.Once
	began time.Time

	halted   chan struct{} // closed by halt: the attack was stopped
	haltOnce sync.Once
}

// maxPaceSleep is the longest wait Pace hands Vegeta, which sleeps through
// it deaf to Stop: a longer wait Pace sits out itself, listening for halt,
// so an attack at 1/m stops at once when interrupted.
const maxPaceSleep = 100 * time.Millisecond

// halt makes a waiting Pace, and every later call, stop the attack.
func (s *schedule) halt() {
	s.haltOnce.Do(func() { close(s.halted) })
}

// newSchedule paces at rate, or along ramp when it is set, for d, sending at
// most limit requests (0: no limit).
func newSchedule(rate Rate, ramp Ramp, d time.Duration, limit uint64) *schedule {
	switch {
	case !ramp.isZero():
		return linearSchedule(ramp, d, limit)
	case rate.IsZero():
		return unlimitedSchedule(limit)
	}
	return constantSchedule(rate, limit)
}

// unlimitedSchedule sends as fast as the workers go (benchmarks). Nothing is
// ever late, so latency is Vegeta's own.
func unlimitedSchedule(limit uint64) *schedule {
	return &schedule{
		inner: vegeta.ConstantPacer{}, limit: limit, unlimited: true, halted: make(chan struct{}),
		due:  func(uint64) time.Duration { return 0 },
		hits: func(time.Duration) float64 { return 0 },
	}
}

// constantSchedule mirrors vegeta.ConstantPacer, which sends request n at
// (n+1) intervals after the start.
func constantSchedule(r Rate, limit uint64) *schedule {
	interval := time.Duration(r.Per.Nanoseconds() / int64(r.Freq))
	return &schedule{
		inner:  r.vegeta(),
		limit:  limit,
		halted: make(chan struct{}),
		due:    func(n uint64) time.Duration { return time.Duration(n+1) * interval },
		hits:   func(d time.Duration) float64 { return math.Floor(float64(d) / float64(interval)) },
	}
}

// linearSchedule mirrors vegeta.LinearPacer: request 0 at once, request n
// when a·t²/2 + b·t reaches n+1 (b the start rate, a the slope).
func linearSchedule(ramp Ramp, d time.Duration, limit uint64) *schedule {
	b := ramp.from.PerSecond()
	a := (ramp.to.PerSecond() - b) / d.Seconds()
	hits := func(d time.Duration) float64 {
		x := d.Seconds()
		return a*x*x/2 + b*x
	}
	return &schedule{
		inner:  vegeta.LinearPacer{StartAt: ramp.from.vegeta(), Slope: a},
		limit:  limit,
		halted: make(chan struct{}),
		hits:   func(d time.Duration) float64 { return math.Floor(hits(d)) },
		due: func(n uint64) time.Duration {
			if n == 0 {
				return 0
			}
			return secondsToDuration(solveRamp(a, b, float64(n+1)))
		},
	}
}

// solveRamp returns t ≥ 0 with a·t²/2 + b·t = h.
func solveRamp(a, b, h float64) float64 {
	if math.Abs(a) < 1e-12 {
		return h / b
	}
	disc := b*b + 2*a*h
	if disc < 0 { // a falling ramp that never gets there
		return math.Inf(1)
	}
	// The stable form of (-b + √disc)/a, which loses digits when a is small.
	return 2 * h / (b + math.Sqrt(disc))
}

func secondsToDuration(s float64) time.Duration {
	if s > float64(math.MaxInt64)/1e9 {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(s * 1e9)
}

// Pace implements vegeta.Pacer. The first call notes when the attack began:
// Vegeta measures elapsed from its own start, so now-elapsed is that start.
func (s *schedule) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	asked := time.Now()
	s.once.Do(func() { s.began = asked.Add(-elapsed) })
	wait, stop := s.wait(elapsed, hits)
	if stop || wait <= maxPaceSleep {
		return wait, stop || s.isHalted()
	}
	t := time.NewTimer(wait - maxPaceSleep)
	defer t.Stop()
	select {
	case <-s.halted:
		return 0, true
	case <-t.C:
		return max(wait-time.Since(asked), 0), false // what is left, however late the timer woke
	}
}

// wait is how long until request hits is due, and whether none is left.
func (s *schedule) wait(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if s.limit > 0 && hits >= s.limit {
		return 0, true
	}
	due := s.due(hits)
	if due == math.MaxInt64 { // a falling ramp that never gets there
		return 0, true
	}
	return max(due-elapsed, 0), false
}

func (s *schedule) isHalted() bool {
	select {
	case <-s.halted:
		return true
	default:
		return false
	}
}

// Rate implements vegeta.Pacer.
func (s *schedule) Rate(elapsed time.Duration) float64 { return s.inner.Rate(elapsed) }

// planned is how many requests the schedule sends in d.
func (s *schedule) planned(d time.Duration) uint64 {
	if s.unlimited {
		return s.limit
	}
	n := uint64(math.Max(s.hits(d), 1))
	if s.limit > 0 && n > s.limit {
		n = s.limit
	}
	return n
}

// corrected is the latency of r measured from the time it was due rather
// than from when a worker got round to sending it. It is never below
// Vegeta's own latency.
func (s *schedule) corrected(r *vegeta.Result) time.Duration {
	if s.began.IsZero() || s.unlimited {
		return r.Latency
	}
	lat := r.End().Sub(s.began.Add(s.due(r.Seq)))
	return max(lat, r.Latency)
}

// lag is how late r was sent: Timestamp minus due time (0 when on time).
func (s *schedule) lag(r *vegeta.Result) time.Duration {
	if s.began.IsZero() || s.unlimited {
		return 0
	}
	return max(r.Timestamp.Sub(s.began.Add(s.due(r.Seq))), 0)
}

// scheduleSpec is a schedule written down, so that a merge can rebuild the
// due times of a shard's saved results.
type scheduleSpec struct {
	Began    time.Time     `json:"began"`
	Freq     int           `json:"freq,omitempty"`
	Per      time.Duration `json:"per,omitempty"`
	RampFrom *Rate         `json:"rampFrom,omitempty"`
	RampTo   *Rate         `json:"rampTo,omitempty"`
	Duration time.Duration `json:"duration"`
}

func specOf(s *schedule, rate Rate, ramp Ramp, d time.Duration) scheduleSpec {
	spec := scheduleSpec{Began: s.began, Duration: d}
	if ramp.isZero() {
		spec.Freq, spec.Per = rate.Freq, rate.Per
	} else {
		from, to := ramp.from, ramp.to
		spec.RampFrom, spec.RampTo = &from, &to
	}
	return spec
}

// rebuild makes the schedule a spec describes, began included.
func (sp scheduleSpec) rebuild() *schedule {
	var s *schedule
	if sp.RampFrom != nil && sp.RampTo != nil {
		s = linearSchedule(Ramp{from: *sp.RampFrom, to: *sp.RampTo}, sp.Duration, 0)
	} else {
		s = constantSchedule(Rate{Freq: sp.Freq, Per: sp.Per}, 0)
	}
	s.began = sp.Began
	s.once.Do(func() {})
	return s
}

// valid reports whether the spec describes a usable schedule.
func (sp scheduleSpec) valid() bool {
	if sp.RampFrom != nil && sp.RampTo != nil {
		return !sp.RampFrom.IsZero() && sp.Duration > 0
	}
	return sp.Freq > 0 && sp.Per > 0
}

package loadtest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
)

// ErrInterrupted: the run's context ended before the attack did. The report
// returned with it covers what was measured; fixtures were cleaned up.
var ErrInterrupted = errors.New("loadtest: interrupted")

// Run runs one load scenario: it creates the fixture pools, runs the
// warm-up and the measured attack, checks responses off the timing path,
// cleans up the fixtures (also when ctx ends), evaluates the thresholds and
// writes the report files. An error wrapping ErrUsage means nothing was
// attacked; with ErrInterrupted the partial report is returned too.
func Run(ctx context.Context, o Options) (*Report, error) {
	o = o.withDefaults()
	if err := o.check(true); err != nil {
		return nil, err
	}
	slos, err := loadSLO(o.SLOFile)
	if err != nil {
		return nil, err
	}
	slo, ok := slos.forScenario(o.Scenario)
	if !ok {
		return nil, usagef("%s has no thresholds for scenario %q and no default", slos.sourceName(), o.Scenario)
	}
	var base *Report
	if o.Baseline != "" {
		if base, err = loadBaseline(o.Baseline, o.Scenario); err != nil {
			return nil, err
		}
	}
	s, err := openSession(ctx, o)
	if err != nil {
		return nil, err
	}
	r, err := s.run(ctx, slo)
	if r != nil {
		r.SLOSource = slos.sourceName()
		if base != nil {
			r.Baseline = compareBaseline(o.Baseline, base, r, o.Tolerance, o.minDelta)
		}
		if s.dir != "" {
			if werr := r.writeFiles(s.dir, s.plot); werr != nil {
				err = errors.Join(err, fmt.Errorf("write the report: %w", werr))
			}
		}
	}
	return r, err
}

// run is Run once the session is open; it always closes the session.
func (s *session) run(ctx context.Context, slo slo) (r *Report, err error) {
	closed := false
	defer func() {
		if !closed {
			s.close(ctx)
		}
	}()
	o := s.o
	if err := checkRemote(s.target.loopback, o.Force, o.peak()); err != nil {
		return nil, err
	}
	main, warm := o.attacks()
	hits := main.schedule().planned(main.duration)
	if warm.duration > 0 {
		hits += warm.schedule().planned(warm.duration)
	}
	scn, reg, notes, err := s.scenario(ctx, o.Scenario, hits, false)
	if err != nil {
		return nil, interrupted(ctx, err)
	}
	if warm.duration > 0 {
		var warmNotes []string
		warm.limit, warmNotes = warmLimit(warm, main, scn.remaining())
		notes = append(notes, warmNotes...)
		if warm.limit > 0 {
			s.warm(ctx, warm, scn, reg)
		}
	}
	// The limit keeps the count exact: never more than the schedule plans,
	// nor more than the pools allow.
	main.limit = min(main.schedule().planned(main.duration), limitOf(scn))
	out, err := s.openOutputs(reg)
	if err != nil {
		s.retire(scn)
		return nil, err
	}
	m := s.measure(ctx, main, scn, reg, outputs{enc: out.encoder(), plot: s.plot})
	werr := out.close()
	s.retire(scn)
	s.close(ctx)
	closed = true

	r = s.newReport(main, m, slo)
	r.Notes = slices.Concat(s.target.notes, notes, r.Notes)
	if werr != nil || m.sink.encErr != nil {
		err = fmt.Errorf("write %s: %w", resultsFile, errors.Join(werr, m.sink.encErr))
	}
	if ctx.Err() != nil {
		r.Interrupted = true
		err = errors.Join(fmt.Errorf("%w: %v", ErrInterrupted, context.Cause(ctx)), err)
	}
	return r, err
}

// interrupted marks an error caused by the context ending.
func interrupted(ctx context.Context, err error) error {
	switch {
	case ctx.Err() == nil || errors.Is(err, ErrInterrupted):
		return err
	case err == nil:
		return fmt.Errorf("%w: %v", ErrInterrupted, context.Cause(ctx))
	}
	return fmt.Errorf("%w: %w", ErrInterrupted, err)
}

// warmLimit is how many requests the warm-up may send when left requests
// remain in the pools: the measured attack's come first. 0: no warm-up.
func warmLimit(warm, main attackSpec, left uint64) (uint64, []string) {
	want := warm.schedule().planned(warm.duration)
	need := main.schedule().planned(main.duration)
	switch {
	case left == math.MaxUint64 || left >= need+want:
		return want, nil
	case left > need:
		return left - need, []string{fmt.Sprintf("the warm-up was cut to %d requests (of %d) so that the measured attack keeps its files", left-need, want)}
	}
	return 0, []string{"the warm-up was skipped: the capped pool holds no more files than the measured attack needs"}
}

// limitOf is what a scenario's pools allow; math.MaxUint64 when unlimited.
func limitOf(scn scenario) uint64 {
	n := scn.remaining()
	if n == 0 {
		return 1 // the pacer reads 0 as no limit; a used-up pool sends one request, which the targeter refuses
	}
	return n
}

// attacks are this process's measured attack and warm-up: a shard runs
// its share of the rate.
func (o Options) attacks() (main, warm attackSpec) {
	n := o.Shard.count()
	name := o.Scenario
	if o.Shard.active() {
		name += "-" + o.Shard.tag()
	}
	main = attackSpec{name: name, rate: o.Rate.share(n), duration: o.Duration}
	start := main.rate
	if !o.Ramp.isZero() {
		main.ramp = Ramp{from: o.Ramp.from.share(n), to: o.Ramp.to.share(n)}
		main.rate, start = Rate{}, main.ramp.from
	}
	warm = attackSpec{name: name + "-warmup", rate: start, duration: o.Warmup}
	return main, warm
}

// openOutputs creates the report directory and the results file; without
// a ReportDir nothing is written.
func (s *session) openOutputs(reg registry) (*resultsWriter, error) {
	if s.o.ReportDir == "" {
		return nil, nil
	}
	dir := reportDir(s.o.ReportDir, s.o.Scenario, s.o.Shard)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	rw, err := createResults(dir)
	if err != nil {
		return nil, err
	}
	s.dir = dir
	s.plot = newPlot("Latency from scheduled send: "+s.o.Scenario, reg)
	return rw, nil
}

// newReport turns a measurement into a Report.
func (s *session) newReport(spec attackSpec, m *measurement, slo slo) *Report {
	o := s.o
	r := &Report{
		Scenario: o.Scenario, RunID: o.RunID, Shard: o.Shard, Target: safeURL(s.target.baseURL),
		Started: m.sched.began, Duration: o.Duration, Warmup: o.Warmup,
		Validation: o.Validate.String(), Fixtures: s.fx,
		Schedules: []scheduleSpec{specOf(m.sched, spec.rate, spec.ramp, spec.duration)},
	}
	if spec.ramp.isZero() {
		r.Rate = spec.rate.String()
	} else {
		r.Ramp = spec.ramp.String()
	}
	r.Problems = m.problems.list()
	r.Timeline = m.sink.timeline.points()
	r.fill(m.summarize(), slo)
	return r
}

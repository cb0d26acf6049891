package loadtest

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Plan is what a load run or a capacity search would do, worked out from
// its options alone (--dry-run): nothing is sent, no fixture is made.
type Plan struct {
	scenario string // with the shard's tag
	target   string // as it may be printed: never a key or password
	// attack is the rate or ramp of this shard; Steps, of a capacity
	// search, its first rate, growth and bounds.
	attack   string
	duration time.Duration // of the measured attack, or of each step
	warmup   time.Duration
	perStep  bool   // duration and requests are a capacity step's
	requests uint64 // planned, warm-up included; of the first step for a search
	pools    []poolPlan
	slo      string // where the thresholds come from
	notes    []string
}

// poolPlan is one pool of files the run would make before its attack.
type poolPlan struct {
	Name  string
	Files int
}

// fixtureCount is how many files the run would make in all.
func (p *Plan) fixtureCount() int {
	n := 0
	for _, pp := range p.pools {
		n += pp.Files
	}
	return n
}

// PlanRun checks o as Run does and says what it would do.
func PlanRun(o Options) (*Plan, error) {
	o = o.withDefaults()
	if err := o.check(true); err != nil {
		return nil, err
	}
	slo, err := sloSource(o.SLOFile, o.Scenario)
	if err != nil {
		return nil, err
	}
	if err := checkRemote(o.Target.IsLoopback(), o.Force, o.peak()); err != nil {
		return nil, err
	}
	main, warm := o.attacks()
	hits := main.schedule().planned(main.duration)
	if warm.duration > 0 {
		hits += warm.schedule().planned(warm.duration)
	}
	attack := main.rate.String()
	if !main.ramp.isZero() {
		attack = "ramp " + main.ramp.String()
	}
	p := &Plan{scenario: main.name, target: o.Target.Shown(), attack: attack, duration: main.duration,
		warmup: warm.duration, requests: hits, slo: slo}
	p.addPools(o, hits, false)
	return p, nil
}

// PlanCapacity checks co as Capacity does and says what its first step
// would do.
func PlanCapacity(co CapacityOptions) (*Plan, error) {
	co = co.withDefaults()
	if err := co.check(); err != nil {
		return nil, err
	}
	slo, err := sloSource(co.SLOFile, co.Scenario)
	if err != nil {
		return nil, err
	}
	loopback := co.Target.IsLoopback()
	if err := checkRemote(loopback, co.Force, co.Start.PerSecond()); err != nil {
		return nil, err
	}
	first := attackSpec{rate: co.Start, duration: co.Step}
	hits := first.schedule().planned(co.Step)
	p := &Plan{scenario: co.Scenario, target: co.Target.Shown(), duration: co.Step, perStep: true, requests: hits, slo: slo,
		attack: fmt.Sprintf("from %s, ×%g a step while every SLO holds, at most %s, %d steps", co.Start, co.Factor,
			ceiling(co, loopback), co.MaxSteps)}
	p.addPools(co.Options, hits, true)
	return p, nil
}

func sloSource(file, scenario string) (string, error) {
	slos, err := loadSLO(file)
	if err != nil {
		return "", err
	}
	if _, ok := slos.forScenario(scenario); !ok {
		return "", usagef("%s has no thresholds for scenario %q and no default", slos.sourceName(), scenario)
	}
	return slos.sourceName(), nil
}

// addPools sizes the pools as the run will (session.scenario).
func (p *Plan) addPools(o Options, hits uint64, growing bool) {
	needs := scenarios[o.Scenario].needs(plan{hits: hits, workers: o.Workers, readPool: o.PoolSize, maxPool: o.MaxPool, growing: growing})
	for _, n := range needs {
		p.pools = append(p.pools, poolPlan{Name: n.name, Files: n.n})
		if note := n.note(); note != "" {
			p.notes = append(p.notes, note)
		}
	}
}

// WriteText prints the plan, one fact a line.
func (p *Plan) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "dry run: nothing is sent, no fixture is made\n")
	fmt.Fprintf(&b, "  scenario:   %s\n", p.scenario)
	fmt.Fprintf(&b, "  target:     %s\n", p.target)
	fmt.Fprintf(&b, "  rate:       %s\n", p.attack)
	switch {
	case p.perStep:
		fmt.Fprintf(&b, "  step:       %s each (%d requests in the first)\n", p.duration, p.requests)
	case p.warmup > 0:
		fmt.Fprintf(&b, "  duration:   %s after a warm-up of %s (%d requests planned)\n", p.duration, p.warmup, p.requests)
	default:
		fmt.Fprintf(&b, "  duration:   %s (%d requests planned)\n", p.duration, p.requests)
	}
	pools := make([]string, len(p.pools))
	for i, pp := range p.pools {
		pools[i] = fmt.Sprintf("%d for %s", pp.Files, pp.Name)
	}
	fmt.Fprintf(&b, "  fixtures:   %d file(s) made before the attack, those left deleted after it (%s)\n", p.fixtureCount(), strings.Join(pools, ", "))
	fmt.Fprintf(&b, "  thresholds: %s\n", p.slo)
	for _, n := range p.notes {
		fmt.Fprintf(&b, "  note: %s\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

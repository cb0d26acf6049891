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
	Scenario string // with the shard's tag
	Target   string // as it may be printed: never a key or password
	// Attack is the rate or ramp of this shard; Steps, of a capacity
	// search, its first rate, growth and bounds.
	Attack   string
	Duration time.Duration // of the measured attack, or of each step
	Warmup   time.Duration
	PerStep  bool   // Duration and Requests are a capacity step's
	Requests uint64 // planned, warm-up included; of the first step for a search
	Pools    []PoolPlan
	SLO      string // where the thresholds come from
	Notes    []string
}

// PoolPlan is one pool of files the run would make before its attack.
type PoolPlan struct {
	Name  string
	Files int
}

// Fixtures is how many files the run would make in all.
func (p *Plan) Fixtures() int {
	n := 0
	for _, pp := range p.Pools {
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
	p := &Plan{Scenario: main.name, Target: o.Target.Shown(), Attack: attack, Duration: main.duration,
		Warmup: warm.duration, Requests: hits, SLO: slo}
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
	p := &Plan{Scenario: co.Scenario, Target: co.Target.Shown(), Duration: co.Step, PerStep: true, Requests: hits, SLO: slo,
		Attack: fmt.Sprintf("from %s, ×%g a step while every SLO holds, at most %s, %d steps", co.Start, co.Factor,
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
		p.Pools = append(p.Pools, PoolPlan{Name: n.name, Files: n.n})
		if note := n.note(); note != "" {
			p.Notes = append(p.Notes, note)
		}
	}
}

// WriteText prints the plan, one fact a line.
func (p *Plan) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "dry run: nothing is sent, no fixture is made\n")
	fmt.Fprintf(&b, "  scenario:   %s\n", p.Scenario)
	fmt.Fprintf(&b, "  target:     %s\n", p.Target)
	fmt.Fprintf(&b, "  rate:       %s\n", p.Attack)
	switch {
	case p.PerStep:
		fmt.Fprintf(&b, "  step:       %s each (%d requests in the first)\n", p.Duration, p.Requests)
	case p.Warmup > 0:
		fmt.Fprintf(&b, "  duration:   %s after a warm-up of %s (%d requests planned)\n", p.Duration, p.Warmup, p.Requests)
	default:
		fmt.Fprintf(&b, "  duration:   %s (%d requests planned)\n", p.Duration, p.Requests)
	}
	pools := make([]string, len(p.Pools))
	for i, pp := range p.Pools {
		pools[i] = fmt.Sprintf("%d for %s", pp.Files, pp.Name)
	}
	fmt.Fprintf(&b, "  fixtures:   %d file(s) made before the attack, those left deleted after it (%s)\n", p.Fixtures(), strings.Join(pools, ", "))
	fmt.Fprintf(&b, "  thresholds: %s\n", p.SLO)
	for _, n := range p.Notes {
		fmt.Fprintf(&b, "  note: %s\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/rentix/mediaharness/internal/loadtest"
	"github.com/rentix/mediaharness/internal/rundir"
)

// loadFlags binds what load and capacity share: the scenario, the target,
// thresholds and where reports go.
type loadFlags struct {
	fs               *flag.FlagSet
	target           *targetFlags
	o                loadtest.Options
	validate         string
	abort            string
	embeddedCapacity string
	reportDir        string
	deadline         time.Duration
	dryRun           bool
	quiet            *bool
	run              runDir // made by options, unless a dry run
}

// DefaultEmbeddedCapacity is the capacity the embedded server models in a
// capacity search: the server at its own speed outruns a generator on the
// same machine, so without a model the search could only end generator-bound.
const DefaultEmbeddedCapacity = "2000/s"

// bindLoad binds the shared flags; embeddedCapacity is the default of
// --embedded-capacity ("" for none).
func bindLoad(fs *flag.FlagSet, env Process, embeddedCapacity string) *loadFlags {
	lf := &loadFlags{fs: fs, target: bindTarget(fs, env, useSource)}
	fs.StringVar(&lf.embeddedCapacity, "embedded-capacity", embeddedCapacity,
		"make the embedded server model an API that holds this rate and queues the rest, e.g. 2000/s; 0 or empty: its own speed")
	fs.StringVar(&lf.o.Scenario, "scenario", "get", fmt.Sprintf("load scenario: one of %v", loadtest.Scenarios()))
	fs.StringVar(&lf.validate, "validate", "all", "share of responses checked against the contract: all, N% or off")
	fs.StringVar(&lf.abort, "abort-on-failures", fmt.Sprint(loadtest.DefaultAbortShare),
		"stop an attack once this share of the last 100 requests failed (no answer, 5xx or 429), sparing a failing target; off: never")
	fs.StringVar(&lf.o.SLOFile, "slo", "", "thresholds file (default: the embedded loadtest/slo.yaml)")
	fs.IntVar(&lf.o.Workers, "max-workers", loadtest.DefaultWorkers, "most requests in flight at once (Vegeta's max workers): the rate is not held when they are all waiting")
	fs.IntVar(&lf.o.Workers, "workers", loadtest.DefaultWorkers, "deprecated: the old name of --max-workers")
	fs.IntVar(&lf.o.PoolSize, "pool-size", loadtest.DefaultPoolSize, "files made for a reading scenario to read (more vary the answers; each is uploaded and optimized first)")
	fs.IntVar(&lf.o.MaxPool, "max-pool", loadtest.DefaultMaxPool, "most files made for a scenario that deletes them (delete, mixed); the attack stops when they are used up")
	fs.StringVar(&lf.reportDir, "report-dir", "reports", "where reports/<run-id>/load/ is written")
	fs.StringVar(&lf.o.PrometheusAddr, "prometheus-addr", "", "serve live metrics for Prometheus at this address while running")
	fs.BoolVar(&lf.o.Force, "force", false, "allow rates above the documented per-key limit against a remote target")
	lf.quiet = bindQuiet(fs)
	fs.BoolVar(&lf.dryRun, "dry-run", false, "check the flags, print the plan (scenario, rate, duration, target, fixtures to make) and exit: nothing is sent")
	fs.DurationVar(&lf.deadline, "run-deadline", 0, fmt.Sprintf("deadline of the whole run: when it passes, the attack stops (exit 3) and fixtures are cleaned up; 0: the attacks' length plus %v", loadDeadlineMargin))
	return lf
}

// errRunDeadline is the cause of a load run's context ending at --run-deadline.
type errRunDeadline struct{ d time.Duration }

func (e errRunDeadline) Error() string {
	return fmt.Sprintf("the run deadline of %v passed", e.d)
}

// withDeadline bounds a run by --run-deadline, or by the attacks' length
// plus a margin for fixtures. When it passes, loadtest stops as if
// interrupted; loadError tells the two apart by the context's cause.
func (lf *loadFlags) withDeadline(ctx context.Context, attacks time.Duration) (context.Context, context.CancelFunc) {
	d := lf.deadline
	if d == 0 {
		d = attacks + loadDeadlineMargin
	}
	return context.WithTimeoutCause(ctx, d, errRunDeadline{d})
}

// pastDeadline tells an interruption by --run-deadline from one by a
// signal: loadtest reports both as ErrInterrupted.
func pastDeadline(ctx, runCtx context.Context, err error) error {
	var dl errRunDeadline
	if errors.Is(err, loadtest.ErrInterrupted) && ctx.Err() == nil && errors.As(context.Cause(runCtx), &dl) {
		return dl
	}
	return err
}

// options completes the bound options once flags are parsed.
func (lf *loadFlags) options(env Process) (loadtest.Options, error) {
	if lf.deadline < 0 {
		return loadtest.Options{}, usagef("--run-deadline must not be negative, got %v", lf.deadline)
	}
	if lf.o.Workers < 1 || lf.o.PoolSize < 1 || lf.o.MaxPool < 1 {
		return loadtest.Options{}, usagef("--max-workers, --pool-size and --max-pool must be at least 1, got %d, %d and %d", lf.o.Workers, lf.o.PoolSize, lf.o.MaxPool)
	}
	target, err := lf.target.target()
	if err != nil {
		return loadtest.Options{}, err
	}
	v, err := loadtest.ParseValidate(lf.validate)
	if err != nil {
		return loadtest.Options{}, err
	}
	o := lf.o
	o.Target, o.Validate, o.Progress = target, v, env.Stderr
	if *lf.quiet {
		o.Progress = nil
	}
	if o.AbortShare, err = parseAbortShare(lf.abort); err != nil {
		return loadtest.Options{}, err
	}
	if o.EmbeddedCapacity, err = lf.capacityModel(target.Embedded()); err != nil {
		return loadtest.Options{}, err
	}
	if lf.dryRun {
		return o, nil
	}
	o.RunID = rundir.NewRunID()
	lf.run, err = createRunDir(lf.reportDir, o.RunID)
	if err != nil {
		return loadtest.Options{}, usageError(err)
	}
	o.ReportDir = lf.run.dir
	return o, nil
}

// parseAbortShare reads --abort-on-failures: a share in (0, 1], or off.
func parseAbortShare(s string) (float64, error) {
	if s == "off" {
		return -1, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !(f > 0 && f <= 1) {
		return 0, usagef("--abort-on-failures %q: want a share above 0 and at most 1 (e.g. 0.5), or off", s)
	}
	return f, nil
}

// capacityModel reads --embedded-capacity. Against another target it is an
// error when given and ignored when it is only the default.
func (lf *loadFlags) capacityModel(embedded bool) (loadtest.Rate, error) {
	r, err := capacityRate("embedded-capacity", lf.embeddedCapacity)
	if err != nil || r.IsZero() || embedded {
		return r, err
	}
	if isSet(lf.fs, "embedded-capacity") {
		return loadtest.Rate{}, usagef("--embedded-capacity models the embedded server; it has no effect on --base-url")
	}
	return loadtest.Rate{}, nil
}

// capacityRate reads a modeled capacity flag: a rate, or "" or 0 for none.
func capacityRate(flagName, value string) (loadtest.Rate, error) {
	r, err := optionalRate(value)
	if err != nil {
		return loadtest.Rate{}, usagef("--%s: %v", flagName, err)
	}
	return r, nil
}

// isSet reports whether the command line gave the flag.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func runLoad(ctx context.Context, env Process, args []string) (int, error) {
	fs := newFlagSet(env, "load", "load --scenario get|get-external|link|delete|mixed [--rate 200/s | --ramp 10/s:500/s] [--duration 30s] [target flags]")
	lf := bindLoad(fs, env, "")
	rate := fs.String("rate", "100/s", "constant request rate: COUNT/UNIT, e.g. 200/s, 300/m, 300/min or 50/100ms; a bare number is per second")
	ramp := fs.String("ramp", "", "a linear ramp over the duration instead of a constant rate, e.g. 10/s:500/s")
	fs.DurationVar(&lf.o.Duration, "duration", 10*time.Second, "length of the measured attack")
	fs.DurationVar(&lf.o.Warmup, "warmup", 0, "an attack before the measured one, not counted")
	fs.StringVar(&lf.o.Baseline, "baseline", "", "an earlier run's load.json: fail on a regression beyond --tolerance")
	fs.Float64Var(&lf.o.Tolerance, "tolerance", loadtest.DefaultTolerance, "allowed p95 growth over the baseline (0.2 = 20%; 0: none)")
	shard := fs.String("shard", "", "run shard i of n (e.g. 1/3): rate/n and its own fixtures")
	// Only load writes results.bin: a capacity search keeps no bodies.
	fs.BoolVar(&lf.o.KeepBodies, "keep-bodies", false, "keep each response body whole in results.bin (up to 1 MiB); default: its first 512 bytes")
	if err := parse(fs, args); err != nil {
		return ExitUsage, err
	}
	var err error
	if lf.o.Rate, err = loadtest.ParseRate(*rate); err != nil {
		return ExitUsage, err
	}
	if *ramp != "" {
		if lf.o.Ramp, err = loadtest.ParseRamp(*ramp); err != nil {
			return ExitUsage, err
		}
	}
	if *shard != "" {
		if lf.o.Shard, err = loadtest.ParseShard(*shard); err != nil {
			return ExitUsage, err
		}
	}
	o, err := lf.options(env)
	if err != nil {
		return ExitUsage, err
	}
	if lf.dryRun {
		return printPlan(env, func() (*loadtest.Plan, error) { return loadtest.PlanRun(o) })
	}
	runCtx, cancel := lf.withDeadline(ctx, o.Warmup+o.Duration)
	defer cancel()
	rep, err := loadtest.Run(runCtx, o)
	lf.run.discardIfRefused(err)
	code, err := loadOutcome(env, rep, pastDeadline(ctx, runCtx, err))
	lf.run.writeIndex(env)
	return lf.run.checkLeftovers(env, code, err)
}

func runCapacity(ctx context.Context, env Process, args []string) (int, error) {
	fs := newFlagSet(env, "capacity", "capacity --scenario get [--start 100/s] [--factor 1.5] [--step 2s] [--max-rate 20000/s] [target flags]")
	lf := bindLoad(fs, env, DefaultEmbeddedCapacity)
	var co loadtest.CapacityOptions
	start := fs.String("start", "100/s", "rate of the first step")
	maxRate := fs.String("max-rate", "", "never step above this rate (default 20000/s; 5/s against a remote target without --force)")
	fs.Float64Var(&co.Factor, "factor", 1.5, "rate growth per step while every SLO holds")
	fs.DurationVar(&co.Step, "step", 2*time.Second, "length of each step's attack")
	fs.IntVar(&co.MaxSteps, "max-steps", loadtest.DefaultCapacityMaxSteps, "steps in all, bisection included")
	if err := parse(fs, args); err != nil {
		return ExitUsage, err
	}
	if co.Step <= 0 || co.MaxSteps < 1 || co.Factor <= 1 {
		return ExitUsage, usagef("--step must be above 0, --max-steps at least 1 and --factor above 1; got %v, %d and %v", co.Step, co.MaxSteps, co.Factor)
	}
	var err error
	if co.Start, err = loadtest.ParseRate(*start); err != nil {
		return ExitUsage, err
	}
	if *maxRate != "" {
		if co.MaxRate, err = loadtest.ParseRate(*maxRate); err != nil {
			return ExitUsage, err
		}
	}
	if co.Options, err = lf.options(env); err != nil {
		return ExitUsage, err
	}
	if lf.dryRun {
		return printPlan(env, func() (*loadtest.Plan, error) { return loadtest.PlanCapacity(co) })
	}
	runCtx, cancel := lf.withDeadline(ctx, time.Duration(max(co.MaxSteps, 1))*co.Step)
	defer cancel()
	rep, err := loadtest.Capacity(runCtx, co)
	lf.run.discardIfRefused(err)
	code, err := capacityOutcome(env, rep, pastDeadline(ctx, runCtx, err))
	lf.run.writeIndex(env)
	return lf.run.checkLeftovers(env, code, err)
}

// printPlan is load's and capacity's --dry-run: the plan, or why there
// is none.
func printPlan(env Process, plan func() (*loadtest.Plan, error)) (int, error) {
	p, err := plan()
	if err != nil {
		return loadError(err)
	}
	return ExitOK, p.WriteText(env.Stdout)
}

// capacityOutcome prints a capacity report and maps it to an exit code.
// An interrupted search still prints the steps it made.
func capacityOutcome(env Process, rep *loadtest.CapacityReport, err error) (int, error) {
	if rep != nil && len(rep.Steps) > 0 {
		if werr := rep.WriteText(env.Stdout); werr != nil {
			return ExitFailure, werr
		}
		if rep.Dir != "" {
			fmt.Fprintf(env.Stdout, "reports: %s\n", rep.Dir)
		}
	}
	if err != nil {
		return loadError(err)
	}
	return verdict(rep.Passed()), nil
}

// loadOutcome prints a load report and maps it to an exit code.
func loadOutcome(env Process, rep *loadtest.Report, err error) (int, error) {
	if rep != nil {
		if werr := rep.WriteText(env.Stdout); werr != nil {
			return ExitFailure, werr
		}
		if rep.Dir != "" {
			fmt.Fprintf(env.Stdout, "reports: %s\n", rep.Dir)
		}
	}
	if err != nil {
		return loadError(err)
	}
	return runVerdict(rep.Passed(), rep.Aborted != ""), nil
}

func loadError(err error) (int, error) {
	var dl errRunDeadline
	switch {
	case errors.Is(err, loadtest.ErrUsage):
		return ExitUsage, err
	case errors.As(err, &dl):
		return ExitAborted, fmt.Errorf("%v: the run stopped early", dl)
	case errors.Is(err, loadtest.ErrInterrupted):
		return ExitInterrupted, err
	}
	return ExitFailure, err
}

func runReport(ctx context.Context, env Process, args []string) (int, error) {
	fs := newFlagSet(env, "report", "report --merge [--out DIR] [--slo FILE] SHARD_DIR...")
	var mo loadtest.MergeOptions
	merge := fs.Bool("merge", false, "merge shards' results into one report and one threshold verdict")
	fs.StringVar(&mo.OutDir, "out", "", "where the merged report goes (default: beside the first shard)")
	fs.StringVar(&mo.SLOFile, "slo", "", "thresholds file (default: the embedded loadtest/slo.yaml)")
	fs.StringVar(&mo.Baseline, "baseline", "", "an earlier run's load.json to compare with")
	fs.Float64Var(&mo.Tolerance, "tolerance", loadtest.DefaultTolerance, "allowed p95 growth over the baseline (0.2 = 20%; 0: none)")
	inputs, err := parseInterspersed(fs, args)
	if err != nil {
		return ExitUsage, err
	}
	if !*merge {
		return ExitUsage, usagef("say what to do: --merge (see mediaharness report --help)")
	}
	if mo.Tolerance < 0 {
		return ExitUsage, usagef("--tolerance must not be negative, got %v", mo.Tolerance)
	}
	mo.Inputs = inputs
	rep, err := loadtest.Merge(mo)
	return loadOutcome(env, rep, err)
}

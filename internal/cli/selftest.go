package cli

import (
	"context"
	"strings"

	"github.com/rentix/mediaharness/internal/selftest"
)

// runSelftest proves the suite: the clean reference server must pass and
// every fault of its catalogue must be caught.
func runSelftest(ctx context.Context, env Process, args []string) (int, error) {
	fs := newFlagSet(env, "selftest", "selftest [--fault NAME[,NAME]] [--fast] [--every-scenario] [--concurrency N] [--report-dir DIR]")
	var o selftest.Options
	faults := fs.String("fault", "", "comma-separated faults to test (mediaharness serve --list-faults); empty: all of them")
	fs.BoolVar(&o.Fast, "fast", false, "test the fast subset (what CI runs) instead of every fault")
	fs.BoolVar(&o.EveryScenario, "every-scenario", false, "run each fault's suite to the end and list the scenarios no fault makes fail (slower)")
	fs.IntVar(&o.Concurrency, "concurrency", selftest.DefaultConcurrency, "faults tested at once")
	fs.DurationVar(&o.LoadDuration, "load-duration", selftest.DefaultLoadDuration, "length of each load probe (the clean server and the load-only faults)")
	fs.StringVar(&o.ReportDir, "report-dir", "reports", "where reports/<run-id>/mutation.md is written")
	if err := parse(fs, args); err != nil {
		return ExitUsage, err
	}
	if o.Concurrency < 1 {
		return ExitUsage, usagef("--concurrency must be at least 1, got %d", o.Concurrency)
	}
	if *faults != "" {
		o.Faults = strings.Split(*faults, ",")
	}
	o.Stdout = env.Stdout
	res, err := selftest.Run(ctx, o)
	if err != nil {
		return ExitUsage, usageError(err)
	}
	return verdict(res.Passed()), nil
}

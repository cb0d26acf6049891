package cli

import (
	"context"
	"strings"

	"github.com/rentix/mediaharness/internal/explore"
)

// runExplore generates inputs and state sequences from the contract and
// checks every answer; the same seed gives the same run.
func runExplore(ctx context.Context, env Process, args []string) (int, error) {
	fs := newFlagSet(env, "explore", "explore [target flags] [--seed N] [--budget N] [--report-dir DIR]")
	tf := bindTarget(fs, env, useOtherKey|useSource)
	var o explore.Options
	fs.Int64Var(&o.Seed, "seed", 1, "decides every generated input and sequence; the same seed repeats the run")
	fs.IntVar(&o.Budget, "budget", explore.DefaultBudget, "most requests to send (cleanup aside), paced by --max-rps")
	fs.BoolVar(&o.NoSequences, "no-sequences", false, "generated inputs only, no model-based sequences")
	fs.StringVar(&o.SpecFile, "spec", "", "an OpenAPI file to generate from and validate against instead of the embedded contract")
	fs.StringVar(&o.ReportDir, "report-dir", "reports", "where reports/<run-id>/ is written")
	quiet := bindQuiet(fs)
	faults := fs.String("fault", "", "comma-separated faults to switch on in the embedded reference server (mediaharness serve --list-faults)")
	if err := parse(fs, args); err != nil {
		return ExitUsage, err
	}
	target, err := tf.target()
	if err != nil {
		return ExitUsage, err
	}
	if *faults != "" {
		o.Faults = strings.Split(*faults, ",")
	}
	stdout, flush := quietOutput(env.Stdout, *quiet)
	defer flush()
	o.Target, o.Stdout, o.Stderr = target, stdout, env.Stderr
	res, err := explore.Run(ctx, o)
	if err != nil {
		return ExitFailure, err
	}
	if ctx.Err() != nil {
		return ExitInterrupted, nil
	}
	return verdict(res.Passed()), nil
}

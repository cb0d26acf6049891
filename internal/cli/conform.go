package cli

import (
	"context"
	"time"

	"github.com/rentix/mediaharness/internal/conform"
)

func runConform(ctx context.Context, env Env, args []string) (int, error) {
	fs := newFlagSet(env, "conform", "conform [target flags] [--tags EXPR] [--concurrency N] [--inferred warn|fail] [--report-dir DIR]")
	tf := bindTarget(fs, env)
	var o conform.Options
	fs.StringVar(&o.Tags, "tags", "", `godog tag expression, e.g. "~@ratelimit && ~@slow"`)
	fs.IntVar(&o.Concurrency, "concurrency", 4, "scenarios run at once")
	fs.StringVar(&o.Inferred, "inferred", "fail", "inferred-behaviour failures: fail (count them) or warn (report, exit 0)")
	fs.BoolVar(&o.Strict, "strict", false, "fail on drift: properties, headers the contract does not mention")
	fs.StringVar(&o.ReportDir, "report-dir", "reports", "where reports/<run-id>/ is written")
	fs.StringVar(&o.Baseline, "baseline", "", "an earlier run's report directory: list new failures apart from known ones")
	fs.BoolVar(&o.FailOnlyOnRegressions, "fail-only-on-regressions", false, "with --baseline: exit 1 only for scenarios that newly fail")
	fs.StringVar(&o.SpecFile, "spec", "", "an OpenAPI file to validate against instead of the embedded contract")
	fs.DurationVar(&o.RunDeadline, "run-deadline", 15*time.Minute, "the whole run's deadline; fixtures are still cleaned up")
	if err := parse(fs, args); err != nil {
		return ExitUsage, err
	}
	target, err := tf.target()
	if err != nil {
		return ExitUsage, err
	}
	o.Target, o.Stdout, o.Stderr = target, env.Stdout, env.Stderr
	res, err := conform.Run(ctx, o)
	if err != nil {
		return ExitUsage, usageError{err}
	}
	return res.ExitCode(), nil
}

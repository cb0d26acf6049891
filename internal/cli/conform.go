package cli

import (
	"context"

	"github.com/rentix/mediaharness/internal/conform"
	"github.com/rentix/mediaharness/steps"
)

func runConform(ctx context.Context, env Process, args []string) (int, error) {
	fs := newFlagSet(env, "conform", "conform [target flags] [--tags EXPR] [--features DIR] [--list] [--concurrency N] [--inferred warn|fail] [--report-dir DIR]")
	tf := bindTarget(fs, env, targetAll)
	var o conform.Options
	fs.StringVar(&o.Tags, "tags", "", `scenarios to run: a Cucumber tag expression, e.g. "not @ratelimit and not (@slow or @destructive)", or godog's older "~@ratelimit && ~@slow"`)
	fs.IntVar(&o.Concurrency, "concurrency", 4, "scenarios run at once")
	fs.StringVar(&o.Inferred, "inferred", "fail", "inferred-behaviour failures: fail (count them) or warn (report, exit 0)")
	fs.BoolVar(&o.Strict, "strict", false, "fail on drift: properties, headers the contract does not mention")
	fs.StringVar(&o.ReportDir, "report-dir", "reports", "where reports/<run-id>/ is written")
	fs.StringVar(&o.Baseline, "baseline", "", "an earlier run's report directory: list new failures apart from known ones")
	fs.BoolVar(&o.FailOnlyOnRegressions, "fail-only-on-regressions", false, "with --baseline: exit 1 only for scenarios that newly fail")
	fs.StringVar(&o.SpecFile, "spec", "", "an OpenAPI file to validate against instead of the embedded contract")
	fs.StringVar(&o.Sources.PNG, "png-source-url", env.Getenv("RENTIX_PNG_SOURCE_URL"), "with --source-url: URL of a PNG photo (over 1024 pixels wide) the target can download (env RENTIX_PNG_SOURCE_URL)")
	fs.StringVar(&o.Sources.File, "file-source-url", env.Getenv("RENTIX_FILE_SOURCE_URL"), "with --source-url: URL of a small image for the many fixtures whose content does not matter (quicker to optimize); default: --source-url (env RENTIX_FILE_SOURCE_URL)")
	fs.StringVar(&o.FeaturesDir, "features", "", "a directory of .feature files to run instead of the embedded ones (every step must match the harness's steps)")
	fs.DurationVar(&o.RunDeadline, "run-deadline", DefaultConformDeadline, "deadline of the scenarios: when it passes, the run stops (exit 3), then cleans up its fixtures and writes its reports; 0: none")
	fs.IntVar(&o.RateLimitBudget, "ratelimit-budget", steps.DefaultRateLimitBudget, "most requests a @ratelimit scenario may send to exceed the target's rate limit; a target advertising a larger X-RateLimit-Limit gets the scenario skipped with the reason")
	quiet := bindQuiet(fs)
	list := fs.Bool("list", false, "print the scenarios --tags and --features select, one a line with their tags, and exit: no server is started, no target contacted")
	fs.BoolVar(list, "dry-run", false, "the same as --list")
	if err := parse(fs, args); err != nil {
		return ExitUsage, err
	}
	tags, err := godogTags(o.Tags)
	if err != nil {
		return ExitUsage, err
	}
	o.Tags = tags
	if *list {
		return listScenarios(env, o)
	}
	if o.Concurrency < 1 {
		return ExitUsage, usagef("--concurrency must be at least 1, got %d", o.Concurrency)
	}
	target, err := tf.target()
	if err != nil {
		return ExitUsage, err
	}
	stdout, flush := quietOutput(env.Stdout, *quiet)
	defer flush()
	o.Target, o.Stdout, o.Stderr = target, stdout, env.Stderr
	res, err := conform.Run(ctx, o)
	if err != nil {
		return ExitFailure, err
	}
	return runVerdict(res.Verdict.Passed(), res.Interrupted), nil
}

// listScenarios is conform --list: what a run would execute, checked as a
// run checks it, without a target.
func listScenarios(env Process, o conform.Options) (int, error) {
	scenarios, err := conform.List(o)
	if err != nil {
		return ExitUsage, err
	}
	return ExitOK, conform.WriteList(env.Stdout, scenarios)
}

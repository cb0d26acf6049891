package cli

import (
	"context"
	"fmt"
	"net/http"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/fixtures"
)

func runSweep(ctx context.Context, env Env, args []string) (int, error) {
	fs := newFlagSet(env, "sweep", "sweep --ledger FILE --base-url URL [key flags]")
	tf := bindTarget(fs, env)
	ledger := fs.String("ledger", "", "the ledger.jsonl of the run whose fixtures to delete")
	if err := parse(fs, args); err != nil {
		return ExitUsage, err
	}
	if *ledger == "" {
		return ExitUsage, usagef("--ledger is required")
	}
	target, err := tf.target()
	if err != nil {
		return ExitUsage, err
	}
	if target.Embedded() {
		return ExitUsage, usagef("--base-url is required: the embedded server keeps nothing between runs")
	}
	c, err := client.New(client.Options{
		BaseURL: target.BaseURL, HTTPClient: http.DefaultClient, Secrets: target.Secrets(),
		MaxRPS: remoteRPS(target.MaxRPS), Timeout: target.Timeout,
	})
	if err != nil {
		return ExitUsage, usageError{err}
	}
	res, err := fixtures.Sweep(ctx, c, target.Keys(), *ledger)
	fmt.Fprintf(env.Stdout, "sweep: %d outstanding, %d deleted, %d already gone, %d failed\n",
		res.Found, res.Deleted, res.AlreadyGone, res.Failed)
	if err != nil {
		return ExitFailure, fmt.Errorf("%s", c.Redact(err.Error()))
	}
	return ExitOK, nil
}

// remoteRPS is the pace for a remote target: what was asked, or a default
// safely under the documented 300 requests a minute.
func remoteRPS(asked float64) float64 {
	if asked > 0 {
		return asked
	}
	return 4
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/contract"
	"github.com/rentix/mediaharness/internal/fixtures"
	"github.com/rentix/mediaharness/openapi"
)

// DefaultSweepDeadline bounds a sweep: at the documented pace a ledger of a
// thousand files is swept in well under it.
const DefaultSweepDeadline = 10 * time.Minute

func runSweep(ctx context.Context, env Env, args []string) (int, error) {
	fs := newFlagSet(env, "sweep", "sweep --ledger FILE --base-url URL [key flags]")
	tf := bindTarget(fs, env)
	ledger := fs.String("ledger", "", "the ledger.jsonl of the run whose fixtures to delete")
	deadline := fs.Duration("deadline", DefaultSweepDeadline, "stop the sweep after this long, naming what is left")
	if err := parse(fs, args); err != nil {
		return ExitUsage, err
	}
	if *ledger == "" {
		return ExitUsage, usagef("--ledger is required")
	}
	if *deadline <= 0 {
		return ExitUsage, usagef("--deadline must be positive, got %v", *deadline)
	}
	target, err := tf.target()
	if err != nil {
		return ExitUsage, err
	}
	if target.Embedded() {
		return ExitUsage, usagef("--base-url is required: the embedded server keeps nothing between runs")
	}
	if target.IsProduction() && !target.AllowProduction {
		return ExitUsage, usagef("%s is the production host %s: sweep deletes files there only with --allow-production",
			target.Shown(), config.ProductionHost)
	}
	c, err := sweepClient(target)
	if err != nil {
		return ExitUsage, usageError{err}
	}
	ctx, cancel := context.WithTimeout(ctx, *deadline)
	defer cancel()
	fmt.Fprintf(env.Stdout, "sweep: target %s\n", target.Shown())
	res, err := fixtures.Sweep(ctx, c, target.Keys(), *ledger, fixtures.SweepOptions{
		Target: target.Place(),
		Note:   func(s string) { fmt.Fprintln(env.Stdout, "sweep: "+c.Redact(s)) },
	})
	if errors.Is(err, fixtures.ErrLedgerTarget) {
		return ExitUsage, usageError{errors.New(c.Redact(err.Error()))}
	}
	fmt.Fprintf(env.Stdout, "sweep: %d outstanding, %d deleted, %d already gone, %d skipped as not the run's, %d failed\n",
		res.Found, res.Deleted, res.AlreadyGone, res.Skipped, res.Failed)
	if err != nil {
		return ExitFailure, errors.New(c.Redact(err.Error()))
	}
	return ExitOK, nil
}

// sweepClient is the client conform and load use: it never follows a
// redirect (a 301 would turn a DELETE into a GET, a 307 could carry the
// key to another host) and checks every answer against the contract.
func sweepClient(target config.Target) (*client.Client, error) {
	doc, err := openapi.Load()
	if err != nil {
		return nil, err
	}
	v, err := contract.New(doc)
	if err != nil {
		return nil, err
	}
	return client.New(client.Options{
		BaseURL: target.BaseURL, Validator: v, Secrets: target.Secrets(),
		MaxRPS: remoteRPS(target.MaxRPS), Timeout: target.Timeout,
	})
}

// remoteRPS is the pace for a remote target: what was asked, or a default
// safely under the documented 300 requests a minute.
func remoteRPS(asked float64) float64 {
	if asked > 0 {
		return asked
	}
	return 4
}

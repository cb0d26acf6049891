package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/runfiles"
	"github.com/rentix/mediaharness/internal/target"
)

// DefaultSweepDeadline bounds a sweep: at the documented pace a ledger of a
// thousand files is swept in well under it.
const DefaultSweepDeadline = 10 * time.Minute

func runSweep(ctx context.Context, env Process, args []string) (int, error) {
	fs := newFlagSet(env, "sweep", "sweep --ledger FILE --base-url URL [key flags]")
	tf := bindTarget(fs, env, useOtherKey|useTestKeys)
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
	tgt, err := tf.target()
	if err != nil {
		return ExitUsage, err
	}
	if tgt.Embedded() {
		return ExitUsage, usagef("--base-url is required: the embedded server keeps nothing between runs")
	}
	if tgt.IsProduction() && !tgt.AllowProduction {
		return ExitUsage, usagef("%s is the production host %s: sweep deletes files there only with --allow-production",
			tgt.Shown(), config.ProductionHost)
	}
	sess, err := openSweepSession(ctx, tgt)
	if err != nil {
		return ExitUsage, usageError(err)
	}
	defer sess.Close()
	c := sess.Client
	ctx, cancel := context.WithTimeout(ctx, *deadline)
	defer cancel()
	fmt.Fprintf(env.Stdout, "sweep: target %s\n", tgt.Shown())
	res, err := runfiles.Sweep(ctx, c, tgt.Keys(), *ledger, runfiles.SweepOptions{
		Target: tgt.Place(),
		Note:   func(s string) { fmt.Fprintln(env.Stdout, "sweep: "+c.Redact(s)) },
	})
	if errors.Is(err, runfiles.ErrLedgerTarget) {
		return ExitUsage, usageError(errors.New(c.Redact(err.Error())))
	}
	fmt.Fprintf(env.Stdout, "sweep: %d outstanding, %d deleted, %d already gone, %d skipped as not the run's, %d failed\n",
		res.Found, res.Deleted, res.AlreadyGone, res.Skipped, res.Failed)
	if err != nil {
		return ExitFailure, errors.New(c.Redact(err.Error()))
	}
	return ExitOK, nil
}

// openSweepSession gives sweep the client conform and load use: it never
// follows a redirect (a 301 would turn a DELETE into a GET, a 307 could
// carry the key to another host) and checks every answer against the
// contract.
func openSweepSession(ctx context.Context, t config.Target) (*target.Session, error) {
	return target.Open(ctx, target.Options{Target: t, Client: target.ClientOptions{MaxRPS: target.Pace(t)}})
}

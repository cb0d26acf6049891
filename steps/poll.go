package steps

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Poll pauses: short at first (the embedded server finishes in
// milliseconds), doubling up to a cap so a slow target is not hammered.
const (
	firstPoll = 20 * time.Millisecond
	maxPoll   = 500 * time.Millisecond
)

// errDeadline is a poll that ran out of time.
var errDeadline = errors.New("deadline passed")

// poll calls try at once and then after growing pauses until it reports
// done, fails, or the deadline passes. try gets a context that ends at the
// deadline.
func poll(ctx context.Context, deadline time.Time, try func(context.Context) (bool, error)) error {
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	pause := firstPoll
	for {
		done, err := try(ctx)
		if ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("%w (%s)", errDeadline, deadline.Format(time.TimeOnly))
		}
		if err != nil || done {
			return err
		}
		if err := pauseFor(ctx, pause); err != nil {
			return fmt.Errorf("%w (%s)", errDeadline, deadline.Format(time.TimeOnly))
		}
		pause = min(2*pause, maxPoll)
	}
}

// pauseFor waits d or until ctx ends.
func pauseFor(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

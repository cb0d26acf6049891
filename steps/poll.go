package steps

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rentix/mediaharness/internal/pause"
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
	wait := firstPoll
	for {
		done, err := try(ctx)
		if ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("%w (%s)", errDeadline, deadline.Format(time.TimeOnly))
		}
		if err != nil || done {
			return err
		}
		if err := pause.For(ctx, wait); err != nil {
			return fmt.Errorf("%w (%s)", errDeadline, deadline.Format(time.TimeOnly))
		}
		wait = min(2*wait, maxPoll)
	}
}

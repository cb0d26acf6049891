// Package pause waits for a while unless the caller gives up first: the one
// "sleep d or return when ctx ends" of the harness and its reference server.
package pause

import (
	"context"
	"time"
)

// For waits d or until ctx ends, whichever comes first. It returns nil when
// the whole d passed and ctx.Err() when ctx ended first. A d of zero or less
// does not wait: it returns ctx.Err(), so a caller in a loop still notices a
// cancelled context.
func For(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

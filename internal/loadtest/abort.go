package loadtest

import (
	"fmt"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// A run stops early when the target is failing: DefaultAbortShare of the
// last abortWindow requests got no answer, a 5xx or a 429. Going on would
// only add load to a system that is already down or asking us to back off,
// and the thresholds have broken anyway.
const (
	DefaultAbortShare = 0.5
	abortWindow       = 100
)

// breaker watches the outcomes of the last abortWindow requests and calls
// trip once when the failed share reaches share. A nil breaker never trips.
// It runs on the collector's goroutine only.
type breaker struct {
	share   float64
	trip    func(reason string)
	ring    [abortWindow]bool // failed, by request number modulo the window
	seen    int
	failed  int // in the ring
	tripped bool
}

// newBreaker returns nil (never trip) for a share outside (0, 1].
func newBreaker(share float64, trip func(reason string)) *breaker {
	if share <= 0 || share > 1 {
		return nil
	}
	return &breaker{share: share, trip: trip}
}

func (b *breaker) add(r *vegeta.Result) {
	if b == nil || b.tripped {
		return
	}
	bad := r.Code == 0 || r.Code == 429 || r.Code >= 500
	i := b.seen % abortWindow
	if b.seen >= abortWindow && b.ring[i] {
		b.failed--
	}
	b.ring[i] = bad
	if bad {
		b.failed++
	}
	b.seen++
	if b.seen >= abortWindow && float64(b.failed) >= b.share*abortWindow {
		b.tripped = true
		b.trip(fmt.Sprintf("%d of the last %d requests failed (no answer, 5xx or 429; --abort-on-failures %g)",
			b.failed, abortWindow, b.share))
	}
}

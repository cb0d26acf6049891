package client

import (
	"context"
	"sync"
	"time"
)

// pacer hands out send slots at most rps a second to all callers together.
// A mutex-guarded "next free slot" rather than a ticker: a caller reserves its
// slot under the lock and waits outside it, so concurrent callers queue up
// in slot order and a cancelled wait never lets two requests share a slot.
type pacer struct {
	mu       sync.Mutex
	interval time.Duration // 0: unpaced
	next     time.Time     // earliest time the next request may go
	now      func() time.Time
	sleep    func(context.Context, time.Duration) error
}

func newPacer(rps float64, now func() time.Time, sleep func(context.Context, time.Duration) error) *pacer {
	p := &pacer{now: now, sleep: sleep}
	if rps > 0 {
		p.interval = time.Duration(float64(time.Second) / rps)
	}
	return p
}

// take reserves the next slot and waits for it (or for ctx to end).
func (p *pacer) take(ctx context.Context) error {
	p.mu.Lock()
	now := p.now()
	at := p.next
	if at.Before(now) {
		at = now
	}
	if p.interval > 0 {
		p.next = at.Add(p.interval)
	}
	p.mu.Unlock()
	return p.sleep(ctx, at.Sub(now))
}

// hold keeps every request back until t: after a 429 the whole client waits,
// not only the caller that got it.
func (p *pacer) hold(t time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t.After(p.next) {
		p.next = t
	}
}

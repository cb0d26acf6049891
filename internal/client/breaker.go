package client

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
)

// Defaults of a Breaker: it trips when half of the last 20 requests were
// refused.
const (
	DefaultBreakerWindow = 20
	DefaultBreakerShare  = 0.5
)

// ErrTargetRefusing: the target kept refusing requests (429 after every
// retry, 5xx, or no answer), so the run was stopped rather than pressing on.
var ErrTargetRefusing = errors.New("the target keeps refusing requests")

// RefusingError says how many of the last requests were refused, and the
// last refusal.
type RefusingError struct {
	Refused, Of int
	Last        string // the last refused request and what it got, redacted
}

func (e *RefusingError) Error() string {
	return fmt.Sprintf("%v: %d of the last %d requests were answered 429 after every retry, 5xx or not at all (the last: %s)",
		ErrTargetRefusing, e.Refused, e.Of, e.Last)
}

func (e *RefusingError) Unwrap() error { return ErrTargetRefusing }

// Breaker watches the outcome of each request (after its retries) and
// calls OnTrip once, when at least Share of the last Window requests were
// refused. A 429 that was waited out and then answered is not a refusal:
// that is the rate limit working. It is safe for concurrent use.
type Breaker struct {
	Window int     // 0: DefaultBreakerWindow
	Share  float64 // 0: DefaultBreakerShare
	OnTrip func(*RefusingError)

	mu      sync.Mutex
	ring    []bool
	next    int
	refused int
	tripped *RefusingError
}

// Tripped is the error the breaker tripped with, nil while it has not.
func (b *Breaker) Tripped() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tripped == nil {
		return nil
	}
	return b.tripped
}

// record counts one request's outcome; what names it for the error.
func (b *Breaker) record(refused bool, what string) {
	b.mu.Lock()
	window, share := b.Window, b.Share
	if window <= 0 {
		window = DefaultBreakerWindow
	}
	if share <= 0 {
		share = DefaultBreakerShare
	}
	if b.ring == nil {
		b.ring = make([]bool, 0, window)
	}
	if len(b.ring) < window {
		b.ring = append(b.ring, refused)
	} else {
		if b.ring[b.next] {
			b.refused--
		}
		b.ring[b.next] = refused
		b.next = (b.next + 1) % window
	}
	if refused {
		b.refused++
	}
	var trip *RefusingError
	if refused && b.tripped == nil && float64(b.refused) >= share*float64(window) {
		b.tripped = &RefusingError{Refused: b.refused, Of: len(b.ring), Last: what}
		trip = b.tripped
	}
	b.mu.Unlock()
	if trip != nil && b.OnTrip != nil {
		b.OnTrip(trip)
	}
}

// refusal says whether a request's outcome is a refusal, and how to name it.
func refusal(r Request, resp *Response, err error) (bool, string) {
	switch {
	case resp == nil && err != nil:
		return true, err.Error()
	case resp == nil:
		return false, ""
	case resp.Status == http.StatusTooManyRequests && !r.NoRetry, resp.Status >= 500:
		return true, fmt.Sprintf("%s answered %d", r.line(), resp.Status)
	}
	return false, ""
}

package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// Half of the window refused trips the breaker once, naming the last
// refusal; a 429 waited out and then answered is not a refusal.
func TestBreaker_tripsOnRefusals(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		switch {
		case r.URL.Path == "/agency" && n%2 == 1:
			w.Header().Set("Retry-After", "1")
			writeJSON(w, 429, `{}`)
		case r.URL.Path == "/agency":
			writeJSON(w, 200, `{}`)
		default:
			writeJSON(w, 503, `{}`)
		}
	})
	var trips []*RefusingError
	b := &Breaker{Window: 4, OnTrip: func(e *RefusingError) { trips = append(trips, e) }}
	c := withClock(mustNew(t, Options{BaseURL: srv.URL, Breaker: b}), newFakeClock())
	for range 4 {
		if _, err := c.Do(context.Background(), Request{Method: "GET", Path: "/agency"}); err != nil {
			t.Fatal(err)
		}
	}
	if b.Tripped() != nil {
		t.Fatalf("tripped by 429s that were waited out: %v", b.Tripped())
	}
	for range 3 {
		_, _ = c.Do(context.Background(), Request{Method: "GET", Path: "/media/1"})
	}
	if len(trips) != 1 || trips[0].Refused != 2 || trips[0].Of != 4 || !strings.Contains(trips[0].Last, "GET /media/1 answered 503") {
		t.Fatalf("trips %+v; want one, at 2 of 4 refused, naming the 503", trips)
	}
	if err := b.Tripped(); !errors.Is(err, ErrTargetRefusing) {
		t.Errorf("Tripped() = %v, want ErrTargetRefusing", err)
	}
}

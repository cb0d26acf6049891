package client

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rentix/mediaharness/internal/pause"
)

func TestPacer_concurrentCallersGetDistinctSlots(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	clock.frozen = true // every caller reserves at the same instant
	p := newPacer(10, clock.now, clock.sleep)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if err := p.take(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got := clock.recorded()
	slices.Sort(got)
	for i, d := range got {
		if want := time.Duration(i) * 100 * time.Millisecond; d != want {
			t.Fatalf("sorted waits = %v, want 0, 100ms, 200ms, ... (one slot per 100ms)", got)
		}
	}
}

func TestPacer_unpacedWaitsOnlyForAHold(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	clock.frozen = true
	p := newPacer(0, clock.now, clock.sleep)
	_ = p.take(context.Background())
	p.hold(clock.now().Add(4 * time.Second))
	_ = p.take(context.Background())
	p.hold(clock.now().Add(time.Second)) // an earlier hold does not shorten the later one
	_ = p.take(context.Background())
	if got, want := clock.recorded(), []time.Duration{0, 4 * time.Second, 4 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
}

func TestPacer_takeHonoursContext(t *testing.T) {
	t.Parallel()
	p := newPacer(0.001, time.Now, pause.For) // one request per 1000 s
	ctx, cancel := context.WithCancel(context.Background())
	if err := p.take(ctx); err != nil {
		t.Fatalf("first take = %v", err)
	}
	cancel()
	if err := p.take(ctx); err == nil {
		t.Error("second take with a cancelled context = nil, want an error")
	}
}

func TestClient_Do_pacesRequests(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{}`) })
	clock := newFakeClock()
	c := withClock(mustNew(t, Options{BaseURL: srv.URL, MaxRPS: 4}), clock)
	for range 4 {
		if _, err := c.Do(context.Background(), Request{Method: "GET", Path: "/agency"}); err != nil {
			t.Fatal(err)
		}
	}
	// the clock moves only by the pacer's waits: back-to-back calls each
	// wait a full slot after the first.
	want := []time.Duration{0, 250 * time.Millisecond, 250 * time.Millisecond, 250 * time.Millisecond}
	if got := clock.recorded(); !slices.Equal(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
}

func TestClient_Do_429HoldsBackOtherRequests(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	c, _ := limitedServer(t, 1, map[string]string{"Retry-After": "6"})
	withClock(c, clock)
	if _, err := c.Do(context.Background(), Request{Method: "GET", Path: "/agency"}); err != nil {
		t.Fatal(err)
	}
	// Pretend the back-off's clock never moved, as for a caller that arrived
	// during it: the pacer must still keep it back until the hold ends.
	clock.mu.Lock()
	clock.t = clock.t.Add(-6 * time.Second)
	clock.mu.Unlock()
	if _, err := c.Do(context.Background(), Request{Method: "GET", Path: "/agency"}); err != nil {
		t.Fatal(err)
	}
	if got := clock.recorded(); got[len(got)-1] != 6*time.Second {
		t.Errorf("waits = %v, want the last request held back 6s", got)
	}
}

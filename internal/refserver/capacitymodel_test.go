package refserver

import (
	"context"
	"net/http"
	"testing"
	"time"
)

func TestNewBackend_HoldFollowsCapacity(t *testing.T) {
	if b := newBackend(0); b != nil {
		t.Errorf("capacity 0 gave a backend %+v; want none", b)
	}
	if b := newBackend(2000); b.hold != 2*time.Millisecond {
		t.Errorf("capacity 2000/s: hold %v; want 2ms (%d workers)", b.hold, backendWorkers)
	}
}

// The timetable on the virtual clock: the first backendWorkers requests
// start at once, the rest queue behind the worker that frees up first, and
// an idle worker starts a late request when it comes.
func TestBackend_Reserve(t *testing.T) {
	b := newBackend(backendWorkers) // hold 1s
	t0 := time.Unix(1000, 0)
	var got []time.Duration
	for range 2*backendWorkers + 1 {
		got = append(got, b.reserve(t0).Sub(t0))
	}
	want := []time.Duration{1, 1, 1, 1, 2, 2, 2, 2, 3}
	for i := range want {
		if got[i] != want[i]*time.Second {
			t.Fatalf("turns end after %v; want %v seconds", got, want)
		}
	}
	late := t0.Add(10 * time.Second)
	if end := b.reserve(late); end != late.Add(time.Second) {
		t.Errorf("a request to an idle server ends at +%v; want +1s", end.Sub(late))
	}
}

// The modeled backend sits behind the gateway: a request the server turns
// away (no key) is answered at once, not after a worker's hold.
func TestBackend_RefusalsDoNotQueue(t *testing.T) {
	e := newEnv(t, Config{Capacity: 1e-3}) // each request would wait over an hour
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.url("/media/1"), nil)
	resp, err := e.ts.Client().Do(req)
	if err != nil {
		t.Fatalf("a request without a key waited for the backend: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d; want 401", resp.StatusCode)
	}
}

// A client that gives up while queued is let go.
func TestBackend_ClientGivesUp(t *testing.T) {
	e := newEnv(t, Config{Capacity: 1e-3})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.url("/media/1"), nil)
	req.Header.Set("Authorization", "ApiKey "+e.keys.Primary)
	done := make(chan error, 1)
	go func() {
		resp, err := e.ts.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	cancel()
	if err := <-done; err == nil {
		t.Error("the request was answered; want it queued until the client gave up")
	}
}

// With a capacity the API still answers as documented.
func TestBackend_ServesTheAPI(t *testing.T) {
	e := newEnv(t, Config{Capacity: 10000})
	if r := e.get(e.keys.Primary, "/media/999999"); r.status != http.StatusNotFound {
		t.Errorf("GET unknown media: %d %s; want 404", r.status, r.body)
	}
}

package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/rentix/mediaharness/internal/contract"
)

// fakeChecker records what it is shown and answers with findings().
type fakeChecker struct {
	mu       sync.Mutex
	seen     []contract.Exchange
	findings func(contract.Exchange) []contract.Finding
}

func (f *fakeChecker) Check(ex contract.Exchange) []contract.Finding {
	f.mu.Lock()
	f.seen = append(f.seen, ex)
	f.mu.Unlock()
	if f.findings == nil {
		return nil
	}
	return f.findings(ex)
}

func (f *fakeChecker) Operation(method, path string) string {
	if method == http.MethodPost && path == "/media/1/link" {
		return "linkExternalId"
	}
	return ""
}

func (f *fakeChecker) exchanges() []contract.Exchange {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]contract.Exchange(nil), f.seen...)
}

// fakeClock is a clock that moves only by the sleeps asked of it (or never,
// when frozen), and records those sleeps.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	frozen bool
	waits  []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Unix(1_700_000_000, 0)} }

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waits = append(f.waits, d)
	if !f.frozen && d > 0 {
		f.t = f.t.Add(d)
	}
	return ctx.Err()
}

func (f *fakeClock) recorded() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waits...)
}

// withClock puts the fake clock into c.
func withClock(c *Client, f *fakeClock) *Client {
	c.now, c.sleep = f.now, f.sleep
	return c
}

func newServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func mustNew(t *testing.T, o Options) *Client {
	t.Helper()
	c, err := New(o)
	if err != nil {
		t.Fatalf("New(%+v): %v", o, err)
	}
	return c
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

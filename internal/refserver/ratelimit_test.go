package refserver

import (
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// limitedEnv has a limit of 3 per minute and a clock at a known instant.
func limitedEnv(t *testing.T) (*testEnv, *fakeClock) {
	clock := &fakeClock{t: time.Date(2030, 1, 2, 3, 4, 5, 500_000_000, time.UTC)}
	e := newEnvWith(t, Config{RateLimit: 3, RateWindow: time.Minute}, func(s *Server) { s.now = clock.Now })
	return e, clock
}

type limitHeaders struct{ limit, remaining, reset, retryAfter string }

func (r reply) limits() limitHeaders {
	return limitHeaders{r.header.Get("X-RateLimit-Limit"), r.header.Get("X-RateLimit-Remaining"),
		r.header.Get("X-RateLimit-Reset"), r.header.Get("Retry-After")}
}

func TestRateLimit_Window(t *testing.T) {
	t.Parallel()
	e, clock := limitedEnv(t)
	key := e.keys.Primary
	// The window opens at 03:04:05.5 and closes a minute later; Reset is
	// that instant rounded up to a whole second.
	reset := strconv.FormatInt(time.Date(2030, 1, 2, 3, 5, 6, 0, time.UTC).Unix(), 10)
	for i, want := range []string{"2", "1", "0"} {
		r := e.get(key, "/agency")
		r.wantStatus(t, http.StatusOK)
		if got := r.limits(); got != (limitHeaders{"3", want, reset, ""}) {
			t.Errorf("request %d: headers %+v, want remaining %s, reset %s", i+1, got, want, reset)
		}
		clock.Advance(10 * time.Second)
	}
	clock.Advance(250 * time.Millisecond)
	r := e.get(key, "/agency")
	r.wantError(t, http.StatusTooManyRequests, msgRateLimited)
	// 30.25 s into the window: 29.75 s remain, Retry-After rounds up.
	if got := r.limits(); got != (limitHeaders{"3", "0", reset, "30"}) {
		t.Errorf("429 headers %+v", got)
	}
	e.get(e.keys.Other, "/agency").wantStatus(t, http.StatusOK) // another key has its own count

	clock.Advance(29750 * time.Millisecond) // exactly at the end of the window
	r = e.get(key, "/agency")
	r.wantStatus(t, http.StatusOK)
	newReset := strconv.FormatInt(time.Date(2030, 1, 2, 3, 6, 6, 0, time.UTC).Unix(), 10)
	if got := r.limits(); got != (limitHeaders{"3", "2", newReset, ""}) {
		t.Errorf("after the window: headers %+v, want a new window ending %s", got, newReset)
	}
}

// The rate-limited agency's key has an allowance of its own; the others
// keep the server's.
func TestRateLimit_RateLimitedKeyOwnAllowance(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	e := newEnvWith(t, Config{RateLimit: 5, RateLimitedLimit: 2, RateWindow: time.Minute}, func(s *Server) { s.now = clock.Now })
	for i, want := range []string{"1", "0"} {
		r := e.get(e.keys.RateLimited, "/agency")
		r.wantStatus(t, http.StatusOK)
		if got := r.limits(); got.limit != "2" || got.remaining != want {
			t.Errorf("request %d: limit %s remaining %s, want 2 and %s", i+1, got.limit, got.remaining, want)
		}
	}
	e.get(e.keys.RateLimited, "/agency").wantError(t, http.StatusTooManyRequests, msgRateLimited)
	if got := e.get(e.keys.Primary, "/agency").limits(); got.limit != "5" || got.remaining != "4" {
		t.Errorf("primary key: limit %s remaining %s, want 5 and 4", got.limit, got.remaining)
	}
}

// Errors count and carry the headers; requests without a usable key count
// per client address, apart from the keys.
func TestRateLimit_ErrorsAndUnknownKeys(t *testing.T) {
	t.Parallel()
	e, _ := limitedEnv(t)
	key := e.keys.Primary
	e.get(key, "/media/999").wantError(t, http.StatusNotFound, msgFileNotFound)
	r := e.get(key, "/nothing")
	if r.limits().remaining != "1" {
		t.Errorf("after two errors remaining %q, want 1", r.limits().remaining)
	}

	for i, c := range []call{
		{method: http.MethodGet, path: "/agency", auth: authNone},
		{method: http.MethodGet, path: "/agency", key: "rx_unknown"},
		{method: http.MethodGet, path: "/agency", key: key, auth: authBoth},
	} {
		r := e.do(c)
		if r.status == http.StatusTooManyRequests || r.limits().remaining != strconv.Itoa(2-i) {
			t.Errorf("keyless request %d: status %d, headers %+v", i+1, r.status, r.limits())
		}
	}
	r = e.do(call{method: http.MethodGet, path: "/agency", auth: authNone})
	r.wantError(t, http.StatusTooManyRequests, msgRateLimited)
	if r.limits().retryAfter == "" {
		t.Error("429 without Retry-After")
	}
	e.get(key, "/agency").wantStatus(t, http.StatusOK) // the key's last request
	e.get(key, "/agency").wantError(t, http.StatusTooManyRequests, msgRateLimited)
	// A suspended agency's key is known: it has its own bucket.
	e.get(e.keys.Suspended, "/agency").wantError(t, http.StatusForbidden, msgSuspended)
}

func TestRateLimit_StorageUnlimited(t *testing.T) {
	t.Parallel()
	e, _ := limitedEnv(t)
	for range 5 {
		r := e.get("", "/storage/1/original")
		r.wantError(t, http.StatusNotFound, msgStorageMissing)
		if r.header.Get("X-RateLimit-Limit") != "" {
			t.Fatal("storage answers carry API rate-limit headers")
		}
	}
}

func TestCeilSeconds(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		d    time.Duration
		want int64
	}{{0, 1}, {time.Millisecond, 1}, {time.Second, 1}, {1001 * time.Millisecond, 2}, {-time.Second, 1}} {
		if got := ceilSeconds(tt.d); got != tt.want {
			t.Errorf("ceilSeconds(%s) = %d, want %d", tt.d, got, tt.want)
		}
	}
}

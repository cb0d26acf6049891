package client

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rentix/mediaharness/internal/contract"
)

// limitedServer answers 429 with the given headers to the first n requests,
// then 200.
func limitedServer(t *testing.T, n int64, headers map[string]string) (*Client, *atomic.Int64) {
	t.Helper()
	var calls atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= n {
			for k, v := range headers {
				w.Header().Set(k, v)
			}
			writeJSON(w, 429, `{"statusCode":429,"message":"Too Many Requests","error":"Too Many Requests"}`)
			return
		}
		writeJSON(w, 200, `{}`)
	})
	return mustNew(t, Options{BaseURL: srv.URL, MaxWait: 30 * time.Second}), &calls
}

func TestClient_Do_waitsOut429(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	now := clock.now().Unix()
	tests := []struct {
		name    string
		headers map[string]string
		want    time.Duration
	}{
		{"Retry-After", map[string]string{"Retry-After": "7", "X-RateLimit-Reset": "20"}, 7 * time.Second},
		{"absolute Reset", map[string]string{"X-RateLimit-Reset": strconv.FormatInt(now+12, 10)}, 12 * time.Second},
		{"relative Reset", map[string]string{"X-RateLimit-Reset": "3"}, 3 * time.Second},
		{"no advice", nil, time.Second},
		{"capped by MaxWait", map[string]string{"Retry-After": "3600"}, 30 * time.Second},
		{"garbage advice", map[string]string{"Retry-After": "soon", "X-RateLimit-Reset": "later"}, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := newFakeClock()
			c, calls := limitedServer(t, 1, tt.headers)
			withClock(c, clock)
			resp, err := c.Do(context.Background(), Request{Method: "GET", Path: "/agency"})
			if err != nil || resp.Status != 200 {
				t.Fatalf("Do = %v, %v; want 200", resp, err)
			}
			// waits: the pacer's zero waits before each attempt, and the back-off.
			if w := nonZero(clock.recorded()); len(w) != 1 || w[0] != tt.want {
				t.Errorf("waited %v, want [%v]", w, tt.want)
			}
			st := c.Stats()
			if calls.Load() != 2 || st.Requests != 2 || st.Retries != 1 || st.RateLimitWaits != 1 || st.Waited != tt.want {
				t.Errorf("calls %d, stats %+v; want 2 calls, 2 requests, 1 retry, 1 wait of %v", calls.Load(), st, tt.want)
			}
		})
	}
}

func nonZero(ds []time.Duration) []time.Duration {
	var out []time.Duration
	for _, d := range ds {
		if d != 0 {
			out = append(out, d)
		}
	}
	return out
}

func TestClient_Do_noRetryHandsBackThe429(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	c, calls := limitedServer(t, 1, map[string]string{"Retry-After": "5"})
	withClock(c, clock)
	resp, err := c.Do(context.Background(), Request{Method: "GET", Path: "/agency", NoRetry: true})
	if err != nil || resp.Status != 429 {
		t.Fatalf("Do = %v, %v; want the 429 and no error", resp, err)
	}
	if calls.Load() != 1 || len(nonZero(clock.recorded())) != 0 || c.Stats().RateLimitWaits != 0 {
		t.Errorf("calls %d, waits %v, stats %+v; want one call and no wait", calls.Load(), clock.recorded(), c.Stats())
	}
}

func TestClient_Do_retriesExhausted(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	var observed atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeJSON(w, 429, `{}`)
	})
	chk := &fakeChecker{}
	c := withClock(mustNew(t, Options{
		BaseURL: srv.URL, MaxRetries: 2, Validator: chk, Observe: func(*Response) { observed.Add(1) },
	}), newFakeClock())
	resp, err := c.Do(context.Background(), Request{Method: "GET", Path: "/agency"})
	if !errors.Is(err, ErrRateLimited) || resp == nil || resp.Status != 429 {
		t.Fatalf("Do = %v, %v; want the 429 with ErrRateLimited", resp, err)
	}
	if calls.Load() != 3 || c.Stats().Retries != 2 || len(chk.exchanges()) != 3 || observed.Load() != 3 {
		t.Errorf("calls %d, stats %+v, checked %d, observed %d; want 3 calls, 2 retries, every exchange checked and observed",
			calls.Load(), c.Stats(), len(chk.exchanges()), observed.Load())
	}
}

func TestClient_Do_neverRetryWithNegativeMaxRetries(t *testing.T) {
	t.Parallel()
	c, calls := limitedServer(t, 5, nil)
	c.opts.MaxRetries = -1
	withClock(c, newFakeClock())
	if resp, err := c.Do(context.Background(), Request{Method: "GET", Path: "/agency"}); !errors.Is(err, ErrRateLimited) || resp.Status != 429 {
		t.Errorf("Do = %v, %v; want the 429 with ErrRateLimited", resp, err)
	}
	if calls.Load() != 1 {
		t.Errorf("calls = %d, want 1", calls.Load())
	}
}

func TestClient_Do_broken429IsNotRetried(t *testing.T) {
	t.Parallel()
	c, calls := limitedServer(t, 5, nil)
	c.check = &fakeChecker{findings: func(contract.Exchange) []contract.Finding {
		return []contract.Finding{{Kind: contract.Violation, Rule: "response.body", Message: "not the error format"}}
	}}
	withClock(c, newFakeClock())
	var ce *ContractError
	if _, err := c.Do(context.Background(), Request{Method: "GET", Path: "/agency"}); !errors.As(err, &ce) {
		t.Errorf("err = %v, want *ContractError", err)
	}
	if calls.Load() != 1 {
		t.Errorf("calls = %d, want 1", calls.Load())
	}
}

func TestClient_Do_waitAfter429HonoursContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, calls := limitedServer(t, 5, map[string]string{"Retry-After": "3600"})
	c.opts.Observe = func(*Response) { cancel() } // real sleep: it must end with ctx
	_, err := c.Do(ctx, Request{Method: "GET", Path: "/agency"})
	if !errors.Is(err, context.Canceled) || calls.Load() != 1 {
		t.Errorf("Do = %v after %d calls; want context.Canceled after 1", err, calls.Load())
	}
}

func TestRetryWait(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	c := withClock(mustNew(t, Options{BaseURL: "http://h"}), clock)
	now := clock.now()
	tests := []struct {
		name string
		h    http.Header
		want time.Duration
	}{
		{"Retry-After date", http.Header{"Retry-After": {now.Add(9 * time.Second).UTC().Format(http.TimeFormat)}}, 9 * time.Second},
		{"Retry-After zero", http.Header{"Retry-After": {"0"}}, MinRetryWait},
		{"Retry-After fraction", http.Header{"Retry-After": {"1.5"}}, 1500 * time.Millisecond},
		{"Reset past", http.Header{"X-Ratelimit-Reset": {strconv.FormatInt(now.Unix()-30, 10)}}, MinRetryWait},
		{"Reset huge relative", http.Header{"X-Ratelimit-Reset": {"999999999"}}, DefaultMaxWait},
		{"Reset negative", http.Header{"X-Ratelimit-Reset": {"-4"}}, DefaultRetryWait},
	}
	for _, tt := range tests {
		if got := c.retryWait(tt.h, 0); got != tt.want {
			t.Errorf("%s: retryWait(%v) = %v, want %v", tt.name, tt.h, got, tt.want)
		}
	}
}

// A target answering "Retry-After: 0" to every request is not retried at
// once: each retry of the request waits twice as long, up to MaxBackoff.
func TestClient_Do_retryAfterZeroBacksOff(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	c, calls := limitedServer(t, 100, map[string]string{"Retry-After": "0"})
	c.opts.MaxRetries = 6
	withClock(c, clock)
	if _, err := c.Do(context.Background(), Request{Method: "GET", Path: "/agency"}); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err = %v, want ErrRateLimited", err)
	}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second}
	if got := nonZero(clock.recorded()); !slices.Equal(got, want) || calls.Load() != 7 {
		t.Errorf("waits %v after %d calls; want %v after 7", got, calls.Load(), want)
	}
}

// A 429 asking for a wait past the caller's deadline ends the request at
// once, instead of sleeping until the deadline.
func TestClient_Do_waitPastDeadlineIsNotBegun(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	c, calls := limitedServer(t, 5, map[string]string{"Retry-After": "3600"})
	withClock(c, clock)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := c.Do(ctx, Request{Method: "GET", Path: "/agency"})
	if !errors.Is(err, ErrWaitPastDeadline) || calls.Load() != 1 || len(nonZero(clock.recorded())) != 0 {
		t.Errorf("Do = %v after %d calls, waits %v; want ErrWaitPastDeadline after 1 call and no wait", err, calls.Load(), clock.recorded())
	}
}

// A long wait is announced with what is waited for and until when; a short
// one is not.
func TestClient_Do_longWaitIsAnnounced(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		retryAfter string
		announced  bool
	}{{"7", true}, {"1", false}} {
		clock := newFakeClock()
		c, _ := limitedServer(t, 1, map[string]string{"Retry-After": tc.retryAfter})
		withClock(c, clock)
		var lines []string
		c.opts.Waiting = func(l string) { lines = append(lines, l) }
		if _, err := c.Do(context.Background(), Request{Method: "GET", Path: "/agency"}); err != nil {
			t.Fatal(err)
		}
		if got := len(lines) == 1; got != tc.announced {
			t.Errorf("Retry-After %s: announced %q, want announced=%v", tc.retryAfter, lines, tc.announced)
		}
		if tc.announced && !strings.Contains(lines[0], "waiting 7s, until ") || tc.announced && !strings.Contains(lines[0], "GET /agency answered 429") {
			t.Errorf("announcement %q does not say how long, until when and why", lines[0])
		}
	}
}

package refserver

import (
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// limiter counts requests in fixed windows. A bucket's window opens with its
// first request after the previous window closed and lasts RateWindow; within
// it the bucket admits RateLimit requests. Known keys own a bucket each (no
// shared lock on the hot path); other requests share buckets per client IP.
type limiter struct {
	limit    int
	window   time.Duration
	limitHdr []string
	// remainingHdr[n] is the header value for n requests left, made once
	// so the hot path does not format numbers (nil for huge limits).
	remainingHdr [][]string

	mu   sync.Mutex
	byIP map[string]*bucket

	faults faultSet
}

type bucket struct {
	limit    int      // requests a window; 0: the limiter's
	limitHdr []string // X-RateLimit-Limit when limit is set

	mu       sync.Mutex
	start    time.Time // zero: no window open yet
	count    int
	resetHdr []string // X-RateLimit-Reset of the open window
}

// maxPrecomputed is the largest limit whose Remaining values are made up front.
const maxPrecomputed = 4096

// maxIPBuckets bounds the per-IP map; past it, closed windows are dropped.
const maxIPBuckets = 4096

func newLimiter(limit int, window time.Duration) *limiter {
	l := &limiter{
		limit:    limit,
		window:   window,
		limitHdr: []string{strconv.Itoa(limit)},
		byIP:     map[string]*bucket{},
	}
	if limit <= maxPrecomputed {
		l.remainingHdr = make([][]string, limit+1)
		for n := range l.remainingHdr {
			l.remainingHdr[n] = []string{strconv.Itoa(n)}
		}
	}
	return l
}

// bucketOf makes a bucket with its own limit (0: the limiter's).
func bucketOf(limit int) *bucket {
	if limit == 0 {
		return &bucket{}
	}
	return &bucket{limit: limit, limitHdr: []string{strconv.Itoa(limit)}}
}

// limitOf is the number of requests b admits a window, and its header.
func (l *limiter) limitOf(b *bucket) (int, []string) {
	if b.limit > 0 {
		return b.limit, b.limitHdr
	}
	return l.limit, l.limitHdr
}

// verdict is what counting one request gave.
type verdict struct {
	remaining int
	reset     time.Time
	resetHdr  []string
	ok        bool
}

// take counts one request in b.
func (l *limiter) take(b *bucket, now time.Time) verdict {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.start.IsZero() || !now.Before(b.start.Add(l.window)) {
		b.start, b.count = now, 0
		b.resetHdr = []string{strconv.FormatInt(ceilUnix(now.Add(l.window)), 10)}
	}
	v := verdict{reset: b.start.Add(l.window), resetHdr: b.resetHdr}
	if limit, _ := l.limitOf(b); b.count < limit {
		b.count++
		v.remaining, v.ok = limit-b.count, true
	}
	return v
}

// resetHeader is the window's X-RateLimit-Reset, or what a fault makes of it.
func (l *limiter) resetHeader(v verdict) []string {
	switch {
	case l.fault(faultRatelimitResetMillis):
		return []string{strconv.FormatInt(ceilUnix(v.reset)*1000, 10)}
	case l.fault(faultRatelimitResetHourAway):
		return []string{strconv.FormatInt(ceilUnix(v.reset.Add(time.Hour)), 10)}
	}
	return v.resetHdr
}

func (l *limiter) remaining(n int) []string {
	if n < len(l.remainingHdr) {
		return l.remainingHdr[n]
	}
	return []string{strconv.Itoa(n)}
}

// admit counts the request, sets the rate-limit headers and, over the limit,
// answers 429 with Retry-After. It reports whether to go on. The header
// values are shared between responses: net/http only reads them.
func (l *limiter) admit(w http.ResponseWriter, b *bucket, now time.Time) bool {
	v := l.take(b, now)
	limit, limitHdr := l.limitOf(b)
	h := w.Header()
	h["X-Ratelimit-Limit"] = limitHdr
	h["X-Ratelimit-Remaining"] = l.remaining(v.remaining)
	if l.fault(faultRatelimitRemainingFrozen) {
		h["X-Ratelimit-Remaining"] = limitHdr // the line above, copied and not finished
	}
	if l.fault(faultRatelimitRemainingOver) {
		h["X-Ratelimit-Remaining"] = []string{strconv.Itoa(v.remaining + limit)}
	}
	if !l.fault(faultRatelimitHeaderMissing) {
		h["X-Ratelimit-Reset"] = l.resetHeader(v)
	}
	if !v.ok {
		if l.fault(faultRatelimitNotEnforced) {
			return true // counted, never enforced
		}
		h["Retry-After"] = []string{strconv.FormatInt(ceilSeconds(v.reset.Sub(now)), 10)}
		if l.fault(faultRatelimit429WithoutBody) {
			w.WriteHeader(http.StatusTooManyRequests)
			return false
		}
		writeError(w, http.StatusTooManyRequests, msgRateLimited)
	}
	return v.ok
}

// forIP is the bucket of the request's client address.
func (l *limiter) forIP(r *http.Request, now time.Time) *bucket {
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.byIP[ip]
	if !ok {
		if len(l.byIP) >= maxIPBuckets {
			l.dropClosed(now)
		}
		b = &bucket{}
		l.byIP[ip] = b
	}
	return b
}

// dropClosed forgets IP buckets whose window has closed. Called with l.mu held.
func (l *limiter) dropClosed(now time.Time) {
	for ip, b := range l.byIP {
		b.mu.Lock()
		closed := !now.Before(b.start.Add(l.window))
		b.mu.Unlock()
		if closed {
			delete(l.byIP, ip)
		}
	}
}

// limited wraps h with the rate limit only (per client IP or known key).
func (s *Server) limited(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, _ := s.identify(r)
		if s.admit(w, r, a) {
			h(w, r)
		}
	})
}

// admit applies the rate limit to the bucket of agency a, or of the client IP
// when a is nil (no key or an unknown one).
func (s *Server) admit(w http.ResponseWriter, r *http.Request, a *agency) bool {
	now := s.now()
	if a != nil {
		return s.limiter.admit(w, a.bucket, now)
	}
	return s.limiter.admit(w, s.limiter.forIP(r, now), now)
}

// ceilUnix is t in Unix seconds, rounded up so the window is surely closed then.
func ceilUnix(t time.Time) int64 {
	sec := t.Unix()
	if t.Nanosecond() > 0 {
		sec++
	}
	return sec
}

// ceilSeconds is d in whole seconds rounded up, at least 1.
func ceilSeconds(d time.Duration) int64 {
	sec := int64((d + time.Second - 1) / time.Second)
	return max(sec, 1)
}

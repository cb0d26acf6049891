// Package ratelimit reads the rate-limit headers of a Media API answer:
// X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset and
// Retry-After. It is the one parser the client (waiting out a 429) and the
// rate-limit checks share, so both read a header the same way.
//
// X-RateLimit-Reset is documented as a Unix time in seconds; a value below
// 1e9 is read as seconds from the answer instead (a reading some servers
// use). Fractional seconds are kept in both readings. Retry-After is
// delay-seconds (a fraction is kept too) or an HTTP date.
package ratelimit

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The header names.
const (
	HeaderLimit      = "X-RateLimit-Limit"
	HeaderRemaining  = "X-RateLimit-Remaining"
	HeaderReset      = "X-RateLimit-Reset"
	HeaderRetryAfter = "Retry-After"
)

// UnixThreshold separates X-RateLimit-Reset as a Unix time (at or above it)
// from seconds until the reset (below it).
const UnixThreshold = 1e9

// Headers are the rate-limit headers of one answer.
type Headers struct {
	Limit, Remaining int
	// ResetAt is when the window resets; RelativeReset says the header gave
	// seconds from the answer rather than a Unix time.
	ResetAt       time.Time
	RelativeReset bool
}

// Parse reads the three X-RateLimit headers of an answer that arrived at.
// Every header must be present and well formed, and Remaining must not be
// over Limit.
func Parse(h http.Header, at time.Time) (Headers, error) {
	var l Headers
	var err error
	if l.Limit, err = Int(h, HeaderLimit); err != nil {
		return l, err
	}
	if l.Remaining, err = Int(h, HeaderRemaining); err != nil {
		return l, err
	}
	if l.Remaining > l.Limit {
		return l, fmt.Errorf("%s %d is over %s %d", HeaderRemaining, l.Remaining, HeaderLimit, l.Limit)
	}
	v := h.Get(HeaderReset)
	var ok bool
	if l.ResetAt, l.RelativeReset, ok = Reset(v, at); !ok {
		return l, fmt.Errorf("%s %q is neither a Unix time nor a number of seconds", HeaderReset, strings.TrimSpace(v))
	}
	return l, nil
}

// Int reads a header that must be a non-negative integer.
func Int(h http.Header, name string) (int, error) {
	v := strings.TrimSpace(h.Get(name))
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s %q is not a non-negative integer", name, v)
	}
	return n, nil
}

// Reset reads an X-RateLimit-Reset value of an answer that arrived at: the
// reset time, whether the value was relative, and whether it was readable.
func Reset(v string, at time.Time) (t time.Time, relative, ok bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return time.Time{}, false, false
	}
	if f >= UnixThreshold {
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(frac*1e9)), false, true
	}
	return at.Add(Seconds(f)), true, true
}

// RetryAfter reads a Retry-After value of an answer that arrived at:
// delay-seconds (fractions kept) or an HTTP date.
func RetryAfter(v string, at time.Time) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s < 0 || math.IsInf(s, 0) || math.IsNaN(s) {
			return time.Time{}, false
		}
		return at.Add(Seconds(s)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// Seconds turns seconds into a Duration, saturating instead of overflowing.
func Seconds(s float64) time.Duration {
	if s >= float64(math.MaxInt64/int64(time.Second)) {
		return math.MaxInt64
	}
	return time.Duration(s * float64(time.Second))
}

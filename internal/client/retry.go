package client

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// unixThreshold separates X-RateLimit-Reset as a Unix time (the documented
// reading) from seconds until the reset (what some servers send).
const unixThreshold = 1e9

// retryWait says how long to wait after a 429: Retry-After, else
// X-RateLimit-Reset, else DefaultRetryWait; never more than MaxWait.
func (c *Client) retryWait(h http.Header) time.Duration {
	now := c.now()
	d, ok := parseRetryAfter(h.Get("Retry-After"), now)
	if !ok {
		d, ok = parseReset(h.Get("X-RateLimit-Reset"), now)
	}
	if !ok {
		d = DefaultRetryWait
	}
	return min(max(d, 0), c.opts.MaxWait)
}

// parseRetryAfter reads delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 && !math.IsInf(s, 0) {
		return seconds(s), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return t.Sub(now), true
	}
	return 0, false
}

// parseReset reads X-RateLimit-Reset: a Unix time when >= 1e9, else seconds
// until the reset. A reset already past (clock skew) gives the default wait
// rather than a burst of immediate retries.
func parseReset(v string, now time.Time) (time.Duration, bool) {
	s, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || s < 0 || math.IsInf(s, 0) || math.IsNaN(s) {
		return 0, false
	}
	d := seconds(s)
	if s >= unixThreshold {
		sec, frac := math.Modf(s)
		d = time.Unix(int64(sec), int64(frac*1e9)).Sub(now)
	}
	if d <= 0 {
		return DefaultRetryWait, true
	}
	return d, true
}

func seconds(s float64) time.Duration {
	if s > float64(math.MaxInt64/int64(time.Second)) {
		return math.MaxInt64
	}
	return time.Duration(s * float64(time.Second))
}

package client

import (
	"net/http"
	"time"

	"github.com/rentix/mediaharness/internal/ratelimit"
)

// Back-off when a 429 advises no wait (Retry-After: 0, or a reset already
// past): the wait starts at MinRetryWait and doubles with every retry of the
// same request up to MaxBackoff, so a target that keeps saying "now" is not
// hammered.
const (
	MinRetryWait = 500 * time.Millisecond
	MaxBackoff   = 8 * time.Second
)

// retryWait says how long to wait after the retries-th 429 of one request:
// Retry-After, else X-RateLimit-Reset, else DefaultRetryWait; an advice
// under MinRetryWait gives the growing back-off instead; never more than
// MaxWait.
func (c *Client) retryWait(h http.Header, retries int) time.Duration {
	now := c.now()
	at, ok := ratelimit.RetryAfter(h.Get(ratelimit.HeaderRetryAfter), now)
	if !ok {
		at, _, ok = ratelimit.Reset(h.Get(ratelimit.HeaderReset), now)
	}
	d := DefaultRetryWait
	if ok {
		d = at.Sub(now)
	}
	if d < MinRetryWait {
		d = backoff(retries)
	}
	return min(d, c.opts.MaxWait)
}

// backoff is MinRetryWait doubled retries times, at most MaxBackoff.
func backoff(retries int) time.Duration {
	d := MinRetryWait
	for range retries {
		if d >= MaxBackoff {
			break
		}
		d *= 2
	}
	return min(d, MaxBackoff)
}

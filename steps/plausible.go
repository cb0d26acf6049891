package steps

import (
	"fmt"
	"net/http"
	"time"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/ratelimit"
)

// DefaultRateWindow is the documented rate-limit window: 300 requests a
// minute.
const DefaultRateWindow = time.Minute

// clockSlack is how far a reset may lie outside the window around the
// answer: X-RateLimit-Reset and Date are whole seconds, rounded.
const clockSlack = 2 * time.Second

// seenLimits is the last rate-limit reading of one key in a scenario.
type seenLimits struct {
	h    ratelimit.Headers
	at   time.Time
	resp *client.Response
}

// plausible checks the rate-limit headers of an answer for what they say,
// not only that they are there (the contract checks presence and format):
// Remaining is never over Limit; Reset lies within one window of the answer,
// whether given as a Unix time or as seconds (a value in milliseconds, or
// an hour away for a one-minute window, fails); and Remaining goes down
// from the scenario's previous answer for the same key until that answer's
// window has reset. Only requests that present one key in a way the API
// takes are compared: the others count in buckets of their own. Answers
// without the headers are left to the contract.
func (s *state) plausible(r client.Request, resp *client.Response) error {
	if resp == nil || resp.Header.Get(ratelimit.HeaderLimit) == "" {
		return nil
	}
	at := answerTime(resp.Header, time.Now())
	h, err := ratelimit.Parse(resp.Header, at)
	if err != nil {
		return s.failure(resp, "the rate-limit headers of the answer are plausible", "Remaining ≤ Limit and a readable Reset", err)
	}
	window := s.env.rateWindow()
	if h.ResetAt.Before(at.Add(-clockSlack)) || h.ResetAt.After(at.Add(window+clockSlack)) {
		return s.failure(resp, fmt.Sprintf("%s lies within one rate window (%v) of the answer (%s)", ratelimit.HeaderReset, window, at.UTC().Format(time.RFC3339)),
			fmt.Sprintf("a reset by %s", at.Add(window).UTC().Format(time.RFC3339)),
			fmt.Sprintf("%q, read as %s", resp.Header.Get(ratelimit.HeaderReset), resetText(h.ResetAt)))
	}
	if r.Key == "" || (r.Auth != client.AuthAPIKeyHeader && r.Auth != client.AuthXAPIKey) {
		return nil
	}
	if s.limits == nil {
		s.limits = map[string]seenLimits{}
	}
	prev, ok := s.limits[r.Key]
	s.limits[r.Key] = seenLimits{h, at, resp}
	if !ok || prev.h.Limit != h.Limit || prev.h.Remaining == 0 || !at.Before(prev.h.ResetAt.Add(-clockSlack)) {
		return nil
	}
	if h.Remaining >= prev.h.Remaining {
		return s.failure(resp, fmt.Sprintf("%s counts down within the window that resets at %s", ratelimit.HeaderRemaining, prev.h.ResetAt.UTC().Format(time.RFC3339)),
			fmt.Sprintf("less than %d", prev.h.Remaining), h.Remaining, prev.resp)
	}
	return nil
}

// answerTime is the answer's Date (the target's own clock, so that an
// absolute reset is not judged by the skew between the clocks), else now.
func answerTime(h http.Header, now time.Time) time.Time {
	if t, err := http.ParseTime(h.Get("Date")); err == nil {
		return t
	}
	return now
}

// resetText shows a reset time readably even when it is absurdly far.
func resetText(t time.Time) string {
	if t.Year() > 9999 {
		return "a time after the year 9999"
	}
	return t.UTC().Format(time.RFC3339)
}

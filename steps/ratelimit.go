package steps

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
)

// The rate-limit headers every answer carries.
const (
	hdrLimit     = "X-RateLimit-Limit"
	hdrRemaining = "X-RateLimit-Remaining"
	hdrReset     = "X-RateLimit-Reset"
)

// unixThreshold separates X-RateLimit-Reset as a Unix time (documented) from
// seconds until the reset (a reading also accepted).
const unixThreshold = 1e9

// resetSlack is how much earlier than announced a window may reset: a Unix
// time in whole seconds is rounded up.
const resetSlack = time.Second

// timedAnswer is an answer with the time it arrived.
type timedAnswer struct {
	resp *client.Response
	at   time.Time
}

// limits are the rate-limit headers of one answer.
type limits struct {
	limit, remaining int
	resetAt          time.Time
}

func registerRateLimitSteps(sc *godog.ScenarioContext) {
	sc.When(`^I get "([^"]+)" by id (\d+) times$`, on2((*state).iGetByIDTimes))
	sc.Then(`^every answer carries the rate-limit headers$`, on0((*state).everyAnswerCarriesTheHeaders))
	sc.Then(`^X-RateLimit-Limit is the same in every answer$`, on0((*state).theLimitIsTheSame))
	sc.Then(`^X-RateLimit-Remaining goes down with every answer in the same window$`, on0((*state).remainingGoesDown))
	sc.When(`^I get "([^"]+)" by id with the rate-limit key until the API answers 429$`, on1((*state).iExceedTheRateLimit))
	sc.Then(`^the answer says when the limit resets$`, on0((*state).theAnswerSaysWhenTheLimitResets))
	sc.Then(`^the rate-limit key is answered again once the limit has reset$`, on0((*state).theRateLimitKeyIsAnsweredAgain))
}

func (s *state) iGetByIDTimes(ctx context.Context, name string, n int) error {
	f, err := s.fileNamed(name)
	if err != nil {
		return err
	}
	s.answers = nil
	for range n {
		resp, err := s.do(ctx, client.Request{Method: http.MethodGet, Path: f.path(), Key: s.key(f.agency)})
		if resp != nil {
			s.last = resp
			s.answers = append(s.answers, timedAnswer{resp, time.Now()})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// parseLimits reads the three headers of an answer that arrived at.
func parseLimits(h http.Header, at time.Time) (limits, error) {
	var l limits
	var err error
	if l.limit, err = headerInt(h, hdrLimit); err != nil {
		return l, err
	}
	if l.remaining, err = headerInt(h, hdrRemaining); err != nil {
		return l, err
	}
	if l.remaining > l.limit {
		return l, fmt.Errorf("%s %d is over %s %d", hdrRemaining, l.remaining, hdrLimit, l.limit)
	}
	l.resetAt, err = parseReset(h.Get(hdrReset), at)
	return l, err
}

func headerInt(h http.Header, name string) (int, error) {
	v := strings.TrimSpace(h.Get(name))
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s %q is not a non-negative integer", name, v)
	}
	return n, nil
}

// parseReset reads X-RateLimit-Reset: a Unix time when >= 1e9, else seconds
// after at.
func parseReset(v string, at time.Time) (time.Time, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return time.Time{}, fmt.Errorf("%s %q is neither a Unix time nor a number of seconds", hdrReset, v)
	}
	if f >= unixThreshold {
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(frac*1e9)), nil
	}
	return at.Add(time.Duration(f * float64(time.Second))), nil
}

// parseRetryAfter reads Retry-After in seconds or as an HTTP date.
func parseRetryAfter(v string, at time.Time) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return at.Add(time.Duration(secs) * time.Second), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return t, true
	}
	return time.Time{}, false
}

func (s *state) allLimits() ([]limits, error) {
	if len(s.answers) == 0 {
		return nil, fmt.Errorf("no series of answers: a When step that repeats a request must come first")
	}
	out := make([]limits, len(s.answers))
	for i, a := range s.answers {
		l, err := parseLimits(a.resp.Header, a.at)
		if err != nil {
			return nil, s.failure(a.resp, fmt.Sprintf("answer %d carries the rate-limit headers", i+1), "all three, well formed", err)
		}
		out[i] = l
	}
	return out, nil
}

func (s *state) everyAnswerCarriesTheHeaders(context.Context) error {
	_, err := s.allLimits()
	return err
}

func (s *state) theLimitIsTheSame(context.Context) error {
	ls, err := s.allLimits()
	if err != nil {
		return err
	}
	for i := 1; i < len(ls); i++ {
		if ls[i].limit != ls[0].limit {
			return s.failure(s.answers[i].resp, fmt.Sprintf("%s of answer %d, compared with answer 1", hdrLimit, i+1), ls[0].limit, ls[i].limit)
		}
	}
	return nil
}

// remainingGoesDown wants Remaining to fall with every answer, unless the
// window the earlier answer announced had reset by the time of the later one.
func (s *state) remainingGoesDown(context.Context) error {
	ls, err := s.allLimits()
	if err != nil {
		return err
	}
	for i := 1; i < len(ls); i++ {
		prev, cur := ls[i-1], ls[i]
		newWindow := !s.answers[i].at.Before(prev.resetAt.Add(-resetSlack))
		if cur.remaining >= prev.remaining && !newWindow {
			return s.failure(s.answers[i].resp,
				fmt.Sprintf("%s of answer %d, within the window of answer %d (reset %s)", hdrRemaining, i+1, i, prev.resetAt.Format(time.RFC3339)),
				fmt.Sprintf("less than %d", prev.remaining), cur.remaining, s.answers[i-1].resp)
		}
	}
	return nil
}

// rateLimitKey is the key @ratelimit scenarios spend.
func (s *state) rateLimitKey() string {
	if k := s.key(RateLimitKey); k != "" {
		return k
	}
	return s.key(config.Primary)
}

// iExceedTheRateLimit sends reads without waiting out 429s until one comes.
// It gives up after three allowances' worth of requests (windows may reset
// on the way).
func (s *state) iExceedTheRateLimit(ctx context.Context, name string) error {
	f, err := s.fileNamed(name)
	if err != nil {
		return err
	}
	c := s.env.rateLimitClient()
	req := client.Request{Method: http.MethodGet, Path: f.path(), Key: s.rateLimitKey(), NoRetry: true}
	budget := 1
	for sent := 0; sent < budget; sent++ {
		resp, err := c.Do(ctx, req)
		if resp != nil {
			s.last = resp
			s.answers = []timedAnswer{{resp, time.Now()}}
		}
		if err != nil {
			return err
		}
		if resp.Status == http.StatusTooManyRequests {
			return nil
		}
		if sent == 0 {
			l, err := parseLimits(resp.Header, time.Now())
			if err != nil {
				return s.failure(resp, "the rate-limit headers", "all three, well formed", err)
			}
			budget = 3*l.limit + 10
		}
	}
	return s.failure(s.last, "exceeding the rate limit", "a 429", fmt.Sprintf("no 429 after %d requests (is the client paced below the limit?)", budget))
}

func (s *state) theAnswerSaysWhenTheLimitResets(context.Context) error {
	resp, err := s.lastAnswer()
	if err != nil {
		return err
	}
	at := time.Now()
	if n := len(s.answers); n > 0 && s.answers[n-1].resp == resp {
		at = s.answers[n-1].at
	}
	l, err := parseLimits(resp.Header, at)
	if err != nil {
		return s.failure(resp, "a 429 carries the rate-limit headers", "all three, well formed", err)
	}
	s.resetAt = l.resetAt
	if ra, ok := parseRetryAfter(resp.Header.Get("Retry-After"), at); ok && ra.After(s.resetAt) {
		s.resetAt = ra
	}
	return nil
}

// theRateLimitKeyIsAnsweredAgain waits for the announced reset, then polls
// until a request is answered with something other than 429.
func (s *state) theRateLimitKeyIsAnsweredAgain(ctx context.Context) error {
	if s.resetAt.IsZero() {
		return fmt.Errorf("no announced reset: check the 429's headers first")
	}
	start := time.Now()
	deadline := start.Add(s.env.recoverTimeout())
	if s.resetAt.After(deadline) {
		return s.failure(s.last, "the limit resets within the recovery deadline",
			fmt.Sprintf("by %s", deadline.Format(time.RFC3339)), s.resetAt.Format(time.RFC3339))
	}
	req := s.last.Exchange
	again := client.Request{Method: req.Method, Path: req.Path, Key: s.rateLimitKey(), NoRetry: true}
	if err := pauseFor(ctx, time.Until(s.resetAt)); err != nil {
		return err
	}
	err := poll(ctx, deadline, func(ctx context.Context) (bool, error) {
		resp, err := s.env.rateLimitClient().Do(ctx, again)
		if resp != nil {
			s.last = resp
		}
		return err == nil && resp.Status != http.StatusTooManyRequests, err
	})
	if err != nil {
		return s.report(fmt.Sprintf("the limit did not recover within %v of the 429 (announced reset %s): %v",
			s.env.recoverTimeout(), s.resetAt.Format(time.RFC3339), err), s.last)
	}
	return nil
}

package steps

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/pause"
	"github.com/rentix/mediaharness/internal/ratelimit"
)

// resetSlack is how much earlier than announced a window may reset: a Unix
// time in whole seconds is rounded up.
const resetSlack = time.Second

// timedAnswer is an answer with the time it arrived.
type timedAnswer struct {
	resp *client.Response
	at   time.Time
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

func (s *state) allLimits() ([]ratelimit.Headers, error) {
	if len(s.answers) == 0 {
		return nil, fmt.Errorf("no series of answers: a When step that repeats a request must come first")
	}
	out := make([]ratelimit.Headers, len(s.answers))
	for i, a := range s.answers {
		l, err := ratelimit.Parse(a.resp.Header, a.at)
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
		if ls[i].Limit != ls[0].Limit {
			return s.failure(s.answers[i].resp, fmt.Sprintf("%s of answer %d, compared with answer 1", ratelimit.HeaderLimit, i+1), ls[0].Limit, ls[i].Limit)
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
		newWindow := !s.answers[i].at.Before(prev.ResetAt.Add(-resetSlack))
		if cur.Remaining >= prev.Remaining && !newWindow {
			return s.failure(s.answers[i].resp,
				fmt.Sprintf("%s of answer %d, within the window of answer %d (reset %s)", ratelimit.HeaderRemaining, i+1, i, prev.ResetAt.Format(time.RFC3339)),
				fmt.Sprintf("less than %d", prev.Remaining), cur.Remaining, s.answers[i-1].resp)
		}
	}
	return nil
}

// rateLimitKey is the key @ratelimit scenarios spend.
func (s *state) rateLimitKey() string { return rateLimitKeyOf(s.env) }

func rateLimitKeyOf(env *Resources) string {
	if k := env.Keys[RateLimitKey]; k != "" {
		return k
	}
	return env.Keys[config.Primary]
}

// iExceedTheRateLimit sends reads without waiting out 429s until one comes.
// It sends at most the run's request budget: a target whose allowance does
// not fit in it was skipped before the scenario began (overBudget), and
// windows that reset on the way cannot keep it going. The reads go one
// after another on one connection, the quickest way through a limit.
func (s *state) iExceedTheRateLimit(ctx context.Context, name string) error {
	f, err := s.fileNamed(name)
	if err != nil {
		return err
	}
	c := s.env.rateLimitClient()
	req := client.Request{Method: http.MethodGet, Path: f.path(), Key: s.rateLimitKey(), NoRetry: true}
	budget := s.env.rateLimitBudget()
	var window sameWindow
	for range budget {
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
		if over := window.add(resp.Header); over != "" {
			return s.failure(resp, "exceeding the rate limit", "a 429", over)
		}
	}
	return s.failure(s.last, "exceeding the rate limit", "a 429",
		fmt.Sprintf("no 429 after %d requests, the request budget (is the client paced below the limit?)", budget))
}

// sameWindow counts answers that name one fixed window: the same Unix
// X-RateLimit-Reset. More of them than X-RateLimit-Limit, none a 429, is a
// limit not enforced, seen without spending the whole budget. A relative
// Reset (seconds from the answer) names no window, so nothing is counted.
type sameWindow struct {
	reset string
	n     int
}

// add counts an answer that was not a 429 and says what is wrong once the
// window's limit is exceeded ("" until then).
func (w *sameWindow) add(h http.Header) string {
	reset := strings.TrimSpace(h.Get(ratelimit.HeaderReset))
	limit, err := ratelimit.Int(h, ratelimit.HeaderLimit)
	if v, perr := strconv.ParseFloat(reset, 64); err != nil || perr != nil || v < ratelimit.UnixThreshold {
		*w = sameWindow{}
		return ""
	}
	if reset != w.reset {
		*w = sameWindow{reset: reset}
	}
	w.n++
	if w.n > limit {
		return fmt.Sprintf("%d answers without a 429 in one window (%s %s), over its %s of %d",
			w.n, ratelimit.HeaderReset, reset, ratelimit.HeaderLimit, limit)
	}
	return ""
}

// overBudget skips a @ratelimit scenario whose target advertises a larger
// allowance than the run may spend: one read tells the allowance, and
// exceeding it takes that many requests and one more.
func overBudget(ctx context.Context, env *Resources) error {
	budget := env.rateLimitBudget()
	req := client.Request{Method: http.MethodGet, Path: (&file{id: missingID}).path(), Key: rateLimitKeyOf(env), NoRetry: true}
	resp, err := env.rateLimitClient().Do(ctx, req)
	if resp == nil {
		return err
	}
	limit, perr := ratelimit.Int(resp.Header, ratelimit.HeaderLimit)
	if perr != nil {
		return nil // the scenario reports the missing header itself
	}
	if need := limit + 1; need > budget {
		return fmt.Errorf("%w: exceeding the advertised limit of %d requests takes %d requests, over the request budget of %d (--ratelimit-budget)",
			godog.ErrSkip, limit, need, budget)
	}
	return nil
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
	l, err := ratelimit.Parse(resp.Header, at)
	if err != nil {
		return s.failure(resp, "a 429 carries the rate-limit headers", "all three, well formed", err)
	}
	s.resetAt = l.ResetAt
	if ra, ok := ratelimit.RetryAfter(resp.Header.Get(ratelimit.HeaderRetryAfter), at); ok && ra.After(s.resetAt) {
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
	if wait := time.Until(s.resetAt); wait >= client.LongWait && s.env.Waiting != nil {
		s.env.Waiting(fmt.Sprintf("waiting %v for the spent rate limit of the @ratelimit key to reset (until %s, as the 429 announced)",
			wait.Round(time.Second), s.resetAt.UTC().Format(time.RFC3339)))
	}
	if err := pause.For(ctx, time.Until(s.resetAt)); err != nil {
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

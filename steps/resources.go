// Package steps binds the Gherkin steps of features/ to the Media API: thin
// adapters that send requests through the one contract-checking client, make
// fixtures through the fixture manager, and compare answers with go-cmp,
// failing with the request and response as evidence.
//
// Each scenario keeps its own state (named files, the last answer) in its
// context.Context, so scenarios may run concurrently.
package steps

import (
	"errors"
	"net/http"
	"time"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/runfiles"
)

// RateLimitKey labels an optional key in Resources.Keys that @ratelimit scenarios
// spend, so that exhausting it slows no other scenario. Without it they spend
// the primary key.
const RateLimitKey = config.RateLimited

// Defaults for the zero durations of Resources.
const (
	DefaultPollTimeout             = 2 * time.Minute
	DefaultRateLimitRecoverTimeout = 90 * time.Second
	// DefaultRateLimitBudget is the most requests a @ratelimit scenario
	// may send to exceed a rate limit: enough for the documented 300 a
	// minute, and a bound against a target advertising millions.
	DefaultRateLimitBudget = 1000
)

// Resources are what every scenario of a run shares: the clients, the
// fixtures, the keys, the image sources and the time limits.
type Resources struct {
	Client   *client.Client
	Fixtures *runfiles.Manager
	// Keys maps agency labels ("primary", "other", "suspended",
	// "crm-disabled", optionally "ratelimit") to API keys.
	Keys map[string]string
	// Sources the target can download; "" when unknown (scenarios that need
	// one are skipped). JPEGURL and PNGURL are full-size photos (over 1024
	// pixels wide, so all three variants differ).
	JPEGURL, PNGURL, NotImageURL string
	// FileURL is an image whose content does not matter, for the many
	// fixtures that only need to exist: the smaller, the sooner the target
	// has optimized it. "" means JPEGURL.
	FileURL string
	// PollTimeout bounds waiting for an optimization or a job to end.
	PollTimeout time.Duration
	// RateLimitRecoverTimeout bounds waiting for a spent rate limit to reset.
	RateLimitRecoverTimeout time.Duration
	// RateLimitBudget bounds the requests a @ratelimit scenario sends; one
	// whose target advertises a larger allowance is skipped. 0 means
	// DefaultRateLimitBudget.
	RateLimitBudget int
	// RateWindow is the longest rate-limit window the target may announce
	// (X-RateLimit-Reset is checked against it); 0 means DefaultRateWindow.
	RateWindow time.Duration
	// RateLimitClient sends the requests that exhaust a rate limit, and
	// those that must leave together (requests racing each other). It must
	// not be paced below the limit; nil means Client.
	RateLimitClient *client.Client
	// stall is set once a file of the run never left pending.
	stall stall
	// Waiting hears, in one line, of every wait of a step of client.LongWait
	// or more (the reset of a spent rate limit), so a long pause is never
	// silent. nil: not told.
	Waiting func(line string)
	// Storage fetches the originals and variants the API links to (absolute
	// URLs outside the API root, no key sent); nil means a client with a
	// 30 s timeout.
	Storage *http.Client
}

var defaultStorage = &http.Client{Timeout: 30 * time.Second}

// check reports what usable Resources lack.
func (e *Resources) check() error {
	var errs []error
	if e.Client == nil {
		errs = append(errs, errors.New("steps: Resources.Client is nil"))
	}
	if e.Fixtures == nil {
		errs = append(errs, errors.New("steps: Resources.Fixtures is nil"))
	}
	if e.Keys[config.Primary] == "" {
		errs = append(errs, errors.New("steps: Resources.Keys has no primary key"))
	}
	return errors.Join(errs...)
}

func (e *Resources) pollTimeout() time.Duration {
	if e.PollTimeout > 0 {
		return e.PollTimeout
	}
	return DefaultPollTimeout
}

func (e *Resources) recoverTimeout() time.Duration {
	if e.RateLimitRecoverTimeout > 0 {
		return e.RateLimitRecoverTimeout
	}
	return DefaultRateLimitRecoverTimeout
}

func (e *Resources) rateLimitBudget() int {
	if e.RateLimitBudget > 0 {
		return e.RateLimitBudget
	}
	return DefaultRateLimitBudget
}

func (e *Resources) rateWindow() time.Duration {
	if e.RateWindow > 0 {
		return e.RateWindow
	}
	return DefaultRateWindow
}

func (e *Resources) rateLimitClient() *client.Client {
	if e.RateLimitClient != nil {
		return e.RateLimitClient
	}
	return e.Client
}

func (e *Resources) storage() *http.Client {
	if e.Storage != nil {
		return e.Storage
	}
	return defaultStorage
}

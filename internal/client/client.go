// Package client is the one HTTP layer every conformance request to the Media
// API goes through: it builds the authentication headers, paces requests,
// waits out rate limits, checks every exchange against the contract and
// redacts API keys from everything it prints.
package client

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rentix/mediaharness/internal/contract"
	"github.com/rentix/mediaharness/internal/pause"
	"github.com/rentix/mediaharness/internal/redact"
)

// Defaults for the zero values of Options.
const (
	DefaultTimeout    = 30 * time.Second
	DefaultMaxWait    = 65 * time.Second
	DefaultMaxRetries = 5
	DefaultRetryWait  = time.Second
	// MaxBodyBytes bounds what is read of a response body, so a garbage
	// answer of gigabytes cannot eat the harness's memory.
	MaxBodyBytes = 8 << 20
)

// Checker checks exchanges against the contract; *contract.Validator is one.
type Checker interface {
	Check(contract.Exchange) []contract.Finding
	Operation(method, path string) string
}

// Options configure a Client. Zero values mean the defaults above.
type Options struct {
	// BaseURL is the API root with its path, e.g. https://crm.rentix.md/api/v1.
	BaseURL string
	// HTTPClient defaults to a client that does not follow redirects, so a
	// redirect is checked against the contract like any other answer.
	HTTPClient *http.Client
	// Validator checks every exchange; nil means no contract checks.
	Validator Checker
	// Secrets are redacted wherever they appear in evidence and errors.
	Secrets []string
	// KeyVariables maps a key to the shell reference of the variable that
	// holds it ("$RENTIX_OTHER_API_KEY"; config.Target.KeyVariables). The
	// evidence names the key a request carried by it, so a reproduction
	// sends it with the same agency's key; the key itself is a secret
	// whether listed in Secrets or not. Any other value of a key header is
	// redacted.
	KeyVariables map[string]string
	// MaxRPS paces all requests of the client; 0 means unpaced.
	MaxRPS float64
	// MaxRetries bounds the retries after a 429; negative means never retry.
	MaxRetries int
	// MaxWait caps one wait after a 429.
	MaxWait time.Duration
	// Timeout bounds one attempt, reading the body included.
	Timeout time.Duration
	// Strict makes drift an error like a violation.
	Strict bool
	// Observe sees every exchange, retried 429s included. It may be called
	// from several goroutines at once. Response.Exchange holds the raw
	// exchange, keys included: write out only what Evidence or Redact give.
	Observe func(*Response)
	// Waiting hears of every wait after a 429 of LongWait or more, in one
	// redacted line saying what is waited for and until when, so a long
	// pause is never silent. It may be called from several goroutines.
	Waiting func(line string)
	// Breaker, if set, hears the outcome of every request.
	Breaker *Breaker
	// Header is sent on every request besides the client's own headers
	// (a gateway token, a tracing header); a header the request sets
	// itself wins. Put its values in Secrets.
	Header http.Header
}

// LongWait is the shortest wait after a 429 that Options.Waiting hears of.
const LongWait = 3 * time.Second

// Stats count what the client did; read them with Client.Stats.
type Stats struct {
	Requests       int64         // attempts sent, retries included
	RateLimitWaits int64         // waits after a 429
	Retries        int64         // requests sent again after a 429
	Waited         time.Duration // total time spent in those waits
}

// Client sends requests to one target. It is safe for concurrent use.
type Client struct {
	base     string
	http     *http.Client
	check    Checker
	redactor *redact.Redactor
	pace     *pacer
	opts     Options

	requests, waits, retries, waited atomic.Int64

	// now and sleep are the clock; tests replace them.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// New makes a Client from opts.
func New(opts Options) (*Client, error) {
	base, err := parseBase(opts.BaseURL)
	if err != nil {
		return nil, err
	}
	if opts.MaxRPS < 0 {
		return nil, fmt.Errorf("client: MaxRPS %v is negative", opts.MaxRPS)
	}
	opts = withDefaults(opts)
	c := &Client{
		base:     base,
		http:     opts.HTTPClient,
		check:    nilIfNil(opts.Validator),
		redactor: redact.New(append(slices.Collect(maps.Keys(opts.KeyVariables)), opts.Secrets...)...),
		opts:     opts,
		now:      time.Now,
		sleep:    pause.For,
	}
	c.pace = newPacer(opts.MaxRPS, c.clock, c.wait)
	return c, nil
}

// nilIfNil turns a typed nil (a nil *contract.Validator in the interface)
// into a plain nil, so "no validator" never panics on the first request.
func nilIfNil(v Checker) Checker {
	if v == nil {
		return nil
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return nil
	}
	return v
}

func parseBase(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("client: base URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("client: base URL %q is not an absolute http(s) URL", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("client: base URL %q has a query or fragment", raw)
	}
	return strings.TrimRight(raw, "/"), nil
}

func withDefaults(o Options) Options {
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = DefaultMaxRetries
	}
	if o.MaxWait <= 0 {
		o.MaxWait = DefaultMaxWait
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	return o
}

// BaseURL is the API root requests are sent to, as it may be printed:
// without the password of its userinfo.
func (c *Client) BaseURL() string { return withoutPassword(c.base) }

// withoutPassword is raw without the password of its userinfo.
func withoutPassword(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = url.User(u.User.Username())
	return u.String()
}

// Stats returns the counts so far.
func (c *Client) Stats() Stats {
	return Stats{
		Requests:       c.requests.Load(),
		RateLimitWaits: c.waits.Load(),
		Retries:        c.retries.Load(),
		Waited:         time.Duration(c.waited.Load()),
	}
}

// clock and wait indirect through the fields so tests can swap them after New.
func (c *Client) clock() time.Time { return c.now() }

func (c *Client) wait(ctx context.Context, d time.Duration) error { return c.sleep(ctx, d) }

// ErrRateLimited: the target still answered 429 after every allowed retry.
var ErrRateLimited = errors.New("still rate limited")

// ErrWaitPastDeadline: the wait a 429 asked for would end after the
// caller's deadline, so the request gives up at once instead of sleeping
// until the deadline.
var ErrWaitPastDeadline = errors.New("the wait the 429 asks for ends after the deadline")

// ErrBodyTooLarge: the response body was over MaxBodyBytes and was cut.
var ErrBodyTooLarge = errors.New("response body too large")

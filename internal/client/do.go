package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/rentix/mediaharness/internal/contract"
)

// Do sends r and checks the exchange against the contract.
//
// A violation (or, with Strict, drift) gives a *ContractError together with
// the Response. A 429 is waited out and retried unless r.NoRetry; after
// MaxRetries the last 429 comes back with an error wrapping ErrRateLimited.
// A request that got no answer gives an error naming the request line.
func (c *Client) Do(ctx context.Context, r Request) (*Response, error) {
	resp, err := c.do(ctx, r)
	if b := c.opts.Breaker; b != nil && ctx.Err() == nil {
		if refused, what := refusal(r, resp, err); refused || resp != nil {
			b.record(refused, c.Redact(what))
		}
	}
	return resp, err
}

func (c *Client) do(ctx context.Context, r Request) (*Response, error) {
	body, isJSON, err := r.body()
	if err != nil {
		return nil, errors.New(c.Redact(err.Error()))
	}
	h := c.withExtra(r.header(isJSON), r)
	for retries := 0; ; retries++ {
		resp, err := c.send(ctx, r, body, h)
		if err != nil {
			// A cut body is not checked: findings about our own cut would
			// mislead. It is still an exchange, so Observe sees it.
			if resp != nil {
				c.observe(resp)
			}
			return resp, err
		}
		c.inspect(resp)
		if verr := c.verdict(r, resp); verr != nil || resp.Status != http.StatusTooManyRequests || r.NoRetry {
			return resp, verr
		}
		if c.opts.MaxRetries < 0 || retries >= c.opts.MaxRetries {
			return resp, fmt.Errorf("%s: %w after %d retries", c.Redact(r.line()), ErrRateLimited, retries)
		}
		if err := c.backOff(ctx, r, resp.Header, retries); err != nil {
			return resp, fmt.Errorf("%s: waiting after 429: %w", c.Redact(r.line()), err)
		}
		c.retries.Add(1)
	}
}

// backOff waits as the 429's headers say and holds back the client's other
// requests for as long. A wait that would outlast ctx's deadline is not
// begun; a long one is announced.
func (c *Client) backOff(ctx context.Context, r Request, h http.Header, retries int) error {
	d := c.retryWait(h, retries)
	until := c.now().Add(d)
	if dl, ok := ctx.Deadline(); ok && d > time.Until(dl) {
		return fmt.Errorf("%w (%v, until %s)", ErrWaitPastDeadline, d.Round(time.Millisecond), until.UTC().Format(time.TimeOnly))
	}
	if d >= LongWait && c.opts.Waiting != nil {
		c.opts.Waiting(c.Redact(fmt.Sprintf("waiting %v, until %s UTC, for the rate limit of the key: %s answered 429",
			d.Round(time.Millisecond), until.UTC().Format(time.TimeOnly), r.line())))
	}
	c.waits.Add(1)
	c.waited.Add(int64(d))
	c.pace.hold(c.now().Add(d))
	return c.sleep(ctx, d)
}

// send makes one paced attempt and reads the answer.
func (c *Client) send(ctx context.Context, r Request, body []byte, h http.Header) (*Response, error) {
	if err := c.pace.take(ctx); err != nil {
		return nil, c.fail(r, err)
	}
	actx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := c.build(actx, r, body, h)
	if err != nil {
		return nil, err
	}
	c.requests.Add(1)
	res, err := c.http.Do(req)
	if err != nil {
		return nil, c.timeoutOr(ctx, r, err)
	}
	defer res.Body.Close()
	data, readErr := readCapped(res.Body)
	resp := c.response(r, body, req, res, data)
	if readErr != nil {
		return resp, c.timeoutOr(ctx, r, readErr)
	}
	return resp, nil
}

func (c *Client) response(r Request, body []byte, req *http.Request, res *http.Response, data []byte) *Response {
	return &Response{
		Status: res.StatusCode,
		Header: res.Header,
		Body:   data,
		URL:    c.Redact(withoutPassword(req.URL.String())),
		target: c.Redact(req.URL.RequestURI()),
		host:   req.URL.Host,
		Exchange: contract.Exchange{
			Method:         r.Method,
			Path:           r.Path,
			RequestHeader:  req.Header,
			RequestBody:    body,
			Status:         res.StatusCode,
			ResponseHeader: res.Header,
			ResponseBody:   data,
			SkipRequest:    r.Deliberate,
		},
	}
}

// readCapped reads at most MaxBodyBytes; a longer body is cut and flagged.
func readCapped(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBodyBytes+1))
	if err != nil {
		return data, err
	}
	if len(data) > MaxBodyBytes {
		return data[:MaxBodyBytes], fmt.Errorf("%w: over %d bytes, cut", ErrBodyTooLarge, MaxBodyBytes)
	}
	return data, nil
}

// inspect checks the exchange and shows it to Observe.
func (c *Client) inspect(resp *Response) {
	if c.check != nil {
		ex := resp.Exchange
		resp.Operation = c.check.Operation(ex.Method, pathOnly(ex.Path))
		// a copy: a caching validator may hand the same slice to every caller
		resp.Findings = slices.Clone(c.check.Check(ex))
		for i := range resp.Findings {
			resp.Findings[i].Message = c.Redact(resp.Findings[i].Message)
		}
	}
	c.observe(resp)
}

func (c *Client) observe(resp *Response) {
	if c.opts.Observe != nil {
		c.opts.Observe(resp)
	}
}

// verdict turns violations (and drift when Strict) into a *ContractError.
func (c *Client) verdict(r Request, resp *Response) error {
	var broken []contract.Finding
	for _, f := range resp.Findings {
		if f.Kind == contract.Violation || c.opts.Strict {
			broken = append(broken, f)
		}
	}
	if len(broken) == 0 {
		return nil
	}
	return &ContractError{
		Request:   c.Redact(r.line()),
		Operation: resp.Operation,
		Findings:  broken,
		Evidence:  c.Evidence(resp),
	}
}

func pathOnly(p string) string {
	path, _, _ := strings.Cut(p, "?")
	return path
}

// requestError is a request that got no (complete) answer. Its text is
// redacted; it unwraps to the cause without the URL (url.Error's text would
// carry the query unredacted).
type requestError struct {
	msg string
	err error
}

func (e *requestError) Error() string { return e.msg }
func (e *requestError) Unwrap() error { return e.err }

func (c *Client) fail(r Request, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &requestError{msg: c.Redact(r.line() + ": " + err.Error()), err: err}
}

// timeoutOr names the per-attempt timeout when it, not the caller's
// context, ended the request.
func (c *Client) timeoutOr(ctx context.Context, r Request, err error) error {
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		err = fmt.Errorf("no answer within %v: %w", c.opts.Timeout.Round(time.Millisecond), context.DeadlineExceeded)
	}
	return c.fail(r, err)
}

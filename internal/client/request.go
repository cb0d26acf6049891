package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// AuthStyle says how a request presents its API key.
type AuthStyle int

const (
	// AuthAPIKeyHeader sends "Authorization: ApiKey <key>".
	AuthAPIKeyHeader AuthStyle = iota
	// AuthXAPIKey sends "X-API-Key: <key>".
	AuthXAPIKey
	// AuthBoth sends both headers (the API must refuse it).
	AuthBoth
	// AuthNone sends no key.
	AuthNone
	// AuthOtherScheme sends "Authorization: Bearer <key>".
	AuthOtherScheme
)

var authNames = [...]string{"ApiKey header", "X-API-Key", "both headers", "no key", "Bearer scheme"}

func (a AuthStyle) String() string {
	if a < 0 || int(a) >= len(authNames) {
		return fmt.Sprintf("AuthStyle(%d)", int(a))
	}
	return authNames[a]
}

// Request is one call to the API.
type Request struct {
	Method string
	// Path is relative to the API root and may carry a query: "/media/1",
	// "/job/status?id=7". Segments must already be escaped.
	Path string
	Key  string // the API key to send ("" with AuthNone)
	Auth AuthStyle
	// Header holds extra headers; they replace the defaults of the same
	// name, and a name with no values removes that default.
	Header http.Header
	Body   []byte // raw body; or
	JSON   any    // marshalled when Body is nil; sets Content-Type: application/json
	// Deliberate marks a deliberately invalid request: only the response is
	// contract-checked.
	Deliberate bool
	// NoRetry hands a 429 back instead of waiting and retrying.
	NoRetry bool
}

// line is the request line used in errors: "GET /media/1".
func (r Request) line() string { return r.Method + " " + r.Path }

// body returns the bytes to send and whether they are JSON made here.
func (r Request) body() ([]byte, bool, error) {
	if r.Body != nil || r.JSON == nil {
		return r.Body, false, nil
	}
	b, err := json.Marshal(r.JSON)
	if err != nil {
		return nil, false, fmt.Errorf("%s: encode JSON body: %w", r.line(), err)
	}
	return b, true, nil
}

// header builds the headers to send: defaults, authentication, then the
// caller's own.
func (r Request) header(isJSON bool) http.Header {
	h := http.Header{}
	h.Set("Accept", "application/json")
	h.Set("User-Agent", "mediaharness")
	if isJSON {
		h.Set("Content-Type", "application/json")
	}
	setAuth(h, r.Auth, r.Key)
	for k, vs := range r.Header {
		if len(vs) == 0 {
			h.Del(k)
			continue
		}
		h[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	return h
}

func setAuth(h http.Header, a AuthStyle, key string) {
	switch a {
	case AuthAPIKeyHeader:
		h.Set("Authorization", "ApiKey "+key)
	case AuthXAPIKey:
		h.Set("X-API-Key", key)
	case AuthBoth:
		h.Set("Authorization", "ApiKey "+key)
		h.Set("X-API-Key", key)
	case AuthOtherScheme:
		h.Set("Authorization", "Bearer "+key)
	case AuthNone:
	}
}

// build makes the http.Request for one attempt.
func (c *Client) build(ctx context.Context, r Request, body []byte, h http.Header) (*http.Request, error) {
	if !strings.HasPrefix(r.Path, "/") {
		return nil, fmt.Errorf("%s: path must start with /", c.Redact(r.line()))
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, c.base+r.Path, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%s: %s", c.Redact(r.line()), c.Redact(err.Error()))
	}
	req.Header = h.Clone()
	if host := h.Get("Host"); host != "" {
		req.Host = host
	}
	return req, nil
}

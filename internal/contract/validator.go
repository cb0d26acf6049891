package contract

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/rentix/mediaharness/openapi"
)

// validationHost is the host every exchange is re-addressed to before routing:
// the router then matches the path alone, whatever host the target has.
const validationHost = "http://target.invalid"

// Validator checks exchanges against one loaded contract. Build it once (New
// is the expensive part) and share it: Check is safe for concurrent use.
type Validator struct {
	router *router
	base   string // validationHost + the path of the contract's server, e.g. ".../api/v1"
	ops    map[*openapi3.Operation]*operation
	cache  *verdictCache // nil unless WithCache
	routes *routeMemo    // nil unless WithCache
	opts   *openapi3filter.Options
	// keyHeaders names the headers of the apiKey schemes, for messages.
	keyHeaders []string
}

// Option configures a Validator.
type Option func(*Validator)

// WithCache remembers up to n response verdicts, keyed by operation, status,
// header shape and a hash of the body, so a repeated answer (a load test's
// thousandth identical 200) costs a hash instead of a validation. n <= 0
// disables the cache.
func WithCache(n int) Option {
	return func(v *Validator) {
		if n > 0 {
			v.cache = newVerdictCache(n)
			v.routes = newRouteMemo(n)
		}
	}
}

// New prepares a Validator for doc, which must already be validated
// (openapi.Load does that).
func New(doc *openapi3.T, opts ...Option) (*Validator, error) {
	if doc == nil || doc.Paths == nil {
		return nil, errors.New("contract: no document")
	}
	openapi.DefineFormats()
	basePath, err := serverPath(doc)
	if err != nil {
		return nil, err
	}
	// A shallow copy with one absolute server: the router needs a host to
	// match, and the caller's document stays untouched.
	routed := *doc
	routed.Servers = openapi3.Servers{{URL: validationHost + basePath}}
	router, err := newRouter(&routed)
	if err != nil {
		return nil, err
	}
	v := &Validator{
		router:     router,
		base:       validationHost + basePath,
		ops:        indexOperations(&routed),
		keyHeaders: keyHeaders(&routed),
		opts: &openapi3filter.Options{
			IncludeResponseStatus: true,
			MultiError:            true,
			SkipSettingDefaults:   true,
			AuthenticationFunc:    keyPresent,
		},
	}
	for _, o := range opts {
		o(v)
	}
	return v, nil
}

// serverPath is the path part of the contract's first server ("/api/v1"):
// exchange paths are relative to it.
func serverPath(doc *openapi3.T) (string, error) {
	if len(doc.Servers) == 0 {
		return "", nil
	}
	u, err := url.Parse(doc.Servers[0].URL)
	if err != nil {
		return "", fmt.Errorf("contract: server URL %q: %w", doc.Servers[0].URL, err)
	}
	return strings.TrimSuffix(u.Path, "/"), nil
}

// Check validates one exchange: the request (unless ex.SkipRequest) and the
// response. It returns nil when the exchange follows the contract.
func (v *Validator) Check(ex Exchange) []Finding {
	if found, ok := v.remembered(ex); ok {
		return found
	}
	req, err := v.request(ex)
	if err != nil {
		return []Finding{{Kind: Violation, Status: ex.Status, Rule: RuleRoute, Message: err.Error()}}
	}
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return []Finding{routeFinding(ex, err)}
	}
	op := v.ops[route.Operation]
	if v.routes != nil {
		v.routes.put(ex.Method, ex.Path, op)
	}
	var out []Finding
	if !ex.SkipRequest {
		out = v.checkRequest(req, route, params)
	}
	// append copies the response findings, so stamping below never touches
	// a slice the cache holds.
	out = append(out, v.response(req, route, op, ex)...)
	return stamp(out, op, ex)
}

// remembered answers a response-only check from the caches alone, when
// both the route and the verdict are known.
func (v *Validator) remembered(ex Exchange) ([]Finding, bool) {
	if v.cache == nil || !ex.SkipRequest {
		return nil, false
	}
	op, ok := v.routes.get(ex.Method, ex.Path)
	if !ok {
		return nil, false
	}
	found, ok := v.cache.get(v.cache.key(op, ex))
	if !ok {
		return nil, false
	}
	return stamp(found, op, ex), true
}

func stamp(found []Finding, op *operation, ex Exchange) []Finding {
	for i := range found {
		found[i].Operation = op.id
		found[i].Status = ex.Status
	}
	return found
}

// response checks the response, through the cache when there is one.
func (v *Validator) response(req *http.Request, route *routers.Route, op *operation, ex Exchange) []Finding {
	if v.cache == nil {
		return v.checkResponse(req, route, op, ex)
	}
	key := v.cache.key(op, ex)
	if found, ok := v.cache.get(key); ok {
		return found
	}
	found := v.checkResponse(req, route, op, ex)
	v.cache.put(key, found)
	return found
}

// Operation names the operation a method and API-relative path (query
// allowed) address, or "" when the contract has none.
func (v *Validator) Operation(method, path string) string {
	req, err := v.request(Exchange{Method: method, Path: path})
	if err != nil {
		return ""
	}
	route, _, err := v.router.FindRoute(req)
	if err != nil {
		return ""
	}
	return v.ops[route.Operation].id
}

// request rebuilds the exchange's request on validationHost.
func (v *Validator) request(ex Exchange) (*http.Request, error) {
	path := ex.Path
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	req, err := http.NewRequest(strings.ToUpper(ex.Method), v.base+path, bytes.NewReader(ex.RequestBody))
	if err != nil {
		return nil, fmt.Errorf("cannot read the request line %s %s: %v", ex.Method, ex.Path, err)
	}
	if ex.RequestHeader != nil {
		// Read only: defaults are never written back (SkipSettingDefaults).
		req.Header = ex.RequestHeader
	}
	return req, nil
}

func routeFinding(ex Exchange, err error) Finding {
	msg := "no operation in the contract for " + ex.Method + " " + pathOnly(ex.Path)
	if errors.Is(err, routers.ErrMethodNotAllowed) {
		msg = "method " + ex.Method + " is not allowed on " + pathOnly(ex.Path)
	}
	return Finding{Kind: Violation, Status: ex.Status, Rule: RuleRoute, Message: msg}
}

func pathOnly(p string) string {
	path, _, _ := strings.Cut(p, "?")
	return path
}

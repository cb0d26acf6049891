package contract

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// headerFindings checks every header the response declares (all of them, not
// only the first that fails) and reports the undeclared ones as drift.
func headerFindings(resp *openapi3.Response, h http.Header) []Finding {
	var out []Finding
	for _, name := range sortedKeys(resp.Headers) {
		ref := resp.Headers[name]
		if strings.EqualFold(name, "Content-Type") || ref == nil || ref.Value == nil {
			continue
		}
		hd := ref.Value
		inferred := markedInferred(hd.Extensions) || (hd.Schema != nil && hd.Schema.Value != nil && wholly(hd.Schema.Value))
		values := h.Values(name)
		switch {
		case len(values) == 0 && hd.Required:
			out = append(out, violation(RuleResponseHeader, name, "missing", inferred))
		case len(values) > 1:
			out = append(out, violation(RuleResponseHeader, name, fmt.Sprintf("sent %d times, want one value", len(values)), inferred))
		case len(values) == 1:
			if msg := headerValueProblem(hd, values[0]); msg != "" {
				out = append(out, violation(RuleResponseHeader, name, msg, inferred))
			}
		}
	}
	return append(out, headerDrift(resp, h)...)
}

// headerValueProblem decodes a scalar header value by its schema's type and
// validates it; "" when it is fine. The contract's headers are scalars.
func headerValueProblem(hd *openapi3.Header, raw string) string {
	if hd.Schema == nil || hd.Schema.Value == nil {
		return ""
	}
	s := hd.Schema.Value
	value, err := decodeScalar(s, strings.TrimSpace(raw))
	if err != nil {
		return err.Error()
	}
	var msgs []string
	for _, p := range schemaProblems(nil, s.VisitJSON(value, openapi3.MultiErrors())) {
		msgs = append(msgs, p.message)
	}
	return strings.Join(msgs, "; ")
}

func decodeScalar(s *openapi3.Schema, v string) (any, error) {
	switch {
	case s.Type.Is("integer"):
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return nil, fmt.Errorf("not an integer (got %q)", shorten(v, 60))
		}
		return json.Number(v), nil
	case s.Type.Is("number"):
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return nil, fmt.Errorf("not a number (got %q)", shorten(v, 60))
		}
		return json.Number(v), nil
	case s.Type.Is("boolean"):
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("not a boolean (got %q)", shorten(v, 60))
		}
		return b, nil
	case s.Type == nil || len(*s.Type) == 0:
		// Variants (Retry-After: seconds or an HTTP-date): a value that
		// reads as an integer is offered as a number, the rest as text.
		if _, err := strconv.ParseInt(v, 10, 64); err == nil {
			return json.Number(v), nil
		}
	}
	return v, nil
}

// headerDrift reports response headers the response does not declare,
// leaving out the standard ones of HTTP, browsers and proxies.
func headerDrift(resp *openapi3.Response, h http.Header) []Finding {
	var out []Finding
	for _, name := range sortedKeys(h) {
		if declaredHeader(resp, name) || standardHeader(name) {
			continue
		}
		out = append(out, Finding{Kind: Drift, Rule: RuleResponseHeader, Pointer: http.CanonicalHeaderKey(name),
			Message: "header not in the contract"})
	}
	return out
}

func declaredHeader(resp *openapi3.Response, name string) bool {
	for declared := range resp.Headers {
		if strings.EqualFold(declared, name) {
			return true
		}
	}
	return false
}

// standardHeaders are sent by servers, frameworks (helmet, express), CDNs and
// proxies regardless of the API; they are not the contract's business.
var standardHeaders = map[string]bool{
	"accept-ranges": true, "age": true, "allow": true, "alt-svc": true, "cache-control": true,
	"connection": true, "content-disposition": true, "content-encoding": true, "content-language": true,
	"content-length": true, "content-location": true, "content-security-policy": true,
	"content-security-policy-report-only": true, "content-type": true, "date": true, "etag": true,
	"expect-ct": true, "expires": true, "keep-alive": true, "last-modified": true, "nel": true,
	"origin-agent-cluster": true, "permissions-policy": true, "pragma": true, "proxy-connection": true,
	"referrer-policy": true, "report-to": true, "server": true, "server-timing": true,
	"strict-transport-security": true, "timing-allow-origin": true, "trailer": true,
	"transfer-encoding": true, "upgrade": true, "vary": true, "via": true, "x-cache": true,
	"x-cache-hits": true, "x-content-type-options": true, "x-dns-prefetch-control": true,
	"x-download-options": true, "x-frame-options": true, "x-permitted-cross-domain-policies": true,
	"x-powered-by": true, "x-request-id": true, "x-served-by": true, "x-timer": true,
	"x-xss-protection": true,
}

var standardPrefixes = []string{"access-control-", "cross-origin-", "cf-", "x-amz-cf-"}

func standardHeader(name string) bool {
	lower := strings.ToLower(name)
	if standardHeaders[lower] {
		return true
	}
	return slices.ContainsFunc(standardPrefixes, func(p string) bool { return strings.HasPrefix(lower, p) })
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

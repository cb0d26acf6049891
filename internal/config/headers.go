package config

import (
	"fmt"
	"net/http"
	"sort"

	"golang.org/x/net/http/httpguts"
)

// OwnedHeaders are the request headers the harness sets itself: an extra
// header may not replace them, or a run would test something else than it
// says (another key, another body, another host).
var OwnedHeaders = []string{"Authorization", "X-Api-Key", "Content-Type", "Host", "Content-Length"}

// checkHeaders reports every problem with the extra headers. A value is a
// secret: no message shows it, and one too short to redact is refused as a
// short key is.
func checkHeaders(h http.Header) []error {
	var errs []error
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		errs = append(errs, checkHeader(name, h[name])...)
	}
	return errs
}

func checkHeader(name string, values []string) []error {
	if !httpguts.ValidHeaderFieldName(name) {
		return []error{fmt.Errorf("--header %q: not a valid header name", name)}
	}
	for _, owned := range OwnedHeaders {
		if http.CanonicalHeaderKey(name) == http.CanonicalHeaderKey(owned) {
			return []error{fmt.Errorf("--header %s: the harness sets this header itself; it cannot be replaced", owned)}
		}
	}
	var errs []error
	for _, v := range values {
		switch {
		case !httpguts.ValidHeaderFieldValue(v):
			errs = append(errs, fmt.Errorf("--header %s: the value has a character a header cannot carry (a line break or control character)", name))
		case len(v) < MinKeyLength:
			errs = append(errs, fmt.Errorf("--header %s: a value of %d characters is too short to keep out of the output safely (every --header value is kept secret); values must have at least %d",
				name, len(v), MinKeyLength))
		}
	}
	return errs
}

// headerSecrets are the values of the extra headers.
func headerSecrets(h http.Header) []string {
	var s []string
	for _, vs := range h {
		s = append(s, vs...)
	}
	return s
}

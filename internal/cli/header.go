package cli

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// headerValue is --header 'Name: value', repeatable: extra headers sent on
// every request to the target. A value is a secret, so Set never fails
// (the flag package would print the whole argument): a malformed one is
// remembered and reported by err, without the argument.
type headerValue struct {
	h   http.Header
	n   int // headers given
	bad []error
}

func (v *headerValue) String() string { return "" }

func (v *headerValue) Set(s string) error {
	v.n++
	name, value, ok := strings.Cut(s, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.ContainsAny(name, " \t") {
		v.bad = append(v.bad, fmt.Errorf(`--header #%d: want "Name: value" (the argument is not shown: header values are secrets)`, v.n))
		return nil
	}
	if v.h == nil {
		v.h = http.Header{}
	}
	v.h.Add(name, strings.TrimSpace(value))
	return nil
}

func (v *headerValue) err() error { return errors.Join(v.bad...) }

const headerHelp = `extra header sent on every request to the API, as 'Name: value' (repeatable), e.g. a gateway token or a tracing header (not to the file URLs it answers with, which may be another host); values are kept out of every output like keys, so at least 8 characters; Authorization, X-Api-Key, Content-Type, Host and Content-Length are the harness's own`

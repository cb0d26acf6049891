package client

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// Redacted replaces a secret in everything the client prints.
const Redacted = "[REDACTED]"

// newRedactor replaces every secret, and its URL-escaped forms, with
// Redacted. Longer strings come first so a secret containing another is
// replaced whole.
func newRedactor(secrets []string) *strings.Replacer {
	seen := map[string]bool{}
	var olds []string
	for _, s := range secrets {
		for _, form := range []string{s, url.QueryEscape(s), url.PathEscape(s)} {
			if form != "" && !seen[form] {
				seen[form] = true
				olds = append(olds, form)
			}
		}
	}
	sort.SliceStable(olds, func(i, j int) bool { return len(olds[i]) > len(olds[j]) })
	pairs := make([]string, 0, 2*len(olds))
	for _, o := range olds {
		pairs = append(pairs, o, Redacted)
	}
	return strings.NewReplacer(pairs...)
}

// Redact removes every secret of Options.Secrets from s.
func (c *Client) Redact(s string) string { return c.redactor.Replace(s) }

// redactHeader copies h with the secrets redacted and the key headers
// blanked whatever they hold (a deliberately wrong key is a key too); the
// Authorization scheme stays visible because it is evidence.
func (c *Client) redactHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		for _, v := range vs {
			out[k] = append(out[k], c.redactValue(k, v))
		}
	}
	return out
}

func (c *Client) redactValue(name, v string) string {
	switch http.CanonicalHeaderKey(name) {
	case "X-Api-Key":
		if v != "" {
			return Redacted
		}
	case "Authorization":
		scheme, rest, found := strings.Cut(v, " ")
		if found && rest != "" {
			return scheme + " " + Redacted
		}
		if v != "" {
			return Redacted
		}
	}
	return c.Redact(v)
}

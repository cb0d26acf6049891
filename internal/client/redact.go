package client

import (
	"net/http"
	"strings"

	"github.com/rentix/mediaharness/internal/redact"
)

// Redacted replaces a secret in everything the client prints.
const Redacted = redact.Redacted

// Redact removes every secret of Options.Secrets from s, in every form
// package redact knows.
func (c *Client) Redact(s string) string { return c.redactor.String(s) }

// redactHeader copies h with the secrets redacted from names and values
// and the key headers blanked, except that a key of Options.KeyVariables
// is named by its variable: "Authorization: ApiKey $RENTIX_OTHER_API_KEY".
func (c *Client) redactHeader(h http.Header) http.Header {
	out := c.redactor.Header(h)
	for name, vs := range h {
		switch http.CanonicalHeaderKey(name) {
		case "Authorization", "X-Api-Key":
		default:
			continue
		}
		shown := out[c.redactor.Name(name)]
		if len(shown) != len(vs) {
			continue
		}
		for i, v := range vs {
			if named, ok := c.keyNamed(v); ok {
				shown[i] = named
			}
		}
	}
	return out
}

// keyNamed is a key header value with its key replaced by the variable
// that holds it: "<key>" or "<scheme> <key>", the key one of
// Options.KeyVariables.
func (c *Client) keyNamed(v string) (string, bool) {
	if name, ok := c.opts.KeyVariables[v]; ok && v != "" {
		return name, true
	}
	scheme, key, found := strings.Cut(v, " ")
	if name, ok := c.opts.KeyVariables[key]; found && ok && key != "" {
		return c.Redact(scheme) + " " + name, true
	}
	return "", false
}

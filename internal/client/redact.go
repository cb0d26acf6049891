package client

import (
	"net/http"

	"github.com/rentix/mediaharness/internal/redact"
)

// Redacted replaces a secret in everything the client prints.
const Redacted = redact.Redacted

// Redact removes every secret of Options.Secrets from s, in every form
// package redact knows.
func (c *Client) Redact(s string) string { return c.redactor.String(s) }

// redactHeader copies h with the secrets redacted from names and values
// and the key headers blanked.
func (c *Client) redactHeader(h http.Header) http.Header { return c.redactor.Header(h) }

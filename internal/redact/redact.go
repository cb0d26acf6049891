// Package redact keeps secrets (API keys, a base URL's password) out of
// everything the harness prints or writes. One Redactor is made per run from
// its secrets and applied where every answer passes: the client's evidence
// and errors, conform's reports, load's results before they are stored.
package redact

import (
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Redacted replaces a secret.
const Redacted = "[REDACTED]"

// AuthScheme is the scheme of the Authorization header the API takes; a
// key is also redacted as "ApiKey <key>" in every encoding.
const AuthScheme = "ApiKey"

// Redactor replaces every form of its secrets. The zero value and nil
// redact nothing. Safe for concurrent use.
type Redactor struct {
	r     *strings.Replacer // every form, longest first
	lower *strings.Replacer // lower-cased forms, for header names
	empty bool
}

// New makes a Redactor for secrets; empty ones are ignored.
func New(secrets ...string) *Redactor {
	var forms []string
	for _, s := range secrets {
		if s != "" {
			forms = append(forms, Forms(s)...)
		}
	}
	slices.SortFunc(forms, func(a, b string) int { return len(b) - len(a) }) // longest first
	forms = slices.Compact(forms)
	pairs := make([]string, 0, 2*len(forms))
	lower := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, Redacted)
		lower = append(lower, strings.ToLower(f), Redacted)
	}
	return &Redactor{r: strings.NewReplacer(pairs...), lower: strings.NewReplacer(lower...), empty: len(forms) == 0}
}

// Forms lists the ways secret may appear in output: as is, URL-escaped,
// JSON- and XML-escaped, as a canonicalised header name, and base64 (the
// standard and URL alphabets, padded or not) of itself and of "ApiKey
// <secret>", also where it sits inside a longer base64 text at any of the
// three byte alignments.
func Forms(secret string) []string {
	forms := []string{
		secret, url.QueryEscape(secret), url.PathEscape(secret), jsonEscaped(secret), xmlEscaped(secret),
		http.CanonicalHeaderKey(secret),
	}
	for _, plain := range []string{secret, AuthScheme + " " + secret} {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
			forms = append(forms, enc.EncodeToString([]byte(plain)))
		}
	}
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		for pad := range 3 {
			forms = append(forms, inner(enc, pad, secret))
		}
	}
	return slices.DeleteFunc(forms, func(f string) bool { return f == "" })
}

// inner is the part of the base64 of secret, preceded by pad other bytes,
// that depends on secret's bytes alone: what any base64 text holding secret
// at that alignment contains.
func inner(enc *base64.Encoding, pad int, secret string) string {
	full := enc.EncodeToString([]byte(strings.Repeat("\x00", pad) + secret))
	from := (8*pad + 5) / 6
	to := 8 * (pad + len(secret)) / 6
	if to <= from || to > len(full) {
		return ""
	}
	return full[from:to]
}

func jsonEscaped(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b[1 : len(b)-1])
}

func xmlEscaped(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails
	return b.String()
}

// String returns s with every secret replaced by Redacted.
func (r *Redactor) String(s string) string {
	if r == nil || r.empty {
		return s
	}
	return r.r.Replace(s)
}

// Bytes is String for a byte slice; b itself is returned when it holds no
// secret.
func (r *Redactor) Bytes(b []byte) []byte {
	if r == nil || r.empty || len(b) == 0 {
		return b
	}
	s := r.r.Replace(string(b))
	if s == string(b) {
		return b
	}
	return []byte(s)
}

// Name redacts a header name: names are case-insensitive (and canonicalised
// on the way in), so a secret echoed as a name is matched in any case.
func (r *Redactor) Name(name string) string {
	if r == nil || r.empty {
		return name
	}
	if low := strings.ToLower(name); r.lower.Replace(low) != low {
		return r.lower.Replace(low)
	}
	return r.r.Replace(name)
}

// Header returns a copy of h with secrets redacted from names and values.
// The values of the key headers are blanked whatever they hold (a
// deliberately wrong key is a key too); the Authorization scheme stays
// visible because it is evidence.
func (r *Redactor) Header(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		name := r.Name(k)
		for _, v := range vs {
			out[name] = append(out[name], r.value(k, v))
		}
	}
	return out
}

func (r *Redactor) value(name, v string) string {
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
	return r.String(v)
}

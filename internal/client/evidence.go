package client

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rentix/mediaharness/internal/contract"
)

// evidenceBodyBytes is how much of a body the evidence shows.
const evidenceBodyBytes = 2048

// ContractError is an exchange that broke the contract. Its Error() is the
// whole evidence, so a failed scenario's message can be read on its own.
type ContractError struct {
	Request   string // "POST /media/1/link", redacted
	Operation string // operationId, "" if no route matched
	Findings  []contract.Finding
	Evidence  string
}

func (e *ContractError) Error() string {
	n := len(e.Findings)
	noun := "finding"
	if n != 1 {
		noun += "s"
	}
	return fmt.Sprintf("%s broke the contract (%d %s)\n%s", e.Request, n, noun, e.Evidence)
}

// Inferred reports whether every violation rests on an inferred rule: the
// target disagrees with our reading of the docs, not with the docs.
func (e *ContractError) Inferred() bool {
	seen := false
	for _, f := range e.Findings {
		if f.Kind != contract.Violation {
			continue
		}
		if !f.Inferred {
			return false
		}
		seen = true
	}
	return seen
}

// Evidence renders an exchange for a human: request line, headers and body,
// status, headers and body, then each finding, with every secret redacted and
// bodies cut to about 2 KB.
func (c *Client) Evidence(r *Response) string {
	var b strings.Builder
	ex := r.Exchange
	target := r.target
	if target == "" {
		target = c.Redact(ex.Path)
	}
	fmt.Fprintf(&b, "→ %s %s", ex.Method, target)
	if r.Operation != "" {
		fmt.Fprintf(&b, " (%s)", r.Operation)
	}
	b.WriteString("\n")
	if r.host != "" {
		fmt.Fprintf(&b, "Host: %s\n", c.Redact(r.host))
	}
	c.writeHeaders(&b, ex.RequestHeader)
	c.writeBody(&b, ex.RequestBody)
	fmt.Fprintf(&b, "\n← %d\n", r.Status)
	c.writeHeaders(&b, r.Header)
	c.writeBody(&b, r.Body)
	if len(r.Findings) > 0 {
		b.WriteString("\n")
	}
	for _, f := range r.Findings {
		b.WriteString(findingLine(f))
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (c *Client) writeHeaders(b *strings.Builder, h http.Header) {
	h = c.redactHeader(h)
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			fmt.Fprintf(b, "%s: %s\n", k, v)
		}
	}
}

func (c *Client) writeBody(b *strings.Builder, body []byte) {
	if len(body) == 0 {
		return
	}
	b.WriteString("\n")
	b.WriteString(cut(c.Redact(string(body)), evidenceBodyBytes))
	b.WriteString("\n")
}

// cut shortens s to about n bytes on a rune boundary and says how much was
// left out. Binary data is summarised, not printed.
func cut(s string, n int) string {
	if len(s) <= n {
		if !utf8.ValidString(s) {
			return binary(len(s))
		}
		return s
	}
	end := n
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	if !utf8.ValidString(s[:end]) {
		return binary(len(s))
	}
	return fmt.Sprintf("%s… (%d bytes more)", s[:end], len(s)-end)
}

func binary(n int) string { return "[" + strconv.Itoa(n) + " bytes of binary data]" }

// findingLine is "rule pointer: message [inferred]", drift marked as such.
func findingLine(f contract.Finding) string {
	where := string(f.Rule)
	if f.Pointer != "" {
		where += " " + f.Pointer
	}
	line := where + ": " + f.Message
	if f.Inferred {
		line += " [inferred]"
	}
	if f.Kind == contract.Drift {
		line += " [drift]"
	}
	return line
}

package client

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/rentix/mediaharness/internal/contract"
)

// Response is the answer to a Request, with the contract's verdict on it.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	// Exchange is the raw exchange as checked, keys included.
	Exchange contract.Exchange
	// Findings are the violations and drift found in the exchange (messages
	// redacted).
	Findings []contract.Finding
	// Operation is the operationId the exchange matched, "" if none.
	Operation string
	// URL is the full request URL, redacted.
	URL string

	target, host string // request URI (redacted) and host, for evidence
}

// Decode unmarshals the JSON body into v.
func (r *Response) Decode(v any) error {
	if len(r.Body) == 0 {
		return fmt.Errorf("decode %d response: empty body", r.Status)
	}
	if err := json.Unmarshal(r.Body, v); err != nil {
		return fmt.Errorf("decode %d response: %w", r.Status, err)
	}
	return nil
}

// Violations returns the findings of kind Violation.
func (r *Response) Violations() []contract.Finding {
	return ofKind(r.Findings, contract.Violation)
}

// Drift returns the findings of kind Drift.
func (r *Response) Drift() []contract.Finding {
	return ofKind(r.Findings, contract.Drift)
}

func ofKind(fs []contract.Finding, k contract.Kind) []contract.Finding {
	var out []contract.Finding
	for _, f := range fs {
		if f.Kind == k {
			out = append(out, f)
		}
	}
	return out
}

package contract

import "fmt"

// Kind separates broken rules from things the contract does not mention.
type Kind string

const (
	// Violation: the exchange breaks a rule of the contract.
	Violation Kind = "violation"
	// Drift: the target sent something the contract does not mention
	// (an unknown property or header). It fails a run only in strict mode.
	Drift Kind = "drift"
)

// Finding is one broken rule (or one piece of drift) with its evidence.
type Finding struct {
	Kind      Kind   `json:"kind"`
	Operation string `json:"operation"` // operationId, or "" when no route matched
	Status    int    `json:"status,omitempty"`
	// Rule names what was checked, outside in: "route", "request.header",
	// "request.body", "response.status", "response.header", "response.content-type",
	// "response.body".
	Rule    string `json:"rule"`
	Pointer string `json:"pointer,omitempty"` // JSON pointer in the body, or the header's name
	Message string `json:"message"`
	// Inferred is true when the rule rests on a part of the contract marked
	// x-inferred (our reading of the docs, not the docs themselves).
	Inferred bool `json:"inferred,omitempty"`
}

func (f Finding) String() string {
	where := f.Rule
	if f.Pointer != "" {
		where += " " + f.Pointer
	}
	tag := ""
	if f.Inferred {
		tag = " [inferred]"
	}
	return fmt.Sprintf("%s %s: %s%s", f.Operation, where, f.Message, tag)
}

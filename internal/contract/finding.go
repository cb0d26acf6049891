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

// Rule names what a finding checked, outside in: the route, a part of the
// request, or a part of the response.
type Rule string

// The rules a Validator checks.
const (
	RuleRoute               Rule = "route"
	RuleRequestParameter    Rule = "request.parameter"
	RuleRequestHeader       Rule = "request.header"
	RuleRequestBody         Rule = "request.body"
	RuleResponseStatus      Rule = "response.status"
	RuleResponseHeader      Rule = "response.header"
	RuleResponseContentType Rule = "response.content-type"
	RuleResponseBody        Rule = "response.body"
)

// Finding is one broken rule (or one piece of drift) with its evidence.
type Finding struct {
	Kind      Kind   `json:"kind"`
	Operation string `json:"operation"` // operationId, or "" when no route matched
	Status    int    `json:"status,omitempty"`
	Rule      Rule   `json:"rule,omitempty"`    // what was checked; every Validator finding has one
	Pointer   string `json:"pointer,omitempty"` // JSON pointer in the body, or the header's name
	Message   string `json:"message"`
	// Inferred is true when the rule rests on a part of the contract marked
	// x-inferred (our reading of the docs, not the docs themselves).
	Inferred bool `json:"inferred,omitempty"`
}

func (f Finding) String() string {
	where := string(f.Rule)
	if f.Pointer != "" {
		where += " " + f.Pointer
	}
	tag := ""
	if f.Inferred {
		tag = " [inferred]"
	}
	return fmt.Sprintf("%s %s: %s%s", f.Operation, where, f.Message, tag)
}

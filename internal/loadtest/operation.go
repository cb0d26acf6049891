package loadtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Operation is one kind of request a scenario sends, named by its
// operationId in the contract.
type Operation string

// The operations the scenarios use.
const (
	OpGet         Operation = "getMedia"
	OpGetExternal Operation = "getMediaByExternalId"
	OpLink        Operation = "linkExternalId"
	OpUnlink      Operation = "unlinkExternalId"
	OpDelete      Operation = "deleteMedia"
	opUnknown     Operation = "unknown"
)

// expected lists the statuses each operation must answer when every request
// is valid, as the scenarios make them. 201 for a link is the contract's
// inferred alternative.
var expected = map[Operation][]int{
	OpGet:         {200},
	OpGetExternal: {200},
	OpLink:        {200, 201},
	OpUnlink:      {200},
	OpDelete:      {200},
}

func (o Operation) expects(code int) bool {
	for _, c := range expected[o] {
		if c == code {
			return true
		}
	}
	return false
}

// Outcome sorts a response by what it says about the target.
type Outcome int

// Outcomes, apart so that reports never add one kind to another.
const (
	Expected   Outcome = iota // a status the operation expects
	Transport                 // no response: connection refused, timeout, reset
	Limited                   // 429 Too Many Requests
	Unexpected                // any other status
)

var outcomeNames = [...]string{"expected", "transport", "rate-limited", "unexpected"}

func (o Outcome) String() string { return outcomeNames[o] }

func outcomeOf(r *vegeta.Result, op Operation) Outcome {
	switch {
	case r.Code == 0:
		return Transport
	case r.Code == http.StatusTooManyRequests:
		return Limited
	case op.expects(int(r.Code)):
		return Expected
	}
	return Unexpected
}

// request is what a scenario knows about a request it builds, so that the
// response can be checked without parsing the URL again.
type request struct {
	op         Operation
	id         int64
	externalID string
	path       string // relative to the API root, for the contract check
	header     http.Header
	body       []byte
	fixture    int   // index in the pool of the scenario that made it
	owner      owner // told about the result; nil when nothing depends on it
}

// key finds the request behind a result: scenarios register every request
// they can send under its method and URL before the attack starts.
type key struct{ method, url string }

// identityBody holds the fields of every answer that say which file it is
// about.
type identityBody struct {
	ID         *int64  `json:"id"`
	MediaID    *int64  `json:"mediaId"`
	ExternalID *string `json:"externalId"`
	Linked     *bool   `json:"linked"`
	Unlinked   *bool   `json:"unlinked"`
	Deleted    *bool   `json:"deleted"`
}

// identity checks that a 2xx body is about the file that was asked for:
// GET /media/123 must return file 123, not any well-formed file. It returns
// "" when the body matches.
func identity(req *request, body []byte) string {
	var b identityBody
	if err := json.Unmarshal(body, &b); err != nil {
		return "body is not a JSON object: " + err.Error()
	}
	switch req.op {
	case OpGet:
		return wantID("id", b.ID, req.id)
	case OpGetExternal:
		return first(wantID("id", b.ID, req.id), wantString("externalId", b.ExternalID, req.externalID))
	case OpLink:
		return first(wantID("mediaId", b.MediaID, req.id),
			wantString("externalId", b.ExternalID, req.externalID), wantTrue("linked", b.Linked))
	case OpUnlink:
		return first(wantID("mediaId", b.MediaID, req.id),
			wantString("externalId", b.ExternalID, req.externalID), wantTrue("unlinked", b.Unlinked))
	case OpDelete:
		return wantTrue("deleted", b.Deleted)
	}
	return ""
}

func wantID(name string, got *int64, want int64) string {
	switch {
	case got == nil:
		return fmt.Sprintf("%s missing, want %d", name, want)
	case *got != want:
		return fmt.Sprintf("%s is %d, want %d", name, *got, want)
	}
	return ""
}

func wantString(name string, got *string, want string) string {
	switch {
	case got == nil:
		return fmt.Sprintf("%s missing or null, want %q", name, want)
	case *got != want:
		return fmt.Sprintf("%s is %q, want %q", name, *got, want)
	}
	return ""
}

func wantTrue(name string, got *bool) string {
	if got == nil || !*got {
		return name + " is not true"
	}
	return ""
}

func first(msgs ...string) string {
	for _, m := range msgs {
		if m != "" {
			return m
		}
	}
	return ""
}

// jsonBody marshals a request body once, when a scenario is built.
func jsonBody(v map[string]string) []byte {
	b, _ := json.Marshal(v) // a map of strings always marshals
	return b
}

// classify names the operation of a saved result from its method and URL,
// for results read back from a file, where no scenario registry exists.
func classify(method, u string) Operation {
	i := strings.Index(u, "/media/")
	if i < 0 {
		return opUnknown
	}
	rest := u[i+len("/media/"):]
	if q := strings.IndexByte(rest, '?'); q >= 0 {
		rest = rest[:q]
	}
	switch {
	case strings.HasPrefix(rest, "external/"):
		if method == http.MethodGet {
			return OpGetExternal
		}
	case strings.HasSuffix(rest, "/link"):
		switch method {
		case http.MethodPost:
			return OpLink
		case http.MethodDelete:
			return OpUnlink
		}
	case !strings.Contains(rest, "/"):
		switch method {
		case http.MethodGet:
			return OpGet
		case http.MethodDelete:
			return OpDelete
		}
	}
	return opUnknown
}

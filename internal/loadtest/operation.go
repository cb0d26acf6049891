package loadtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// operation is one kind of request a scenario sends, named by its
// operationId in the contract.
type operation string

// The operations the scenarios use.
const (
	opGet         operation = "getMedia"
	opGetExternal operation = "getMediaByExternalId"
	opLink        operation = "linkExternalId"
	opUnlink      operation = "unlinkExternalId"
	opDelete      operation = "deleteMedia"
	opUnknown     operation = "unknown"
)

// expected lists the statuses each operation must answer when every request
// is valid, as the scenarios make them. 201 for a link is the contract's
// inferred alternative.
var expected = map[operation][]int{
	opGet:         {200},
	opGetExternal: {200},
	opLink:        {200, 201},
	opUnlink:      {200},
	opDelete:      {200},
}

func (o operation) expects(code int) bool {
	for _, c := range expected[o] {
		if c == code {
			return true
		}
	}
	return false
}

// outcome sorts a response by what it says about the target.
type outcome int

// Outcomes, apart so that reports never add one kind to another.
const (
	outcomeExpected   outcome = iota // a status the operation expects
	outcomeTransport                 // no response: connection refused, timeout, reset
	outcomeLimited                   // 429 Too Many Requests
	outcomeUnexpected                // any other status
)

var outcomeNames = [...]string{"expected", "transport", "rate-limited", "unexpected"}

func (o outcome) String() string { return outcomeNames[o] }

func outcomeOf(r *vegeta.Result, op operation) outcome {
	switch {
	case r.Code == 0:
		return outcomeTransport
	case r.Code == http.StatusTooManyRequests:
		return outcomeLimited
	case op.expects(int(r.Code)):
		return outcomeExpected
	}
	return outcomeUnexpected
}

// request is what a scenario knows about a request it builds, so that the
// response can be checked without parsing the URL again.
type request struct {
	op         operation
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
	case opGet:
		return wantID("id", b.ID, req.id)
	case opGetExternal:
		return first(wantID("id", b.ID, req.id), wantString("externalId", b.ExternalID, req.externalID))
	case opLink:
		return first(wantID("mediaId", b.MediaID, req.id),
			wantString("externalId", b.ExternalID, req.externalID), wantTrue("linked", b.Linked))
	case opUnlink:
		return first(wantID("mediaId", b.MediaID, req.id),
			wantString("externalId", b.ExternalID, req.externalID), wantTrue("unlinked", b.Unlinked))
	case opDelete:
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
func classify(method, u string) operation {
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
			return opGetExternal
		}
	case strings.HasSuffix(rest, "/link"):
		switch method {
		case http.MethodPost:
			return opLink
		case http.MethodDelete:
			return opUnlink
		}
	case !strings.Contains(rest, "/"):
		switch method {
		case http.MethodGet:
			return opGet
		case http.MethodDelete:
			return opDelete
		}
	}
	return opUnknown
}

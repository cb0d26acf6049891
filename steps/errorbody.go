package steps

import (
	"encoding/json"
	"net/http"

	"github.com/rentix/mediaharness/internal/client"
)

// errorBody is the documented error format.
type errorBody struct {
	StatusCode *int            `json:"statusCode"`
	Message    json.RawMessage `json:"message"`
	Error      *string         `json:"error"`
}

// errorAnswer is an error answer read and checked against the format.
type errorAnswer struct {
	messages []string
	list     bool
	raw      json.RawMessage
}

// reasonPhrase is the standard reason phrase of a status; RFC 9110 renamed
// 413, and the API uses the new name.
func reasonPhrase(status int) string {
	if status == http.StatusRequestEntityTooLarge {
		return "Payload Too Large"
	}
	return http.StatusText(status)
}

// errorAnswer reads resp as an error: a 4xx (never a 5xx, never a success)
// whose body has statusCode equal to the status, error equal to its reason
// phrase, and message a string or a list of strings.
func (s *state) errorAnswer(resp *client.Response) (errorAnswer, error) {
	if resp.Status < 400 || resp.Status > 499 {
		return errorAnswer{}, s.failure(resp, "an error answer's status", "a client error (4xx)", resp.Status)
	}
	var b errorBody
	if err := resp.Decode(&b); err != nil {
		return errorAnswer{}, s.failure(resp, "the error body", `{"statusCode", "message", "error"}`, err)
	}
	switch {
	case b.StatusCode == nil || *b.StatusCode != resp.Status:
		return errorAnswer{}, s.failure(resp, "statusCode repeats the HTTP status", resp.Status, deref(b.StatusCode))
	case b.Error == nil || *b.Error != reasonPhrase(resp.Status):
		return errorAnswer{}, s.failure(resp, "error is the reason phrase of the status", reasonPhrase(resp.Status), deref(b.Error))
	}
	if len(b.Message) == 0 || string(b.Message) == "null" {
		return errorAnswer{}, s.failure(resp, "message", "a string or a list of strings", "(missing)")
	}
	e := errorAnswer{raw: b.Message}
	var one string
	if err := json.Unmarshal(b.Message, &one); err == nil {
		e.messages = []string{one}
		return e, nil
	}
	if err := json.Unmarshal(b.Message, &e.messages); err != nil {
		return errorAnswer{}, s.failure(resp, "message", "a string or a list of strings", string(b.Message))
	}
	e.list = true
	return e, nil
}

func deref[T any](p *T) any {
	if p == nil {
		return "(missing)"
	}
	return *p
}

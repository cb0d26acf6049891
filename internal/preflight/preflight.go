// Package preflight checks, before a run makes anything, that the target is
// there, speaks this API and takes the key, so a wrong base URL or key ends
// in one line instead of a run of failures.
package preflight

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/rentix/mediaharness/internal/client"
)

// Timeout bounds the check, a 429 wait included.
const Timeout = 90 * time.Second

// Check asks GET /agency with the primary key: the cheapest call that
// proves the target is there, speaks this API and takes the key. Every
// problem is one line (the client redacts the key); callers report it as a
// configuration error.
func Check(ctx context.Context, c *client.Client, key string) error {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	resp, err := c.Do(ctx, client.Request{Method: http.MethodGet, Path: "/agency", Key: key})
	where := "GET " + c.BaseURL() + "/agency"
	var ce *client.ContractError
	switch {
	case err != nil && !errors.As(err, &ce):
		return &unreachable{msg: fmt.Sprintf("cannot reach the target: %s: %s", where, oneLine(err.Error())), err: err}
	case resp.Status == http.StatusUnauthorized:
		return fmt.Errorf("the target refused the API key: %s answered 401%s; check --api-key (RENTIX_API_KEY)", where, apiMessage(resp.Body))
	case resp.Status == http.StatusForbidden:
		return fmt.Errorf("the API key's agency cannot use the API: %s answered 403%s", where, apiMessage(resp.Body))
	case resp.Status == http.StatusNotFound:
		return fmt.Errorf("%s answered 404: is --base-url the API root, e.g. https://crm.rentix.md/api/v1?", where)
	case resp.Status < 200 || resp.Status > 299:
		return fmt.Errorf("the target is not answering normally: %s answered %d%s", where, resp.Status, apiMessage(resp.Body))
	case !isJSONObject(resp.Body):
		return fmt.Errorf("%s answered %d without a JSON object: is --base-url the Rentix Media API?", where, resp.Status)
	}
	return nil
}

// apiMessage is ` ("<message>")` from an error body in the API's format.
func apiMessage(body []byte) string {
	var e struct {
		Message any `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil || e.Message == nil {
		return ""
	}
	return fmt.Sprintf(" (%v)", e.Message)
}

func isJSONObject(b []byte) bool {
	var v map[string]any
	return json.Unmarshal(b, &v) == nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// unreachable is a preflight request that got no usable answer: one line of
// text, unwrapping to the client's error (say, a wait past the deadline).
type unreachable struct {
	msg string
	err error
}

func (e *unreachable) Error() string { return e.msg }
func (e *unreachable) Unwrap() error { return e.err }

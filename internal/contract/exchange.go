// Package contract checks HTTP exchanges with the Rentix Media API against the
// OpenAPI contract in openapi/ and turns every broken rule into a Finding.
package contract

import "net/http"

// Exchange is one request and the response it got, as raw data, so it can be
// checked on the spot or later off a load test's timing path.
type Exchange struct {
	Method string
	// Path is relative to the API root (the base URL, e.g. .../api/v1) and
	// includes the query: "/media/123", "/job/status?id=7".
	Path           string
	RequestHeader  http.Header
	RequestBody    []byte
	Status         int
	ResponseHeader http.Header
	ResponseBody   []byte
	// SkipRequest marks a deliberately invalid request (a wrong content type,
	// malformed JSON): only the response is checked.
	SkipRequest bool
}

package refserver

import (
	"encoding/json"
	"net/http"
)

// Messages of the documented errors (rentix-api.md).
const (
	msgMultipleAuth   = "Multiple authentication methods provided"
	msgKeyRequired    = "API key is required"
	msgInvalidKey     = "Invalid API key"
	msgSuspended      = "Agency is suspended"
	msgCRMDisabled    = "CRM is not enabled for this agency"
	msgFileNotFound   = "File not found"
	msgJobNotFound    = "Job not found"
	msgExternalTaken  = "External ID already linked"
	msgHasExternal    = "File already has external ID"
	msgNoExternal     = "File has no external ID"
	msgBadID          = "id must be a positive integer"
	msgTooLarge       = "request entity too large"
	msgNotJSON        = "Content-Type must be application/json"
	msgMalformedJSON  = "body must be valid JSON"
	msgNotObject      = "body must be a JSON object"
	msgRateLimited    = "Too many requests"
	msgRouteNotFound  = "Cannot %s %s"
	msgStorageMissing = "File not found"
	msgInternal       = "Internal server error"
)

// apiError is an error answer: the status and the message of the body.
type apiError struct {
	status  int
	message any // a string, or []string for request validation
}

var (
	errMultipleAuth = &apiError{http.StatusBadRequest, msgMultipleAuth}
	errKeyRequired  = &apiError{http.StatusUnauthorized, msgKeyRequired}
	errInvalidKey   = &apiError{http.StatusUnauthorized, msgInvalidKey}
	errSuspended    = &apiError{http.StatusForbidden, msgSuspended}
	errCRMDisabled  = &apiError{http.StatusForbidden, msgCRMDisabled}
	errFileNotFound = &apiError{http.StatusNotFound, msgFileNotFound}
	errJobNotFound  = &apiError{http.StatusNotFound, msgJobNotFound}
	errTaken        = &apiError{http.StatusConflict, msgExternalTaken}
	errHasExternal  = &apiError{http.StatusConflict, msgHasExternal}
	errNoExternal   = &apiError{http.StatusBadRequest, msgNoExternal}
	errBadID        = &apiError{http.StatusBadRequest, msgBadID}
	// errInternal is what a panic, or an unmapped exception, becomes.
	errInternal = &apiError{http.StatusInternalServerError, msgInternal}
)

// errorBody is the error format of every failed API call.
type errorBody struct {
	StatusCode int    `json:"statusCode"`
	Message    any    `json:"message"`
	Error      string `json:"error"`
}

// reason is the reason phrase of status as NestJS names it (Go says
// "Request Entity Too Large" for 413).
func reason(status int) string {
	if status == http.StatusRequestEntityTooLarge {
		return "Payload Too Large"
	}
	return http.StatusText(status)
}

func (e *apiError) write(w http.ResponseWriter) {
	writeError(w, e.status, e.message)
}

func writeError(w http.ResponseWriter, status int, message any) {
	body, _ := json.Marshal(errorBody{StatusCode: status, Message: message, Error: reason(status)})
	writeJSON(w, status, body)
}

// validationError answers 400 with the messages as an array, NestJS style.
func validationError(w http.ResponseWriter, messages ...string) {
	writeError(w, http.StatusBadRequest, messages)
}

// Shared header values: net/http only reads them.
var jsonContentType = []string{"application/json; charset=utf-8"}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header()["Content-Type"] = jsonContentType
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// marshalJSON writes v as JSON. Its types never fail to marshal.
func marshalJSON(w http.ResponseWriter, status int, v any) {
	body, _ := json.Marshal(v)
	writeJSON(w, status, body)
}

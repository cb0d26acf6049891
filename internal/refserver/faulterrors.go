package refserver

import (
	"encoding/json"
	"net/http"
)

// Error answers that faults give instead of the documented ones.

var (
	// errForbiddenFile is what an ownership check that runs after the
	// lookup answers: it tells the caller that the file exists.
	errForbiddenFile = &apiError{http.StatusForbidden, "You do not have access to this file"}
	// errUnauthorized is NestJS's bare UnauthorizedException.
	errUnauthorized = &apiError{http.StatusUnauthorized, "Unauthorized"}
	// errUnavailable is a shed request.
	errUnavailable = &apiError{http.StatusServiceUnavailable, "Service Unavailable"}
)

// writeBareError writes {"error": message}: a hand-rolled error without
// statusCode and message.
func writeBareError(w http.ResponseWriter, status int, message string) {
	marshalJSON(w, status, struct {
		Error string `json:"error"`
	}{message})
}

// writeErrorClaiming writes e with the status line right but the body
// claiming another status, as an exception class mapped to the wrong code.
func writeErrorClaiming(w http.ResponseWriter, e *apiError, claimed int) {
	body, _ := json.Marshal(errorBody{StatusCode: claimed, Message: e.message, Error: reason(claimed)})
	writeJSON(w, e.status, body)
}

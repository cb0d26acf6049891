package loadtest

import (
	"net/http"

	"github.com/rentix/mediaharness/internal/config"
)

// attackHeader is what every attack request carries: the target's extra
// headers and the primary key.
func attackHeader(t config.Target) http.Header {
	h := t.Headers.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("Authorization", "ApiKey "+t.APIKey)
	return h
}

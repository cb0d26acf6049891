package refserver

import (
	"net/http"
	"strings"
)

// apiHandler serves one operation for an authenticated agency.
type apiHandler func(w http.ResponseWriter, r *http.Request, a *agency)

// credentials is what the request says about its key: a key, or the error
// that the way it was sent deserves.
type credentials struct {
	key string
	err *apiError
}

// readCredentials accepts exactly one of "Authorization: ApiKey <key>" and
// "X-API-Key: <key>". A header that is present counts, even when empty.
func (s *Server) readCredentials(h http.Header) credentials {
	authz, hasAuthz := h["Authorization"]
	xkey, hasXKey := h["X-Api-Key"]
	hasAuthz = hasAuthz && !s.fault(faultAuthAuthorizationIgnored)
	hasXKey = hasXKey && !s.fault(faultAuthXAPIKeyIgnored)
	switch {
	case hasAuthz && hasXKey && !s.fault(faultAuthBothAccepted):
		return credentials{err: errMultipleAuth}
	case hasXKey:
		return keyOrRequired(xkey[0])
	case hasAuthz:
		scheme, key, _ := strings.Cut(strings.TrimSpace(authz[0]), " ")
		if strings.EqualFold(scheme, "Bearer") && s.fault(faultAuthBearerAccepted) {
			scheme = "ApiKey" // a token under any scheme taken for a key
		}
		if !strings.EqualFold(scheme, "ApiKey") {
			return credentials{err: errKeyRequired} // another scheme carries no API key
		}
		return keyOrRequired(key)
	}
	return credentials{err: errKeyRequired}
}

func keyOrRequired(key string) credentials {
	key = strings.TrimSpace(key)
	if key == "" {
		return credentials{err: errKeyRequired}
	}
	return credentials{key: key}
}

// identify finds the agency of the request's key, or the authentication error.
func (s *Server) identify(r *http.Request) (*agency, *apiError) {
	c := s.readCredentials(r.Header)
	if c.err == errKeyRequired && s.fault(faultAuthMissingKeyAccepted) {
		return s.agencies[s.cfg.Keys.Primary], nil // falls back to the default agency
	}
	if c.err != nil {
		return nil, c.err
	}
	a, ok := s.agencies[c.key]
	if !ok {
		if s.fault(faultAuthInvalidKeyMessage) {
			return nil, errUnauthorized
		}
		return nil, errInvalidKey
	}
	return a, nil
}

// authed wraps h with the rate limit and authentication. The limit counts per
// known key, otherwise per client IP, and is taken before authentication so
// that auth errors carry the rate-limit headers too.
func (s *Server) authed(h apiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, authErr := s.identify(r)
		if !s.admit(w, r, a) {
			return
		}
		if authErr == nil {
			authErr = a.access()
		}
		if authErr != nil {
			authErr.write(w)
			return
		}
		if s.panicOn != nil && s.panicOn(r) {
			panic("refserver: panicOn test hook")
		}
		h(w, r, a)
	})
}

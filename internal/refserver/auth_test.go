package refserver

import (
	"net/http"
	"testing"
)

func TestAuth_Cases(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	k := e.keys
	tests := []struct {
		name    string
		auth    authStyle
		key     string
		header  map[string]string
		status  int
		message string
	}{
		{"ApiKey header", authAPIKey, k.Primary, nil, http.StatusOK, ""},
		{"X-API-Key header", authXKey, k.Primary, nil, http.StatusOK, ""},
		{"scheme in lower case", authNone, "", map[string]string{"Authorization": "apikey " + k.Other}, http.StatusOK, ""},
		{"both headers", authBoth, k.Primary, nil, http.StatusBadRequest, msgMultipleAuth},
		{"both headers, unknown key", authBoth, "nope", nil, http.StatusBadRequest, msgMultipleAuth},
		{"no key", authNone, "", nil, http.StatusUnauthorized, msgKeyRequired},
		{"empty X-API-Key", authXKey, "", nil, http.StatusUnauthorized, msgKeyRequired},
		{"ApiKey without key", authNone, "", map[string]string{"Authorization": "ApiKey"}, http.StatusUnauthorized, msgKeyRequired},
		{"Bearer scheme", authBearer, k.Primary, nil, http.StatusUnauthorized, msgKeyRequired},
		{"unknown key", authAPIKey, "rx_unknown", nil, http.StatusUnauthorized, msgInvalidKey},
		{"unknown key in X-API-Key", authXKey, "rx_unknown", nil, http.StatusUnauthorized, msgInvalidKey},
		{"suspended agency", authAPIKey, k.Suspended, nil, http.StatusForbidden, msgSuspended},
		{"CRM disabled", authXKey, k.CRMDisabled, nil, http.StatusForbidden, msgCRMDisabled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(call{method: http.MethodGet, path: "/agency", key: tt.key, auth: tt.auth, header: tt.header})
			if tt.status == http.StatusOK {
				r.wantStatus(t, http.StatusOK)
				return
			}
			r.wantError(t, tt.status, tt.message)
		})
	}
}

// Every operation checks the key before anything else about the request.
func TestAuth_EveryOperation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	ops := []call{
		{method: http.MethodPost, path: "/media/upload-from-url", json: map[string]string{"url": "http://example.com/a.jpg"}},
		{method: http.MethodGet, path: "/job/status?id=1"},
		{method: http.MethodGet, path: "/media/1"},
		{method: http.MethodDelete, path: "/media/1"},
		{method: http.MethodGet, path: "/media/external/x"},
		{method: http.MethodDelete, path: "/media/external/x"},
		{method: http.MethodPost, path: "/media/1/link", json: map[string]string{"externalId": "x"}},
		{method: http.MethodDelete, path: "/media/1/link"},
		{method: http.MethodGet, path: "/agency"},
	}
	for _, op := range ops {
		none, suspended, noCRM := op, op, op
		none.auth = authNone
		e.do(none).wantError(t, http.StatusUnauthorized, msgKeyRequired)
		suspended.key = e.keys.Suspended
		e.do(suspended).wantError(t, http.StatusForbidden, msgSuspended)
		noCRM.key = e.keys.CRMDisabled
		e.do(noCRM).wantError(t, http.StatusForbidden, msgCRMDisabled)
	}
}

func TestAgency_Profile(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	type profile struct {
		ID           int64  `json:"id"`
		Name         string `json:"name"`
		Status       string `json:"status"`
		IsCrmEnabled bool   `json:"isCrmEnabled"`
		Limits       struct {
			MonthlyListings struct {
				Used  *int `json:"used"`
				Limit *int `json:"limit"`
			} `json:"monthlyListings"`
		} `json:"limits"`
	}
	var p, o profile
	e.get(e.keys.Primary, "/agency").decode(t, &p)
	e.get(e.keys.Other, "/agency").decode(t, &o)
	if p.ID == o.ID || p.Name == o.Name {
		t.Errorf("two keys answer the same agency: %+v, %+v", p, o)
	}
	for _, a := range []profile{p, o} {
		if a.Status != "active" || !a.IsCrmEnabled || a.Limits.MonthlyListings.Used == nil || a.Limits.MonthlyListings.Limit == nil {
			t.Errorf("profile %+v", a)
		}
	}
}

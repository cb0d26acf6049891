package client

import (
	"context"
	"io"
	"net/http"
	"testing"
)

func TestClient_AuthStyles(t *testing.T) {
	t.Parallel()
	const key = "k-123"
	tests := []struct {
		auth          AuthStyle
		authorization string
		xAPIKey       string
	}{
		{AuthAPIKeyHeader, "ApiKey k-123", ""},
		{AuthXAPIKey, "", "k-123"},
		{AuthBoth, "ApiKey k-123", "k-123"},
		{AuthNone, "", ""},
		{AuthOtherScheme, "Bearer k-123", ""},
	}
	for _, tt := range tests {
		t.Run(tt.auth.String(), func(t *testing.T) {
			t.Parallel()
			got := make(chan http.Header, 1)
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				got <- r.Header.Clone()
				writeJSON(w, 200, `{}`)
			})
			c := mustNew(t, Options{BaseURL: srv.URL + "/api/v1"})
			if _, err := c.Do(context.Background(), Request{Method: "GET", Path: "/agency", Key: key, Auth: tt.auth}); err != nil {
				t.Fatal(err)
			}
			h := <-got
			if a := h.Values("Authorization"); !sameOrAbsent(a, tt.authorization) {
				t.Errorf("%v: Authorization = %q, want %q", tt.auth, a, tt.authorization)
			}
			if x := h.Values("X-Api-Key"); !sameOrAbsent(x, tt.xAPIKey) {
				t.Errorf("%v: X-API-Key = %q, want %q", tt.auth, x, tt.xAPIKey)
			}
		})
	}
}

// sameOrAbsent: want "" means the header must be absent, else exactly one value.
func sameOrAbsent(got []string, want string) bool {
	if want == "" {
		return len(got) == 0
	}
	return len(got) == 1 && got[0] == want
}

func TestClient_Do_keepsBasePrefixAndEscapedPath(t *testing.T) {
	t.Parallel()
	got := make(chan string, 1)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		got <- r.URL.EscapedPath() + "?" + r.URL.RawQuery
		writeJSON(w, 200, `{}`)
	})
	c := mustNew(t, Options{BaseURL: srv.URL + "/prefix/api/v1/"})
	if _, err := c.Do(context.Background(), Request{Method: "GET", Path: "/media/external/a%2Fb%20c?x=1"}); err != nil {
		t.Fatal(err)
	}
	if p, want := <-got, "/prefix/api/v1/media/external/a%2Fb%20c?x=1"; p != want {
		t.Errorf("path = %q, want %q", p, want)
	}
}

func TestClient_Do_body(t *testing.T) {
	t.Parallel()
	type seen struct {
		contentType []string
		body        string
	}
	got := make(chan seen, 1)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Header.Values("Content-Type"), string(b)}
		writeJSON(w, 201, `{}`)
	})
	c := mustNew(t, Options{BaseURL: srv.URL})
	tests := []struct {
		name string
		req  Request
		ct   []string
		body string
	}{
		{"json", Request{JSON: map[string]string{"url": "u"}}, []string{"application/json"}, `{"url":"u"}`},
		{"raw body wins", Request{Body: []byte("x"), JSON: 1}, nil, "x"},
		{"header overrides", Request{JSON: 1, Header: http.Header{"Content-Type": {"text/plain"}}}, []string{"text/plain"}, "1"},
		{"header removes", Request{JSON: 1, Header: http.Header{"Content-Type": nil}}, nil, "1"},
	}
	for _, tt := range tests {
		tt.req.Method, tt.req.Path = "POST", "/media/upload-from-url"
		if _, err := c.Do(context.Background(), tt.req); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		s := <-got
		if len(s.contentType) != len(tt.ct) || (len(tt.ct) == 1 && s.contentType[0] != tt.ct[0]) || s.body != tt.body {
			t.Errorf("%s: sent Content-Type %q body %q, want %q %q", tt.name, s.contentType, s.body, tt.ct, tt.body)
		}
	}
}

func TestNew_rejectsBadBaseURL(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"", "/api/v1", "ftp://h/api", "http://h/api?x=1", "http://[::1"} {
		if _, err := New(Options{BaseURL: base}); err == nil {
			t.Errorf("New(BaseURL %q) = nil error, want one", base)
		}
	}
	if _, err := New(Options{BaseURL: "http://h", MaxRPS: -1}); err == nil {
		t.Error("New(MaxRPS -1) = nil error, want one")
	}
}

func TestClient_Do_rejectsRelativePath(t *testing.T) {
	t.Parallel()
	c := mustNew(t, Options{BaseURL: "http://127.0.0.1:1/api/v1"})
	if _, err := c.Do(context.Background(), Request{Method: "GET", Path: "media/1"}); err == nil {
		t.Error("Do(path without /) = nil error, want one")
	}
}

func TestNew_typedNilValidatorMeansNoChecks(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{}`) })
	var v *fakeChecker
	c := mustNew(t, Options{BaseURL: srv.URL, Validator: v})
	if _, err := c.Do(context.Background(), Request{Method: "GET", Path: "/agency"}); err != nil {
		t.Fatal(err)
	}
}

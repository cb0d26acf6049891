package preflight

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/refserver"
)

// answer is a target that gives every request the same answer.
func answer(t *testing.T, status int, contentType, body string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/api/v1"
}

func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/api/v1"
}

func check(t *testing.T, base, key string) error {
	c, err := client.New(client.Options{BaseURL: base, Secrets: []string{key}, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return Check(context.Background(), c, key)
}

// Every way a target can be wrong is one line that names it, without the key.
func TestCheck_Problems(t *testing.T) {
	const key = "rx_preflight_secret_0123456789"
	for _, tc := range []struct {
		name, base, want string
	}{
		{"nothing listens", closedPort(t), "cannot reach the target"},
		{"key refused", answer(t, 401, "application/json", `{"statusCode":401,"message":"Invalid API key","error":"Unauthorized"}`),
			"refused the API key: GET http"},
		{"agency suspended", answer(t, 403, "application/json", `{"statusCode":403,"message":"Agency is suspended","error":"Forbidden"}`),
			"(Agency is suspended)"},
		{"wrong root", answer(t, 404, "text/html", "<h1>Not Found</h1>"), "is --base-url the API root"},
		{"not this API", answer(t, 200, "text/html", "<html>welcome</html>"), "without a JSON object"},
		{"server error", answer(t, 503, "text/plain", "down"), "answered 503"},
	} {
		err := check(t, tc.base, key)
		switch {
		case err == nil:
			t.Errorf("%s: passed, want an error", tc.name)
		case !strings.Contains(err.Error(), tc.want):
			t.Errorf("%s: error = %q, want it to contain %q", tc.name, err, tc.want)
		case strings.Contains(err.Error(), key):
			t.Errorf("%s: error shows the key: %q", tc.name, err)
		case strings.Contains(err.Error(), "\n"):
			t.Errorf("%s: error is not one line: %q", tc.name, err)
		}
	}
}

func TestCheck_ReferenceServerPasses(t *testing.T) {
	srv, err := refserver.Listen(refserver.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	if err := check(t, srv.BaseURL, srv.Target().APIKey); err != nil {
		t.Errorf("the reference server failed the check: %v", err)
	}
}

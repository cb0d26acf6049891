package conform

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/rentix/mediaharness/internal/config"
)

// TestRun_PreflightErrors: a target that is not there or refuses the key
// stops the run before any report directory is made (internal/preflight
// tests every kind of wrong target).
func TestRun_PreflightErrors(t *testing.T) {
	const key = "rx_preflight_secret_0123456789"
	answer := func(status int, contentType, body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return srv.URL + "/api/v1"
	}
	closed := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		return "http://" + addr + "/api/v1"
	}()
	for _, tc := range []struct {
		name, base, want string
	}{
		{"nothing listens", closed, "cannot reach the target"},
		{"key refused", answer(401, "application/json", `{"statusCode":401,"message":"Invalid API key","error":"Unauthorized"}`),
			"refused the API key: GET " + "http"},
	} {
		dir := t.TempDir()
		o := Options{Target: config.Target{BaseURL: tc.base, APIKey: key, MaxRPS: 1000}, ReportDir: dir}
		_, err := run(context.Background(), o, fakeSuite(map[string]string{"x.feature": mixedFeature}, newFakeSteps()))
		switch {
		case err == nil:
			t.Errorf("%s: run succeeded, want a preflight error", tc.name)
		case !strings.Contains(err.Error(), tc.want):
			t.Errorf("%s: error = %q, want it to contain %q", tc.name, err, tc.want)
		case strings.Contains(err.Error(), key):
			t.Errorf("%s: error shows the key: %q", tc.name, err)
		case strings.Contains(err.Error(), "\n"):
			t.Errorf("%s: error is not one line: %q", tc.name, err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("%s: a failed preflight left files in the report dir: %v", tc.name, entries)
		}
	}
}

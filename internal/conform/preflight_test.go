package conform

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rentix/mediaharness/internal/config"
)

// TestRun_PreflightErrors: a target that is not there stops the run before
// any report directory is made (internal/preflight tests every kind of
// wrong target).
func TestRun_PreflightErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/api/v1"
	ln.Close()
	dir := t.TempDir()
	o := Options{Target: config.Target{BaseURL: closed, APIKey: "rx_preflight_secret_0123456789", MaxRPS: 1000}, ReportDir: dir}
	_, err = run(context.Background(), o, fakeSuite(map[string]string{"x.feature": mixedFeature}, newFakeSteps()))
	if err == nil || !strings.Contains(err.Error(), "cannot reach the target") {
		t.Errorf("run error %v; want the preflight's: cannot reach the target", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed preflight left files in the report dir: %v", entries)
	}
}

// The run deadline covers the preflight: a target whose rate limit resets
// an hour from now stops the run at once with the deadline named, instead
// of being waited out silently.
func TestRun_DeadlineCoversThePreflight(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.Header().Set("X-RateLimit-Limit", "300")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"statusCode":429,"message":"Too Many Requests","error":"Too Many Requests"}`))
	}))
	defer hs.Close()
	o := Options{Target: config.Target{BaseURL: hs.URL + "/api/v1", APIKey: "rx_preflight_secret_0123456789", MaxRPS: 1000},
		ReportDir: t.TempDir(), RunDeadline: 5 * time.Second}
	_, err := run(context.Background(), o, fakeSuite(map[string]string{"x.feature": mixedFeature}, newFakeSteps()))
	if err == nil || !strings.Contains(err.Error(), "run deadline of 5s passed in the preflight") {
		t.Errorf("run error %v; want the preflight stopped by the run deadline", err)
	}
}

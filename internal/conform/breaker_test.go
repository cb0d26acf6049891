package conform

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/report"
)

// A target that keeps refusing (here: 503 to everything after the
// preflight) stops the run once half of the last requests were refused:
// the scenarios not started are not run, and the verdict says why.
func TestRun_StopsATargetThatKeepsRefusing(t *testing.T) {
	l := startLoopback(t, "rx_breaker_primary_0123456789")
	var calls atomic.Int64
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			l.srv.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"statusCode":503,"message":"down","error":"Service Unavailable"}`))
	}))
	defer hs.Close()
	var feat strings.Builder
	feat.WriteString("Feature: Refused\n")
	for i := range 30 {
		fmt.Fprintf(&feat, "  Scenario: ask %d\n    When I ask for the agency\n    Then it answers 200\n", i)
	}
	o := Options{Target: config.Target{BaseURL: hs.URL + "/api/v1", APIKey: l.keys.Primary, MaxRPS: 1000}}
	res, out := runFake(t, context.Background(), o, fakeSuite(map[string]string{"refused.feature": feat.String()}, newFakeSteps()))
	if !res.Interrupted || res.Verdict.Passed() || res.Verdict != report.Interrupted {
		t.Fatalf("interrupted=%v passed=%v verdict=%s, want true 1 interrupted\n%s", res.Interrupted, res.Verdict.Passed(), res.Verdict, out)
	}
	if !strings.Contains(res.Summary.Interruption, "keeps refusing") || !strings.Contains(out, "stopping the run") {
		t.Errorf("interruption %q; want the target that keeps refusing named, and the stop printed:\n%s", res.Summary.Interruption, out)
	}
	if sent := calls.Load(); sent > 15 {
		t.Errorf("%d requests sent to a target refusing every one, want the run stopped after about 10", sent)
	}
}

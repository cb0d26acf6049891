package conform

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rentix/mediaharness/internal/report"
)

// driftingTarget is a reference server whose GET /agency answers carry a
// property the contract does not mention.
func driftingTarget(t *testing.T) *loopbackServer {
	t.Helper()
	lb := startLoopback(t, "")
	up, _ := url.Parse(lb.http.URL)
	proxy := httputil.NewSingleHostReverseProxy(up)
	proxy.ModifyResponse = func(r *http.Response) error {
		if r.Request.URL.Path != "/api/v1/agency" || r.StatusCode != http.StatusOK {
			return nil
		}
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(r.Body)
		body := strings.Replace(buf.String(), "{", `{"plan":"gold",`, 1)
		r.Body = io.NopCloser(strings.NewReader(body))
		r.ContentLength = int64(len(body))
		r.Header.Del("Content-Length")
		return nil
	}
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	return &loopbackServer{srv: lb.srv, http: front, keys: lb.keys}
}

func TestRun_DriftIsLoggedAndFailsOnlyWhenStrict(t *testing.T) {
	lb := driftingTarget(t)
	feat := `Feature: Agency
  Scenario: the agency answers
    When I ask for the agency
    Then it answers 200

  Scenario: asked again
    When I ask for the agency
    Then it answers 200
`
	for _, strict := range []bool{false, true} {
		res, _ := runFake(t, context.Background(), Options{Target: lb.target(), Strict: strict},
			fakeSuite(map[string]string{"agency.feature": feat}, newFakeSteps()))
		drift := res.Summary.Drift
		if len(drift) != 1 || drift[0].Operation != "getAgency" || !strings.Contains(drift[0].Pointer+drift[0].Message, "plan") {
			t.Fatalf("strict=%v: drift = %+v, want one getAgency finding about \"plan\"", strict, drift)
		}
		if drift[0].Count < 3 {
			t.Errorf("strict=%v: drift seen %d times, want it counted once per answer (preflight + 2)", strict, drift[0].Count)
		}
		wantPassed, wantVerdict := true, report.Pass
		if strict {
			wantPassed, wantVerdict = false, report.Fail
		}
		if res.Verdict.Passed() != wantPassed || res.Verdict != wantVerdict {
			t.Errorf("strict=%v: passed %v verdict %s, want %v %s", strict, res.Verdict.Passed(), res.Verdict, wantPassed, wantVerdict)
		}
		data, err := os.ReadFile(filepath.Join(res.Dir, DriftFile))
		if err != nil || !strings.Contains(string(data), "plan") {
			t.Errorf("strict=%v: drift.json lacks the finding (%v):\n%s", strict, err, data)
		}
	}
}

// noLimitOn201 is a reference server whose 201 answers (uploads) lack the
// documented X-RateLimit-Limit header.
func noLimitOn201(t *testing.T) *loopbackServer {
	t.Helper()
	lb := startLoopback(t, "")
	up, _ := url.Parse(lb.http.URL)
	proxy := httputil.NewSingleHostReverseProxy(up)
	proxy.ModifyResponse = func(r *http.Response) error {
		if r.StatusCode == http.StatusCreated {
			r.Header.Del("X-RateLimit-Limit")
		}
		return nil
	}
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	return &loopbackServer{srv: lb.srv, http: front, keys: lb.keys}
}

// 201 is an inferred status choice for an upload, but the rate-limit headers
// are documented on every answer: their absence is a documented failure, in
// an @inferred scenario too, and --inferred=warn does not excuse it.
func TestRun_DocumentedHeaderMissingOnAnInferredStatus(t *testing.T) {
	lb := noLimitOn201(t)
	feat := `Feature: Upload
  Scenario: a plain upload
    Given a fixture is uploaded

  @inferred
  Scenario: an upload in a scenario of our readings
    Given a fixture is uploaded
`
	for _, mode := range []string{InferredFail, InferredWarn} {
		res, out := runFake(t, context.Background(), Options{Target: lb.target(), Inferred: mode},
			fakeSuite(map[string]string{"upload.feature": feat}, newFakeSteps()))
		if res.DocumentedFailures != 2 || res.InferredFailures != 0 || res.Verdict.Passed() || res.Verdict != report.Fail {
			t.Errorf("--inferred %s: documented %d inferred %d passed %v verdict %s, want 2 0 false fail\n%s",
				mode, res.DocumentedFailures, res.InferredFailures, res.Verdict.Passed(), res.Verdict, out)
		}
		for _, sc := range res.Summary.Scenarios() {
			if sc.Failure == nil || !strings.Contains(sc.Failure.Message, "X-RateLimit-Limit") || sc.Inferred {
				t.Errorf("--inferred %s: %q: want a documented failure naming X-RateLimit-Limit, got %+v", mode, sc.Name, sc.Failure)
			}
		}
	}
}

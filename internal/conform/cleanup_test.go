package conform

import (
	"bytes"
	"context"
	"github.com/rentix/mediaharness/internal/target"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/refserver"
	"github.com/rentix/mediaharness/internal/report"
)

// TestRun_CleanupFailureFailsTheRun: every scenario passes, but the target
// refuses the deletes at the end: files are left behind, so the run fails
// (exit 1), says so once on stderr and once in the summary, and the ledger
// keeps them for a sweep.
func TestRun_CleanupFailureFailsTheRun(t *testing.T) {
	srv, err := refserver.New(refserver.Config{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte(`{"statusCode":502,"message":"Bad Gateway","error":"Bad Gateway"}`))
			return
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { hs.Close(); srv.Close() })
	keys := srv.Keys()
	feat := "Feature: F\n  Scenario: a file\n    Given a fixture is uploaded\n"
	var stderr bytes.Buffer
	o := Options{Target: config.Target{BaseURL: hs.URL + "/api/v1", APIKey: keys.Primary, MaxRPS: 1000},
		ReportDir: t.TempDir(), Stderr: &stderr}
	res, err := run(context.Background(), o, fakeSuite(map[string]string{"f.feature": feat}, newFakeSteps()))
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed != 1 || res.Verdict.Passed() || res.Verdict != report.Fail || res.CleanupError == nil {
		t.Errorf("passed %d, passed %v, verdict %s, cleanup error %v; want the passing run failed by its leftovers",
			res.Passed, res.Verdict.Passed(), res.Verdict, res.CleanupError)
	}
	ledger := filepath.Join(res.Dir, target.LedgerFile)
	want := "warning: fixture cleanup incomplete (1 failed; all in results.json), the first: delete primary media 1"
	if !strings.HasPrefix(stderr.String(), want) || !strings.Contains(stderr.String(), "mediaharness sweep --ledger "+ledger) {
		t.Errorf("stderr = %q, want it to start %q and name the ledger", stderr.String(), want)
	}
	if n := readOutstanding(t, ledger); n != 1 || srv.MediaCount(keys.Primary) != 1 {
		t.Errorf("ledger lists %d, the server holds %d; want the one file in both", n, srv.MediaCount(keys.Primary))
	}
}

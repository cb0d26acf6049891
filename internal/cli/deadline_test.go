package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rentix/mediaharness/internal/refserver"
)

// TestConform_RunDeadline: a run whose scenarios cannot end (the server
// takes a minute to optimize; the scenario waits for it) stops at
// --run-deadline with exit 3 and says why, and still deletes its fixture.
func TestConform_RunDeadline(t *testing.T) {
	t.Parallel()
	up := startUpstream(t, refserver.Config{OptimizeDelay: time.Minute}, nil)
	features := t.TempDir()
	feature := "Feature: Slow\n  Scenario: a file that takes a minute to be ready\n" +
		"    Given a ready file \"A\"\n    When I get \"A\" by id\n    Then the response status is 200\n"
	if err := os.WriteFile(filepath.Join(features, "slow.feature"), []byte(feature), 0o644); err != nil {
		t.Fatal(err)
	}
	reports := t.TempDir()
	out := invoke(t, append([]string{"conform", "--features", features, "--run-deadline", "3s", "--report-dir", reports},
		up.targetFlags(t, up.http.URL+"/api/v1")...)...)
	if out.code != ExitAborted || !strings.Contains(out.stdout, "stopped early: the run deadline of 3s passed") {
		t.Fatalf("%s\nwant exit 3 and the deadline named", out)
	}
	s := results(t, reports)
	if s.Interruption != "the run deadline of 3s passed" || s.Fixtures.Created != 1 || s.Fixtures.Deleted != 1 {
		t.Errorf("results.json: interruption %q, fixtures %d created %d deleted; want the deadline, one made and deleted",
			s.Interruption, s.Fixtures.Created, s.Fixtures.Deleted)
	}
	if n := up.held(); n != 0 {
		t.Errorf("the server holds %d files after the run", n)
	}
}

// TestLoad_RunDeadline: an attack longer than --run-deadline stops at the
// deadline with exit 3 and says why, and its fixtures are deleted.
func TestLoad_RunDeadline(t *testing.T) {
	t.Parallel()
	up := startUpstream(t, refserver.Config{}, nil)
	reports := t.TempDir()
	out := invoke(t, append([]string{"load", "--scenario", "get", "--rate", "5/s", "--duration", "1m", "--pool-size", "2",
		"--run-deadline", "3s", "--report-dir", reports}, only("load", up.targetFlags(t, up.http.URL+"/api/v1"))...)...)
	if out.code != ExitAborted || !strings.Contains(out.stderr, "the run deadline of 3s passed") {
		t.Fatalf("%s\nwant exit 3 and the deadline named", out)
	}
	if n := up.held(); n != 0 {
		t.Errorf("the server holds %d files after the run", n)
	}
	if ledger := ledgerOf(reports); createdIn(ledger) == 0 {
		t.Errorf("the run made no fixture: the deadline stopped it before the attack, proving less")
	}
}

// TestConform_TargetKeepsFailing: a target that answers 503 to everything
// after the preflight trips the breaker: the run stops with exit 3 ("the
// target is down"), not exit 1 ("the contract broke").
func TestConform_TargetKeepsFailing(t *testing.T) {
	t.Parallel()
	down := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/v1/agency" {
				next.ServeHTTP(w, r)
				return
			}
			http.Error(w, "upstream connect error", http.StatusServiceUnavailable)
		})
	}
	up := startUpstream(t, refserver.Config{}, down)
	out := invoke(t, append([]string{"conform", "--report-dir", t.TempDir()},
		up.targetFlags(t, up.http.URL+"/api/v1")...)...)
	if out.code != ExitAborted || !strings.Contains(out.stderr, "keeps refusing") {
		t.Fatalf("%s\nwant exit 3 and the breaker's reason", out)
	}
}

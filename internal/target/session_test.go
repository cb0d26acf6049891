package target

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/usage"
)

func TestOpen_EmbeddedServerWithRun(t *testing.T) {
	t.Parallel()
	reports := t.TempDir()
	s, err := Open(context.Background(), Options{
		Embedded:  Quick(nil),
		Preflight: true,
		Run:       &RunOptions{ReportDir: reports, ID: "r1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Started || s.BaseURL == "" || s.Target.APIKey == "" || s.Target.RateLimitAPIKey == "" {
		t.Errorf("embedded session: started %v, base %q, keys filled %v", s.Started, s.BaseURL, s.Target.APIKey != "")
	}
	if s.Dir != filepath.Join(reports, "r1") || s.Ledger == nil {
		t.Errorf("run directory %q, ledger %v", s.Dir, s.Ledger)
	}
	if s.Sources.JPEG == "" || s.Sources.Small == "" || s.Sources.NotImage == "" || s.Sources.PNG == "" {
		t.Errorf("a loopback target gets local sources: %+v", s.Sources)
	}
	if !strings.Contains(s.Describe(), "embedded reference server") || !strings.Contains(s.Describe(), "5s") {
		t.Errorf("Describe() = %q", s.Describe())
	}
	if _, err := s.Fixtures(s.Client, "mh-r1"); err != nil {
		t.Error(err)
	}
	base, jpeg := s.BaseURL, s.Sources.JPEG
	s.Close()
	s.Close() // idempotent
	for _, u := range []string{base + "/agency", jpeg} {
		if resp, err := http.Get(u); err == nil {
			resp.Body.Close()
			t.Errorf("%s still answers after Close", u)
		}
	}
	if _, err := os.Stat(filepath.Join(reports, "r1", LedgerFile)); err != nil {
		t.Errorf("the ledger stays in the run directory: %v", err)
	}
}

func TestOpen_TemporaryRunDirectoryGoesWithTheSession(t *testing.T) {
	t.Parallel()
	s, err := Open(context.Background(), Options{Run: &RunOptions{}})
	if err != nil {
		t.Fatal(err)
	}
	dir := s.Dir
	s.Close()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("temporary run directory %s left behind (%v)", dir, err)
	}
}

func TestOpen_PreflightFailureIsTypedAndKeyFree(t *testing.T) {
	t.Parallel()
	key := "rx_secret-key-0123456789"
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"statusCode":401,"message":"Invalid API key: %s","error":"Unauthorized"}`, key)
	}))
	defer echo.Close()
	reports := t.TempDir()
	_, err := Open(context.Background(), Options{
		Target:    config.Target{BaseURL: echo.URL + "/api/v1", APIKey: key},
		Preflight: true,
		Run:       &RunOptions{ReportDir: reports, ID: "never"},
	})
	var pre *PreflightError
	if !errors.As(err, &pre) {
		t.Fatalf("err = %v, want a PreflightError", err)
	}
	if !usage.Is(err) {
		t.Errorf("a failed preflight is not a usage error: %v", err)
	}
	if strings.Contains(err.Error(), key) {
		t.Errorf("the error shows the key: %v", err)
	}
	if _, err := os.Stat(filepath.Join(reports, "never")); !os.IsNotExist(err) {
		t.Errorf("a run directory was made for a target that failed its preflight (%v)", err)
	}
}

func TestOpen_BadEmbeddedConfigurationLeavesNothing(t *testing.T) {
	t.Parallel()
	_, err := Open(context.Background(), Options{Embedded: Embedded{Faults: []string{"no-such-fault"}}})
	if err == nil || !strings.Contains(err.Error(), "no-such-fault") {
		t.Errorf("err = %v, want the unknown fault named", err)
	}
}

func TestCheckFaults(t *testing.T) {
	t.Parallel()
	remote := config.Target{BaseURL: "https://staging.example/api/v1"}
	if err := CheckFaults(remote, []string{"load-slow"}); !errors.Is(err, ErrFaultsNeedEmbedded) {
		t.Errorf("faults for a remote target: %v", err)
	}
	if CheckFaults(config.Target{}, []string{"load-slow"}) != nil || CheckFaults(remote, nil) != nil {
		t.Error("faults for the embedded server, or none at all, are fine")
	}
}

func TestPace(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		t              config.Target
		pace, loopback float64
	}{
		{config.Target{}, 0, 0},
		{config.Target{MaxRPS: 7}, 7, 7},
		{config.Target{BaseURL: "http://127.0.0.1:8080/api/v1"}, DefaultRemoteRPS, 0},
		{config.Target{BaseURL: "https://staging.example/api/v1"}, DefaultRemoteRPS, DefaultRemoteRPS},
		{config.Target{BaseURL: "https://staging.example/api/v1", MaxRPS: 2}, 2, 2},
	} {
		if got := Pace(c.t); got != c.pace {
			t.Errorf("Pace(%q, %v) = %v, want %v", c.t.BaseURL, c.t.MaxRPS, got, c.pace)
		}
		if got := LoopbackPace(c.t); got != c.loopback {
			t.Errorf("LoopbackPace(%q, %v) = %v, want %v", c.t.BaseURL, c.t.MaxRPS, got, c.loopback)
		}
	}
}

package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rentix/mediaharness/internal/config"
)

const sweepKey = "rx_sweep_key_0123456789abcdef"

// writeLedger writes a ledger of run1 naming target and one created file.
func writeLedger(t *testing.T, target string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fixtures.jsonl")
	lines := `{"run":"run1","agency":"","event":"target","target":"` + target + `"}` + "\n" +
		`{"run":"run1","agency":"primary","externalId":"mh-run1-0001","mediaId":1,"event":"created"}` + "\n"
	if err := os.WriteFile(path, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSweep_redirectIsNotFollowed: behind a gateway that answers every API
// request with a 302 to a page that answers 200 with JSON, a following
// client turns each DELETE into a GET and reports the files deleted. Sweep
// must not follow: exit 1, the redirect named, nothing reported deleted.
func TestSweep_redirectIsNotFollowed(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path)
		mu.Unlock()
		if rest, ok := strings.CutPrefix(r.URL.Path, "/api/v1/"); ok {
			http.Redirect(w, r, "/moved/"+rest, http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":1,"externalId":"mh-run1-0001"}`))
	}))
	t.Cleanup(srv.Close)
	base := srv.URL + "/api/v1"
	ledger := writeLedger(t, config.Target{BaseURL: base}.Place())
	out := runCLI(context.Background(), "sweep", "--ledger", ledger, "--base-url", base, "--api-key", sweepKey, "--max-rps", "1000")
	if out.code != ExitFailure {
		t.Fatalf("%s\nwant exit 1: a redirect is a failure", out)
	}
	if !strings.Contains(out.stderr, "status 302 redirect to /moved/media/1, not followed") {
		t.Errorf("stderr does not name the redirect:\n%s", out)
	}
	if !strings.Contains(out.stdout, "0 deleted") || !strings.Contains(out.stdout, "1 failed") {
		t.Errorf("stdout does not count the file failed:\n%s", out)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, s := range seen {
		if strings.HasPrefix(s, "GET /moved/") || strings.HasPrefix(s, "DELETE /moved/") {
			t.Errorf("the redirect was followed: %v", seen)
		}
	}
}

// TestSweep_refusesAnotherTarget: a ledger written for one target is not
// swept on another, nor one that names no target; exit 2, nothing sent.
func TestSweep_refusesAnotherTarget(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests++
		mu.Unlock()
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	base := srv.URL + "/api/v1"
	noTarget := filepath.Join(t.TempDir(), "fixtures.jsonl")
	if err := os.WriteFile(noTarget, []byte(`{"run":"run1","agency":"primary","externalId":"mh-run1-0001","mediaId":1,"event":"created"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, ledger, want string }{
		{"another host", writeLedger(t, "https://staging.example/api/v1"), "was written for https://staging.example/api/v1, not " + config.Target{BaseURL: base}.Place()},
		{"no target", noTarget, "names no target"},
	} {
		out := runCLI(context.Background(), "sweep", "--ledger", tc.ledger, "--base-url", base, "--api-key", sweepKey)
		if out.code != ExitUsage || !strings.Contains(out.stderr, tc.want) {
			t.Errorf("%s: %s\nwant exit 2 saying %q", tc.name, out, tc.want)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if requests != 0 {
		t.Errorf("%d requests reached the target, want none", requests)
	}
}

// TestSweep_deadline: against a target that never answers, the sweep ends
// at --deadline (not after a timeout per file) and names what is left.
func TestSweep_deadline(t *testing.T) {
	t.Parallel()
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(func() { close(done); srv.Close() })
	base := srv.URL + "/api/v1"
	ledger := writeLedger(t, config.Target{BaseURL: base}.Place())
	f, err := os.OpenFile(ledger, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString(`{"run":"run1","agency":"primary","externalId":"mh-run1-0002","mediaId":2,"event":"created"}` + "\n")
	f.Close()
	out := invoke(t, "sweep", "--ledger", ledger, "--base-url", base, "--api-key", sweepKey, "--max-rps", "1000",
		"--timeout", "50s", "--deadline", "300ms")
	if out.code != ExitFailure || !strings.Contains(out.stderr, "sweep stopped (context deadline exceeded) with 1 left: primary media 2 (mh-run1-0002)") {
		t.Errorf("%s\nwant exit 1 naming the file left at the deadline", out)
	}
}

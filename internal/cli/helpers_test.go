package cli

import (
	"context"
	"github.com/rentix/mediaharness/internal/syncbuf"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/refserver"
	reports "github.com/rentix/mediaharness/internal/report"
	"github.com/rentix/mediaharness/internal/rundir"
	"github.com/rentix/mediaharness/internal/runfiles"
)

// sources is one image server for every run of the package's tests:
// making its sample images takes seconds under the race detector.
var sources struct {
	once sync.Once
	s    *runfiles.Sources
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sources.s != nil {
		_ = sources.s.Close()
	}
	os.Exit(code)
}

// sourceFlags point a conformance run at the shared image server: a small
// image for fixtures (quick to optimize) and a page that is not an image.
func sourceFlags(t *testing.T) []string {
	t.Helper()
	sources.once.Do(func() { sources.s, sources.err = runfiles.StartSources() })
	if sources.err != nil {
		t.Fatal(sources.err)
	}
	return []string{"--source-url", sources.s.SmallURL, "--bad-source-url", sources.s.NotImageURL}
}

// outcome is what one in-process invocation did.
type outcome struct {
	code           int
	stdout, stderr string
}

func (o outcome) String() string {
	return "exit " + strconv.Itoa(o.code) + "\nstdout:\n" + o.stdout + "\nstderr:\n" + o.stderr
}

// runCLI runs mediaharness in-process with an empty environment, so the
// developer's RENTIX_* variables never leak into a test.
func runCLI(ctx context.Context, args ...string) outcome {
	var stdout, stderr syncbuf.Buffer
	code := Run(ctx, Process{Args: args, Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }})
	return outcome{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// upstream is a reference server on an httptest listener, with its keys.
type upstream struct {
	srv  *refserver.Server
	http *httptest.Server
	keys refserver.Keys
}

func startUpstream(t *testing.T, cfg refserver.Config, wrap func(http.Handler) http.Handler) *upstream {
	t.Helper()
	if cfg.OptimizeDelay == 0 {
		cfg.OptimizeDelay = 5 * time.Millisecond
	}
	if cfg.RateLimit == 0 {
		cfg.RateLimit = 100000 // no test here spends a rate limit
	}
	srv, err := refserver.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = srv
	if wrap != nil {
		h = wrap(srv)
	}
	u := &upstream{srv: srv, http: httptest.NewServer(h), keys: srv.Keys()}
	t.Cleanup(u.close)
	return u
}

func (u *upstream) close() {
	u.http.Close()
	u.srv.Close()
}

// held is how many files the two active agencies hold.
func (u *upstream) held() int {
	return u.srv.MediaCount(u.keys.Primary) + u.srv.MediaCount(u.keys.Other)
}

// targetFlags are the flags that point a command at base with u's keys.
func (u *upstream) targetFlags(t *testing.T, base string) []string {
	return append([]string{"--base-url", base, "--api-key", u.keys.Primary, "--other-api-key", u.keys.Other,
		"--suspended-api-key", u.keys.Suspended, "--crm-disabled-api-key", u.keys.CRMDisabled, "--max-rps", "1000"},
		sourceFlags(t)...)
}

// keyOf maps a ledger's agency label to u's key.
func (u *upstream) keyOf(label string) string {
	switch label {
	case config.Primary:
		return u.keys.Primary
	case config.Other:
		return u.keys.Other
	}
	return ""
}

// runFile is the file name in the one run directory under reportDir ("" if
// there is none, or more than one).
func runFile(reportDir, name string) string {
	matches, _ := filepath.Glob(filepath.Join(reportDir, "*", name))
	var found []string
	for _, m := range matches {
		if filepath.Base(filepath.Dir(m)) != rundir.Latest {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		return ""
	}
	return found[0]
}

// ledgerOf is the ledger of the one run under reportDir ("" until it exists).
func ledgerOf(reportDir string) string { return runFile(reportDir, "ledger.jsonl") }

// createdIn counts the "created" entries of the ledger at path.
func createdIn(path string) int {
	if path == "" {
		return 0
	}
	entries, err := runfiles.ReadLedger(path)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		if e.Event == runfiles.EventCreated {
			n++
		}
	}
	return n
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %v waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// results reads the results.json of the one run under reportDir.
func results(t *testing.T, reportDir string) *reports.Summary {
	t.Helper()
	path := runFile(reportDir, reports.ResultsFile)
	if path == "" {
		t.Fatalf("want one run with a results.json under %s", reportDir)
	}
	s, err := reports.LoadResults(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// resultsText is results.json as text, for looking for a cause.
func resultsText(t *testing.T, reportDir string) string {
	t.Helper()
	path := runFile(reportDir, reports.ResultsFile)
	if path == "" {
		return ""
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// oneLine asserts that text is exactly one line that mentions every want.
func oneLine(t *testing.T, name, text string, want ...string) {
	t.Helper()
	if strings.Count(text, "\n") != 1 || !strings.HasSuffix(text, "\n") {
		t.Errorf("%s: stderr is not exactly one line: %q", name, text)
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s: stderr %q does not mention %q", name, text, w)
		}
	}
}

// emptyDir asserts nothing was written under dir.
func emptyDir(t *testing.T, name, dir string) {
	t.Helper()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%s: files were written to %s: %v", name, dir, entries)
	}
}

// helpFlags is every command's flags, as its help lists them.
var helpFlags = sync.OnceValue(func() map[string][]string { return commandFlags(context.Background()) })

// only keeps the flags of args that cmd takes, with their values: the
// target flags of a conformance run, for a command that reads fewer.
func only(cmd string, args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		takes := slices.Contains(helpFlags()[cmd], args[i])
		hasValue := i+1 < len(args) && !strings.HasPrefix(args[i+1], "--")
		if takes {
			out = append(out, args[i])
		}
		if hasValue {
			if takes {
				out = append(out, args[i+1])
			}
			i++
		}
	}
	return out
}

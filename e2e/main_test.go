package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/rentix/mediaharness/internal/syncbuf"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/rundir"
	"github.com/rentix/mediaharness/internal/runfiles"
)

// bin is the mediaharness binary TestMain builds.
var bin string

// sources is the image server the targets download fixtures from.
var sources struct {
	once sync.Once
	s    *runfiles.Sources
	err  error
}

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "mediaharness-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	bin = filepath.Join(dir, "mediaharness")
	build := exec.Command(goTool(), "build", "-o", bin, "github.com/rentix/mediaharness/cmd/mediaharness")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building mediaharness: %v\n%s", err, out)
		return 1
	}
	code := m.Run()
	if sources.s != nil {
		_ = sources.s.Close()
	}
	return code
}

// goTool is the go command of the toolchain running the tests.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(os.Getenv("GOROOT"), "bin", "go")
}

// sourceFlags give a run every image the suite uses, from a server in this
// process.
func sourceFlags(t *testing.T) []string {
	t.Helper()
	sources.once.Do(func() { sources.s, sources.err = runfiles.StartSources() })
	if sources.err != nil {
		t.Fatal(sources.err)
	}
	s := sources.s
	return []string{"--source-url", s.JPEGURL, "--png-source-url", s.PNGURL, "--file-source-url", s.SmallURL,
		"--bad-source-url", s.NotImageURL}
}

// smallSource is a small image, for load fixtures.
func smallSource(t *testing.T) string {
	t.Helper()
	sourceFlags(t)
	return sources.s.SmallURL
}

// firstLine is an io.Writer that keeps what is written and signals the first
// complete line.
type firstLine struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	line chan string
	sent bool
}

func newFirstLine() *firstLine { return &firstLine{line: make(chan string, 1)} }

func (w *firstLine) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if i := bytes.IndexByte(w.buf.Bytes(), '\n'); i >= 0 && !w.sent {
		w.sent = true
		w.line <- string(w.buf.Bytes()[:i])
	}
	return len(p), nil
}

func (w *firstLine) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// agency is one key the server announces.
type agency struct {
	Key    string `json:"key"`
	Status string `json:"status"`
}

// server is a separately started `mediaharness serve`.
type server struct {
	BaseURL string            `json:"baseUrl"`
	Keys    map[string]agency `json:"keys"`
	Faults  []string          `json:"faults"`
}

// startServe starts `mediaharness serve --json` with args and reads where
// it listens and its keys from the first line of its output. The server is
// stopped with SIGINT when the test ends.
func startServe(t *testing.T, args ...string) *server {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--json"}, args...)...)
	out := newFirstLine()
	var errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { stop(t, cmd, exited) })
	var line string
	select {
	case line = <-out.line:
	case err := <-exited:
		t.Fatalf("serve exited before announcing itself: %v\n%s", err, errOut.String())
	case <-time.After(20 * time.Second):
		t.Fatalf("serve announced nothing within 20s")
	}
	var s server
	if err := json.Unmarshal([]byte(line), &s); err != nil {
		t.Fatalf("serve's first line is not its JSON announcement: %v\n%s", err, line)
	}
	for _, label := range []string{"primary", "other", "suspended", "crm-disabled"} {
		if s.Keys[label].Key == "" || s.Keys[label].Status == "" {
			t.Fatalf("serve announced no %s key with a status: %s", label, line)
		}
	}
	return &s
}

// stop ends a server with SIGINT, as a person would, and kills it if it
// does not go.
func stop(t *testing.T, cmd *exec.Cmd, exited chan error) {
	_ = cmd.Process.Signal(os.Interrupt)
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
		t.Errorf("serve did not stop within 10s of SIGINT")
	}
}

// key is the announced key of an agency label.
func (s *server) key(label string) string { return s.Keys[label].Key }

// targetFlags point a harness command at the server with every key.
func (s *server) targetFlags() []string {
	return []string{"--base-url", s.BaseURL, "--api-key", s.key("primary"), "--other-api-key", s.key("other"),
		"--suspended-api-key", s.key("suspended"), "--crm-disabled-api-key", s.key("crm-disabled")}
}

// loadTargetFlags point load or capacity at s: they read only the primary
// key, and refuse the flags of the others.
func (s *server) loadTargetFlags() []string {
	return []string{"--base-url", s.BaseURL, "--api-key", s.key("primary")}
}

// run is one finished harness process.
type run struct {
	args           []string
	code           int
	stdout, stderr string
}

func (r run) String() string {
	return fmt.Sprintf("mediaharness %s\nexit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(r.args, " "), r.code, r.stdout, r.stderr)
}

// harness runs mediaharness to its end; a run that outlasts timeout is
// killed and fails the test as hung.
func harness(t *testing.T, timeout time.Duration, args ...string) run {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := run{args: args, stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("hung: no exit within %v\n%s", timeout, r)
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return r
}

// started is a harness process the test signals while it runs.
type started struct {
	cmd            *exec.Cmd
	args           []string
	stdout, stderr *syncbuf.Buffer
	exited         chan struct{}
}

func startHarness(t *testing.T, args ...string) *started {
	t.Helper()
	s := &started{cmd: exec.Command(bin, args...), args: args, stdout: &syncbuf.Buffer{}, stderr: &syncbuf.Buffer{},
		exited: make(chan struct{})}
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.cmd.Wait(); close(s.exited) }()
	t.Cleanup(func() {
		_ = s.cmd.Process.Kill()
		<-s.exited
	})
	return s
}

// wait waits for the process to exit, at most timeout.
func (s *started) wait(t *testing.T, timeout time.Duration) run {
	t.Helper()
	select {
	case <-s.exited:
	case <-time.After(timeout):
		t.Fatalf("no exit within %v\n%s", timeout, s.snapshot())
	}
	r := s.snapshot()
	r.code = s.cmd.ProcessState.ExitCode()
	if ws, ok := s.cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		r.code = -int(ws.Signal())
	}
	return r
}

func (s *started) snapshot() run {
	return run{args: s.args, code: -1, stdout: s.stdout.String(), stderr: s.stderr.String()}
}

// exitedEarly fails the test if the process has already ended.
func (s *started) exitedEarly() bool {
	select {
	case <-s.exited:
		return true
	default:
		return false
	}
}

// runFile is name in the one run directory under reports ("" until there
// is exactly one).
func runFile(reports, name string) string {
	matches, _ := filepath.Glob(filepath.Join(reports, "*", name))
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

// waitCreated polls the ledger under reports until it records at least n
// created fixtures; it fails the test if the run ends first or takes longer
// than timeout.
func waitCreated(t *testing.T, s *started, reports string, n int, timeout time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ledger := runFile(reports, "ledger.jsonl")
		if ledger != "" && created(t, ledger) >= n {
			return ledger
		}
		switch {
		case s.exitedEarly():
			t.Fatalf("the run ended before it created %d fixtures\n%s", n, s.snapshot())
		case time.Now().After(deadline):
			t.Fatalf("the run did not create %d fixtures within %v\n%s", n, timeout, s.snapshot())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// created counts the ledger's created entries.
func created(t *testing.T, ledger string) int {
	t.Helper()
	entries, err := runfiles.ReadLedger(ledger)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Event == runfiles.EventCreated {
			n++
		}
	}
	return n
}

// prober asks the server about files from outside, as any client would.
type prober struct {
	s  *server
	hc *http.Client
	c  *client.Client
}

func newProber(t *testing.T, s *server) *prober {
	t.Helper()
	hc := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(hc.CloseIdleConnections)
	c, err := client.New(client.Options{BaseURL: s.BaseURL, HTTPClient: hc, MaxRetries: 20})
	if err != nil {
		t.Fatal(err)
	}
	return &prober{s: s, hc: hc, c: c}
}

// status is the answer to GET path with the key of agency label.
func (p *prober) status(t *testing.T, label, path string) int {
	t.Helper()
	resp, err := p.c.Do(context.Background(), client.Request{Method: http.MethodGet, Path: path, Key: p.s.key(label)})
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return resp.Status
}

// fixturePath is where a ledger fixture is read.
func fixturePath(f runfiles.Fixture) string {
	if f.MediaID > 0 {
		return "/media/" + strconv.FormatInt(f.MediaID, 10)
	}
	return "/media/external/" + f.ExternalID
}

// held lists the ledger's fixtures the server still holds: each file the
// ledger names, by media ID, and by external ID when it has no media ID
// (an upload whose answer was lost).
func (p *prober) held(t *testing.T, ledger string) []runfiles.Fixture {
	t.Helper()
	entries, err := runfiles.ReadLedger(ledger)
	if err != nil {
		t.Fatal(err)
	}
	withID := map[string]bool{}
	for _, e := range entries {
		if e.MediaID > 0 {
			withID[e.Agency+"@"+e.ExternalID] = true
		}
	}
	seen := map[string]bool{}
	var out []runfiles.Fixture
	for _, e := range entries {
		f := runfiles.Fixture{Agency: e.Agency, ExternalID: e.ExternalID, MediaID: e.MediaID}
		if (f.MediaID == 0 && withID[f.Agency+"@"+f.ExternalID]) || seen[f.Agency+fixturePath(f)] {
			continue
		}
		seen[f.Agency+fixturePath(f)] = true
		if st := p.status(t, f.Agency, fixturePath(f)); st != http.StatusNotFound {
			out = append(out, f)
		}
	}
	return out
}

// noneLeft asserts that the ledger has nothing outstanding and the server
// holds none of the files it names.
func (p *prober) noneLeft(t *testing.T, ledger string) {
	t.Helper()
	if out, err := runfiles.Outstanding(ledger); err != nil || len(out) != 0 {
		t.Errorf("ledger %s: outstanding %+v (%v), want none", ledger, out, err)
	}
	if held := p.held(t, ledger); len(held) != 0 {
		t.Errorf("the server still holds fixtures of %s: %+v", ledger, held)
	}
}

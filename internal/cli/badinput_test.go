package cli

import (
	"context"
	"github.com/rentix/mediaharness/internal/syncbuf"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rentix/mediaharness/internal/refserver"
)

// garbageServer accepts TCP connections, reads the request, answers bytes
// that are not HTTP and hangs up: a target that is there but is no web
// server. (It reads first: garbage sent before the request reaches an idle
// connection, and the client's error then depends on timing.)
func garbageServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_, _ = c.Read(make([]byte, 4096))
			_, _ = c.Write([]byte("\x00\x01garbage that is not HTTP\r\n\r\n"))
			_ = c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return "http://" + ln.Addr().String() + "/api/v1"
}

// TestRun_BadInput: every mistake in how the harness is called or
// configured ends in exit 2 with exactly one line on stderr that names the
// problem; nothing is printed on stdout, nothing is written to the report
// directory, and nothing panics or hangs.
func TestRun_BadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	malformed := filepath.Join(dir, "malformed.yaml")
	if err := os.WriteFile(malformed, []byte("openapi: 3.0.3\ninfo: [\n  paths: {\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	features := filepath.Join(dir, "features")
	if err := os.MkdirAll(features, 0o755); err != nil {
		t.Fatal(err)
	}
	typo := "Feature: Typo\n  Scenario: a step nobody defined\n    When I frobnicate the agency\n"
	if err := os.WriteFile(filepath.Join(features, "typo.feature"), []byte(typo), 0o644); err != nil {
		t.Fatal(err)
	}
	garbage := garbageServer(t)

	for _, tc := range []struct {
		name string
		args []string
		want []string // each must appear in the one stderr line
	}{
		{"no command", nil, []string{"no command given"}},
		{"wrong flag", []string{"conform", "--bogus"}, []string{"mediaharness conform:", "-bogus", "--help"}},
		{"flag without its value", []string{"load", "--rate"}, []string{"flag needs an argument", "-rate"}},
		{"unknown command", []string{"frob"}, []string{`unknown command "frob"`}},
		{"stray argument", []string{"conform", "extra"}, []string{`unexpected argument "extra"`}},
		{"missing spec", []string{"conform", "--spec", filepath.Join(dir, "missing.yaml")},
			[]string{"missing.yaml", "no such file"}},
		{"malformed spec", []string{"conform", "--spec", malformed}, []string{"malformed.yaml", "yaml"}},
		{"undefined step", []string{"conform", "--features", features},
			[]string{"undefined step", `typo.feature:3 "I frobnicate the agency"`}},
		{"missing features dir", []string{"conform", "--features", filepath.Join(dir, "nope")},
			[]string{"--features", "no such file"}},
		{"unreachable target", []string{"conform", "--base-url", "http://127.0.0.1:1/api/v1", "--api-key", "key-xxxxxxxx"},
			[]string{"cannot reach the target", "127.0.0.1:1", "connection refused"}},
		{"non-HTTP target", []string{"conform", "--base-url", garbage, "--api-key", "key-xxxxxxxx", "--timeout", "5s"},
			[]string{"cannot reach the target", "malformed HTTP"}},
		{"load: unreachable target", []string{"load", "--base-url", "http://127.0.0.1:1/api/v1", "--api-key", "key-xxxxxxxx", "--source-url", "http://127.0.0.1:1/a.jpg"},
			[]string{"cannot reach the target", "127.0.0.1:1", "connection refused"}},
		{"capacity: non-HTTP target", []string{"capacity", "--base-url", garbage, "--api-key", "key-xxxxxxxx", "--timeout", "5s", "--source-url", "http://127.0.0.1:1/a.jpg"},
			[]string{"cannot reach the target", "malformed HTTP"}},
		{"base URL without key", []string{"conform", "--base-url", "http://127.0.0.1:1/api/v1"},
			[]string{"--api-key"}},
		{"base URL not http", []string{"conform", "--base-url", "ftp://example.com/api/v1", "--api-key", "key-xxxxxxxx"},
			[]string{"scheme must be http or https"}},
		{"bad inferred mode", []string{"conform", "--inferred", "maybe"}, []string{`--inferred "maybe"`, "fail or warn"}},
		{"bad tags", []string{"conform", "--tags", "@a && "}, []string{"--tags", "bad term"}},
		{"bad tag expression", []string{"conform", "--tags", "@a and (@b"}, []string{"--tags", "missing )"}},
		{"tag expression selecting nothing", []string{"conform", "--tags", "@nope and not @slow"}, []string{"selects no scenario"}},
		{"negative timeout", []string{"conform", "--timeout", "-1s"}, []string{"--timeout must not be negative"}},
		{"negative run deadline", []string{"conform", "--run-deadline", "-1s"}, []string{"--run-deadline must not be negative"}},
		{"malformed rate", []string{"load", "--rate", "fast"}, []string{`rate "fast"`, "200/s"}},
		{"zero rate", []string{"load", "--rate", "0/s"}, []string{`rate "0/s"`}},
		{"load against production", []string{"load", "--base-url", "https://crm.rentix.md/api/v1", "--api-key", "key-xxxxxxxx", "--source-url", "https://example.com/a.jpg"},
			[]string{"refusing to load-test production (crm.rentix.md)", "--allow-production"}},
		{"capacity against production", []string{"capacity", "--base-url", "https://CRM.rentix.md/api/v1", "--api-key", "key-xxxxxxxx", "--source-url", "https://example.com/a.jpg"},
			[]string{"refusing to load-test production"}},
		{"malformed abort share", []string{"load", "--abort-on-failures", "2"}, []string{`--abort-on-failures "2"`, "or off"}},
		{"malformed validate", []string{"load", "--validate", "200%"}, []string{`validate "200%"`}},
		{"malformed shard", []string{"load", "--shard", "x"}, []string{`shard "x"`, "1/3"}},
		{"shard out of range", []string{"load", "--shard", "4/3"}, []string{"shard 4/3"}},
		{"unknown scenario", []string{"load", "--scenario", "nope"}, []string{`scenario "nope"`}},
		{"load negative run deadline", []string{"load", "--run-deadline", "-1s"}, []string{"--run-deadline must not be negative"}},
		{"capacity malformed start", []string{"capacity", "--start", "soon"}, []string{`rate "soon"`}},
		{"capacity zero step", []string{"capacity", "--step", "0"}, []string{"--step must be above 0"}},
		{"capacity factor zero", []string{"capacity", "--factor", "0"}, []string{"--factor above 1"}},
		{"load zero workers", []string{"load", "--max-workers", "0"}, []string{"--max-workers, --pool-size and --max-pool must be at least 1"}},
		{"load zero workers, old name", []string{"load", "--workers", "0"}, []string{"--max-workers, --pool-size and --max-pool must be at least 1"}},
		{"conform zero concurrency", []string{"conform", "--concurrency", "0"}, []string{"--concurrency must be at least 1, got 0"}},
		{"selftest zero concurrency", []string{"selftest", "--concurrency", "0"}, []string{"--concurrency must be at least 1, got 0"}},
		{"capacity malformed model", []string{"capacity", "--embedded-capacity", "lots"}, []string{"--embedded-capacity", `rate "lots"`}},
		{"model of a remote target", []string{"load", "--base-url", "http://127.0.0.1:1/api/v1", "--api-key", "key-xxxxxxxx", "--embedded-capacity", "400/s"},
			[]string{"--embedded-capacity models the embedded server"}},
		{"serve malformed capacity", []string{"serve", "--addr", "127.0.0.1:0", "--capacity", "-5/s"}, []string{"--capacity", `rate "-5/s"`}},
		{"sweep without ledger", []string{"sweep", "--base-url", "http://127.0.0.1:1/api/v1", "--api-key", "key-xxxxxxxx"},
			[]string{"--ledger is required"}},
		{"sweep against production", []string{"sweep", "--ledger", "x.jsonl", "--base-url", "https://crm.ren\u00adtix.md/api/v1", "--api-key", "key-xxxxxxxx"},
			[]string{"production host crm.rentix.md", "--allow-production"}},
		{"sweep zero deadline", []string{"sweep", "--ledger", "x.jsonl", "--base-url", "http://127.0.0.1:1/api/v1", "--api-key", "key-xxxxxxxx", "--deadline", "0s"},
			[]string{"--deadline must be positive"}},
		{"key too short to redact", []string{"conform", "--base-url", "http://127.0.0.1:1/api/v1", "--api-key", "e"},
			[]string{"--api-key: a key of 1 characters is too short", "at least 8"}},
		{"load against production, fullwidth", []string{"load", "--base-url", "https://\uff43\uff52\uff4d.rentix.md/api/v1", "--api-key", "key-xxxxxxxx", "--source-url", "https://example.com/a.jpg"},
			[]string{"refusing to load-test production"}},
		{"report without merge", []string{"report"}, []string{"--merge"}},
		{"serve on a bad address", []string{"serve", "--addr", "256.0.0.1:0"}, []string{"listen on 256.0.0.1:0"}},
		{"serve with a duplicate key", []string{"serve", "--addr", "127.0.0.1:0", "--key-primary", "rx_same-key-1", "--key-other", "rx_same-key-1"},
			[]string{"Keys.Other is the same key as Keys.Primary"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			reports := t.TempDir()
			args := tc.args
			if len(args) > 0 && (args[0] == "conform" || args[0] == "load" || args[0] == "capacity") {
				args = append([]string{args[0], "--report-dir", reports}, args[1:]...)
			}
			out := runCLI(context.Background(), args...)
			if out.code != ExitUsage {
				t.Fatalf("%v: %s\nwant exit %d", args, out, ExitUsage)
			}
			oneLine(t, strings.Join(args, " "), out.stderr, tc.want...)
			if out.stdout != "" && tc.args != nil { // no command: the usage goes to stdout
				t.Errorf("%v: stdout is not empty: %q", args, out.stdout)
			}
			emptyDir(t, strings.Join(args, " "), reports)
		})
	}
}

// TestRun_HelpDocumentsExitCodes: "--help", of the command and of every
// subcommand, exits 0, prints the help once, and documents every exit code.
func TestRun_HelpDocumentsExitCodes(t *testing.T) {
	t.Parallel()
	invocations := [][]string{{"--help"}, {"-h"}, {"help"}}
	for _, c := range commands() {
		invocations = append(invocations, []string{c.name, "--help"})
	}
	for _, args := range invocations {
		out := runCLI(context.Background(), args...)
		if out.code != ExitOK || out.stderr != "" {
			t.Errorf("%v: %s\nwant exit 0 and nothing on stderr", args, out)
			continue
		}
		if n := strings.Count(out.stdout, "Exit codes:"); n != 1 {
			t.Errorf("%v: %d exit-code sections, want the help printed once:\n%s", args, n, out.stdout)
		}
		for _, code := range []string{"\n  0    everything passed", "\n  1    a contract", "\n  2    a usage or configuration error", "\n  3    the run stopped before its end",
			"\n  130  interrupted"} {
			if !strings.Contains(out.stdout, code) {
				t.Errorf("%v: help does not document %q:\n%s", args, strings.TrimSpace(code), out.stdout)
			}
		}
	}
	for _, flag := range []string{"-timeout", "-run-deadline"} {
		for _, cmd := range []string{"conform", "load"} {
			if out := runCLI(context.Background(), cmd, "--help"); !strings.Contains(out.stdout, "  "+flag+" duration") {
				t.Errorf("%s --help does not list %s", cmd, flag)
			}
		}
	}
}

// TestConform_BaseURLWithPathPrefix: a target whose API root sits under a
// path prefix (behind a gateway, say) is tested like any other.
func TestConform_BaseURLWithPathPrefix(t *testing.T) {
	t.Parallel()
	up := startUpstream(t, refserver.Config{}, func(api http.Handler) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("/prefix/", http.StripPrefix("/prefix", api))
		mux.Handle("/storage/", api) // the server links its files from the root
		return mux
	})
	reports := t.TempDir()
	args := append([]string{"conform", "--tags", "@isolation", "--report-dir", reports},
		up.targetFlags(t, up.http.URL+"/prefix/api/v1")...)
	out := runCLI(context.Background(), args...)
	if out.code != ExitOK {
		t.Fatalf("%s\nwant exit 0", out)
	}
	if want := "  target: " + up.http.URL + "/prefix/api/v1\n"; !strings.Contains(out.stdout, want) {
		t.Errorf("the verdict does not name the target (%q):\n%s", want, out)
	}
	s := results(t, reports)
	if s.Totals.Passed == 0 || s.Totals.Failed != 0 || s.Fixtures.Created == 0 || up.held() != 0 {
		t.Errorf("passed %d failed %d, fixtures created %d, server holds %d: want all passed and nothing left",
			s.Totals.Passed, s.Totals.Failed, s.Fixtures.Created, up.held())
	}
}

// A number in the environment that does not parse is a configuration
// error, not a silent 0 (which would mean "unpaced" for --max-rps).
func TestRun_MalformedEnvironmentNumber(t *testing.T) {
	t.Parallel()
	var stdout, stderr syncbuf.Buffer
	getenv := func(name string) string {
		if name == "RENTIX_MAX_RPS" {
			return "fast"
		}
		return ""
	}
	code := Run(context.Background(), Process{Args: []string{"conform"}, Stdout: &stdout, Stderr: &stderr, Getenv: getenv})
	if code != ExitUsage {
		t.Fatalf("exit %d, want %d; stderr %q", code, ExitUsage, stderr.String())
	}
	if got := stderr.String(); strings.Count(got, "\n") != 1 || !strings.Contains(got, `RENTIX_MAX_RPS="fast"`) {
		t.Fatalf("stderr %q, want one line naming RENTIX_MAX_RPS", got)
	}
}

// Target variables without RENTIX_BASE_URL would test the embedded server
// and pass: every command that takes a target refuses, naming them.
func TestRun_TargetVariablesWithoutBaseURL(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"conform"}, {"load"}, {"capacity"}, {"sweep", "--ledger", "x.jsonl"}} {
		for _, name := range []string{"RENTIX_API_KEY", "RENTIX_OTHER_API_KEY", "RENTIX_SOURCE_URL", "RENTIX_MAX_RPS"} {
			var stdout, stderr syncbuf.Buffer
			getenv := func(n string) string {
				if n == name {
					return "value-12345678"
				}
				return ""
			}
			if name == "RENTIX_MAX_RPS" {
				getenv = func(n string) string {
					if n == name {
						return "4"
					}
					return ""
				}
			}
			code := Run(context.Background(), Process{Args: args, Stdout: &stdout, Stderr: &stderr, Getenv: getenv})
			got := stderr.String()
			if code != ExitUsage || !strings.Contains(got, name+" set but RENTIX_BASE_URL (--base-url) is empty") || strings.Contains(got, "value-12345678") {
				t.Errorf("%v with %s: exit %d, stderr %q; want exit 2 naming the variable", args, name, code, got)
			}
		}
	}
}

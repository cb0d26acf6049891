package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// listLine is one scenario of conform --list: "file » name  @tags".
var listLine = regexp.MustCompile(`^[\w./-]+\.feature » \S.*?(  (@[\w-]+ ?)+)?$`)

// conform --list prints what --tags selects and exits 0, without a request
// to the target or a file written.
func TestConform_ListPrintsTheSelectedScenarios(t *testing.T) {
	t.Parallel()
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests.Add(1) }))
	t.Cleanup(srv.Close)
	for _, flag := range []string{"--list", "--dry-run"} {
		reports := t.TempDir()
		out := runCLI(context.Background(), "conform", flag, "--tags", "@isolation and not @inferred", "--report-dir", reports,
			"--base-url", srv.URL+"/api/v1", "--api-key", "key-12345678")
		if out.code != ExitOK {
			t.Fatalf("conform %s: want exit 0\n%s", flag, out)
		}
		lines := strings.Split(strings.TrimSuffix(out.stdout, "\n"), "\n")
		if len(lines) < 2 {
			t.Fatalf("conform %s printed %q; want scenarios and a count", flag, out.stdout)
		}
		scenarios, count := lines[:len(lines)-1], lines[len(lines)-1]
		if count != strconv.Itoa(len(scenarios))+" scenarios selected" {
			t.Errorf("count line %q; want %d scenarios selected", count, len(scenarios))
		}
		for _, l := range scenarios {
			if !listLine.MatchString(l) || !strings.Contains(l, "@isolation") || strings.Contains(l, "@inferred") {
				t.Errorf("line %q: want \"file » name  @tags\", tagged @isolation and not @inferred", l)
			}
		}
		emptyDir(t, "conform "+flag, reports)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("conform --list sent %d requests to the target", n)
	}
}

// --features lists that directory's scenarios; a problem with the tags or
// the features is still one line and exit 2.
func TestConform_ListChecksWhatItLists(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	feature := "@mine\nFeature: Mine\n\n  Scenario: The agency answers\n    Given a ready file \"A\"\n    When I get \"A\" by id\n"
	if err := os.WriteFile(filepath.Join(dir, "mine.feature"), []byte(feature), 0o644); err != nil {
		t.Fatal(err)
	}
	undefined := filepath.Join(t.TempDir(), "typo")
	_ = os.MkdirAll(undefined, 0o755)
	if err := os.WriteFile(filepath.Join(undefined, "typo.feature"), []byte("Feature: Typo\n\n  Scenario: A typo\n    When I gett \"A\" by id\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := runCLI(context.Background(), "conform", "--list", "--features", dir)
	if out.code != ExitOK || out.stdout != "mine.feature » The agency answers  @mine\n1 scenario selected\n" {
		t.Errorf("conform --list --features: want the one scenario and exit 0\n%s", out)
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--tags", "@nope"}, []string{`--tags "@nope" selects no scenario`}},
		{[]string{"--tags", "not ("}, []string{`--tags "not ("`}},
		{[]string{"--features", filepath.Join(dir, "absent")}, []string{"--features", "no such file"}},
		{[]string{"--features", undefined}, []string{"gett"}},
	} {
		out := runCLI(context.Background(), append([]string{"conform", "--list"}, tc.args...)...)
		if out.code != ExitUsage || out.stdout != "" {
			t.Errorf("conform --list %v: want exit 2 and nothing on stdout\n%s", tc.args, out)
		}
		oneLine(t, strings.Join(tc.args, " "), out.stderr, tc.want...)
	}
}

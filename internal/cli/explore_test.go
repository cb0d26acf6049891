package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rentix/mediaharness/internal/refserver"
)

// TestExplore_UsageErrors: a bad invocation explores nothing and exits 2
// with one line saying what is wrong.
func TestExplore_UsageErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--budget", "5"}, "--budget 5"},
		{[]string{"--fault", "no-such-fault"}, `unknown fault "no-such-fault"`},
		{[]string{"--base-url", "http://127.0.0.1:1/api/v1", "--api-key", "explore-key-1"}, "--other-api-key"},
		{[]string{"--seed", "x"}, "-seed"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	} {
		dir := t.TempDir()
		out := runCLI(context.Background(), append([]string{"explore", "--report-dir", dir}, tc.args...)...)
		if out.code != ExitUsage || !strings.Contains(out.stderr, tc.want) || strings.Count(out.stderr, "\n") != 1 {
			t.Errorf("%v: %v\nwant exit %d and one line with %q", tc.args, out, ExitUsage, tc.want)
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("%v: a refused run wrote %d entries to the report directory", tc.args, len(entries))
		}
	}
}

// TestExplore_FindsAFaultOfARemoteTarget: against a target with a fault
// explore exits 1, prints each finding with a curl line that takes the
// key from the environment, never prints or writes a key, and leaves no
// file on the target.
func TestExplore_FindsAFaultOfARemoteTarget(t *testing.T) {
	t.Parallel()
	u := startUpstream(t, refserver.Config{Faults: []string{"roundtrip-trim"}}, nil)
	dir := t.TempDir()
	args := append([]string{"explore", "--report-dir", dir, "--seed", "3", "--budget", "250", "--no-sequences"},
		only("explore", u.targetFlags(t, u.http.URL+"/api/v1"))...)
	out := runCLI(context.Background(), args...)
	if out.code != ExitFailure {
		t.Fatalf("want exit 1: %v", out)
	}
	if !strings.Contains(out.stdout, `-H "Authorization: ApiKey $RENTIX_API_KEY"`) || !strings.Contains(out.stdout, "--seed 3") {
		t.Errorf("stdout lacks the curl line or the seed:\n%s", out.stdout)
	}
	for _, key := range []string{u.keys.Primary, u.keys.Other} {
		if strings.Contains(out.stdout+out.stderr, key) {
			t.Errorf("a key was printed")
		}
		_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if data, rerr := os.ReadFile(path); rerr == nil && !d.IsDir() && strings.Contains(string(data), key) {
				t.Errorf("%s holds a key", path)
			}
			return nil
		})
	}
	if n := u.held(); n != 0 {
		t.Errorf("the target still holds %d files", n)
	}
}

package cli

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// TestSelftest_UsageErrors: a bad invocation tests nothing and exits 2
// with one line saying what is wrong. (The self-test itself is tested in
// internal/selftest.)
func TestSelftest_UsageErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--fault", "shape-id-string,no-such-fault"}, "unknown fault no-such-fault"},
		{[]string{"--concurrency", "99"}, "--concurrency 99"},
		{[]string{"--load-duration", "-1s"}, "--load-duration"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	} {
		dir := t.TempDir()
		args := append([]string{"selftest", "--report-dir", dir}, tc.args...)
		var stdout, stderr bytes.Buffer
		code := Run(context.Background(), Process{Args: args, Stdout: &stdout, Stderr: &stderr})
		if code != ExitUsage || !strings.Contains(stderr.String(), tc.want) || strings.Count(stderr.String(), "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and one line with %q", args, code, stderr.String(), ExitUsage, tc.want)
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("%v: a refused self-test wrote %d entries to the report directory", args, len(entries))
		}
	}
}

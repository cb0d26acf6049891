package cli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompletion_Bash: the bash script completes commands and each
// command's own flags, read from its help.
func TestCompletion_Bash(t *testing.T) {
	t.Parallel()
	out := runCLI(context.Background(), "completion", "bash")
	if out.code != ExitOK {
		t.Fatal(out)
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	script := filepath.Join(t.TempDir(), "completion.bash")
	if err := os.WriteFile(script, []byte(out.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	complete := func(words ...string) string {
		t.Helper()
		cmd := `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _mediaharness; echo "${COMPREPLY[@]}"`
		b, err := exec.Command(bash, append([]string{"-c", cmd, "bash", script}, words...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", words, err, b)
		}
		return strings.TrimSpace(string(b))
	}
	for _, tc := range []struct {
		words []string
		want  string
	}{
		{[]string{"mediaharness", "comp"}, "completion"},
		{[]string{"mediaharness", "load", "--max-w"}, "--max-workers"},
		{[]string{"mediaharness", "conform", "--ta"}, "--tags"},
		{[]string{"mediaharness", "conform", "--max-w"}, ""}, // a load flag, not conform's
		{[]string{"mediaharness", "completion", "z"}, "zsh"},
		{[]string{"mediaharness", "conform", "--qu"}, "--quiet"},
		{[]string{"mediaharness", "load", "--dry"}, "--dry-run"},
		{[]string{"mediaharness", "sweep", "--hea"}, "--header"},
	} {
		if got := complete(tc.words...); got != tc.want {
			t.Errorf("completing %v = %q, want %q", tc.words, got, tc.want)
		}
	}
}

func TestCompletion_Zsh(t *testing.T) {
	t.Parallel()
	out := runCLI(context.Background(), "completion", "zsh")
	if out.code != ExitOK || !strings.HasPrefix(out.stdout, "#compdef mediaharness\n") {
		t.Fatal(out)
	}
}

func TestCompletion_BadShell(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"completion"}, {"completion", "fish"}} {
		out := runCLI(context.Background(), args...)
		if out.code != ExitUsage || out.stdout != "" || !strings.Contains(out.stderr, "bash or zsh") {
			t.Errorf("%v: %s", args, out)
		}
	}
}

package cli

import (
	"strings"
	"testing"

	"github.com/rentix/mediaharness/internal/usage"
)

// boundTarget parses args and env into the target flags of a command
// that takes them all.
func boundTarget(t *testing.T, args []string, environ map[string]string) (float64, error) {
	t.Helper()
	env := Process{Stdout: &strings.Builder{}, Stderr: &strings.Builder{}, Getenv: func(n string) string { return environ[n] }}
	fs := newFlagSet(env, "conform", "conform")
	tf := bindTarget(fs, env, targetAll)
	if err := parse(fs, args); err != nil {
		return 0, err
	}
	tgt, err := tf.target()
	return tgt.MaxRPS, err
}

// --max-rps and RENTIX_MAX_RPS take the syntax of --rate.
func TestMaxRPS_TakesTheRateSyntax(t *testing.T) {
	t.Parallel()
	remote := map[string]string{"RENTIX_BASE_URL": "https://staging.example/api/v1", "RENTIX_API_KEY": "key-12345678"}
	for _, tc := range []struct {
		value string
		want  float64
	}{
		{"300/m", 5}, {"300/min", 5}, {"5/s", 5}, {"5/1s", 5}, {"5", 5}, {"1/2s", 0.5}, {"50/100ms", 500}, {"0", 0},
	} {
		got, err := boundTarget(t, []string{"--max-rps", tc.value}, remote)
		if err != nil || got != tc.want {
			t.Errorf("--max-rps %s: got %v, %v; want %v/s", tc.value, got, err, tc.want)
		}
		environ := map[string]string{"RENTIX_MAX_RPS": tc.value}
		for k, v := range remote {
			environ[k] = v
		}
		got, err = boundTarget(t, nil, environ)
		if err != nil || got != tc.want {
			t.Errorf("RENTIX_MAX_RPS=%s: got %v, %v; want %v/s", tc.value, got, err, tc.want)
		}
	}
}

func TestMaxRPS_RefusesWhatIsNotARate(t *testing.T) {
	t.Parallel()
	for _, value := range []string{"fast", "-5", "5/x", "0/s", "2.5"} {
		_, err := boundTarget(t, []string{"--max-rps", value}, nil)
		if err == nil || !usage.Is(err) || !strings.Contains(err.Error(), "max-rps") {
			t.Errorf("--max-rps %s: error %v, want a usage error naming the flag", value, err)
		}
		_, err = boundTarget(t, nil, map[string]string{"RENTIX_MAX_RPS": value})
		if err == nil || !usage.Is(err) || !strings.Contains(err.Error(), "RENTIX_MAX_RPS=") {
			t.Errorf("RENTIX_MAX_RPS=%s: error %v, want a usage error naming the variable", value, err)
		}
	}
}

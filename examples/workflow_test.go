// Package examples holds tests of the example files people copy: the
// GitHub Actions workflow and the Kubernetes manifests must stay valid.
package examples

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

type workflow struct {
	Name        string         `yaml:"name"`
	On          map[string]any `yaml:"on"`
	Concurrency struct {
		Group            string `yaml:"group"`
		CancelInProgress *bool  `yaml:"cancel-in-progress"`
	} `yaml:"concurrency"`
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		RunsOn         string            `yaml:"runs-on"`
		TimeoutMinutes int               `yaml:"timeout-minutes"`
		Env            map[string]string `yaml:"env"`
		Steps          []step            `yaml:"steps"`
	} `yaml:"jobs"`
}

type step struct {
	Name string            `yaml:"name"`
	If   string            `yaml:"if"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	Env  map[string]string `yaml:"env"`
	With map[string]any    `yaml:"with"`
}

func loadWorkflow(t *testing.T) workflow {
	t.Helper()
	b, err := os.ReadFile("github-actions/nightly-staging.yml")
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var w workflow
	if err := dec.Decode(&w); err != nil {
		t.Fatalf("nightly-staging.yml: %v", err)
	}
	return w
}

// TestNightlyWorkflow: one run at a time, a clear failure without a base
// URL (never a green run against the embedded server), every source the
// suite needs, and the JUnit results published even when the suite fails.
func TestNightlyWorkflow(t *testing.T) {
	t.Parallel()
	w := loadWorkflow(t)
	if w.Concurrency.Group == "" {
		t.Error("no concurrency group: two nightly runs could share staging's keys")
	}
	if len(w.Jobs) != 1 {
		t.Fatalf("want one job, got %d", len(w.Jobs))
	}
	for name, job := range w.Jobs {
		if job.TimeoutMinutes <= 0 {
			t.Errorf("job %s has no timeout", name)
		}
		if !strings.Contains(job.Env["RENTIX_BASE_URL"], "vars.") {
			t.Errorf("job %s: RENTIX_BASE_URL must come from a repository variable, got %q", name, job.Env["RENTIX_BASE_URL"])
		}
		guard, conform, junit := -1, -1, -1
		for i, s := range job.Steps {
			switch {
			case strings.Contains(s.Run, `-z "$RENTIX_BASE_URL"`):
				guard = i
				checkGuard(t, s.Run)
			case strings.Contains(s.Run, "mediaharness conform"):
				conform = i
				for _, v := range []string{"RENTIX_API_KEY", "RENTIX_SOURCE_URL", "RENTIX_PNG_SOURCE_URL", "RENTIX_BAD_SOURCE_URL"} {
					if s.Env[v] == "" {
						t.Errorf("the conform step does not pass %s", v)
					}
				}
				for v, val := range s.Env {
					if strings.Contains(v, "KEY") && !strings.Contains(val, "secrets.") {
						t.Errorf("%s must come from a secret, got %q", v, val)
					}
				}
			case strings.Contains(s.Uses, "junit") || strings.Contains(s.Uses, "test-report"):
				junit = i
				if !strings.Contains(s.If, "always()") {
					t.Errorf("the JUnit step must run when the suite fails: if %q", s.If)
				}
				if !strings.Contains(strings.Join(valuesOf(s.With), " "), "junit.xml") {
					t.Errorf("the JUnit step does not read junit.xml: %v", s.With)
				}
			}
		}
		if guard < 0 || conform < 0 || guard > conform {
			t.Errorf("want a step that fails on an empty RENTIX_BASE_URL before the conform step (guard %d, conform %d)", guard, conform)
		}
		if junit < conform {
			t.Errorf("no JUnit publishing step after the conform step")
		}
	}
}

func valuesOf(m map[string]any) []string {
	var out []string
	for _, v := range m {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// checkGuard runs the guard script: it must fail on an empty base URL and
// pass on a set one.
func checkGuard(t *testing.T, script string) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Log("no bash: the guard script is not run")
		return
	}
	for url, wantOK := range map[string]bool{"": false, "https://staging.example/api/v1": true} {
		cmd := exec.Command(bash, "-e", "-c", script)
		cmd.Env = append(os.Environ(), "RENTIX_BASE_URL="+url)
		out, err := cmd.CombinedOutput()
		if (err == nil) != wantOK {
			t.Errorf("guard with RENTIX_BASE_URL=%q: err %v, want ok %v\n%s", url, err, wantOK, out)
		}
		if !wantOK && !strings.Contains(string(out), "RENTIX_STAGING_BASE_URL") {
			t.Errorf("the guard's message does not name the variable to set: %s", out)
		}
	}
}

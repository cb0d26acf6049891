// Package k8s holds the Kubernetes example; its test keeps the manifests
// valid against the Kubernetes API types.
package k8s

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// documents splits every manifest of the folder into its YAML documents.
func documents(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	docs := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range strings.Split("\n"+string(b), "\n---") {
			if strings.TrimSpace(stripComments(d)) != "" {
				docs[f+"#"+string(rune('0'+i))] = []byte(d)
			}
		}
	}
	return docs
}

func stripComments(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestManifests: every document decodes strictly (an unknown or misspelt
// field fails) into a Job that runs on a default cluster (no
// ReadWriteMany, no claim), as a non-root user, can be created again and
// again, and gives each shard its own key.
func TestManifests(t *testing.T) {
	t.Parallel()
	for name, doc := range documents(t) {
		var meta struct {
			Kind string `json:"kind"`
		}
		if err := yaml.Unmarshal(doc, &meta); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if meta.Kind != "Job" {
			t.Errorf("%s: kind %q; the example is Jobs only (a claim would need a storage class)", name, meta.Kind)
			continue
		}
		var job batchv1.Job
		if err := yaml.UnmarshalStrict(doc, &job); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkJob(t, name, &job)
	}
}

func checkJob(t *testing.T, name string, job *batchv1.Job) {
	if job.APIVersion != "batch/v1" {
		t.Errorf("%s: apiVersion %q", name, job.APIVersion)
	}
	if job.GenerateName == "" && job.Spec.TTLSecondsAfterFinished == nil {
		t.Errorf("%s: neither generateName nor ttlSecondsAfterFinished: a second run would clash with the first", name)
	}
	if job.Spec.BackoffLimit == nil || *job.Spec.BackoffLimit != 0 {
		t.Errorf("%s: backoffLimit must be 0: a retried run attacks twice", name)
	}
	pod := job.Spec.Template.Spec
	if pod.RestartPolicy != corev1.RestartPolicyNever {
		t.Errorf("%s: restartPolicy %q, want Never", name, pod.RestartPolicy)
	}
	if len(pod.Containers) == 0 {
		t.Fatalf("%s: no containers", name)
	}
	for _, v := range pod.Volumes {
		if v.PersistentVolumeClaim != nil || v.NFS != nil {
			t.Errorf("%s: volume %s needs storage a default cluster may not have (ReadWriteMany)", name, v.Name)
		}
	}
	podNonRoot := pod.SecurityContext != nil && pod.SecurityContext.RunAsNonRoot != nil && *pod.SecurityContext.RunAsNonRoot
	keys := map[string]string{}
	for _, c := range append(pod.InitContainers, pod.Containers...) {
		where := name + " container " + c.Name
		if c.Image == "" || len(c.Command) == 0 {
			t.Errorf("%s: image and command are required", where)
		}
		sc := c.SecurityContext
		nonRoot := podNonRoot || (sc != nil && sc.RunAsNonRoot != nil && *sc.RunAsNonRoot)
		if !nonRoot || (sc != nil && sc.RunAsUser != nil && *sc.RunAsUser == 0) {
			t.Errorf("%s: must run as non-root", where)
		}
		if sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
			t.Errorf("%s: allowPrivilegeEscalation must be false", where)
		}
		args := strings.Join(append(append([]string{}, c.Command...), c.Args...), " ")
		if strings.Contains(args, "--force") {
			t.Errorf("%s: --force: each shard keeps under its own key's limit", where)
		}
		for _, e := range c.Env {
			if strings.Contains(e.Name, "KEY") {
				if e.Value != "" || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
					t.Errorf("%s: %s must come from a Secret", where, e.Name)
					continue
				}
				ref := e.ValueFrom.SecretKeyRef.Name + "/" + e.ValueFrom.SecretKeyRef.Key
				if other, ok := keys[ref]; ok {
					t.Errorf("%s: shares the key %s with %s", where, ref, other)
				}
				keys[ref] = c.Name
			}
		}
	}
}

package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestResults_RoundTrip(t *testing.T) {
	t.Parallel()
	in := sampleSummary()
	dir := t.TempDir()
	var buf bytes.Buffer
	if err := WriteResults(&buf, in); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ResultsFile), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{dir, filepath.Join(dir, ResultsFile)} {
		got, err := LoadResults(path)
		if err != nil {
			t.Fatalf("LoadResults(%s): %v", path, err)
		}
		in.Version = Version
		if diff := cmp.Diff(in, *got); diff != "" {
			t.Errorf("LoadResults(%s) differs from what was written (-want +got):\n%s", path, diff)
		}
	}
	if !strings.Contains(buf.String(), `"duration": "1m23.42s"`) {
		t.Errorf("durations should be readable strings in results.json:\n%.400s", buf.String())
	}
	if strings.Contains(buf.String(), `\u003c`) {
		t.Errorf("results.json escapes HTML characters; evidence should stay readable")
	}
}

func TestLoadResults_Errors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := LoadResults(dir); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("LoadResults(empty dir) error = %v, want 'does not exist'", err)
	}
	old := filepath.Join(dir, "old.json")
	if err := os.WriteFile(old, []byte(`{"version":99}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadResults(old); err == nil || !strings.Contains(err.Error(), "version 99") {
		t.Errorf("LoadResults(version 99) error = %v, want a version error", err)
	}
}

func TestWriteCoverageAndDriftJSON_EmptyListsAreArrays(t *testing.T) {
	t.Parallel()
	var cov, drift bytes.Buffer
	if err := WriteCoverageJSON(&cov, Summary{RunID: "r"}); err != nil {
		t.Fatal(err)
	}
	if err := WriteDriftJSON(&drift, Summary{RunID: "r"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cov.String(), `"operations": []`) || !strings.Contains(drift.String(), `"findings": []`) {
		t.Errorf("empty lists should be [] not null:\n%s\n%s", cov.String(), drift.String())
	}
}

package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// After a load run the run directory has one index.html linking its
// report, and the report's own page links back to it.
func TestLoad_WritesTheRunIndex(t *testing.T) {
	t.Parallel()
	reports := t.TempDir()
	slo := filepath.Join(t.TempDir(), "slo.yaml")
	if err := os.WriteFile(slo, []byte(looseSLO), 0o644); err != nil {
		t.Fatal(err)
	}
	out := runCLI(context.Background(), "load", "--scenario", "get", "--rate", "40/s", "--duration", "1s",
		"--report-dir", reports, "--slo", slo)
	if out.code != ExitOK {
		t.Fatalf("load: %s", out)
	}
	index := runFile(reports, "index.html")
	if index == "" {
		t.Fatalf("no index.html in the run directory under %s", reports)
	}
	data, _ := os.ReadFile(index)
	if !strings.Contains(string(data), `href="load/get/index.html"`) {
		t.Errorf("the run index does not link the load report:\n%s", data)
	}
	page, err := os.ReadFile(filepath.Join(filepath.Dir(index), "load", "get", "index.html"))
	if err != nil || !strings.Contains(string(page), `href="../../index.html"`) || !strings.Contains(string(page), "<svg") {
		t.Errorf("the load page is missing, has no charts or no link to the run index (%v)", err)
	}
	if !strings.Contains(out.stderr, "· fixtures: uploading") || !strings.Contains(out.stderr, "· cleanup:") {
		t.Errorf("stderr lacks the phase lines:\n%s", out.stderr)
	}
}

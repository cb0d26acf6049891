package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func renderHTML(t *testing.T, s Summary) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, s); err != nil {
		t.Fatalf("WriteHTML: %v", err)
	}
	return buf.String()
}

func TestWriteHTML_EscapesEvidence(t *testing.T) {
	t.Parallel()
	s := sampleSummary()
	s.Features[0].Scenarios[0].Name = `<b onmouseover="x">name</b>`
	page := renderHTML(t, s)
	for _, bad := range []string{"<script>", "<b onmouseover"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains raw %q; evidence and names must be escaped", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b onmouseover="} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks escaped text %q", want)
		}
	}
}

// assetRef matches anything that would make a browser fetch: src/href/action
// attributes with a scheme or a protocol-relative URL, CSS url() and @import.
var assetRef = regexp.MustCompile(`(?i)(\b(src|href|action|srcset)\s*=\s*["']?\s*(https?:)?//)|url\(|@import|<link\b|<script\b|<iframe\b|<img\b`)

func TestWriteHTML_SelfContained(t *testing.T) {
	t.Parallel()
	page := renderHTML(t, sampleSummary())
	if m := assetRef.FindString(page); m != "" {
		t.Errorf("page references an external asset or script: %q", m)
	}
	if !strings.HasPrefix(page, "<!DOCTYPE html>") || !strings.Contains(page, "<style>") {
		t.Errorf("page should be a full document with inline CSS")
	}
}

func TestWriteHTML_ShowsEverySection(t *testing.T) {
	t.Parallel()
	page := renderHTML(t, sampleSummary())
	for _, want := range []string{
		"<h1>FAIL</h1>", "20261128-184105-3fa2", // banner
		"Read a file by id", "Unknown id is 404", "Needs a suspended key", // scenarios
		"no suspended key configured",                  // skip reason
		"I get the media by id",                        // failing step
		`class="undoc"`, `class="got"`, `class="miss"`, // coverage marks
		`unknown property &#34;width&#34;`,             // drift
		"1 new failure(s)", "Fixed since the baseline", // baseline
		">documented</span>", ">inferred, not counted</span>", // failure kinds
		`class="badge b-new">new<`, `class="badge b-known">known<`,
		"features/media_read.feature:7", // failure location
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestWriteHTML_EmptySummary(t *testing.T) {
	t.Parallel()
	page := renderHTML(t, Summary{Verdict: Interrupted, Interruption: "interrupted by signal"})
	for _, want := range []string{"No failures.", "No scenarios ran.", "No coverage data.", "interrupted by signal"} {
		if !strings.Contains(page, want) {
			t.Errorf("empty page lacks %q", want)
		}
	}
}

package explore

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/report"
)

// The reports of a run that found a fault: titled as an exploration, each
// finding's curl line in the console, summary.md, index.html, junit.xml and
// results.json, and the operations × input classes table in summary.md,
// index.html and results.json.
func TestRun_ReportsCarryEveryFindingsCurl(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	res := runExplore(t, Options{Faults: []string{"bounds-id-int32-500"}, NoSequences: true, Stdout: &out})
	if res.Passed() || len(res.Findings) == 0 {
		t.Fatalf("bounds-id-int32-500 not caught")
	}
	files := map[string]string{"console": out.String()}
	for _, name := range []string{SummaryFile, HTMLFile, JUnitFile, ResultsFile} {
		data, err := os.ReadFile(filepath.Join(res.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(data)
	}
	var results report.Summary
	if err := json.Unmarshal([]byte(files[ResultsFile]), &results); err != nil {
		t.Fatalf("results.json: %v", err)
	}
	var junit struct {
		Name  string   `xml:"name,attr"`
		Texts []string `xml:"testsuite>testcase>failure"`
	}
	if err := xml.Unmarshal([]byte(files[JUnitFile]), &junit); err != nil {
		t.Fatalf("junit.xml: %v", err)
	}
	readable := map[string]string{
		"console": files["console"], SummaryFile: files[SummaryFile], HTMLFile: html.UnescapeString(files[HTMLFile]),
		JUnitFile: strings.Join(junit.Texts, "\n"), ResultsFile: failureTexts(results),
	}
	for _, f := range res.Findings {
		if !strings.Contains(f.Curl, `"Authorization: ApiKey $RENTIX_API_KEY"`) {
			t.Errorf("finding %s · %s: curl %q does not send $RENTIX_API_KEY", f.Operation, f.Input, f.Curl)
		}
		for where, text := range readable {
			if !strings.Contains(text, f.Curl) {
				t.Errorf("%s lacks the curl line of %s · %s:\n  %s", where, f.Operation, f.Input, f.Curl)
			}
		}
	}
	for where, text := range files {
		if where != "console" && strings.Contains(strings.ToLower(text), "conformance") {
			t.Errorf("%s calls the exploration a conformance run", where)
		}
	}
	for where, want := range map[string]string{
		SummaryFile: "## Rentix Media API exploration: ", HTMLFile: "<title>FAIL · exploration run run</title>",
		JUnitFile: `name="mediaharness exploration run"`,
	} {
		if !strings.Contains(files[where], want) {
			t.Errorf("%s lacks %q", where, want)
		}
	}
	for _, where := range []string{SummaryFile, HTMLFile} {
		if !strings.Contains(files[where], "Operations × input classes") || !strings.Contains(files[where], "bounds") {
			t.Errorf("%s lacks the operations × input classes table", where)
		}
	}
	if x := results.Explored; results.Kind != report.KindExploration || x == nil || len(x.Operations) == 0 || len(x.Classes) == 0 {
		t.Errorf("results.json: kind %q, explored %+v; want the exploration with its table", results.Kind, x)
	}
}

func failureTexts(s report.Summary) string {
	var b strings.Builder
	for _, sc := range s.Failures() {
		b.WriteString(sc.Failure.Message + "\n" + sc.Failure.Curl + "\n")
	}
	return b.String()
}

// A curl line sends the key of the agency the request came from, by its
// variable.
func TestCurl_SendsTheAgencysKeyVariable(t *testing.T) {
	t.Parallel()
	for label, v := range config.KeyEnv {
		c := curl("http://h/api/v1", label, client.Request{Method: "GET", Path: "/agency"}, nil)
		if want := `-H "Authorization: ApiKey $` + v + `"`; !strings.Contains(c, want) {
			t.Errorf("agency %s: curl %s lacks %s", label, c, want)
		}
	}
}

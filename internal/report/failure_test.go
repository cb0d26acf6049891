package report

import (
	"bytes"
	"encoding/xml"
	"html"
	"strings"
	"testing"
)

const contractEvidence = `DELETE /media/3 broke the contract (1 finding)
→ DELETE /api/v1/media/3 (deleteMedia)
Host: 127.0.0.1:38271
Accept: application/json
Authorization: ApiKey $RENTIX_API_KEY
User-Agent: mediaharness

← 200
Content-Type: application/json; charset=utf-8

{"deleted":"true"}

response.body /deleted: value must be a boolean (got "true")`

const stepEvidence = `the error message
  want: "File not found"
  got:  "Not found"

→ POST /api/v1/media/upload-from-url (uploadFromUrl)
Host: example.test
Content-Type: application/json
X-Api-Key: $RENTIX_API_KEY

{"url":"http://x.test/it's.jpg"}

← 404
Content-Type: application/json

{"statusCode":404,"message":"Not found","error":"Not Found"}`

func TestNewFailure_ReadsRuleOperationAndReproduction(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, msg, base                 string
		rule, op, request, curl, reason string
	}{
		{"contract", contractEvidence, "http://127.0.0.1:38271/api/v1",
			`response.body /deleted: value must be a boolean (got "true")`, "deleteMedia", "DELETE /api/v1/media/3",
			`curl -sS -i -X DELETE 'http://127.0.0.1:38271/api/v1/media/3' -H "Authorization: ApiKey $RENTIX_API_KEY"`,
			`s: response.body /deleted: value must be a boolean (got "true")`},
		{"step", stepEvidence, "https://example.test/api/v1",
			`the error message: want "File not found"`, "uploadFromUrl", "POST /api/v1/media/upload-from-url",
			`curl -sS -i -X POST 'https://example.test/api/v1/media/upload-from-url' -H 'Content-Type: application/json' -H "X-Api-Key: $RENTIX_API_KEY" --data-raw '{"url":"http://x.test/it'\''s.jpg"}'`,
			`s: the error message: want "File not found", got "Not found"`},
		{"no exchange", "boom\nmore", "", "boom", "", "", "", "s: boom"},
	} {
		f := NewFailure("s", tc.msg, tc.base)
		got := [...]string{f.Rule, f.Operation, f.Request, f.Curl, Reason(Scenario{Failure: f})}
		want := [...]string{tc.rule, tc.op, tc.request, tc.curl, tc.reason}
		for i, field := range []string{"rule", "operation", "request", "curl", "reason"} {
			if got[i] != want[i] {
				t.Errorf("%s: %s =\n  %s\nwant\n  %s", tc.name, field, got[i], want[i])
			}
		}
	}
}

func TestHeaderArg_QuotesEverythingButTheKeyVariable(t *testing.T) {
	t.Parallel()
	got := headerArg("Authorization", "Bearer\"$`x $RENTIX_API_KEY")
	if want := "\"Authorization: Bearer\\\"\\$\\`x $RENTIX_API_KEY\""; got != want {
		t.Errorf("headerArg = %s, want %s", got, want)
	}
	// A value the client redacted was none of the run's keys: it is sent
	// redacted, an unknown key again, never as the primary key.
	if got, want := headerArg("X-Api-Key", "[REDACTED]"), `'X-Api-Key: [REDACTED]'`; got != want {
		t.Errorf("headerArg of an unknown key = %s, want %s", got, want)
	}
}

func TestSummary_FailureGroups_OneGroupPerRuleAndOperation(t *testing.T) {
	t.Parallel()
	fail := func(name, msg string) Scenario {
		return Scenario{ID: "f » " + name, Name: name, Status: Failed, Failure: NewFailure("step", msg, "")}
	}
	other := strings.Replace(contractEvidence, "/media/3", "/media/9", -1)
	s := Summary{Features: []Feature{{Scenarios: []Scenario{
		fail("a", contractEvidence), fail("b", stepEvidence), fail("c", other),
		{ID: "f » d", Name: "d", Status: Passed},
	}}}}
	groups := s.FailureGroups()
	if len(groups) != 2 {
		t.Fatalf("groups = %+v, want 2 (one rule × operation each)", groups)
	}
	if g := groups[0]; g.Operation != "deleteMedia" || len(g.Scenarios) != 2 || g.Scenarios[1].Name != "c" {
		t.Errorf("first group = %s with %d scenarios, want deleteMedia with a and c", g.Title(), len(g.Scenarios))
	}
}

func TestSummary_SkipGroups_CommonestReasonFirst(t *testing.T) {
	t.Parallel()
	skip := func(reason string) Scenario { return Scenario{Status: Skipped, Skip: &Skip{Reason: reason}} }
	old := Scenario{Status: Skipped, Failure: &Failure{Message: "no key"}} // results.json before Skip
	s := Summary{Features: []Feature{{Scenarios: []Scenario{
		skip("no source"), skip("no key"), old, {Status: Skipped}, {Status: Passed},
	}}}}
	var got []string
	for _, g := range s.SkipGroups() {
		got = append(got, g.Reason+"="+string(rune('0'+len(g.Scenarios))))
	}
	if want := "no key=2 no source=1 " + NoSkipReason + "=1"; strings.Join(got, " ") != want {
		t.Errorf("skip groups = %q, want %q", strings.Join(got, " "), want)
	}
}

func TestWriteJUnit_SkipsAreSkippedAndFailuresCarryReproduction(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, sampleSummary()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Skipped  int `xml:"skipped,attr"`
		Suites   []struct {
			Skipped int `xml:"skipped,attr"`
			Cases   []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
				Skipped *struct {
					Message string `xml:"message,attr"`
				} `xml:"skipped"`
				Error *struct{} `xml:"error"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("junit.xml does not parse: %v\n%s", err, buf.String())
	}
	if doc.Tests != 5 || doc.Failures != 2 || doc.Skipped != 1 || doc.Suites[1].Skipped != 1 {
		t.Errorf("tests, failures, skipped = %d, %d, %d (suite 2 skipped %d), want 5, 2, 1 (1)",
			doc.Tests, doc.Failures, doc.Skipped, doc.Suites[1].Skipped)
	}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Error != nil {
				t.Errorf("%s: an <error>, want failures and skips only", c.Name)
			}
			if c.Name == "Needs a suspended key" && (c.Skipped == nil || c.Skipped.Message != "no suspended key configured") {
				t.Errorf("%s: skipped = %+v, want <skipped message=the reason>", c.Name, c.Skipped)
			}
			if c.Name == "Read a file by id" && (c.Failure == nil || !strings.Contains(c.Failure.Text,
				`curl -sS -i 'https://staging.example.test/api/v1/media/123' -H "Authorization: ApiKey $RENTIX_API_KEY"`)) {
				t.Errorf("%s: failure = %+v, want the evidence and a curl reproduction", c.Name, c.Failure)
			}
		}
	}
}

// The client names the key a request carried by its variable; the
// reproduction sends the same agency's key.
func TestNewFailure_ReproducesWithTheAgencysKeyVariable(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"$RENTIX_OTHER_API_KEY", "$RENTIX_SUSPENDED_API_KEY", "$RENTIX_CRM_DISABLED_API_KEY", "$RENTIX_RATELIMIT_API_KEY"} {
		msg := strings.Replace(contractEvidence, "Authorization: ApiKey $RENTIX_API_KEY", "Authorization: ApiKey "+v, 1)
		f := NewFailure("s", msg, "http://127.0.0.1:38271/api/v1")
		want := `curl -sS -i -X DELETE 'http://127.0.0.1:38271/api/v1/media/3' -H "Authorization: ApiKey ` + v + `"`
		if f.Curl != want {
			t.Errorf("key %s: curl =\n  %s\nwant\n  %s", v, f.Curl, want)
		}
		if got := KeyVariablesOf(f.Curl); len(got) != 1 || got[0] != v {
			t.Errorf("KeyVariablesOf(%s) = %v, want [%s]", f.Curl, got, v)
		}
	}
	got := headerArg("X-Api-Key", `$RENTIX_OTHER_API_KEY"$x`)
	if want := `"X-Api-Key: $RENTIX_OTHER_API_KEY\"\$x"`; got != want {
		t.Errorf("headerArg = %s, want %s", got, want)
	}
}

// Every report shows a failure's reproduction and names the variable it
// needs: the other agency's, when its key was sent.
func TestReports_ReproduceWithTheVariableTheCurlNeeds(t *testing.T) {
	t.Parallel()
	msg := strings.Replace(contractEvidence, "ApiKey $RENTIX_API_KEY", "ApiKey $RENTIX_OTHER_API_KEY", 1)
	f := NewFailure("When the other agency deletes it", msg, "http://127.0.0.1:38271/api/v1")
	s := Summary{RunID: "r", Verdict: Fail, Features: []Feature{{Name: "isolation", URI: "f.feature",
		Scenarios: []Scenario{{ID: "f.feature » s", Name: "s", Status: Failed, Counted: true, Failure: f}}}}}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"summary.md": func(b *bytes.Buffer) error { return WriteSummaryMarkdown(b, s) },
		"index.html": func(b *bytes.Buffer) error { return WriteHTML(b, s) },
		"junit.xml":  func(b *bytes.Buffer) error { return WriteJUnit(b, s) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		text := html.UnescapeString(b.String())
		if !strings.Contains(text, f.Curl) {
			t.Errorf("%s lacks the reproduction %s:\n%s", name, f.Curl, text)
		}
		if strings.Contains(text, "RENTIX_API_KEY") {
			t.Errorf("%s names $RENTIX_API_KEY for a request sent with the other agency's key:\n%s", name, text)
		}
	}
}

// Failures of one rule and operation whose requests carried different
// agencies' keys are separate groups; index.html shows each scenario's own
// reproduction where it differs from its group's.
func TestSummary_FailureGroups_SplitByTheKeySent(t *testing.T) {
	t.Parallel()
	fail := func(name, msg string) Scenario {
		return Scenario{ID: "f » " + name, Name: name, Status: Failed, Failure: NewFailure("step", msg, "")}
	}
	other := strings.Replace(contractEvidence, "ApiKey $RENTIX_API_KEY", "ApiKey $RENTIX_OTHER_API_KEY", 1)
	nine := strings.Replace(contractEvidence, "/media/3", "/media/9", -1)
	s := Summary{Features: []Feature{{Name: "f", Scenarios: []Scenario{
		fail("a", contractEvidence), fail("b", other), fail("c", nine)}}}}
	groups := s.FailureGroups()
	if len(groups) != 2 || len(groups[0].Scenarios) != 2 || !strings.Contains(groups[1].Curl(), "$RENTIX_OTHER_API_KEY") {
		t.Fatalf("groups = %+v, want the primary key's two failures, then the other key's", groups)
	}
	var b bytes.Buffer
	if err := WriteHTML(&b, s); err != nil {
		t.Fatal(err)
	}
	for _, sc := range s.Failures() {
		if !strings.Contains(html.UnescapeString(b.String()), sc.Failure.Curl) {
			t.Errorf("index.html lacks the reproduction of %s: %s", sc.Name, sc.Failure.Curl)
		}
	}
}

func TestReproduceLabel_NamesTheVariablesToSet(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ curl, verb, want string }{
		{`curl 'u' -H "Authorization: ApiKey $RENTIX_OTHER_API_KEY"`, "with", "Reproduce (with $RENTIX_OTHER_API_KEY set)"},
		{`curl 'u' -H "Authorization: ApiKey $RENTIX_API_KEY" -H "X-Api-Key: $RENTIX_SUSPENDED_API_KEY"`, "export",
			"Reproduce (export RENTIX_API_KEY and RENTIX_SUSPENDED_API_KEY first)"},
		{`curl 'u' -H 'X-Api-Key: [REDACTED]'`, "with", "Reproduce"},
	} {
		if got := reproduceLabel(tc.curl, tc.verb); got != tc.want {
			t.Errorf("reproduceLabel(%s, %s) = %q, want %q", tc.curl, tc.verb, got, tc.want)
		}
	}
}

package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// JUnitFile is the JUnit XML report's name in a run directory.
const JUnitFile = "junit.xml"

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Errors    int         `xml:"errors,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr,omitempty"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure"`
	Skipped   *junitSkipped `xml:"skipped"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes junit.xml for CI test reporting: one test suite a
// feature, one test case a scenario. A failure carries its whole evidence
// and a curl reproduction; a skipped scenario is <skipped message=reason>
// and counts in the skipped attributes. Warnings (failures that do not
// count) stay failures, typed "not counted".
func WriteJUnit(w io.Writer, s Summary) error {
	doc := junitSuites{Name: "mediaharness " + s.Subject() + " " + s.RunID, Time: seconds(s.Duration)}
	for _, f := range s.Features {
		suite := junitSuite{Name: f.Name, Timestamp: s.StartedAt.UTC().Format(time.RFC3339)}
		if suite.Name == "" {
			suite.Name = f.URI
		}
		var total Duration
		for _, sc := range f.Scenarios {
			suite.Cases = append(suite.Cases, junitCaseOf(suite.Name, f.URI, sc))
			suite.Tests++
			total += sc.Duration
			switch sc.Status {
			case Failed:
				suite.Failures++
			case Skipped:
				suite.Skipped++
			}
		}
		suite.Time = seconds(total)
		doc.Tests += suite.Tests
		doc.Failures += suite.Failures
		doc.Skipped += suite.Skipped
		doc.Suites = append(doc.Suites, suite)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitCaseOf(suite, uri string, sc Scenario) junitCase {
	c := junitCase{Name: sc.Name, Classname: suite, Time: seconds(sc.Duration)}
	if uri != "" {
		c.File = fmt.Sprintf("%s:%d", uri, sc.Line)
	}
	switch sc.Status {
	case Failed:
		c.Failure = &junitFailure{Type: FailureKind(sc)}
		if f := sc.Failure; f != nil {
			c.Failure.Message = f.Message
			c.Failure.Text = failureText(*f)
		} else {
			c.Failure.Message = "failed"
		}
	case Skipped:
		c.Skipped = &junitSkipped{Message: SkipReason(sc)}
	}
	return c
}

// failureText is the step, the evidence and the reproduction.
func failureText(f Failure) string {
	var b strings.Builder
	if f.Step != "" {
		fmt.Fprintf(&b, "Step: %s\n", f.Step)
	}
	if f.Rule != "" {
		fmt.Fprintf(&b, "Rule: %s\n", f.Rule)
	}
	b.WriteString("\n")
	b.WriteString(f.Message)
	if f.Curl != "" {
		fmt.Fprintf(&b, "\n\n%s:\n%s", reproduceLabel(f.Curl, "export"), f.Curl)
	}
	return b.String()
}

func seconds(d Duration) string {
	return fmt.Sprintf("%.3f", time.Duration(d).Seconds())
}

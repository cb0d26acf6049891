package steps

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"strings"

	"github.com/cucumber/godog"

	"github.com/rentix/mediaharness/internal/client"
)

// An operation is one phrase of the "When I <operation>" vocabulary: how its
// request is built, and what a success changes in what the scenario knows.
type operation struct {
	name    string
	pattern string // with named groups; "subject" names the file it is about
	build   func(s *state, m match, creds string) (*call, error)
	re      *regexp.Regexp
}

// match holds the named groups of an operation phrase.
type match map[string]string

var operations = []*operation{
	{name: "get", pattern: `get "(?P<subject>[^"]+)" by id`, build: (*state).getByID},
	{name: "get-external", pattern: `get "(?P<subject>[^"]+)" by external ID`, build: (*state).getByExternalID},
	{name: "delete", pattern: `delete "(?P<subject>[^"]+)" by id`, build: (*state).deleteByID},
	{name: "delete-external", pattern: `delete "(?P<subject>[^"]+)" by external ID`, build: (*state).deleteByExternalID},
	{name: "link", pattern: `link "(?P<subject>[^"]+)" to (?:(?P<new>a new external ID)(?: of (?P<length>\d+) characters)?|the (?:former )?external ID of "(?P<of>[^"]+)")`, build: (*state).link},
	{name: "link-body", pattern: `link "(?P<subject>[^"]+)" with the body (?P<body>.+)`, build: (*state).linkWithBody},
	{name: "unlink", pattern: `unlink "(?P<subject>[^"]+)"`, build: (*state).unlink},
	{name: "upload", pattern: `upload a (?P<kind>photo|PNG photo|file|non-image) as "(?P<subject>[^"]+)"`, build: (*state).upload},
	{name: "upload-taken", pattern: `upload a file as "(?P<subject>[^"]+)" with the external ID of "(?P<of>[^"]+)"`, build: (*state).uploadWithTakenID},
	{name: "upload-body", pattern: `upload with the body (?P<body>.+)`, build: (*state).uploadWithBody},
	{name: "job-status", pattern: `get the job status of "(?P<subject>[^"]+)"`, build: (*state).jobStatus},
	{name: "send", pattern: `send (?P<method>GET|POST|PUT|PATCH|DELETE) to "(?P<path>/[^"]*)"`, build: (*state).sendRaw},
}

// maxExternalIDLen is the documented limit of an external ID.
const maxExternalIDLen = 255

// modifierGroup matches an optional change to the body of an operation.
const modifierGroup = `(?: (with the Content-Type "[^"]+"|with a body of \d+ KB))?`

var (
	contentTypeModifier = regexp.MustCompile(`^with the Content-Type "([^"]+)"$`)
	sizeModifier        = regexp.MustCompile(`^with a body of (\d+) KB$`)
	groupOpen           = regexp.MustCompile(`\((?:\?P<\w+>|\?:)?`)
)

func init() {
	for _, op := range operations {
		op.re = regexp.MustCompile(`^` + op.pattern + `$`)
	}
	operationStep = operationStepPattern()
}

// operationStep is the one step of every operation: an operation phrase,
// then optionally how the key is sent, then optionally a body change.
var operationStep string

func operationStepPattern() string {
	alts := make([]string, len(operations))
	for i, op := range operations {
		alts[i] = nonCapturing(op.pattern)
	}
	return `^I (` + strings.Join(alts, "|") + `)` + credentialGroup + modifierGroup + `$`
}

// nonCapturing turns the groups of a pattern into non-capturing ones, so the
// step has exactly three captures whatever the operation.
func nonCapturing(p string) string {
	return groupOpen.ReplaceAllStringFunc(p, func(g string) string {
		if g == "(" || strings.HasPrefix(g, "(?P<") {
			return "(?:"
		}
		return g
	})
}

func registerOperationSteps(sc *godog.ScenarioContext) {
	sc.When(operationStep, on3((*state).iDo))
}

// opRecord is an operation as a step asked for it, kept to repeat it.
type opRecord struct {
	op         *operation
	m          match
	creds, mod string
}

func parseOperation(phrase string) (*operation, match, error) {
	for _, op := range operations {
		if sub := op.re.FindStringSubmatch(phrase); sub != nil {
			m := match{}
			for i, name := range op.re.SubexpNames() {
				if name != "" {
					m[name] = sub[i]
				}
			}
			return op, m, nil
		}
	}
	return nil, nil, fmt.Errorf("no operation reads %q", phrase)
}

// iDo sends an operation and keeps its answer for the Then steps.
func (s *state) iDo(ctx context.Context, phrase, creds, mod string) error {
	op, m, err := parseOperation(phrase)
	if err != nil {
		return err
	}
	rec := &opRecord{op: op, m: m, creds: creds, mod: mod}
	s.lastOp = rec
	c, err := s.prepare(rec)
	if err != nil {
		return err
	}
	resp, err := s.perform(ctx, c)
	if resp != nil {
		s.last = resp
	}
	return err
}

// prepare builds the request of an operation record.
func (s *state) prepare(rec *opRecord) (*call, error) {
	c, err := rec.op.build(s, rec.m, rec.creds)
	if err != nil {
		return nil, err
	}
	if err := c.modify(rec.mod); err != nil {
		return nil, err
	}
	return c, c.encode()
}

// repeatOn sends the last operation again, about another file.
func (s *state) repeatOn(ctx context.Context, name string) (*client.Response, error) {
	if s.lastOp == nil {
		return nil, errors.New("no operation to repeat: a When step must come first")
	}
	if _, ok := s.lastOp.m["subject"]; !ok {
		return nil, errors.New("the last operation is about no file")
	}
	rec := *s.lastOp
	rec.m = maps.Clone(rec.m)
	rec.m["subject"] = name
	c, err := s.prepare(&rec)
	if err != nil {
		return nil, err
	}
	return s.perform(ctx, c)
}

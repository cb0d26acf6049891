package steps

import (
	"context"
	"errors"
	"regexp"

	"github.com/cucumber/godog"

	"github.com/rentix/mediaharness/internal/client"
)

// operationSteps are the "When I <operation>" steps, one per phrase: its
// pattern and the function that implements it. operationPattern adds what
// every operation may end with: how the key is sent, then a body change.
var operationSteps = []struct {
	phrase string
	step   any
}{
	{`get "([^"]+)" by id`, about("get", (*state).getByID)},
	{`get "([^"]+)" by external ID`, about("get-external", (*state).getByExternalID)},
	{`delete "([^"]+)" by id`, about("delete", (*state).deleteByID)},
	{`delete "([^"]+)" by external ID`, about("delete-external", (*state).deleteByExternalID)},
	{`link "([^"]+)" to a new external ID(?: of (\d+) characters)?`, on4((*state).iLinkToANewExternalID)},
	{`link "([^"]+)" to the (?:former )?external ID of "([^"]+)"`, on4((*state).iLinkToTheExternalIDOf)},
	{`link "([^"]+)" with the body (.+)`, on4((*state).iLinkWithTheBody)},
	{`unlink "([^"]+)"`, about("unlink", (*state).unlink)},
	{`upload a (photo|PNG photo|file|non-image) as "([^"]+)"`, on4((*state).iUpload)},
	{`upload a file as "([^"]+)" with the external ID of "([^"]+)"`, on4((*state).iUploadWithTheExternalIDOf)},
	{`upload with the body (.+)`, on3((*state).iUploadWithTheBody)},
	{`get the job status of "([^"]+)"`, about("job-status", (*state).jobStatus)},
	{`send (GET|POST|PUT|PATCH|DELETE) to "(/[^"]*)"`, on4((*state).iSend)},
}

func registerOperationSteps(sc *godog.ScenarioContext) {
	for _, o := range operationSteps {
		sc.When(operationPattern(o.phrase), o.step)
	}
}

// operationPattern is the step of an operation phrase: the phrase, then
// optionally how the key is sent, then optionally a body change. The last
// two captures of every operation step are these.
func operationPattern(phrase string) string {
	return `^I ` + phrase + credentialGroup + modifierGroup + `$`
}

// maxExternalIDLen is the documented limit of an external ID.
const maxExternalIDLen = 255

// modifierGroup matches an optional change to the body of an operation.
const modifierGroup = `(?: (with the Content-Type "[^"]+"|with a body of \d+ KB))?`

var (
	contentTypeModifier = regexp.MustCompile(`^with the Content-Type "([^"]+)"$`)
	sizeModifier        = regexp.MustCompile(`^with a body of (\d+) KB$`)
)

// A builder makes the request of an operation about the file named subject
// ("" when it is about none), sent with the credentials the phrase creds
// names, with the effect a success has on what the scenario knows.
type builder func(s *state, subject, creds string) (*call, error)

// opRecord is an operation as a step asked for it, kept to repeat it about
// another file.
type opRecord struct {
	op         string // the operation: "get", "upload", ...
	subject    string // the file it is about; "" when about none
	creds, mod string
	build      builder
}

// about is the step of an operation whose phrase names only the file it is
// about: build makes its request.
func about(op string, build builder) func(ctx context.Context, subject, creds, mod string) error {
	return func(ctx context.Context, subject, creds, mod string) error {
		return stateOf(ctx).iDo(ctx, &opRecord{op: op, subject: subject, creds: creds, mod: mod, build: build})
	}
}

// iDo sends an operation and keeps its answer for the Then steps.
func (s *state) iDo(ctx context.Context, rec *opRecord) error {
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
	c, err := rec.build(s, rec.subject, rec.creds)
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
	if s.lastOp.subject == "" {
		return nil, errors.New("the last operation is about no file")
	}
	rec := *s.lastOp
	rec.subject = name
	c, err := s.prepare(&rec)
	if err != nil {
		return nil, err
	}
	return s.perform(ctx, c)
}

package steps

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rentix/mediaharness/internal/client"
)

// failure is a broken expectation: the rule, what was wanted and what came,
// then the exchanges it was seen in (keys redacted by the client).
func (s *state) failure(resp *client.Response, rule string, want, got any, more ...*client.Response) error {
	return s.report(fmt.Sprintf("%s\n  want: %v\n  got:  %v", rule, want, got), append([]*client.Response{resp}, more...)...)
}

// mismatch is a failed go-cmp comparison; diff is "-want +got".
func (s *state) mismatch(resp *client.Response, rule, diff string, more ...*client.Response) error {
	return s.report(fmt.Sprintf("%s (-want +got):\n%s", rule, diff), append([]*client.Response{resp}, more...)...)
}

func (s *state) report(msg string, exchanges ...*client.Response) error {
	var b strings.Builder
	b.WriteString(msg)
	for _, r := range exchanges {
		if r != nil {
			b.WriteString("\n\n")
			b.WriteString(s.env.Client.Evidence(r))
		}
	}
	return errors.New(b.String())
}

// lastAnswer is the answer the Then steps look at.
// fileAndAnswer is what a Then step about a named file looks at: the file
// and the last answer.
func (s *state) fileAndAnswer(name string) (*file, *client.Response, error) {
	f, err := s.fileNamed(name)
	if err != nil {
		return nil, nil, err
	}
	resp, err := s.lastAnswer()
	return f, resp, err
}

func (s *state) lastAnswer() (*client.Response, error) {
	if s.last == nil {
		return nil, errors.New("no answer yet: a When step must come first")
	}
	return s.last, nil
}

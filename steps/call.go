package steps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/contract"
)

// call is one request ready to send.
type call struct {
	req     client.Request
	subject *file // nil when the operation is about no named file
	from    sender
	body    map[string]any // a JSON body still to encode
	// effect records what a 2xx answer changed; it only runs when the request
	// carried the key of the subject's owner (or created the subject).
	effect func(*client.Response) error
	// unrouted: the path is deliberately one the contract has no operation
	// for, so a "route" finding is expected.
	unrouted bool
}

// newCall starts a request about subject (nil: about no file), sent with the
// credentials a phrase names; the default is the key of the subject's owner.
func (s *state) newCall(method, path string, subject *file, creds string) (*call, error) {
	owner := config.Primary
	if subject != nil {
		owner = subject.agency
	}
	from, err := s.sender(creds, owner)
	if err != nil {
		return nil, err
	}
	return &call{
		req: client.Request{
			Method: method, Path: path, Key: from.key, Auth: from.auth,
			Header: http.Header{}, Deliberate: from.deliberate,
		},
		subject: subject, from: from,
	}, nil
}

// modify applies a body change; only an operation with a JSON body takes one.
func (c *call) modify(mod string) error {
	if mod == "" {
		return nil
	}
	if c.body == nil {
		return fmt.Errorf("%q needs an operation that sends a JSON body", mod)
	}
	c.req.Deliberate = true
	if m := contentTypeModifier.FindStringSubmatch(mod); m != nil {
		c.req.Header.Set("Content-Type", m[1])
		return nil
	}
	m := sizeModifier.FindStringSubmatch(mod)
	if m == nil {
		return fmt.Errorf("unknown body change %q", mod)
	}
	kb, err := strconv.Atoi(m[1])
	if err != nil {
		return err
	}
	c.body["padding"] = strings.Repeat("x", kb*1024)
	return nil
}

// encode writes the JSON body, declared as JSON unless a modifier said otherwise.
func (c *call) encode() error {
	if c.body == nil {
		return nil
	}
	b, err := json.Marshal(c.body)
	if err != nil {
		return err
	}
	c.req.Body = b
	if c.req.Header.Get("Content-Type") == "" {
		c.req.Header.Set("Content-Type", "application/json")
	}
	return nil
}

// rawBody sends text as it is, declared as JSON: a deliberately bad request.
func (c *call) rawBody(text string) {
	c.req.Body = []byte(text)
	c.req.Header.Set("Content-Type", "application/json")
	c.req.Deliberate = true
}

// perform sends c. A 2xx answer is recorded even when it breaks the
// contract, so the scenario's knowledge (and cleanup) stays true.
func (s *state) perform(ctx context.Context, c *call) (*client.Response, error) {
	resp, err := s.env.Client.Do(ctx, c.req)
	if resp == nil {
		return nil, err
	}
	if perr := s.plausible(c.req, resp); perr != nil {
		err = errors.Join(err, perr)
	}
	if success(resp.Status) && c.effect != nil && c.owned() {
		if eerr := c.effect(resp); eerr != nil {
			err = errors.Join(err, eerr)
		}
	}
	var ce *client.ContractError
	if errors.As(err, &ce) && c.unrouted && onlyRouteFindings(ce) {
		err = nil
	}
	return resp, err
}

// owned reports whether the request carried the key of the file it is
// about: only then does a success say something about that file.
func (c *call) owned() bool {
	return c.subject == nil || c.subject.id == 0 || c.from.label == c.subject.agency
}

// onlyRouteFindings reports whether the contract's only complaint is that
// it has no operation for the request's route.
func onlyRouteFindings(ce *client.ContractError) bool {
	for _, f := range ce.Findings {
		if f.Rule != contract.RuleRoute {
			return false
		}
	}
	return true
}

func success(status int) bool { return status >= 200 && status < 300 }

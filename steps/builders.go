package steps

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rentix/mediaharness/internal/client"
)

// The builders of the operation vocabulary (operationSteps lists their
// phrases): each turns the captures of a phrase into a call, with the effect
// a success has on what the scenario knows. An operation whose phrase says
// more than the file it is about has a step of its own here, beside its
// builder.

func (s *state) getByID(subject, creds string) (*call, error) {
	f, err := s.fileNamed(subject)
	if err != nil {
		return nil, err
	}
	return s.newCall(http.MethodGet, f.path(), f, creds)
}

func (s *state) getByExternalID(subject, creds string) (*call, error) {
	f, err := s.fileNamed(subject)
	if err != nil {
		return nil, err
	}
	return s.newCall(http.MethodGet, externalPath(f.ext), f, creds)
}

func (s *state) deleteByID(subject, creds string) (*call, error) {
	f, err := s.fileNamed(subject)
	if err != nil {
		return nil, err
	}
	c, err := s.newCall(http.MethodDelete, f.path(), f, creds)
	if err == nil {
		c.effect = s.deletedEffect(f)
	}
	return c, err
}

func (s *state) deleteByExternalID(subject, creds string) (*call, error) {
	f, err := s.fileNamed(subject)
	if err != nil {
		return nil, err
	}
	c, err := s.newCall(http.MethodDelete, externalPath(f.ext), f, creds)
	if err == nil {
		c.effect = s.deletedEffect(f)
	}
	return c, err
}

// deletedEffect tells the fixture manager that the scenario deleted f, so
// cleanup counts stay honest.
func (s *state) deletedEffect(f *file) func(*client.Response) error {
	return func(*client.Response) error {
		if !f.missing && !f.deleted {
			s.env.Fixtures.Deleted(f.agency, f.id)
		}
		f.deleted = true
		return nil
	}
}

// iLinkToANewExternalID links a file to a new run-scoped external ID, padded
// to length characters when one is given.
func (s *state) iLinkToANewExternalID(ctx context.Context, subject, length, creds, mod string) error {
	return s.iDo(ctx, &opRecord{op: "link", subject: subject, creds: creds, mod: mod,
		build: func(s *state, subject, creds string) (*call, error) {
			return s.link(subject, creds, func() (string, error) { return s.newExternalID(length) })
		}})
}

// iLinkToTheExternalIDOf links a file to the external ID another file has
// (or had).
func (s *state) iLinkToTheExternalIDOf(ctx context.Context, subject, of, creds, mod string) error {
	return s.iDo(ctx, &opRecord{op: "link", subject: subject, creds: creds, mod: mod,
		build: func(s *state, subject, creds string) (*call, error) {
			return s.link(subject, creds, func() (string, error) { return s.externalIDOf(of) })
		}})
}

// link links the file named subject to the external ID target gives.
func (s *state) link(subject, creds string, target func() (string, error)) (*call, error) {
	f, err := s.fileNamed(subject)
	if err != nil {
		return nil, err
	}
	ext, err := target()
	if err != nil {
		return nil, err
	}
	c, err := s.newCall(http.MethodPost, f.path()+"/link", f, creds)
	if err != nil {
		return nil, err
	}
	c.body = map[string]any{"externalId": ext}
	// Over the documented 255 characters the request itself is invalid.
	c.req.Deliberate = c.req.Deliberate || len([]rune(ext)) > maxExternalIDLen
	c.effect = func(*client.Response) error {
		f.ext, f.linked = ext, true
		return nil
	}
	return c, nil
}

// externalIDOf is the external ID the file named name has or had.
func (s *state) externalIDOf(name string) (string, error) {
	f, err := s.fileNamed(name)
	if err != nil {
		return "", err
	}
	return f.ext, nil
}

// newExternalID is a new run-scoped external ID, padded to length characters
// unless length is "".
func (s *state) newExternalID(length string) (string, error) {
	ext := s.env.Fixtures.NextExternalID()
	if length == "" {
		return ext, nil
	}
	n, err := strconv.Atoi(length)
	if err != nil || n < len(ext) {
		return "", fmt.Errorf("cannot make a run-scoped external ID of %s characters", length)
	}
	return ext + "-" + strings.Repeat("x", n-len(ext)-1), nil
}

// iLinkWithTheBody sends a link with a body as written.
func (s *state) iLinkWithTheBody(ctx context.Context, subject, body, creds, mod string) error {
	return s.iDo(ctx, &opRecord{op: "link-body", subject: subject, creds: creds, mod: mod,
		build: func(s *state, subject, creds string) (*call, error) { return s.linkWithBody(subject, body, creds) }})
}

func (s *state) linkWithBody(subject, body, creds string) (*call, error) {
	f, err := s.fileNamed(subject)
	if err != nil {
		return nil, err
	}
	c, err := s.newCall(http.MethodPost, f.path()+"/link", f, creds)
	if err == nil {
		c.rawBody(body)
	}
	return c, err
}

func (s *state) unlink(subject, creds string) (*call, error) {
	f, err := s.fileNamed(subject)
	if err != nil {
		return nil, err
	}
	c, err := s.newCall(http.MethodDelete, f.path()+"/link", f, creds)
	if err == nil {
		c.effect = func(*client.Response) error {
			f.linked = false
			return nil
		}
	}
	return c, err
}

func (s *state) jobStatus(subject, creds string) (*call, error) {
	f, err := s.fileNamed(subject)
	if err != nil {
		return nil, err
	}
	if f.jobID <= 0 {
		return nil, fmt.Errorf("%q has no job id (its upload answer had none)", f.name)
	}
	return s.newCall(http.MethodGet, "/job/status?id="+strconv.FormatInt(f.jobID, 10), f, creds)
}

// iSend sends a method to a path as written; a body-carrying method sends {}.
func (s *state) iSend(ctx context.Context, method, path, creds, mod string) error {
	return s.iDo(ctx, &opRecord{op: "send", creds: creds, mod: mod,
		build: func(s *state, _, creds string) (*call, error) { return s.sendRaw(method, path, creds) }})
}

func (s *state) sendRaw(method, path, creds string) (*call, error) {
	c, err := s.newCall(method, path, nil, creds)
	if err != nil {
		return nil, err
	}
	c.req.Deliberate, c.unrouted = true, true
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		c.rawBody("{}")
	}
	return c, nil
}

func externalPath(ext string) string { return "/media/external/" + url.PathEscape(ext) }

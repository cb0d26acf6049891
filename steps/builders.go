package steps

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rentix/mediaharness/internal/client"
)

// The builders of the operation vocabulary: each turns a matched phrase into
// a call, with the effect a success has on what the scenario knows.

// subject is the named file an operation is about.
func (s *state) subject(m match) (*file, error) { return s.fileNamed(m["subject"]) }

func (s *state) getByID(m match, creds string) (*call, error) {
	f, err := s.subject(m)
	if err != nil {
		return nil, err
	}
	return s.newCall(http.MethodGet, f.path(), f, creds)
}

func (s *state) getByExternalID(m match, creds string) (*call, error) {
	f, err := s.subject(m)
	if err != nil {
		return nil, err
	}
	return s.newCall(http.MethodGet, externalPath(f.ext), f, creds)
}

func (s *state) deleteByID(m match, creds string) (*call, error) {
	f, err := s.subject(m)
	if err != nil {
		return nil, err
	}
	c, err := s.newCall(http.MethodDelete, f.path(), f, creds)
	if err == nil {
		c.effect = s.deletedEffect(f)
	}
	return c, err
}

func (s *state) deleteByExternalID(m match, creds string) (*call, error) {
	f, err := s.subject(m)
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

func (s *state) link(m match, creds string) (*call, error) {
	f, err := s.subject(m)
	if err != nil {
		return nil, err
	}
	ext, err := s.linkTarget(m)
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

// linkTarget is the external ID a link names: a new run-scoped one (padded
// to a length when asked) or the one another file has or had.
func (s *state) linkTarget(m match) (string, error) {
	if m["new"] == "" {
		of, err := s.fileNamed(m["of"])
		if err != nil {
			return "", err
		}
		return of.ext, nil
	}
	ext := s.env.Fixtures.NextExternalID()
	if m["length"] == "" {
		return ext, nil
	}
	n, err := strconv.Atoi(m["length"])
	if err != nil || n < len(ext) {
		return "", fmt.Errorf("cannot make a run-scoped external ID of %s characters", m["length"])
	}
	return ext + "-" + strings.Repeat("x", n-len(ext)-1), nil
}

func (s *state) linkWithBody(m match, creds string) (*call, error) {
	f, err := s.subject(m)
	if err != nil {
		return nil, err
	}
	c, err := s.newCall(http.MethodPost, f.path()+"/link", f, creds)
	if err == nil {
		c.rawBody(m["body"])
	}
	return c, err
}

func (s *state) unlink(m match, creds string) (*call, error) {
	f, err := s.subject(m)
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

func (s *state) jobStatus(m match, creds string) (*call, error) {
	f, err := s.subject(m)
	if err != nil {
		return nil, err
	}
	if f.jobID <= 0 {
		return nil, fmt.Errorf("%q has no job id (its upload answer had none)", f.name)
	}
	return s.newCall(http.MethodGet, "/job/status?id="+strconv.FormatInt(f.jobID, 10), f, creds)
}

// sendRaw sends a method to a path as written; a body-carrying method sends {}.
func (s *state) sendRaw(m match, creds string) (*call, error) {
	c, err := s.newCall(m["method"], m["path"], nil, creds)
	if err != nil {
		return nil, err
	}
	c.req.Deliberate, c.unrouted = true, true
	switch m["method"] {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		c.rawBody("{}")
	}
	return c, nil
}

func externalPath(ext string) string { return "/media/external/" + url.PathEscape(ext) }

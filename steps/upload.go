package steps

import (
	"context"
	"fmt"
	"net/http"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
)

// uploadAnswer is the part of an upload's answer the scenario keeps.
type uploadAnswer struct {
	MediaID int64 `json:"mediaId"`
	JobID   int64 `json:"jobId"`
}

// iUpload uploads a kind of file as a named file.
func (s *state) iUpload(ctx context.Context, kind, subject, creds, mod string) error {
	return s.iDo(ctx, &opRecord{op: "upload", subject: subject, creds: creds, mod: mod,
		build: func(s *state, subject, creds string) (*call, error) { return s.upload(kind, subject, creds) }})
}

// upload creates a named file. The external ID comes from the fixture
// manager, which records the intent before the request is sent, so even a
// refused upload that did create a file is cleaned up.
func (s *state) upload(kind, subject, creds string) (*call, error) {
	src, err := s.sourceURL(kind)
	if err != nil {
		return nil, err
	}
	c, err := s.newCall(http.MethodPost, "/media/upload-from-url", nil, creds)
	if err != nil {
		return nil, err
	}
	agency := c.from.label
	if agency == "" {
		agency = config.Primary
	}
	f, err := s.declare(subject, agency)
	if err != nil {
		return nil, err
	}
	if f.ext, err = s.uploadExternalID(agency); err != nil {
		return nil, err
	}
	c.subject = f
	c.body = map[string]any{"url": src, "externalId": f.ext}
	c.effect = func(resp *client.Response) error { return s.adopt(f, resp) }
	return c, nil
}

// uploadExternalID is the external ID an upload for agency sends. For an
// active agency the fixture manager records the intent first. A suspended
// agency or one without CRM can neither read nor delete its files, so there
// is nothing cleanup could do with an intent.
func (s *state) uploadExternalID(agency string) (string, error) {
	if !activeAgency(agency) {
		return s.env.Fixtures.NextExternalID(), nil
	}
	return s.env.Fixtures.Intent(agency)
}

// activeAgency reports whether an agency's key may use the API, so the
// steps can look at its files.
func activeAgency(label string) bool { return label == config.Primary || label == config.Other }

// adopt records the file an upload answer names.
func (s *state) adopt(f *file, resp *client.Response) error {
	var a uploadAnswer
	if err := resp.Decode(&a); err != nil || a.MediaID <= 0 {
		return fmt.Errorf("the upload of %q answered %d without a mediaId: %v", f.name, resp.Status, err)
	}
	f.id, f.jobID, f.linked = a.MediaID, a.JobID, f.ext != ""
	return s.env.Fixtures.AdoptUpload(f.agency, f.ext, a.MediaID, a.JobID)
}

// iUploadWithTheBody sends an upload with a body as written.
func (s *state) iUploadWithTheBody(ctx context.Context, body, creds, mod string) error {
	return s.iDo(ctx, &opRecord{op: "upload-body", creds: creds, mod: mod,
		build: func(s *state, _, creds string) (*call, error) { return s.uploadWithBody(body, creds) }})
}

// uploadWithBody sends a deliberately bad upload. Should the target create a
// file anyway, it is adopted so cleanup deletes it.
func (s *state) uploadWithBody(body, creds string) (*call, error) {
	c, err := s.newCall(http.MethodPost, "/media/upload-from-url", nil, creds)
	if err != nil {
		return nil, err
	}
	c.rawBody(body)
	stray := &file{name: "the upload", agency: config.Primary}
	c.effect = func(resp *client.Response) error { return s.adopt(stray, resp) }
	return c, nil
}

package explore

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
)

// fileSet is what the input phase works on: a file of the primary agency
// without an external ID (links land on it), one with an external ID, and
// one of the other agency (with an external ID).
type fileSet struct {
	plain, tagged, foreign file
}

// file is a file the run made.
type file struct {
	agency string
	id     int64
	job    int64
	ext    string
}

type uploadAnswer struct {
	MediaID    int64   `json:"mediaId"`
	ExternalID *string `json:"externalId"`
	JobID      int64   `json:"jobId"`
	Status     string  `json:"status"`
}

func (e *explorer) prepareFixtures(ctx context.Context) error {
	var err error
	if e.fix.plain, err = e.upload(ctx, config.Primary, ""); err != nil {
		return err
	}
	if e.fix.tagged, err = e.upload(ctx, config.Primary, e.mgr.NextExternalID()); err != nil {
		return err
	}
	e.fix.foreign, err = e.upload(ctx, config.Other, e.mgr.NextExternalID())
	return err
}

// upload makes a file, with ext when it is not "", and records it in the
// ledger for cleanup.
func (e *explorer) upload(ctx context.Context, agency, ext string) (file, error) {
	resp, err := e.send(ctx, agency, uploadRequest(e.source, ext, ext != ""))
	f := file{agency: agency, ext: ext}
	if resp == nil {
		return f, fmt.Errorf("upload: %w", err)
	}
	a, _ := e.adopt(agency, ext, resp)
	if !ok(resp.Status) || a.MediaID <= 0 {
		return f, fmt.Errorf("upload answered %d: %s", resp.Status, firstLine(string(resp.Body)))
	}
	f.id, f.job = a.MediaID, a.JobID
	return f, nil
}

// adopt records a file an upload answer names, so cleanup deletes it.
func (e *explorer) adopt(agency, ext string, resp *client.Response) (uploadAnswer, bool) {
	var a uploadAnswer
	if !ok(resp.Status) || json.Unmarshal(resp.Body, &a) != nil || a.MediaID <= 0 {
		return a, false
	}
	_ = e.mgr.AdoptUpload(agency, ext, a.MediaID, a.JobID)
	return a, true
}

func uploadRequest(url, ext string, withExt bool) client.Request {
	body := map[string]any{"url": url}
	if withExt {
		body["externalId"] = ext
	}
	return jsonRequest(http.MethodPost, "/media/upload-from-url", body)
}

// jsonRequest is a request with body v marshalled by hand, so that what is
// sent is exactly what the curl line shows.
func jsonRequest(method, path string, v any) client.Request {
	b, _ := json.Marshal(v)
	return rawRequest(method, path, b)
}

func rawRequest(method, path string, body []byte) client.Request {
	return client.Request{Method: method, Path: path, Body: body,
		Header: http.Header{"Content-Type": {"application/json"}}}
}

package explore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/rentix/mediaharness/internal/client"
)

// try sends one probe, judges the answer and undoes what a 2xx changed.
func (e *explorer) try(ctx context.Context, p probe) {
	resp, err := e.send(ctx, p.agency, p.req)
	if errors.Is(err, errBudget) || (resp == nil && ctx.Err() != nil) {
		return
	}
	problem := e.judge(p.want, resp, err)
	if resp != nil && ok(resp.Status) {
		problem = errors.Join(problem, e.aftermath(ctx, p, resp))
	}
	e.table.add(p.op.ID, p.class, problem != nil)
	if problem != nil {
		e.fail(e.finding("inputs", p.op.ID, p.class, p.input, p.agency, p.req, resp, problem))
	}
}

// judge applies the oracles every answer must pass: an answer came, no
// 5xx, the contract's verdict, and the status class of the input.
func (e *explorer) judge(want expect, resp *client.Response, err error) error {
	var ce *client.ContractError
	switch {
	case errors.Is(err, client.ErrRateLimited):
		return nil // still rate limited after every retry: nothing about the input
	case resp == nil:
		return fmt.Errorf("no answer: %v", err)
	case resp.Status >= 500:
		return fmt.Errorf("answered %d: a server error, never acceptable for any input (want %s)", resp.Status, want)
	case !want.admits(resp.Status):
		return fmt.Errorf("answered %d, want %s", resp.Status, want)
	case errors.As(err, &ce):
		return fmt.Errorf("the answer does not conform to the contract:\n%s", ce.Evidence)
	case err != nil:
		return err
	}
	return nil
}

// aftermath checks and undoes what an accepted probe did: an upload's file
// goes into the ledger, a link is round-tripped and unlinked again.
func (e *explorer) aftermath(ctx context.Context, p probe, resp *client.Response) error {
	if p.req.Path == "/media/upload-from-url" {
		e.adopt(p.agency, p.ext, resp)
		return nil
	}
	if p.req.Method != http.MethodPost || !p.hasExt {
		return nil
	}
	id, err := linkedID(p.req.Path)
	if err != nil {
		return nil
	}
	return e.roundTrip(ctx, p.agency, id, p.ext, resp)
}

// linkedID reads the id of "/media/{id}/link".
func linkedID(path string) (int64, error) {
	var id int64
	_, err := fmt.Sscanf(path, "/media/%d/link", &id)
	return id, err
}

// roundTrip checks that a linked external ID is exactly what the link
// answered, what GET by id shows and what finds the file by GET by
// external ID; then unlinks it (the answer must name it) so the file is
// free for the next probe.
func (e *explorer) roundTrip(ctx context.Context, agency string, id int64, ext string, linkResp *client.Response) error {
	var errs []error
	var linked struct {
		ExternalID *string `json:"externalId"`
	}
	if json.Unmarshal(linkResp.Body, &linked) == nil && (linked.ExternalID == nil || *linked.ExternalID != ext) {
		errs = append(errs, fmt.Errorf("link answered externalId %s, sent %q", show(linked.ExternalID), ext))
	}
	errs = append(errs, e.readBack(ctx, agency, id, ext))
	resp, err := e.send(ctx, agency, client.Request{Method: http.MethodDelete, Path: "/media/" + strconv.FormatInt(id, 10) + "/link"})
	if resp != nil && ok(resp.Status) {
		if json.Unmarshal(resp.Body, &linked) == nil && (linked.ExternalID == nil || *linked.ExternalID != ext) {
			errs = append(errs, fmt.Errorf("unlink answered externalId %s, linked %q", show(linked.ExternalID), ext))
		}
	} else if !errors.Is(err, errBudget) {
		errs = append(errs, fmt.Errorf("unlinking it again: %v", e.judge(want2xx, resp, err)))
	}
	return errors.Join(errs...)
}

// readBack: GET by id shows ext, GET by ext finds id.
func (e *explorer) readBack(ctx context.Context, agency string, id int64, ext string) error {
	var errs []error
	var m mediaBody
	resp, err := e.send(ctx, agency, client.Request{Method: http.MethodGet, Path: "/media/" + strconv.FormatInt(id, 10)})
	switch {
	case resp == nil || !ok(resp.Status):
		errs = append(errs, fmt.Errorf("GET /media/%d after linking %q: %v", id, ext, e.judge(want2xx, resp, err)))
	case json.Unmarshal(resp.Body, &m) == nil && (m.ExternalID == nil || *m.ExternalID != ext):
		errs = append(errs, fmt.Errorf("GET /media/%d shows externalId %s, linked %q", id, show(m.ExternalID), ext))
	}
	resp, err = e.send(ctx, agency, client.Request{Method: http.MethodGet, Path: "/media/external/" + url.PathEscape(ext)})
	switch {
	case resp == nil || !ok(resp.Status):
		errs = append(errs, fmt.Errorf("GET /media/external/%s after linking it: %v", url.PathEscape(ext), e.judge(want2xx, resp, err)))
	case json.Unmarshal(resp.Body, &m) == nil && m.ID != id:
		errs = append(errs, fmt.Errorf("GET /media/external/%s found file %d, linked to %d", url.PathEscape(ext), m.ID, id))
	}
	return errors.Join(errs...)
}

// mediaBody is what the oracles read of a media answer.
type mediaBody struct {
	ID           int64   `json:"id"`
	ExternalID   *string `json:"externalId"`
	Optimization string  `json:"optimization"`
}

func show(s *string) string {
	if s == nil {
		return "null"
	}
	return strconv.Quote(*s)
}

// finding builds a finding with the evidence and a curl line.
func (e *explorer) finding(group, op, class, input, agency string, req client.Request, resp *client.Response, problem error) Finding {
	msg := problem.Error()
	if resp != nil {
		msg += "\n\n" + e.c.Evidence(resp)
	}
	body := req.Body
	if body == nil && req.JSON != nil {
		body, _ = json.Marshal(req.JSON)
	}
	return Finding{Group: group, Operation: op, Class: class, Input: input, Message: msg,
		Curl: curl(e.base, agency, req, body)}
}

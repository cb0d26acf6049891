package steps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rentix/mediaharness/internal/client"
)

// media is the documented body of a media file.
type media struct {
	ID           int64     `json:"id"`
	ExternalID   *string   `json:"externalId"`
	Size         *int64    `json:"size"`
	ContentType  *string   `json:"contentType"`
	Optimization string    `json:"optimization"`
	BlurHash     *string   `json:"blurhash"`
	OriginalURL  *string   `json:"originalUrl"`
	Variants     []variant `json:"variants"`
}

type variant struct {
	URL         string `json:"url"`
	VariantSize string `json:"variantSize"`
	Size        int64  `json:"size"`
}

// mediaFields are the fields every media answer has (null when unknown).
var mediaFields = []string{"id", "externalId", "size", "contentType", "optimization", "blurhash", "originalUrl", "variants"}

// settled reports whether optimization has ended, so the body will not change
// by itself any more.
func (m *media) settled() bool { return m.Optimization == "success" || m.Optimization == "failed" }

// progressFields change while a file is optimized.
var progressFields = cmpopts.IgnoreFields(media{}, "Size", "ContentType", "Optimization", "BlurHash", "OriginalURL", "Variants")

// decodeMedia reads a media answer and wants every documented field present.
func (s *state) decodeMedia(resp *client.Response) (*media, error) {
	if resp.Status != http.StatusOK {
		return nil, s.failure(resp, "reading a media file", http.StatusOK, resp.Status)
	}
	var fields map[string]json.RawMessage
	if err := resp.Decode(&fields); err != nil {
		return nil, s.failure(resp, "a media answer", "a JSON object", err)
	}
	var missing []string
	for _, f := range mediaFields {
		if _, ok := fields[f]; !ok {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return nil, s.failure(resp, "every documented field is present", mediaFields, fmt.Sprintf("missing %v", missing))
	}
	var m media
	if err := resp.Decode(&m); err != nil {
		return nil, s.failure(resp, "a media answer", "the documented field types", err)
	}
	return &m, nil
}

// readByID reads f by id with its owner's key (not as the scenario's answer).
func (s *state) readByID(ctx context.Context, f *file) (*media, *client.Response, error) {
	resp, err := s.do(ctx, client.Request{Method: http.MethodGet, Path: f.path(), Key: s.key(f.agency)})
	if err != nil {
		return nil, resp, err
	}
	m, err := s.decodeMedia(resp)
	return m, resp, err
}

// do sends a request the scenario makes to look, not to test an operation.
// do sends r and checks the rate-limit headers of the answer.
func (s *state) do(ctx context.Context, r client.Request) (*client.Response, error) {
	resp, err := s.env.Client.Do(ctx, r)
	if perr := s.plausible(r, resp); perr != nil {
		err = errors.Join(err, perr)
	}
	return resp, err
}

// expected is what f's body should be now: its snapshot with the external ID
// the scenario knows it has.
func (f *file) expected() *media {
	m := &media{ID: f.id}
	if f.snapshot != nil {
		cp := *f.snapshot
		m = &cp
	}
	m.ExternalID = nil
	if f.linked {
		ext := f.ext
		m.ExternalID = &ext
	}
	return m
}

// compare diffs got against what f should be: all of it once f was seen
// settled, else what optimization does not change.
func (f *file) compare(got *media) string {
	want := f.expected()
	if f.snapshot != nil && f.snapshot.settled() {
		return cmp.Diff(want, got, storageURLs)
	}
	return cmp.Diff(want, got, progressFields)
}

// storageURLs compares the URLs of stored files without their query: a
// signed URL's expiry and signature may change from one read to the next.
var storageURLs = cmp.FilterPath(isURLField, cmp.Options{
	cmp.Transformer("withoutQuery", withoutQuery),
	cmp.Transformer("withoutQuery", func(u *string) *string {
		if u == nil {
			return nil
		}
		base := withoutQuery(*u)
		return &base
	}),
})

func isURLField(p cmp.Path) bool {
	f, ok := p.Last().(cmp.StructField)
	return ok && (f.Name() == "OriginalURL" || f.Name() == "URL")
}

func withoutQuery(u string) string {
	base, _, _ := strings.Cut(u, "?")
	return base
}

package refserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rentix/mediaharness/internal/imaging"
)

// probe runs a request sequence against one server and keeps the first way
// an answer differs from the documented API. Once it has one, every further
// step is skipped, so a sequence reads top to bottom without error checks.
// Transport failures end the test: they are not the server's answer.
type probe struct {
	t   *testing.T
	e   *testEnv
	k   Keys
	src *sources
	err error
}

func (p *probe) failf(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf(format, args...)
	}
}

func (p *probe) ok() bool { return p.err == nil }

func (p *probe) do(c call) reply {
	if !p.ok() {
		return reply{}
	}
	return p.e.do(c)
}

func (p *probe) get(key, path string) reply {
	return p.do(call{method: http.MethodGet, path: path, key: key})
}

func (p *probe) del(key, path string) reply {
	return p.do(call{method: http.MethodDelete, path: path, key: key})
}

func (p *probe) link(key string, id int64, ext string) reply {
	return p.do(call{method: http.MethodPost, path: mediaPath(id) + "/link", key: key, json: map[string]string{"externalId": ext}})
}

func mediaPath(id int64) string { return "/media/" + itoa(id) }

func (p *probe) wantStatus(r reply, status int, what string) {
	if p.ok() && r.status != status {
		p.failf("%s: status %d, want %d; body %.200s", what, r.status, status, r.body)
	}
}

// wantError: the status, and the documented error body with one of the
// messages (a string, or a []string for validation errors).
func (p *probe) wantError(r reply, status int, what string, messages ...any) {
	p.wantStatus(r, status, what)
	if !p.ok() {
		return
	}
	if err := checkErrorBody(r, status, messages); err != nil {
		p.failf("%s: %v", what, err)
	}
}

func checkErrorBody(r reply, status int, messages []any) error {
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return fmt.Errorf("Content-Type %q, want JSON; body %.200s", ct, r.body)
	}
	var body struct {
		StatusCode *int   `json:"statusCode"`
		Message    any    `json:"message"`
		Error      string `json:"error"`
	}
	if err := strictDecode(r.body, &body); err != nil {
		return err
	}
	if body.StatusCode == nil || *body.StatusCode != status || body.Error != reason(status) {
		return fmt.Errorf("error body %s: want statusCode %d and error %q", r.body, status, reason(status))
	}
	for _, m := range messages {
		if reflect.DeepEqual(body.Message, normalise(m)) {
			return nil
		}
	}
	return fmt.Errorf("message %#v, want one of %#v", body.Message, messages)
}

// wantJSON: the status and a body that decodes strictly into exactly want.
func (p *probe) wantJSON(r reply, status int, want any, what string) {
	p.wantStatus(r, status, what)
	if !p.ok() {
		return
	}
	got := reflect.New(reflect.TypeOf(want))
	if err := strictDecode(r.body, got.Interface()); err != nil {
		p.failf("%s: %v", what, err)
		return
	}
	if !reflect.DeepEqual(got.Elem().Interface(), want) {
		p.failf("%s: body %s, want %+v", what, r.body, want)
	}
}

func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("body %.200s: %v", data, err)
	}
	return nil
}

// upload creates a file of the primary agency.
func (p *probe) upload(source, ext string) uploadJSON {
	body := map[string]any{"url": source}
	if ext != "" {
		body["externalId"] = ext
	}
	r := p.do(call{method: http.MethodPost, path: "/media/upload-from-url", key: p.k.Primary, json: body})
	p.wantStatus(r, http.StatusCreated, "upload")
	var u uploadJSON
	if p.ok() {
		if err := strictDecode(r.body, &u); err != nil {
			p.failf("upload: %v", err)
		}
	}
	return u
}

// file is a file of the primary agency whose source cannot be downloaded:
// enough for link and delete, and quick.
func (p *probe) file(ext string) int64 { return p.upload(deadSource, ext).MediaID }

// media reads a file of the primary agency and checks its documented shape.
func (p *probe) media(id int64) mediaJSON {
	m, err := parseMedia(p.get(p.k.Primary, mediaPath(id)))
	if p.ok() && err != nil {
		p.failf("GET %s: %v", mediaPath(id), err)
	}
	return m
}

var optimizationStates = []string{optPending, optInProgress, optSuccess, optFailed}

func parseMedia(r reply) (mediaJSON, error) {
	var m mediaJSON
	if r.status != http.StatusOK {
		return m, fmt.Errorf("status %d, want 200; body %.200s", r.status, r.body)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &fields); err != nil {
		return m, fmt.Errorf("body %.200s: %v", r.body, err)
	}
	if got := slices.Sorted(maps.Keys(fields)); !slices.Equal(got, mediaFields) {
		return m, fmt.Errorf("fields %v, want %v", got, mediaFields)
	}
	if err := strictDecode(r.body, &m); err != nil {
		return m, err
	}
	if !slices.Contains(optimizationStates, m.Optimization) || m.Variants == nil {
		return m, fmt.Errorf("optimization %q, variants %v: %s", m.Optimization, m.Variants, r.body)
	}
	return m, nil
}

// settle polls a file until its optimization ends and checks that its state
// never goes back.
func (p *probe) settle(id int64) mediaJSON {
	rank := map[string]int{optPending: 0, optInProgress: 1, optSuccess: 2, optFailed: 2}
	prev := 0
	return pollUntil(p.t, func() (mediaJSON, bool) {
		m := p.media(id)
		switch {
		case !p.ok():
			return m, true
		case rank[m.Optimization] < prev:
			p.failf("optimization went back to %q", m.Optimization)
			return m, true
		}
		prev = rank[m.Optimization]
		return m, prev == 2
	})
}

// ready uploads source, waits for success and checks everything a finished
// file promises.
func (p *probe) ready(source string) mediaJSON {
	u := p.upload(source, "")
	m := p.settle(u.MediaID)
	if p.ok() && m.Optimization != optSuccess {
		p.failf("optimization ended %q, want success", m.Optimization)
	}
	if p.ok() {
		p.checkFinished(m)
	}
	return m
}

// checkFinished: a valid BlurHash, the three variants in order, and storage
// URLs that serve what the body says.
func (p *probe) checkFinished(m mediaJSON) {
	if m.Blurhash == nil || imaging.ValidateBlurHash(*m.Blurhash) != nil {
		p.failf("blurhash %v is not a valid BlurHash", deref(m.Blurhash))
		return
	}
	var sizes []string
	for _, v := range m.Variants {
		sizes = append(sizes, v.VariantSize)
	}
	if !slices.Equal(sizes, []string{"128", "512", "1024"}) {
		p.failf("variant sizes %v, want 128, 512, 1024", sizes)
		return
	}
	for _, v := range m.Variants {
		p.checkVariant(v.URL, v.VariantSize, v.Size)
	}
	if m.OriginalURL == nil || m.Size == nil || m.ContentType == nil {
		p.failf("finished file without originalUrl, size or contentType")
		return
	}
	if data, ct := p.fetch(*m.OriginalURL); p.ok() && (len(data) != int(*m.Size) || ct != *m.ContentType) {
		p.failf("original: %d bytes of %s, body says %d of %s", len(data), ct, *m.Size, *m.ContentType)
	}
}

func (p *probe) checkVariant(url, variantSize string, size int) {
	data, ct := p.fetch(url)
	if !p.ok() {
		return
	}
	if ct != "image/webp" || len(data) != size {
		p.failf("variant %s: %d bytes of %s, body says %d of image/webp", variantSize, len(data), ct, size)
		return
	}
	w, h, err := imaging.DecodeWebP(data)
	limit, _ := strconv.Atoi(variantSize)
	if err != nil || max(w, h) > limit {
		p.failf("variant %s: %dx%d (%v), want within %s pixels", variantSize, w, h, err, variantSize)
	}
}

// fetch downloads a storage URL; anything but 200 is a failure.
func (p *probe) fetch(url string) ([]byte, string) {
	if !p.ok() {
		return nil, ""
	}
	resp, err := p.e.ts.Client().Get(url)
	if err != nil {
		p.t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		p.t.Fatalf("GET %s: %v", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		p.failf("GET %s: status %d", url, resp.StatusCode)
	}
	return data, resp.Header.Get("Content-Type")
}

func deref(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

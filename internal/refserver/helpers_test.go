package refserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testEnv is a Server behind a real HTTP listener.
type testEnv struct {
	t    testing.TB
	srv  *Server
	ts   *httptest.Server
	keys Keys
}

// noLimit keeps the rate limit out of tests that are not about it.
const noLimit = 1 << 30

func newEnv(t testing.TB, cfg Config) *testEnv {
	t.Helper()
	return newEnvWith(t, cfg, nil)
}

// newEnvWith lets setup adjust the server (its clock) before it serves.
func newEnvWith(t testing.TB, cfg Config, setup func(*Server)) *testEnv {
	t.Helper()
	if cfg.RateLimit == 0 {
		cfg.RateLimit = noLimit
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if setup != nil {
		setup(srv)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return &testEnv{t: t, srv: srv, ts: ts, keys: srv.Keys()}
}

// authStyle is how a call sends its key.
type authStyle int

const (
	authAPIKey authStyle = iota // Authorization: ApiKey <key>
	authXKey                    // X-API-Key: <key>
	authBoth
	authNone
	authBearer // Authorization: Bearer <key>
)

// call is one API request; path is relative to /api/v1 unless it starts
// with /storage or is absolute.
type call struct {
	method, path string
	key          string
	auth         authStyle
	json         any    // marshalled, with Content-Type: application/json
	raw          []byte // sent as is, with contentType
	contentType  string
	header       map[string]string
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (e *testEnv) url(path string) string {
	switch {
	case strings.HasPrefix(path, "http"):
		return path
	case strings.HasPrefix(path, "/storage"), strings.HasPrefix(path, "/api"):
		return e.ts.URL + path
	}
	return e.ts.URL + apiRoot + path
}

func (e *testEnv) do(c call) reply {
	e.t.Helper()
	return e.doHost(c, "")
}

// doHost sends c with another Host header when host is not empty.
func (e *testEnv) doHost(c call, host string) reply {
	e.t.Helper()
	r, err := e.send(c, host)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// send is do for any goroutine: it reports failures instead of ending the test.
func (e *testEnv) send(c call, host string) (reply, error) {
	var body io.Reader
	contentType := c.contentType
	switch {
	case c.json != nil:
		b, err := json.Marshal(c.json)
		if err != nil {
			return reply{}, err
		}
		body = bytes.NewReader(b)
		if contentType == "" {
			contentType = "application/json"
		}
	case c.raw != nil:
		body = bytes.NewReader(c.raw)
	}
	req, err := http.NewRequest(c.method, e.url(c.path), body)
	if err != nil {
		return reply{}, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	setAuth(req.Header, c.auth, c.key)
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	if host != "" {
		req.Host = host
	}
	resp, err := e.ts.Client().Do(req)
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: %w", c.method, c.path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: read body: %w", c.method, c.path, err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

func setAuth(h http.Header, style authStyle, key string) {
	switch style {
	case authAPIKey:
		h.Set("Authorization", "ApiKey "+key)
	case authXKey:
		h.Set("X-API-Key", key)
	case authBoth:
		h.Set("Authorization", "ApiKey "+key)
		h.Set("X-API-Key", key)
	case authBearer:
		h.Set("Authorization", "Bearer "+key)
	}
}

func (e *testEnv) get(key, path string) reply {
	return e.do(call{method: http.MethodGet, path: path, key: key})
}

func (e *testEnv) del(key, path string) reply {
	return e.do(call{method: http.MethodDelete, path: path, key: key})
}

func (e *testEnv) post(key, path string, body any) reply {
	return e.do(call{method: http.MethodPost, path: path, key: key, json: body})
}

// decode decodes the body into v, failing on unknown fields.
func (r reply) decode(t testing.TB, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode %s into %T: %v", r.body, v, err)
	}
}

// fields are the top-level field names of a JSON object body, sorted.
func (r reply) fields(t testing.TB) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body %s: %v", r.body, err)
	}
	var names []string
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func (r reply) wantStatus(t testing.TB, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
}

// wantError checks the status and an error body of exactly statusCode,
// message and error. message is a string or a []string.
func (r reply) wantError(t testing.TB, status int, message any) {
	t.Helper()
	r.wantStatus(t, status)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	var body struct {
		StatusCode int    `json:"statusCode"`
		Message    any    `json:"message"`
		Error      string `json:"error"`
	}
	r.decode(t, &body)
	if got := r.fields(t); !reflect.DeepEqual(got, []string{"error", "message", "statusCode"}) {
		t.Errorf("error body fields %v; body %s", got, r.body)
	}
	if body.StatusCode != status || body.Error != reason(status) {
		t.Errorf("error body %s: want statusCode %d, error %q", r.body, status, reason(status))
	}
	if want := normalise(message); !reflect.DeepEqual(body.Message, want) {
		t.Errorf("message %#v, want %#v", body.Message, want)
	}
}

// normalise turns []string into the []any that JSON decoding gives.
func normalise(message any) any {
	list, ok := message.([]string)
	if !ok {
		return message
	}
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}

// mediaJSON is the documented media body.
type mediaJSON struct {
	ID           int64   `json:"id"`
	ExternalID   *string `json:"externalId"`
	Size         *int64  `json:"size"`
	ContentType  *string `json:"contentType"`
	Optimization string  `json:"optimization"`
	Blurhash     *string `json:"blurhash"`
	OriginalURL  *string `json:"originalUrl"`
	Variants     []struct {
		URL         string `json:"url"`
		VariantSize string `json:"variantSize"`
		Size        int    `json:"size"`
	} `json:"variants"`
}

var mediaFields = []string{"blurhash", "contentType", "externalId", "id", "optimization", "originalUrl", "size", "variants"}

// media reads a file and checks that every documented field is there.
func (e *testEnv) media(key string, id int64) mediaJSON {
	e.t.Helper()
	r := e.get(key, "/media/"+itoa(id))
	r.wantStatus(e.t, http.StatusOK)
	return r.media(e.t)
}

func (r reply) media(t testing.TB) mediaJSON {
	t.Helper()
	if got := r.fields(t); !reflect.DeepEqual(got, mediaFields) {
		t.Fatalf("media fields %v, want %v", got, mediaFields)
	}
	var m mediaJSON
	r.decode(t, &m)
	if m.Variants == nil {
		t.Fatalf("variants is null, want an array: %s", r.body)
	}
	return m
}

type uploadJSON struct {
	MediaID    int64   `json:"mediaId"`
	Status     string  `json:"status"`
	ExternalID *string `json:"externalId"`
	JobID      int64   `json:"jobId"`
}

// upload creates a file from source (ext may be "") and checks the answer.
func (e *testEnv) upload(key, source, ext string) uploadJSON {
	e.t.Helper()
	body := map[string]any{"url": source}
	if ext != "" {
		body["externalId"] = ext
	}
	r := e.post(key, "/media/upload-from-url", body)
	r.wantStatus(e.t, http.StatusCreated)
	var u uploadJSON
	r.decode(e.t, &u)
	if u.Status != "pending" || u.MediaID <= 0 || u.JobID <= 0 {
		e.t.Fatalf("upload answer %s", r.body)
	}
	return u
}

// settle polls a file until its optimization is success or failed and
// returns every state seen in order.
func (e *testEnv) settle(key string, id int64) (mediaJSON, []string) {
	e.t.Helper()
	var seen []string
	return pollUntil(e.t, func() (mediaJSON, bool) {
		m := e.media(key, id)
		if len(seen) == 0 || seen[len(seen)-1] != m.Optimization {
			seen = append(seen, m.Optimization)
		}
		return m, m.Optimization == optSuccess || m.Optimization == optFailed
	}), seen
}

// pollTimeout bounds every wait; generous because -race on two cores is slow.
const pollTimeout = 30 * time.Second

// pollUntil calls f every few milliseconds until it reports done.
func pollUntil[T any](t testing.TB, f func() (T, bool)) T {
	t.Helper()
	deadline := time.NewTimer(pollTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		if v, done := f(); done {
			return v
		}
		select {
		case <-deadline.C:
			t.Fatalf("condition not reached within %s", pollTimeout)
		case <-tick.C:
		}
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

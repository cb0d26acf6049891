package refserver

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

func TestBody_Rules(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	key := e.keys.Primary
	id := e.upload(key, "http://127.0.0.1:9/none.jpg", "").MediaID
	link := "/media/" + itoa(id) + "/link"
	tests := []struct {
		name    string
		c       call
		status  int
		message any
	}{
		{"text/plain body", call{raw: []byte(`{"externalId":"a"}`), contentType: "text/plain"},
			http.StatusUnsupportedMediaType, msgNotJSON},
		{"body without Content-Type", call{raw: []byte(`{"externalId":"a"}`)},
			http.StatusUnsupportedMediaType, msgNotJSON},
		{"json suffix type", call{raw: []byte(`{"externalId":"a"}`), contentType: "application/merge-patch+json"},
			http.StatusUnsupportedMediaType, msgNotJSON},
		{"over 512 KB", call{raw: paddedBody(maxBodyBytes + 1), contentType: "application/json"},
			http.StatusRequestEntityTooLarge, msgTooLarge},
		{"malformed JSON", call{raw: []byte(`{"externalId":`), contentType: "application/json"},
			http.StatusBadRequest, []string{msgMalformedJSON}},
		{"JSON array", call{raw: []byte(`["externalId"]`), contentType: "application/json"},
			http.StatusBadRequest, []string{msgNotObject}},
		{"JSON null", call{raw: []byte(`null`), contentType: "application/json"},
			http.StatusBadRequest, []string{msgNotObject}},
		{"no body", call{}, http.StatusBadRequest, []string{msgExternalIDEmpty, msgExternalIDString}},
		{"externalId missing", call{json: map[string]any{"other": 1}},
			http.StatusBadRequest, []string{msgExternalIDEmpty, msgExternalIDString}},
		{"externalId null", call{json: map[string]any{"externalId": nil}},
			http.StatusBadRequest, []string{msgExternalIDEmpty, msgExternalIDString}},
		{"externalId empty", call{json: map[string]any{"externalId": ""}}, http.StatusBadRequest, []string{msgExternalIDEmpty}},
		{"externalId a number", call{json: map[string]any{"externalId": 42}}, http.StatusBadRequest, []string{msgExternalIDString}},
		{"externalId an object", call{json: map[string]any{"externalId": map[string]int{}}}, http.StatusBadRequest, []string{msgExternalIDString}},
		{"externalId of 256", call{json: map[string]any{"externalId": strings.Repeat("é", 256)}},
			http.StatusBadRequest, []string{msgExternalIDLong}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c
			c.method, c.path, c.key = http.MethodPost, link, key
			e.do(c).wantError(t, tt.status, tt.message)
		})
	}
}

// paddedBody is a valid JSON object of exactly n bytes.
func paddedBody(n int) []byte {
	head, tail := `{"externalId":"x","pad":"`, `"}`
	return []byte(head + strings.Repeat("a", n-len(head)-len(tail)) + tail)
}

func TestBody_Accepted(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	key := e.keys.Primary
	tests := []struct {
		name        string
		raw         []byte
		contentType string
	}{
		{"charset parameter", []byte(`{"externalId":"a"}`), "application/json; charset=utf-8"},
		{"upper case type", []byte(`{"externalId":"b"}`), "Application/JSON"},
		{"exactly 512 KB", paddedBody(maxBodyBytes), "application/json"},
		{"255 characters", []byte(`{"externalId":"` + strings.Repeat("é", 255) + `"}`), "application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := e.upload(key, "http://127.0.0.1:9/none.jpg", "").MediaID
			r := e.do(call{method: http.MethodPost, path: "/media/" + itoa(id) + "/link", key: key,
				raw: tt.raw, contentType: tt.contentType})
			r.wantStatus(t, http.StatusOK)
		})
	}
}

// A chunked body over the limit is cut by MaxBytesReader rather than by
// Content-Length.
func TestBody_ChunkedOverLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	req, err := http.NewRequest(http.MethodPost, e.url("/media/upload-from-url"),
		struct{ *bytes.Reader }{bytes.NewReader(paddedBody(maxBodyBytes + 10))})
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = -1 // unknown: sent chunked
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", e.keys.Primary)
	resp, err := e.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", resp.StatusCode)
	}
}

func TestUpload_Validation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	tests := []struct {
		name    string
		body    map[string]any
		message []string
	}{
		{"url missing", map[string]any{}, []string{msgURLEmpty, msgURLInvalid}},
		{"url empty", map[string]any{"url": ""}, []string{msgURLEmpty, msgURLInvalid}},
		{"url a number", map[string]any{"url": 5}, []string{msgURLInvalid}},
		{"not a URL", map[string]any{"url": "photo.jpg"}, []string{msgURLInvalid}},
		{"ftp URL", map[string]any{"url": "ftp://example.com/a.jpg"}, []string{msgURLInvalid}},
		{"no host", map[string]any{"url": "http:///a.jpg"}, []string{msgURLInvalid}},
		{"externalId a number", map[string]any{"url": "http://example.com/a.jpg", "externalId": 7}, []string{msgExternalIDString}},
		{"externalId empty", map[string]any{"url": "https://example.com/a.jpg", "externalId": ""}, []string{msgExternalIDEmpty}},
		{"both wrong", map[string]any{"url": "x", "externalId": strings.Repeat("a", 256)}, []string{msgURLInvalid, msgExternalIDLong}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.post(e.keys.Primary, "/media/upload-from-url", tt.body).wantError(t, http.StatusBadRequest, tt.message)
		})
	}
	if n := e.srv.MediaCount(e.keys.Primary); n != 0 {
		t.Errorf("rejected uploads created %d files", n)
	}
}

func TestParams_BadID(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	key := e.keys.Primary
	for _, id := range []string{"abc", "0", "-1", "+1", "1.5", "1e3", "99999999999999999999", "0x10"} {
		for _, c := range []call{
			{method: http.MethodGet, path: "/media/" + id},
			{method: http.MethodDelete, path: "/media/" + id},
			{method: http.MethodPost, path: "/media/" + id + "/link", json: map[string]string{"externalId": "a"}},
			{method: http.MethodDelete, path: "/media/" + id + "/link"},
			{method: http.MethodGet, path: "/job/status?id=" + id},
		} {
			c.key = key
			t.Run(c.method+" "+c.path, func(t *testing.T) {
				e.do(c).wantError(t, http.StatusBadRequest, msgBadID)
			})
		}
	}
	e.get(key, "/job/status").wantError(t, http.StatusBadRequest, msgBadID)
}

func TestRoutes_NotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	key := e.keys.Primary
	tests := []struct{ method, path string }{
		{http.MethodGet, "/api/v1/nothing"},
		{http.MethodGet, "/api/v1/"},
		{http.MethodGet, "/api/v2/media/1"},
		{http.MethodPut, "/api/v1/media/1"},
		{http.MethodPatch, "/api/v1/media/1/link"},
		{http.MethodGet, "/api/v1/media/1/link"},
		{http.MethodDelete, "/api/v1/media/1/other"},
		{http.MethodPost, "/api/v1/agency"},
		{http.MethodGet, "/api/v1/media/upload-from-url/x"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := e.do(call{method: tt.method, path: tt.path, key: key})
			r.wantError(t, http.StatusNotFound, "Cannot "+tt.method+" "+tt.path)
			if r.header.Get("X-RateLimit-Limit") == "" {
				t.Error("no rate-limit headers on a 404")
			}
		})
	}
	e.get(key, "/job/status?id=424242").wantError(t, http.StatusNotFound, msgJobNotFound)
}

func TestBody_StringParseMessages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{StringParseMessages: true})
	key := e.keys.Primary
	id := e.upload(key, "http://127.0.0.1:9/none.jpg", "").MediaID
	link := "/media/" + itoa(id) + "/link"
	// The parser's own text, one string: what a NestJS body parser answers.
	e.do(call{method: http.MethodPost, path: link, key: key, raw: []byte(`{"externalId":`), contentType: "application/json"}).
		wantError(t, http.StatusBadRequest, "unexpected end of JSON input")
	// A body that is JSON but not an object reaches validation: still a list.
	e.do(call{method: http.MethodPost, path: link, key: key, raw: []byte(`["x"]`), contentType: "application/json"}).
		wantError(t, http.StatusBadRequest, []string{msgNotObject})
}

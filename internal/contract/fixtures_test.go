package contract

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rentix/mediaharness/openapi"
)

// Bodies from the docs (rentix-api.md and the media page).
const (
	mediaReady = `{"id": 123, "externalId": "apt-001-photo-1", "size": 245000, "contentType": "image/jpeg",
 "optimization": "success", "blurhash": "L7HuX^zY1z-6ADx?0z2@1Io#{yV_",
 "originalUrl": "https://storage.example/original.jpg",
 "variants": [{"url": "https://storage.example/128.webp", "variantSize": "128", "size": 4074},
  {"url": "https://storage.example/512.webp", "variantSize": "512", "size": 32850},
  {"url": "https://storage.example/1024.webp", "variantSize": "1024", "size": 98500}]}`
	mediaPending = `{"id": 124, "externalId": null, "size": null, "contentType": null, "optimization": "pending",
 "blurhash": null, "originalUrl": null, "variants": []}`
	uploadAnswer   = `{"mediaId": 123, "status": "pending", "externalId": "apt-001-photo-1", "jobId": 456}`
	jobAnswer      = `{"id": 456, "type": "media-upload", "status": "processing", "createdAt": "2025-01-15T10:30:00.000Z", "queuePosition": 2}`
	deletedAnswer  = `{"deleted": true}`
	deletedByExt   = `{"deleted": true, "mediaId": 123}`
	linkedAnswer   = `{"mediaId": 123, "externalId": "apt-001-photo-1", "linked": true}`
	unlinkedAnswer = `{"mediaId": 123, "externalId": "apt-001-photo-1", "unlinked": true}`
	agencyAnswer   = `{"id": 42, "name": "Example Realty", "status": "active", "isCrmEnabled": true,
 "limits": {"monthlyListings": {"used": 12, "limit": 100}}}`
	fileNotFound = `{"statusCode": 404, "message": "File not found", "error": "Not Found"}`
)

func errorBody(status int, phrase, message string) string {
	return `{"statusCode": ` + strconv.Itoa(status) + `, "message": ` + message + `, "error": "` + phrase + `"}`
}

var loadValidator = sync.OnceValues(func() (*Validator, error) {
	doc, err := openapi.Load()
	if err != nil {
		return nil, err
	}
	return New(doc)
})

func validator(t testing.TB) *Validator {
	t.Helper()
	v, err := loadValidator()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// apiHeaders are the headers of a well-behaved answer.
func apiHeaders() http.Header {
	return http.Header{
		"Content-Type":          {"application/json; charset=utf-8"},
		"X-Ratelimit-Limit":     {"300"},
		"X-Ratelimit-Remaining": {"299"},
		"X-Ratelimit-Reset":     {"1736937060"},
		"Date":                  {"Wed, 15 Jan 2025 10:30:00 GMT"},
		"Content-Length":        {"100"},
	}
}

func keyHeader() http.Header {
	return http.Header{"Authorization": {"ApiKey test-key"}}
}

// answer builds a GET-style exchange with a well-formed request.
func answer(method, path string, status int, body string) Exchange {
	return Exchange{
		Method: method, Path: path, RequestHeader: keyHeader(),
		Status: status, ResponseHeader: apiHeaders(), ResponseBody: []byte(body),
	}
}

// post builds an exchange with a JSON request body.
func post(path, reqBody string, status int, body string) Exchange {
	ex := answer(http.MethodPost, path, status, body)
	ex.RequestHeader.Set("Content-Type", "application/json")
	ex.RequestBody = []byte(reqBody)
	return ex
}

func withHeader(ex Exchange, name, value string) Exchange {
	ex.ResponseHeader = ex.ResponseHeader.Clone()
	if value == "" {
		ex.ResponseHeader.Del(name)
	} else {
		ex.ResponseHeader.Set(name, value)
	}
	return ex
}

// want is what a test expects of one finding; msg is a fragment.
type want struct {
	kind     Kind
	rule     Rule
	pointer  string
	msg      string
	inferred bool
}

func violationAt(rule Rule, pointer, msg string) want {
	return want{Violation, rule, pointer, msg, false}
}
func inferredAt(rule Rule, pointer, msg string) want {
	return want{Violation, rule, pointer, msg, true}
}
func driftAt(rule Rule, pointer string) want {
	return want{Drift, rule, pointer, "not in the contract", false}
}

func (w want) matches(f Finding) bool {
	return f.Kind == w.kind && f.Rule == w.rule && f.Pointer == w.pointer &&
		strings.Contains(f.Message, w.msg) && f.Inferred == w.inferred
}

func checkFindings(t *testing.T, got []Finding, wants ...want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("got %d findings, want %d:\n%s", len(got), len(wants), list(got))
	}
	for i, w := range wants {
		if !w.matches(got[i]) {
			t.Errorf("finding %d = %+v\nwant %+v", i, got[i], w)
		}
	}
}

func list(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("  " + string(f.Kind) + " " + f.String() + "\n")
	}
	return b.String()
}

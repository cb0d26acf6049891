package contract

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// Every answer the docs describe passes, including each allowed alternative.
func TestValidator_Check_documentedAnswersPass(t *testing.T) {
	t.Parallel()
	v := validator(t)
	tooMany := withHeader(answer("GET", "/media/1", 429, errorBody(429, "Too Many Requests", `"Too Many Requests"`)), "Retry-After", "42")
	withProxyHeaders := answer("GET", "/media/123", 200, mediaReady)
	for name, value := range map[string]string{"Access-Control-Allow-Origin": "*", "Strict-Transport-Security": "max-age=1",
		"Vary": "Origin", "Etag": `W/"1"`, "X-Powered-By": "Express", "Cf-Ray": "1", "Cache-Control": "no-store"} {
		withProxyHeaders.ResponseHeader.Set(name, value)
	}
	bothKeys := answer("GET", "/agency", 200, agencyAnswer)
	bothKeys.RequestHeader.Set("X-API-Key", "test-key") // "exactly one" is checked by the features
	xAPIKey := answer("GET", "/agency", 200, agencyAnswer)
	xAPIKey.RequestHeader = http.Header{"X-Api-Key": {"test-key"}}

	tests := map[string]Exchange{
		"media ready":                 answer("GET", "/media/123", 200, mediaReady),
		"media pending":               answer("GET", "/media/124", 200, mediaPending),
		"media by external ID":        answer("GET", "/media/external/apt-001-photo-1", 200, mediaReady),
		"percent-encoded external ID": answer("GET", "/media/external/apt%2F001%20photo", 200, mediaReady),
		"external ID named link":      answer("DELETE", "/media/external/link", 200, deletedByExt),
		"upload 200":                  post("/media/upload-from-url", `{"url": "https://example.com/a.jpg", "externalId": "apt-001-photo-1"}`, 200, uploadAnswer),
		"upload 201":                  post("/media/upload-from-url", `{"url": "https://example.com/a.jpg"}`, 201, strings.Replace(uploadAnswer, `"apt-001-photo-1"`, "null", 1)),
		"upload existing external ID": post("/media/upload-from-url", `{"url": "https://example.com/a.jpg", "externalId": "x"}`, 409, errorBody(409, "Conflict", `"External ID already linked"`)),
		"upload bad url":              post("/media/upload-from-url", `{"url": "https://example.com/a.jpg"}`, 400, errorBody(400, "Bad Request", `["url must be a URL address"]`)),
		"job":                         answer("GET", "/job/status?id=456", 200, jobAnswer),
		"unknown job":                 answer("GET", "/job/status?id=999", 404, errorBody(404, "Not Found", `"Job not found"`)),
		"delete":                      answer("DELETE", "/media/123", 200, deletedAnswer),
		"delete by external ID":       answer("DELETE", "/media/external/apt-001-photo-1", 200, deletedByExt),
		"delete unknown":              answer("DELETE", "/media/999", 404, fileNotFound),
		"link 200":                    post("/media/123/link", `{"externalId": "apt-001-photo-1"}`, 200, linkedAnswer),
		"link 201":                    post("/media/123/link", `{"externalId": "apt-001-photo-1"}`, 201, linkedAnswer),
		"link taken":                  post("/media/123/link", `{"externalId": "x"}`, 409, errorBody(409, "Conflict", `"External ID already linked"`)),
		"link already linked":         post("/media/123/link", `{"externalId": "x"}`, 409, errorBody(409, "Conflict", `"File already has external ID"`)),
		"link too large":              post("/media/123/link", `{"externalId": "x"}`, 413, errorBody(413, "Payload Too Large", `"request entity too large"`)),
		"unlink":                      answer("DELETE", "/media/123/link", 200, unlinkedAnswer),
		"unlink none 400":             answer("DELETE", "/media/123/link", 400, errorBody(400, "Bad Request", `"File has no external ID"`)),
		"unlink none 409":             answer("DELETE", "/media/123/link", 409, errorBody(409, "Conflict", `"File has no external ID"`)),
		"unlink none 422":             answer("DELETE", "/media/123/link", 422, errorBody(422, "Unprocessable Entity", `"File has no external ID"`)),
		"agency":                      answer("GET", "/agency", 200, agencyAnswer),
		"agency with X-API-Key":       xAPIKey,
		"both key headers":            bothKeys,
		"no key":                      answer("GET", "/agency", 401, errorBody(401, "Unauthorized", `"API key is required"`)),
		"suspended":                   answer("GET", "/media/1", 403, errorBody(403, "Forbidden", `"Agency is suspended"`)),
		"both headers refused":        answer("GET", "/agency", 400, errorBody(400, "Bad Request", `"Multiple authentication methods provided"`)),
		"rate limited":                tooMany,
		"server error":                answer("GET", "/media/1", 500, errorBody(500, "Internal Server Error", `"Internal server error"`)),
		"standard headers":            withProxyHeaders,
	}
	tests["no key"] = skipRequest(tests["no key"])
	tests["both headers refused"] = skipRequest(tests["both headers refused"])
	for name, ex := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			checkFindings(t, v.Check(ex))
		})
	}
}

func skipRequest(ex Exchange) Exchange {
	ex.RequestHeader = http.Header{}
	ex.SkipRequest = true
	return ex
}

func TestValidator_Check_response(t *testing.T) {
	t.Parallel()
	v := validator(t)
	media := func(old, new string) Exchange {
		if !strings.Contains(mediaReady, old) {
			t.Fatalf("fixture has no %q", old)
		}
		return answer("GET", "/media/123", 200, strings.Replace(mediaReady, old, new, 1))
	}
	badLinked := strings.Replace(linkedAnswer, "true", `"yes"`, 1)
	tests := []struct {
		name  string
		ex    Exchange
		wants []want
	}{
		{"size as string", media(`"size": 245000`, `"size": "245000"`),
			[]want{violationAt("response.body", "/size", `value must be an integer (got "245000")`)}},
		{"missing field", media(`"contentType": "image/jpeg",`, ""),
			[]want{violationAt("response.body", "/contentType", `property "contentType" is missing`)}},
		{"optimization outside enum", media(`"optimization": "success"`, `"optimization": "done"`),
			[]want{violationAt("response.body", "/optimization", `not one of the allowed values`)}},
		{"variantSize as number", media(`"variantSize": "512"`, `"variantSize": 512`),
			[]want{violationAt("response.body", "/variants/1/variantSize", "value must be a string (got 512)")}},
		{"variant size as float", media(`"size": 4074`, `"size": 40.5`),
			[]want{violationAt("response.body", "/variants/0/size", "must be an integer")}},
		{"blurhash outside base83", media(`"blurhash": "L7HuX^zY1z`, `"blurhash": "L7Hu X^zY1z`),
			[]want{violationAt("response.body", "/blurhash", "regular expression")}},
		{"undocumented status", answer("GET", "/media/123", 201, mediaReady),
			[]want{violationAt("response.status", "", "status 201 is not in the contract (documented: 200, 400")}},
		// The docs give upload no status code: 200 and 201 are both our
		// reading, so another 2xx breaks a reading, not the docs.
		{"upload 202", post("/media/upload-from-url", `{"url": "https://e.com/a.jpg"}`, 202, uploadAnswer),
			[]want{inferredAt("response.status", "", "status 202")}},
		{"upload 404 (a 4xx the docs do not list)", post("/media/upload-from-url", `{"url": "https://e.com/a.jpg"}`, 404, fileNotFound),
			[]want{violationAt("response.status", "", "status 404")}},
		{"unlink 2xx other than 200", answer("DELETE", "/media/1/link", 204, ""),
			[]want{violationAt("response.status", "", "status 204")}},
		{"unlink 5xx other than 500", answer("DELETE", "/media/1/link", 502, ""),
			[]want{violationAt("response.status", "", "status 502")}},
		{"missing X-RateLimit header", withHeader(answer("GET", "/media/123", 200, mediaReady), "X-RateLimit-Remaining", ""),
			[]want{violationAt("response.header", "X-RateLimit-Remaining", "missing")}},
		{"missing X-RateLimit header on an error", withHeader(answer("GET", "/media/9", 404, fileNotFound), "X-RateLimit-Reset", ""),
			[]want{violationAt("response.header", "X-RateLimit-Reset", "missing")}},
		{"X-RateLimit header not an integer", withHeader(answer("GET", "/agency", 200, agencyAnswer), "X-RateLimit-Reset", "soon"),
			[]want{violationAt("response.header", "X-RateLimit-Reset", `not an integer (got "soon")`)}},
		{"X-RateLimit header negative", withHeader(answer("GET", "/agency", 200, agencyAnswer), "X-RateLimit-Remaining", "-1"),
			[]want{violationAt("response.header", "X-RateLimit-Remaining", "number must be at least 0 (got -1)")}},
		// HTTP allows Retry-After as seconds or as an HTTP-date (RFC 9110).
		{"Retry-After as an HTTP-date", withHeader(answer("GET", "/agency", 429, errorBody(429, "Too Many Requests", `"x"`)), "Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),
			nil},
		{"Retry-After as an obsolete HTTP-date", withHeader(answer("GET", "/agency", 429, errorBody(429, "Too Many Requests", `"x"`)), "Retry-After", "Wednesday, 21-Oct-15 07:28:00 GMT"),
			nil},
		{"Retry-After neither seconds nor a date", withHeader(answer("GET", "/agency", 429, errorBody(429, "Too Many Requests", `"x"`)), "Retry-After", "soon"),
			[]want{inferredAt("response.header", "Retry-After", "doesn't match")}},
		{"Retry-After negative", withHeader(answer("GET", "/agency", 429, errorBody(429, "Too Many Requests", `"x"`)), "Retry-After", "-1"),
			[]want{inferredAt("response.header", "Retry-After", "doesn't match")}},
		// RFC 3339 allows a lower-case t and z.
		{"date-time in lower case", answer("GET", "/job/status?id=456", 200, strings.Replace(jobAnswer, `"2025-01-15T10:30:00.000Z"`, `"2025-01-15t10:30:00.000z"`, 1)),
			nil},
		{"date-time with an offset", answer("GET", "/job/status?id=456", 200, strings.Replace(jobAnswer, `"2025-01-15T10:30:00.000Z"`, `"2025-01-15T12:30:00+02:00"`, 1)),
			nil},
		{"date-time of a day that does not exist", answer("GET", "/job/status?id=456", 200, strings.Replace(jobAnswer, `"2025-01-15T10:30:00.000Z"`, `"2025-02-30T10:30:00Z"`, 1)),
			[]want{inferredAt("response.body", "/createdAt", "no such day")}},
		{"resultData an object", answer("GET", "/job/status?id=456", 200, strings.Replace(jobAnswer, `"queuePosition": 2`, `"resultData": {"mediaId": 123}`, 1)),
			nil},
		{"resultData null", answer("GET", "/job/status?id=456", 200, strings.Replace(jobAnswer, `"queuePosition": 2`, `"resultData": null`, 1)),
			nil},
		{"resultData a number", answer("GET", "/job/status?id=456", 200, strings.Replace(jobAnswer, `"queuePosition": 2`, `"resultData": 7`, 1)),
			[]want{inferredAt("response.body", "/resultData", "must be an object")}},
		{"wrong content type", withHeader(answer("GET", "/media/123", 200, mediaReady), "Content-Type", "text/html"),
			[]want{violationAt("response.content-type", "Content-Type", `got "text/html", want application/json`)}},
		{"no content type", withHeader(answer("GET", "/media/123", 200, mediaReady), "Content-Type", ""),
			[]want{violationAt("response.content-type", "Content-Type", "no Content-Type")}},
		{"message neither string nor array", answer("GET", "/media/9", 404, `{"statusCode": 404, "message": 5, "error": "Not Found"}`),
			[]want{violationAt("response.body", "/message", `doesn't match any schema from "oneOf"`)}},
		{"message array of numbers", answer("GET", "/media/9", 404, `{"statusCode": 404, "message": [5], "error": "Not Found"}`),
			[]want{violationAt("response.body", "/message", `value must be a string | /0: value must be a string (got an array)`)}},
		{"statusCode as string", answer("GET", "/media/9", 404, `{"statusCode": "404", "message": "File not found", "error": "Not Found"}`),
			[]want{violationAt("response.body", "/statusCode", "value must be an integer")}},
		{"statusCode not the status", answer("GET", "/media/9", 404, errorBody(400, "Not Found", `"File not found"`)),
			[]want{violationAt("response.body", "/statusCode", "not one of the allowed values [404]")}},
		{"reason phrase not standard", answer("GET", "/media/9", 404, errorBody(404, "NotFound", `"File not found"`)),
			[]want{violationAt("response.body", "/error", `allowed values ["Not Found"]`)}},
		{"error field missing", answer("GET", "/media/9", 429, `{"statusCode": 429, "message": "ThrottlerException: Too Many Requests"}`),
			[]want{violationAt("response.body", "/error", `property "error" is missing`)}},
		{"deleted false", answer("DELETE", "/media/1", 200, `{"deleted": false}`),
			[]want{violationAt("response.body", "/deleted", "allowed values [true]")}},
		{"not JSON", answer("GET", "/media/1", 500, "<html>Bad Gateway</html>"),
			[]want{violationAt("response.body", "", "not JSON")}},
		{"empty body", answer("GET", "/media/1", 200, ""),
			[]want{violationAt("response.body", "", "empty body")}},
		{"extra property is drift", media(`"id": 123,`, `"id": 123, "thumbnail": "x",`),
			[]want{driftAt("response.body", "/thumbnail")}},
		{"extra property in an array item is drift", media(`"variantSize": "128",`, `"variantSize": "128", "width": 128,`),
			[]want{driftAt("response.body", "/variants/0/width")}},
		{"extra property in an error is drift", answer("GET", "/media/9", 404, `{"statusCode": 404, "message": "File not found", "error": "Not Found", "path": "/x"}`),
			[]want{driftAt("response.body", "/path")}},
		{"extra header is drift", withHeader(answer("GET", "/media/123", 200, mediaReady), "X-Media-Region", "eu"),
			[]want{driftAt("response.header", "X-Media-Region")}},
		{"Retry-After outside 429 is drift", withHeader(answer("GET", "/media/123", 200, mediaReady), "Retry-After", "1"),
			[]want{driftAt("response.header", "Retry-After")}},
		{"violation and drift together", media(`"size": 245000`, `"size": "245000", "extra": 1`),
			[]want{violationAt("response.body", "/size", "must be an integer"), driftAt("response.body", "/extra")}},
		// Inferred: the finding rests on a part of the contract marked x-inferred.
		// An inferred status choice (x-inferred-status) leaves the documented
		// body and header rules of its response documented.
		{"documented body on an inferred status (link 201)", post("/media/1/link", `{"externalId": "a"}`, 201, badLinked),
			[]want{violationAt("response.body", "/linked", "must be a boolean")}},
		{"documented body on an inferred status (link 200)", post("/media/1/link", `{"externalId": "a"}`, 200, badLinked),
			[]want{violationAt("response.body", "/linked", "must be a boolean")}},
		{"documented header on an inferred status (upload 201)", withHeader(post("/media/upload-from-url", `{"url": "https://e.com/a.jpg"}`, 201, uploadAnswer), "X-RateLimit-Limit", ""),
			[]want{violationAt("response.header", "X-RateLimit-Limit", "missing")}},
		{"documented error format on an inferred status (unknown job)", answer("GET", "/job/status?id=9", 404, `{"statusCode": 404, "message": "Job not found"}`),
			[]want{violationAt("response.body", "/error", "is missing")}},
		{"documented error format on an inferred status (unlink 4XX)", answer("DELETE", "/media/1/link", 422, `{"statusCode": 422, "message": ["x"]}`),
			[]want{violationAt("response.body", "/error", "is missing")}},
		{"inferred presence (externalId)", media(`"externalId": "apt-001-photo-1",`, ""),
			[]want{inferredAt("response.body", "/externalId", "is missing")}},
		{"documented type of an inferred-nullable property", media(`"externalId": "apt-001-photo-1"`, `"externalId": 7`),
			[]want{violationAt("response.body", "/externalId", "must be a string")}},
		{"inferred ancestor", answer("GET", "/agency", 200, strings.Replace(agencyAnswer, `"used": 12`, `"used": "12"`, 1)),
			[]want{inferredAt("response.body", "/limits/monthlyListings/used", "must be an integer")}},
		{"inferred property", answer("GET", "/job/status?id=456", 200, strings.Replace(jobAnswer, `"2025-01-15T10:30:00.000Z"`, `"yesterday"`, 1)),
			[]want{inferredAt("response.body", "/createdAt", "date-time")}},
		{"drift under an inferred status", withHeader(post("/media/1/link", `{"externalId": "a"}`, 201, linkedAnswer), "X-Media-Region", "eu"),
			[]want{{Drift, "response.header", "X-Media-Region", "not in the contract", false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkFindings(t, v.Check(tt.ex), tt.wants...)
		})
	}
}

func TestValidator_Check_request(t *testing.T) {
	t.Parallel()
	v := validator(t)
	badID := answer("GET", "/media/abc", 400, errorBody(400, "Bad Request", `"Validation failed (numeric string is expected)"`))
	noKey := answer("GET", "/agency", 200, agencyAnswer)
	noKey.RequestHeader = http.Header{}
	textBody := post("/media/upload-from-url", `{"url": "https://e.com/a.jpg"}`, 415, errorBody(415, "Unsupported Media Type", `"x"`))
	textBody.RequestHeader.Set("Content-Type", "text/plain")
	tests := []struct {
		name  string
		ex    Exchange
		wants []want
	}{
		{"non-integer id", badID, []want{inferredAt("request.parameter", "id", `an invalid integer (got "abc")`)}},
		{"non-integer id, deliberate", func() Exchange { e := badID; e.SkipRequest = true; return e }(), nil},
		{"zero id", answer("GET", "/media/0", 404, fileNotFound), []want{inferredAt("request.parameter", "id", "number must be at least 1 (got 0)")}},
		{"no key", noKey, []want{violationAt("request.header", "Authorization", "no API key")}},
		{"upload without url", post("/media/upload-from-url", `{"externalId": "a"}`, 400, errorBody(400, "Bad Request", `["url must be a URL address"]`)),
			[]want{violationAt("request.body", "/url", `property "url" is missing`)}},
		{"upload not JSON", post("/media/upload-from-url", `{"url": `, 400, errorBody(400, "Bad Request", `"x"`)),
			[]want{violationAt("request.body", "", "not JSON: unexpected EOF")}},
		{"upload without body", post("/media/upload-from-url", ``, 400, errorBody(400, "Bad Request", `"x"`)),
			[]want{violationAt("request.body", "", "required")}},
		{"body with another content type", textBody, []want{violationAt("request.header", "Content-Type", `got "text/plain"`)}},
		{"external ID too long", post("/media/1/link", `{"externalId": "`+strings.Repeat("x", 256)+`"}`, 200, linkedAnswer),
			[]want{violationAt("request.body", "/externalId", "maximum string length is 255")}},
		{"external ID empty", post("/media/1/link", `{"externalId": ""}`, 400, errorBody(400, "Bad Request", `["externalId should not be empty"]`)),
			[]want{inferredAt("request.body", "/externalId", "minimum string length is 1")}},
		{"job without id", answer("GET", "/job/status", 400, errorBody(400, "Bad Request", `"x"`)),
			[]want{violationAt("request.parameter", "id", "required")}},
		{"request and response both wrong", func() Exchange {
			e := answer("GET", "/media/abc", 200, mediaReady)
			return withHeader(e, "X-RateLimit-Limit", "")
		}(), []want{inferredAt("request.parameter", "id", "invalid integer"), violationAt("response.header", "X-RateLimit-Limit", "missing")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkFindings(t, v.Check(tt.ex), tt.wants...)
		})
	}
}

func TestValidator_Check_route(t *testing.T) {
	t.Parallel()
	v := validator(t)
	tests := []struct {
		method, path, msg string
	}{
		{"GET", "/media", "no operation in the contract for GET /media"},
		{"GET", "/media/1/variants", "no operation"},
		{"PUT", "/media/1", "method PUT is not allowed on /media/1"},
		{"GET", "/api/v1/media/1", "no operation"}, // paths are relative to the API root
	}
	for _, tt := range tests {
		got := v.Check(answer(tt.method, tt.path, 404, fileNotFound))
		if len(got) != 1 || got[0].Rule != "route" || got[0].Operation != "" || !strings.Contains(got[0].Message, tt.msg) {
			t.Errorf("%s %s: got %v, want one route finding %q", tt.method, tt.path, got, tt.msg)
		}
	}
}

// Findings carry the operation and the status, so reports can group them.
func TestValidator_Check_stampsOperationAndStatus(t *testing.T) {
	t.Parallel()
	ex := withHeader(answer("GET", "/media/external/x", 404, fileNotFound), "X-RateLimit-Limit", "")
	got := validator(t).Check(ex)
	if len(got) != 1 || got[0].Operation != "getMediaByExternalId" || got[0].Status != 404 {
		t.Fatalf("got %+v", got)
	}
}

func TestValidator_Operation(t *testing.T) {
	t.Parallel()
	v := validator(t)
	tests := []struct{ method, path, want string }{
		{"POST", "/media/upload-from-url", "uploadFromUrl"},
		{"GET", "/job/status?id=7", "getJobStatus"},
		{"GET", "/media/123", "getMedia"},
		{"get", "/media/123", "getMedia"},
		{"GET", "/media/external/apt-001-photo-1", "getMediaByExternalId"},
		{"GET", "/media/external/link", "getMediaByExternalId"},
		{"DELETE", "/media/123", "deleteMedia"},
		{"DELETE", "/media/external/link", "deleteMediaByExternalId"},
		{"POST", "/media/123/link", "linkExternalId"},
		{"DELETE", "/media/123/link", "unlinkExternalId"},
		{"GET", "/agency", "getAgency"},
		{"GET", "agency", "getAgency"},
		{"PATCH", "/media/123", ""},
		{"GET", "/nope", ""},
		{"GET", "", ""},
		{"GET", "%zz", ""},
	}
	for _, tt := range tests {
		if got := v.Operation(tt.method, tt.path); got != tt.want {
			t.Errorf("Operation(%q, %q) = %q, want %q", tt.method, tt.path, got, tt.want)
		}
	}
}

func TestValidator_Operations(t *testing.T) {
	t.Parallel()
	ops := validator(t).Operations()
	var ids []string
	for _, o := range ops {
		ids = append(ids, o.ID)
	}
	wantIDs := []string{"getAgency", "getJobStatus", "getMediaByExternalId", "deleteMediaByExternalId",
		"uploadFromUrl", "getMedia", "deleteMedia", "linkExternalId", "unlinkExternalId"}
	if !slices.Equal(ids, wantIDs) {
		t.Fatalf("ids = %v, want %v", ids, wantIDs)
	}
	link := ops[slices.Index(ids, "linkExternalId")]
	if link.Method != "POST" || link.Path != "/media/{id}/link" {
		t.Errorf("link = %s %s", link.Method, link.Path)
	}
	if !slices.Equal(link.Statuses, []int{200, 201, 400, 401, 403, 404, 409, 413, 415, 429, 500}) {
		t.Errorf("link statuses = %v", link.Statuses)
	}
	if len(link.Inferred) != 3 || !link.Inferred[200] || !link.Inferred[201] || !link.Inferred[409] {
		t.Errorf("link inferred = %v, want 200, 201 and 409", link.Inferred)
	}
	job := ops[slices.Index(ids, "getJobStatus")]
	if len(job.Inferred) != 1 || !job.Inferred[404] {
		t.Errorf("job inferred = %v, want 404", job.Inferred)
	}
}

func TestNew_rejectsNoDocument(t *testing.T) {
	t.Parallel()
	if _, err := New(nil); err == nil {
		t.Error("New(nil) succeeded")
	}
	if _, err := New(&openapi3.T{}); err == nil {
		t.Error("New(empty document) succeeded")
	}
}

// The validator works with a contract whose server is absolute, and
// re-addresses it: exchange paths stay relative to the API root.
func TestNew_absoluteServer(t *testing.T) {
	t.Parallel()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(`
openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "https://crm.rentix.md/api/v1"}]
paths:
  /ping:
    get:
      operationId: ping
      responses:
        "200": {description: ok}
`))
	if err != nil {
		t.Fatal(err)
	}
	v, err := New(doc)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Operation("GET", "/ping"); got != "ping" {
		t.Errorf("Operation = %q, want ping", got)
	}
	if doc.Servers[0].URL != "https://crm.rentix.md/api/v1" {
		t.Error("New changed the caller's document")
	}
}

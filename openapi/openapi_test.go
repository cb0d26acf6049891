package openapi

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

func mustLoad(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return doc
}

func TestLoad_validates(t *testing.T) {
	t.Parallel()
	doc := mustLoad(t)
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi = %q, want 3.0.3", doc.OpenAPI)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "/api/v1" {
		t.Errorf("servers = %v, want exactly the relative /api/v1", doc.Servers)
	}
	if !strings.Contains(doc.Info.Description, "https://crm.rentix.md/api/v1") {
		t.Error("info.description does not name the production base URL")
	}
}

func TestLoadFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "contract.yaml")
	if err := os.WriteFile(path, Spec, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(path); err != nil {
		t.Fatalf("LoadFile(copy of the spec): %v", err)
	}
	_, err := LoadFile(filepath.Join(t.TempDir(), "missing.yaml"))
	if err == nil || !strings.HasPrefix(err.Error(), "openapi: ") {
		t.Fatalf("LoadFile(missing) = %v, want an openapi: error", err)
	}
}

func TestParse_errors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc, want string
	}{
		{"not YAML", "openapi: [3.0.3\n  info: {", "openapi: document: load:"},
		{"missing info", "openapi: 3.0.3\npaths: {}\n", "openapi: document: invalid:"},
		{"dangling ref", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          $ref: '#/components/responses/Nope'\n", "openapi: document: load:"},
		{"example against its schema", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    N:\n      type: integer\n      example: seven\n", "openapi: document: invalid:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(tt.doc))
			if err == nil {
				t.Fatalf("Parse accepted %q", tt.doc)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tt.want) || strings.Contains(msg, "\n") {
				t.Errorf("error = %q, want one line starting %q", msg, tt.want)
			}
		})
	}
}

// The operations and the statuses each may answer, as rentix-api.md lists
// them (explicit codes only; unlink also allows any 4XX).
func TestSpec_operations(t *testing.T) {
	t.Parallel()
	upload := []int{200, 201, 400, 401, 403, 409, 413, 415, 429, 500}
	link := []int{200, 201, 400, 401, 403, 404, 409, 413, 415, 429, 500}
	file := []int{200, 400, 401, 403, 404, 429, 500}
	want := map[string]struct {
		method, path string
		statuses     []int
	}{
		"uploadFromUrl":           {"POST", "/media/upload-from-url", upload},
		"getJobStatus":            {"GET", "/job/status", file},
		"getMedia":                {"GET", "/media/{id}", file},
		"getMediaByExternalId":    {"GET", "/media/external/{externalId}", file},
		"deleteMedia":             {"DELETE", "/media/{id}", file},
		"deleteMediaByExternalId": {"DELETE", "/media/external/{externalId}", file},
		"linkExternalId":          {"POST", "/media/{id}/link", link},
		"unlinkExternalId":        {"DELETE", "/media/{id}/link", file},
		"getAgency":               {"GET", "/agency", []int{200, 400, 401, 403, 429, 500}},
	}
	got := 0
	for path, item := range mustLoad(t).Paths.Map() {
		for method, op := range item.Operations() {
			got++
			w, ok := want[op.OperationID]
			if !ok {
				t.Errorf("unexpected operation %q (%s %s)", op.OperationID, method, path)
				continue
			}
			if method != w.method || path != w.path {
				t.Errorf("%s is %s %s, want %s %s", op.OperationID, method, path, w.method, w.path)
			}
			if codes := explicitCodes(op); !slices.Equal(codes, w.statuses) {
				t.Errorf("%s answers %v, want %v", op.OperationID, codes, w.statuses)
			}
		}
	}
	if got != len(want) {
		t.Errorf("%d operations, want %d", got, len(want))
	}
}

func explicitCodes(op *openapi3.Operation) []int {
	var codes []int
	for code := range op.Responses.Map() {
		if n, err := strconv.Atoi(code); err == nil {
			codes = append(codes, n)
		}
	}
	slices.Sort(codes)
	return codes
}

// Every response of every operation, errors included, carries the three
// rate-limit headers, required and integer.
func TestSpec_rateLimitHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	for path, item := range mustLoad(t).Paths.Map() {
		for method, op := range item.Operations() {
			for code, ref := range op.Responses.Map() {
				for _, name := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} {
					h := ref.Value.Headers[name]
					if h == nil || !h.Value.Required || !h.Value.Schema.Value.Type.Is("integer") {
						t.Errorf("%s %s %s: %s is not a required integer header", method, path, code, name)
					}
				}
			}
		}
	}
}

// Errors are {"statusCode": int, "message": string or [string], "error": string}.
func TestSpec_errorResponsesHaveTheErrorShape(t *testing.T) {
	t.Parallel()
	for path, item := range mustLoad(t).Paths.Map() {
		for method, op := range item.Operations() {
			for code, ref := range op.Responses.Map() {
				if code[0] != '4' && code[0] != '5' {
					continue
				}
				s := ref.Value.Content.Get("application/json").Schema.Value
				where := method + " " + path + " " + code
				if !slices.Equal(s.Required, []string{"statusCode", "message", "error"}) {
					t.Errorf("%s: required = %v", where, s.Required)
				}
				if !s.Properties["statusCode"].Value.Type.Is("integer") || !s.Properties["error"].Value.Type.Is("string") {
					t.Errorf("%s: statusCode must be an integer and error a string", where)
				}
				if len(s.Properties["message"].Value.OneOf) != 2 {
					t.Errorf("%s: message must be a string or an array of strings", where)
				}
			}
		}
	}
}

// The readings rentix-api.md marks I are marked in the contract. A status
// choice is marked with x-inferred-status; a whole response is never marked
// x-inferred, so its documented rules stay documented.
func TestSpec_inferredExpectationsAreMarked(t *testing.T) {
	t.Parallel()
	doc := mustLoad(t)
	resp := func(path, method, code string) map[string]any {
		return doc.Paths.Value(path).GetOperation(method).Responses.Value(code).Value.Extensions
	}
	media := doc.Components.Schemas["Media"].Value
	statusMarked := map[string]map[string]any{
		"upload 200":                 resp("/media/upload-from-url", "POST", "200"),
		"upload 201":                 resp("/media/upload-from-url", "POST", "201"),
		"upload 409":                 resp("/media/upload-from-url", "POST", "409"),
		"link 200":                   resp("/media/{id}/link", "POST", "200"),
		"link 201":                   resp("/media/{id}/link", "POST", "201"),
		"link 409":                   resp("/media/{id}/link", "POST", "409"),
		"unknown job 404":            resp("/job/status", "GET", "404"),
		"unlink without external ID": resp("/media/{id}/link", "DELETE", "4XX"),
	}
	for what, ext := range statusMarked {
		if ext["x-inferred-status"] != true || ext["x-inferred"] != nil {
			t.Errorf("%s: want x-inferred-status and no x-inferred, got %v", what, ext)
		}
	}
	marked := map[string]map[string]any{
		"Retry-After":             doc.Components.Headers["Retry-After"].Value.Extensions,
		"non-integer id":          doc.Components.Parameters["MediaId"].Value.Extensions,
		"externalId null present": media.Properties["externalId"].Value.Extensions,
		"blurhash null":           media.Properties["blurhash"].Value.Extensions,
		"size null":               media.Properties["size"].Value.Extensions,
		"originalUrl pattern":     media.Properties["originalUrl"].Value.Extensions,
		"contentType pattern":     media.Properties["contentType"].Value.Extensions,
		"job id minimum":          doc.Components.Parameters["JobId"].Value.Schema.Value.Extensions,
		"jobId minimum":           doc.Components.Schemas["UploadAccepted"].Value.Properties["jobId"].Value.Extensions,
		"JobStatus.type":          doc.Components.Schemas["JobStatus"].Value.Properties["type"].Value.Extensions,
		"JobStatus.resultData":    doc.Components.Schemas["JobStatus"].Value.Properties["resultData"].Value.Extensions,
		"Agency.name":             doc.Components.Schemas["Agency"].Value.Properties["name"].Value.Extensions,
	}
	for what, ext := range marked {
		if ext["x-inferred"] != true {
			t.Errorf("%s: not marked x-inferred", what)
		}
	}
	for what, ext := range map[string]map[string]any{"originalUrl": media.Properties["originalUrl"].Value.Extensions,
		"contentType": media.Properties["contentType"].Value.Extensions} {
		if kw, _ := ext["x-inferred-keywords"].([]any); !slices.Contains(kw, any("pattern")) {
			t.Errorf("%s: its pattern is not marked inferred (keywords %v)", what, kw)
		}
	}
	documented := map[string]map[string]any{
		"getMedia 404":         resp("/media/{id}", "GET", "404"),
		"getMedia 200":         resp("/media/{id}", "GET", "200"),
		"Variant.url .webp":    doc.Components.Schemas["Variant"].Value.Properties["url"].Value.Extensions,
		"Media.id minimum":     media.Properties["id"].Value.Extensions,
		"mediaId minimum":      doc.Components.Schemas["UploadAccepted"].Value.Properties["mediaId"].Value.Extensions,
		"job id query":         doc.Components.Parameters["JobId"].Value.Extensions,
		"Linked.mediaId":       doc.Components.Schemas["Linked"].Value.Properties["mediaId"].Value.Extensions,
		"Unlinked.mediaId":     doc.Components.Schemas["Unlinked"].Value.Properties["mediaId"].Value.Extensions,
		"DeletedByExternalId.": doc.Components.Schemas["DeletedByExternalId"].Value.Properties["mediaId"].Value.Extensions,
	}
	for what, ext := range documented {
		if ext["x-inferred"] != nil || ext["x-inferred-status"] != nil {
			t.Errorf("%s: documented, but marked inferred", what)
		}
	}
	for what, ext := range documented {
		if strings.HasPrefix(what, "getMedia") {
			continue
		}
		if c, _ := ext["x-documented"].(string); !strings.Contains(c, "rentix-api.md") {
			t.Errorf("%s: documented, but cites no row of rentix-api.md (x-documented %q)", what, c)
		}
	}
}

// Every x-inferred mark says why, and x-inferred-keywords only narrows a mark.
func TestSpec_inferredMarksHaveReasons(t *testing.T) {
	t.Parallel()
	var raw any
	if err := yaml.Unmarshal(Spec, &raw); err != nil {
		t.Fatal(err)
	}
	count := 0
	walkMaps(raw, "", func(where string, m map[string]any) {
		if m["x-inferred"] == true || m["x-inferred-status"] == true {
			count++
			if r, _ := m["x-inferred-reason"].(string); strings.TrimSpace(r) == "" {
				t.Errorf("%s: x-inferred without x-inferred-reason", where)
			}
		}
		if _, ok := m["x-inferred-keywords"]; ok && m["x-inferred"] != true {
			t.Errorf("%s: x-inferred-keywords without x-inferred: true", where)
		}
	})
	if count < 10 {
		t.Errorf("found %d x-inferred marks, want at least 10", count)
	}
}

func walkMaps(v any, where string, visit func(string, map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		visit(where, x)
		for k, child := range x {
			walkMaps(child, where+"/"+k, visit)
		}
	case []any:
		for i, child := range x {
			walkMaps(child, where+"/"+strconv.Itoa(i), visit)
		}
	}
}

// The two key headers are alternatives: either one satisfies the contract.
func TestSpec_security(t *testing.T) {
	t.Parallel()
	doc := mustLoad(t)
	if len(doc.Security) != 2 || len(doc.Security[0]) != 1 || len(doc.Security[1]) != 1 {
		t.Fatalf("security = %v, want two alternatives of one scheme each", doc.Security)
	}
	schemes := doc.Components.SecuritySchemes
	for name, header := range map[string]string{"ApiKeyAuth": "Authorization", "XApiKeyAuth": "X-API-Key"} {
		s := schemes[name]
		if s == nil || s.Value.Type != "apiKey" || s.Value.In != "header" || s.Value.Name != header {
			t.Errorf("%s: want an apiKey scheme in header %s", name, header)
		}
	}
	if !strings.Contains(schemes["ApiKeyAuth"].Value.Description, "ApiKey <key>") {
		t.Error("ApiKeyAuth does not say the value is `ApiKey <key>`")
	}
}

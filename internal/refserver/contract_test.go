package refserver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/contract"
	"github.com/rentix/mediaharness/internal/imaging"
	"github.com/rentix/mediaharness/openapi"
)

// The server against the contract: every operation and every status the
// contract documents for it, each produced by the request that should
// produce it and sent through client.Client with the real validator in
// strict mode, so a violation or a piece of drift in either direction fails.

// TestServer_MatchesContract runs every contract case in order, then checks
// that each documented (operation, status) was received at least once.
func TestServer_MatchesContract(t *testing.T) {
	t.Parallel()
	h := newContractHarness(t, nil, true)
	for _, tc := range contractCases() {
		t.Run(tc.name, func(t *testing.T) { h.check(t, tc) })
	}
	// The statuses the contract offers as alternatives, from a server that
	// takes the other reading.
	other := newContractHarness(t, nil, true, func(c *Config) { c.OtherStatuses = true })
	for _, tc := range contractCases() {
		if alt, ok := otherReadings[opStatus{tc.op, atoi(tc.want)}]; ok {
			tc.name = strings.Replace(tc.name, " "+tc.want+" ", " "+strconv.Itoa(alt)+" ", 1) + " (other reading)"
			tc.want = strconv.Itoa(alt)
			t.Run(tc.name, func(t *testing.T) { other.check(t, tc) })
		}
	}
	h.merge(other)
	if missing := h.uncovered(t); len(missing) > 0 {
		t.Errorf("documented but never received (operation status):\n  %s", strings.Join(missing, "\n  "))
	}
}

// TestServer_MatchesContract_failsOnDrift proves the test above would
// notice: with one deliberate bug on, cases that pass on the clean server
// must end in a contract error naming the broken rule.
func TestServer_MatchesContract_failsOnDrift(t *testing.T) {
	t.Parallel()
	cases := map[string]contractCase{}
	for _, tc := range contractCases() {
		if _, dup := cases[tc.name]; dup {
			t.Fatalf("two contract cases are named %q", tc.name)
		}
		cases[tc.name] = tc
	}
	for _, d := range []struct {
		fault string
		// run are case names: all but the last must still pass, the last
		// must break the contract with a finding of rule whose pointer or
		// message contains about.
		run   []string
		rule  contract.Rule
		about string
	}{
		{faultShapeSizeString, []string{"getMedia 200 optimized file"}, "response.body", "/size"},
		{faultShapeContentTypeRenamed, []string{"getMediaByExternalId 200 optimized file"}, "response.body", "/mimeType"}, // drift
		{faultRatelimitHeaderMissing, []string{"getAgency 200 ApiKey header"}, "response.header", "X-RateLimit-Reset"},
		{faultErrorNoStatusCode, []string{"getJobStatus 404 unknown job"}, "response.body", "statusCode"},
		{faultErrorPlainText, []string{"getMedia 404 unknown file"}, "response.content-type", "text/plain"},
		{faultDeleteExternalNoMediaID, []string{"deleteMediaByExternalId 200 deleted"}, "response.body", "mediaId"},
		{faultLinkAnswerNoLinked, []string{"linkExternalId 200 linked"}, "response.body", "linked"},
		{faultRatelimit429WithoutBody, []string{"getAgency 200 the rate-limited server's one request", "getMedia 429 over the rate limit"},
			"response.content-type", "no Content-Type"},
	} {
		t.Run(d.fault, func(t *testing.T) {
			t.Parallel()
			h := newContractHarness(t, []string{d.fault}, false)
			for i, name := range d.run {
				tc, ok := cases[name]
				if !ok {
					t.Fatalf("no contract case %q", name)
				}
				resp, err := h.send(tc)
				if i < len(d.run)-1 {
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					continue
				}
				var ce *client.ContractError
				if !errors.As(err, &ce) {
					t.Fatalf("%s with %s: err = %v (status %d), want a contract error", name, d.fault, err, statusOf(resp))
				}
				if !slices.ContainsFunc(ce.Findings, func(f contract.Finding) bool {
					return f.Rule == d.rule && strings.Contains(f.Pointer+" "+f.Message, d.about)
				}) {
					t.Errorf("%s with %s: no %s finding about %q in\n%v", name, d.fault, d.rule, d.about, ce)
				}
			}
		})
	}
}

// The recovery answers 500 only while the answer has not started; after,
// it hands the panic on so net/http drops the connection instead of
// appending a second answer to the first.
func TestServer_RecoverPanic(t *testing.T) {
	t.Parallel()
	srv, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	srv.mux.HandleFunc("GET /test/panic-before", func(http.ResponseWriter, *http.Request) { panic("bug") })
	srv.mux.HandleFunc("GET /test/panic-after", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
		panic("bug")
	})

	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/test/panic-before", nil))
	want := `{"statusCode":500,"message":"Internal server error","error":"Internal Server Error"}`
	if rec.Code != http.StatusInternalServerError || rec.Body.String() != want {
		t.Errorf("panic before the answer: %d %s, want 500 %s", rec.Code, rec.Body, want)
	}

	func() {
		defer func() {
			if p := recover(); p != "bug" {
				t.Errorf("panic after the answer started: recovered %v, want the panic handed on", p)
			}
		}()
		srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/test/panic-after", nil))
	}()
}

// contractCase is one request and the response of the contract it should
// get.
type contractCase struct {
	name string // "<operationId> <status> <what>", unique
	op   string // the operationId the request must reach
	want string // a response key of the contract: "201", "4XX"
	// limited sends the request to the twin server whose rate limit is one
	// request: every request there after the first gets 429.
	limited bool
	req     requestOf
}

// requestOf builds a case's request once the fixtures exist.
type requestOf func(fx *contractFixtures) client.Request

// contractFixtures are the files the cases work on, made before them.
type contractFixtures struct {
	keys  Keys
	photo string // URL of a small JPEG

	optimized, optimizedJob int64 // success, external ID "ct-a"
	failed, failedJob       int64 // failed: the source is not an image
	busy, busyJob           int64 // in_progress: its download never ends
	bare                    int64 // no external ID: linked to "ct-b", then unlinked
	doomed                  int64 // deleted by id
	doomedExt               string
}

const (
	panicHeader = "X-Refserver-Panic" // marks the requests panicOn picks
	unknownID   = 999999999
	unknownKey  = "rx_00000000000000000000000000000000"
)

var (
	oversized = strings.Repeat("x", maxBodyBytes+1)     // a body field over the 512 KB limit
	tooLong   = strings.Repeat("x", maxExternalIDLen+1) // an external ID over 255 characters
	textPlain = http.Header{"Content-Type": {"text/plain"}}
)

// Request builders. Requests are the primary agency's, with the ApiKey
// header, unless a builder says otherwise.

func apiCall(method, path string, body any) requestOf {
	return func(fx *contractFixtures) client.Request {
		return client.Request{Method: method, Path: path, Key: fx.keys.Primary, JSON: body}
	}
}

func apiCallf(method string, path func(fx *contractFixtures) string, body any) requestOf {
	return func(fx *contractFixtures) client.Request {
		return apiCall(method, path(fx), body)(fx)
	}
}

func uploadOf(body func(fx *contractFixtures) map[string]any) requestOf {
	return func(fx *contractFixtures) client.Request {
		return apiCall(http.MethodPost, "/media/upload-from-url", body(fx))(fx)
	}
}

func jobOf(id func(fx *contractFixtures) string) requestOf {
	return apiCallf(http.MethodGet, func(fx *contractFixtures) string { return "/job/status?id=" + id(fx) }, nil)
}

func mediaOf(method string, id func(fx *contractFixtures) int64, suffix string, body any) requestOf {
	return apiCallf(method, func(fx *contractFixtures) string { return mediaPath(id(fx)) + suffix }, body)
}

// asOther sends req with the other agency's key: about the primary's
// files, it must be told they do not exist.
func asOther(req requestOf) requestOf {
	return edited(req, func(fx *contractFixtures, r *client.Request) { r.Key = fx.keys.Other })
}

// deliberate marks a deliberately invalid request: only its answer is checked.
func deliberate(req requestOf) requestOf {
	return edited(req, func(_ *contractFixtures, r *client.Request) { r.Deliberate = true })
}

func edited(req requestOf, edit func(fx *contractFixtures, r *client.Request)) requestOf {
	return func(fx *contractFixtures) client.Request {
		r := req(fx)
		edit(fx, &r)
		return r
	}
}

func withKey(req requestOf, key func(Keys) string, auth client.AuthStyle, invalid bool) requestOf {
	return edited(req, func(fx *contractFixtures, r *client.Request) {
		r.Key, r.Auth, r.Deliberate = key(fx.keys), auth, invalid
	})
}

// Fixture selectors.

func fxOptimized(fx *contractFixtures) int64 { return fx.optimized }
func fxBare(fx *contractFixtures) int64      { return fx.bare }
func fxDoomed(fx *contractFixtures) int64    { return fx.doomed }
func fxUnknown(*contractFixtures) int64      { return unknownID }
func primaryKey(k Keys) string               { return k.Primary }

// contractCases lists the cases in the order they run: the operations' own
// cases (some change the fixtures the next ones read), then authentication,
// a panic and the rate limit for every operation.
func contractCases() []contractCase {
	var cases []contractCase
	add := func(op, want, what string, req requestOf) {
		cases = append(cases, contractCase{name: op + " " + want + " " + what, op: op, want: want, req: req})
	}
	photo := func(ext string) func(fx *contractFixtures) map[string]any {
		return func(fx *contractFixtures) map[string]any {
			if ext == "" {
				return map[string]any{"url": fx.photo}
			}
			return map[string]any{"url": fx.photo, "externalId": ext}
		}
	}
	body := func(b map[string]any) func(*contractFixtures) map[string]any {
		return func(*contractFixtures) map[string]any { return b }
	}
	ext := func(id string) map[string]any { return map[string]any{"externalId": id} }

	// uploadFromUrl; 200 is the alternative the server does not take.
	add("uploadFromUrl", "201", "without externalId", uploadOf(photo("")))
	add("uploadFromUrl", "201", "with externalId", uploadOf(photo("ct-new")))
	add("uploadFromUrl", "400", "url missing", deliberate(uploadOf(body(ext("ct-no-url")))))
	add("uploadFromUrl", "400", "url not http", deliberate(uploadOf(body(map[string]any{"url": "ftp://example.com/a.jpg"}))))
	add("uploadFromUrl", "400", "externalId too long", deliberate(uploadOf(photo(tooLong))))
	add("uploadFromUrl", "400", "malformed JSON", deliberate(edited(uploadOf(photo("")), func(_ *contractFixtures, r *client.Request) {
		r.Body, r.Header = []byte(`{"url":`), http.Header{"Content-Type": {"application/json"}}
	})))
	add("uploadFromUrl", "409", "externalId already linked", uploadOf(photo("ct-a")))
	add("uploadFromUrl", "413", "body over 512 KB", deliberate(uploadOf(func(fx *contractFixtures) map[string]any {
		return map[string]any{"url": fx.photo, "padding": oversized}
	})))
	add("uploadFromUrl", "415", "text/plain body", deliberate(edited(uploadOf(photo("")), func(fx *contractFixtures, r *client.Request) {
		r.Body, r.Header = []byte(`{"url":"`+fx.photo+`"}`), textPlain
	})))

	// getJobStatus
	add("getJobStatus", "200", "completed", jobOf(func(fx *contractFixtures) string { return itoa(fx.optimizedJob) }))
	add("getJobStatus", "200", "failed", jobOf(func(fx *contractFixtures) string { return itoa(fx.failedJob) }))
	add("getJobStatus", "200", "processing", jobOf(func(fx *contractFixtures) string { return itoa(fx.busyJob) }))
	add("getJobStatus", "400", "id not an integer", deliberate(apiCall(http.MethodGet, "/job/status?id=abc", nil)))
	add("getJobStatus", "400", "id zero", deliberate(apiCall(http.MethodGet, "/job/status?id=0", nil)))
	add("getJobStatus", "400", "id missing", deliberate(apiCall(http.MethodGet, "/job/status", nil)))
	add("getJobStatus", "404", "unknown job", jobOf(func(*contractFixtures) string { return itoa(unknownID) }))
	add("getJobStatus", "404", "another agency's job", asOther(jobOf(func(fx *contractFixtures) string { return itoa(fx.optimizedJob) })))

	// getMedia
	add("getMedia", "200", "optimized file", mediaOf(http.MethodGet, fxOptimized, "", nil))
	add("getMedia", "200", "failed file", mediaOf(http.MethodGet, func(fx *contractFixtures) int64 { return fx.failed }, "", nil))
	add("getMedia", "200", "file in progress", mediaOf(http.MethodGet, func(fx *contractFixtures) int64 { return fx.busy }, "", nil))
	add("getMedia", "400", "id not an integer", deliberate(apiCall(http.MethodGet, "/media/abc", nil)))
	add("getMedia", "400", "id zero", deliberate(apiCall(http.MethodGet, "/media/0", nil)))
	add("getMedia", "404", "unknown file", mediaOf(http.MethodGet, fxUnknown, "", nil))
	add("getMedia", "404", "another agency's file", asOther(mediaOf(http.MethodGet, fxOptimized, "", nil)))

	// getMediaByExternalId: its one 400 is both authentication headers, below.
	add("getMediaByExternalId", "200", "optimized file", apiCall(http.MethodGet, "/media/external/ct-a", nil))
	add("getMediaByExternalId", "404", "unknown external ID", apiCall(http.MethodGet, "/media/external/ct-nobody", nil))
	add("getMediaByExternalId", "404", "another agency's file", asOther(apiCall(http.MethodGet, "/media/external/ct-a", nil)))

	// linkExternalId, on the bare file; 201 is the alternative the server
	// does not take.
	link := func(id func(*contractFixtures) int64, b any) requestOf {
		return mediaOf(http.MethodPost, id, "/link", b)
	}
	add("linkExternalId", "400", "externalId missing", deliberate(link(fxBare, map[string]any{})))
	add("linkExternalId", "400", "externalId empty", deliberate(link(fxBare, ext(""))))
	add("linkExternalId", "400", "externalId not a string", deliberate(link(fxBare, map[string]any{"externalId": 42})))
	add("linkExternalId", "400", "externalId too long", deliberate(link(fxBare, ext(tooLong))))
	add("linkExternalId", "400", "id not an integer", deliberate(apiCall(http.MethodPost, "/media/abc/link", ext("ct-b"))))
	add("linkExternalId", "404", "unknown file", link(fxUnknown, ext("ct-b")))
	add("linkExternalId", "404", "another agency's file", asOther(link(fxBare, ext("ct-b"))))
	add("linkExternalId", "409", "externalId used by another file", link(fxBare, ext("ct-a")))
	add("linkExternalId", "409", "file already has an externalId", link(fxOptimized, ext("ct-b")))
	add("linkExternalId", "413", "body over 512 KB", deliberate(link(fxBare, map[string]any{"externalId": "ct-b", "padding": oversized})))
	add("linkExternalId", "415", "text/plain body", deliberate(edited(link(fxBare, nil), func(_ *contractFixtures, r *client.Request) {
		r.Body, r.Header = []byte(`{"externalId":"ct-b"}`), textPlain
	})))
	add("linkExternalId", "200", "linked", link(fxBare, ext("ct-b")))

	// unlinkExternalId, on the bare file just linked.
	add("unlinkExternalId", "200", "unlinked", mediaOf(http.MethodDelete, fxBare, "/link", nil))
	add("unlinkExternalId", "4XX", "file has no externalId", mediaOf(http.MethodDelete, fxBare, "/link", nil))
	add("unlinkExternalId", "400", "id not an integer", deliberate(apiCall(http.MethodDelete, "/media/abc/link", nil)))
	add("unlinkExternalId", "404", "unknown file", mediaOf(http.MethodDelete, fxUnknown, "/link", nil))
	add("unlinkExternalId", "404", "another agency's file", asOther(mediaOf(http.MethodDelete, fxOptimized, "/link", nil)))

	// deleteMedia
	add("deleteMedia", "200", "deleted", mediaOf(http.MethodDelete, fxDoomed, "", nil))
	add("deleteMedia", "404", "already deleted", mediaOf(http.MethodDelete, fxDoomed, "", nil))
	add("deleteMedia", "404", "another agency's file", asOther(mediaOf(http.MethodDelete, fxOptimized, "", nil)))
	add("deleteMedia", "400", "id not an integer", deliberate(apiCall(http.MethodDelete, "/media/abc", nil)))

	// deleteMediaByExternalId
	doomedExt := apiCallf(http.MethodDelete, func(fx *contractFixtures) string { return "/media/external/" + fx.doomedExt }, nil)
	add("deleteMediaByExternalId", "200", "deleted", doomedExt)
	add("deleteMediaByExternalId", "404", "already deleted", doomedExt)
	add("deleteMediaByExternalId", "404", "another agency's file", asOther(apiCall(http.MethodDelete, "/media/external/ct-a", nil)))

	// getAgency
	add("getAgency", "200", "ApiKey header", apiCall(http.MethodGet, "/agency", nil))
	add("getAgency", "200", "X-API-Key header", withKey(apiCall(http.MethodGet, "/agency", nil), primaryKey, client.AuthXAPIKey, false))

	return append(cases, gateCases()...)
}

// gateCases are what every operation answers before it runs: refused
// authentication, a panic, and the rate limit. As the operation never runs,
// each request may name any file.
func gateCases() []contractCase {
	ops := []struct {
		op  string
		req requestOf
	}{
		{"uploadFromUrl", uploadOf(func(fx *contractFixtures) map[string]any { return map[string]any{"url": fx.photo} })},
		{"getJobStatus", jobOf(func(fx *contractFixtures) string { return itoa(fx.optimizedJob) })},
		{"getMedia", mediaOf(http.MethodGet, fxOptimized, "", nil)},
		{"deleteMedia", mediaOf(http.MethodDelete, fxOptimized, "", nil)},
		{"getMediaByExternalId", apiCall(http.MethodGet, "/media/external/ct-a", nil)},
		{"deleteMediaByExternalId", apiCall(http.MethodDelete, "/media/external/ct-a", nil)},
		{"linkExternalId", mediaOf(http.MethodPost, fxBare, "/link", map[string]any{"externalId": "ct-never"})},
		{"unlinkExternalId", mediaOf(http.MethodDelete, fxOptimized, "/link", nil)},
		{"getAgency", apiCall(http.MethodGet, "/agency", nil)},
	}
	var cases []contractCase
	add := func(op, want, what string, limited bool, req requestOf) {
		cases = append(cases, contractCase{name: op + " " + want + " " + what, op: op, want: want, limited: limited, req: req})
	}
	for _, o := range ops {
		add(o.op, "400", "both authentication headers", false, withKey(o.req, primaryKey, client.AuthBoth, true))
		add(o.op, "401", "no key", false, withKey(o.req, func(Keys) string { return "" }, client.AuthNone, true))
		add(o.op, "401", "unknown key", false, withKey(o.req, func(Keys) string { return unknownKey }, client.AuthXAPIKey, false))
		add(o.op, "401", "Bearer scheme", false, withKey(o.req, primaryKey, client.AuthOtherScheme, true))
		add(o.op, "403", "agency suspended", false, withKey(o.req, func(k Keys) string { return k.Suspended }, client.AuthAPIKeyHeader, false))
		add(o.op, "403", "CRM not enabled", false, withKey(o.req, func(k Keys) string { return k.CRMDisabled }, client.AuthXAPIKey, false))
		add(o.op, "500", "the operation panics", false, edited(o.req, func(_ *contractFixtures, r *client.Request) {
			r.Header = http.Header{panicHeader: {"1"}}
		}))
	}
	add("getAgency", "200", "the rate-limited server's one request", true, apiCall(http.MethodGet, "/agency", nil))
	for _, o := range ops {
		add(o.op, "429", "over the rate limit", true, o.req)
	}
	return cases
}

// otherReadings: where the contract allows two success statuses, the one
// the server answers by default and the one it answers with
// Config.OtherStatuses.
var otherReadings = map[opStatus]int{
	{"uploadFromUrl", 201}:  200,
	{"linkExternalId", 200}: 201,
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

type opStatus struct {
	op     string
	status int
}

// contractHarness is a server, a rate-limited twin, the clients in front of
// them and the fixtures, with a record of every exchange.
type contractHarness struct {
	t         *testing.T
	validator *contract.Validator
	api       *client.Client // strict, validated: the cases
	limited   *client.Client // the same, on the twin whose limit is one request
	setup     *client.Client // makes the fixtures: api, or unchecked when a fault is on
	uploaded  int            // the server's status for a new upload
	fx        contractFixtures

	mu       sync.Mutex
	received map[opStatus]bool
	passed   map[string]bool // "<op> <want>" of the cases that passed
}

var contractValidator = sync.OnceValues(func() (*contract.Validator, error) {
	doc, err := openapi.Load()
	if err != nil {
		return nil, err
	}
	return contract.New(doc)
})

// newContractHarness starts the servers with faults and makes the fixtures,
// through the validated client when checkSetup, else through an unchecked one
// (a fault may break the fixtures' own exchanges).
func newContractHarness(t *testing.T, faults []string, checkSetup bool, configure ...func(*Config)) *contractHarness {
	t.Helper()
	v, err := contractValidator()
	if err != nil {
		t.Fatal(err)
	}
	h := &contractHarness{t: t, validator: v, received: map[opStatus]bool{}, passed: map[string]bool{}}
	src := contractSources(t)
	cfg := Config{OptimizeDelay: time.Millisecond, Faults: faults}
	for _, c := range configure {
		c(&cfg)
	}
	h.uploaded = http.StatusCreated
	if cfg.OtherStatuses {
		h.uploaded = http.StatusOK
	}
	e := newEnvWith(t, cfg, func(s *Server) {
		s.panicOn = func(r *http.Request) bool { return r.Header.Get(panicHeader) != "" }
	})
	cfg.Keys, cfg.RateLimit, cfg.RateWindow = e.keys, 1, time.Hour
	limited := newEnv(t, cfg)

	secrets := []string{e.keys.Primary, e.keys.Other, e.keys.Suspended, e.keys.CRMDisabled, unknownKey}
	newClient := func(ts *httptest.Server, validator client.Checker) *client.Client {
		c, err := client.New(client.Options{
			BaseURL: ts.URL + apiRoot, HTTPClient: ts.Client(), Validator: validator,
			Strict: true, Secrets: secrets, MaxRetries: -1, Observe: h.observe,
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	h.api, h.limited, h.setup = newClient(e.ts, v), newClient(limited.ts, v), newClient(e.ts, nil)
	if checkSetup {
		h.setup = h.api
	}
	h.makeFixtures(e.keys, src.URL)
	return h
}

// contractSources serves a small JPEG, a page that is not an image, and an
// image whose download never ends (until the server gives up on it).
func contractSources(t *testing.T) *httptest.Server {
	t.Helper()
	serve := func(contentType string, data []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", contentType)
			_, _ = w.Write(data)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/photo.jpg", serve("image/jpeg", imaging.SmallJPEG()))
	mux.HandleFunc("/not-image.html", serve("text/html", imaging.NotAnImage()))
	mux.HandleFunc("/endless.jpg", func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	ts := httptest.NewServer(mux)
	// Registered before the servers, so it runs after they closed and
	// cancelled the endless download.
	t.Cleanup(func() {
		ts.CloseClientConnections()
		ts.Close()
	})
	return ts
}

func (h *contractHarness) makeFixtures(keys Keys, source string) {
	fx := &h.fx
	fx.keys, fx.photo = keys, source+"/photo.jpg"
	fx.optimized, fx.optimizedJob = h.upload(fx.photo, "ct-a")
	fx.failed, fx.failedJob = h.upload(source+"/not-image.html", "")
	fx.busy, fx.busyJob = h.upload(source+"/endless.jpg", "")
	fx.bare, _ = h.upload(fx.photo, "")
	fx.doomedExt = "ct-doomed"
	_, _ = h.upload(fx.photo, fx.doomedExt)
	fx.doomed, _ = h.upload(fx.photo, "")
	h.await(fx.optimized, optSuccess)
	h.await(fx.failed, optFailed)
	h.await(fx.busy, optInProgress)
	// Job and file change state under one lock: the jobs are completed,
	// failed and processing now.
}

// upload makes a file of the primary agency and returns its media and job ids.
func (h *contractHarness) upload(source, ext string) (media, job int64) {
	h.t.Helper()
	body := map[string]any{"url": source}
	if ext != "" {
		body["externalId"] = ext
	}
	var u uploadJSON
	h.setupDo(client.Request{Method: http.MethodPost, Path: "/media/upload-from-url", Key: h.fx.keys.Primary, JSON: body},
		h.uploaded, &u)
	return u.MediaID, u.JobID
}

// await polls a file until its optimization is state.
func (h *contractHarness) await(id int64, state string) {
	h.t.Helper()
	pollUntil(h.t, func() (struct{}, bool) {
		var m struct {
			Optimization string `json:"optimization"`
		}
		h.setupDo(client.Request{Method: http.MethodGet, Path: mediaPath(id), Key: h.fx.keys.Primary}, http.StatusOK, &m)
		finished := m.Optimization == optSuccess || m.Optimization == optFailed
		if finished && m.Optimization != state {
			h.t.Fatalf("file %d ended %s, want %s", id, m.Optimization, state)
		}
		return struct{}{}, m.Optimization == state
	})
}

func (h *contractHarness) setupDo(r client.Request, want int, v any) {
	h.t.Helper()
	resp, err := h.setup.Do(context.Background(), r)
	if err != nil {
		h.t.Fatalf("fixture: %v", err)
	}
	if resp.Status != want {
		h.t.Fatalf("fixture: %s %s: status %d, want %d; body %s", r.Method, r.Path, resp.Status, want, resp.Body)
	}
	if err := resp.Decode(v); err != nil {
		h.t.Fatalf("fixture: %s %s: %v", r.Method, r.Path, err)
	}
}

func (h *contractHarness) observe(r *client.Response) {
	if r.Operation == "" {
		return // unchecked (the setup client without a validator)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.received[opStatus{r.Operation, r.Status}] = true
}

// send makes the request of tc; no request is retried.
func (h *contractHarness) send(tc contractCase) (*client.Response, error) {
	c := h.api
	if tc.limited {
		c = h.limited
	}
	r := tc.req(&h.fx)
	r.NoRetry = true
	return c.Do(context.Background(), r)
}

// check runs tc and wants its status, its operation, and no finding at all.
func (h *contractHarness) check(t *testing.T, tc contractCase) {
	resp, err := h.send(tc)
	if resp == nil {
		t.Fatalf("no answer: %v", err)
	}
	ok := true
	if err != nil {
		t.Errorf("%v", err) // a *client.ContractError carries the whole exchange
		ok = false
	} else if len(resp.Findings) > 0 {
		t.Errorf("findings %v", resp.Findings)
		ok = false
	}
	if !statusIs(tc.want, resp.Status) {
		t.Errorf("status %d, want %s; body %s", resp.Status, tc.want, resp.Body)
		ok = false
	}
	if resp.Operation != tc.op {
		t.Errorf("the request reached operation %q, want %q", resp.Operation, tc.op)
		ok = false
	}
	if ok {
		h.mu.Lock()
		h.passed[tc.op+" "+tc.want] = true
		h.mu.Unlock()
	}
}

// statusIs matches a status against a response key: "404" or a range "4XX".
func statusIs(key string, status int) bool {
	if len(key) == 3 && strings.HasSuffix(key, "XX") {
		return strconv.Itoa(status)[:1] == key[:1]
	}
	return strconv.Itoa(status) == key
}

// merge adds what other received to h's record.
func (h *contractHarness) merge(other *contractHarness) {
	other.mu.Lock()
	defer other.mu.Unlock()
	h.mu.Lock()
	defer h.mu.Unlock()
	for k := range other.received {
		h.received[k] = true
	}
}

// uncovered lists every documented (operation, status) no exchange received,
// and every documented range no passing case targeted.
func (h *contractHarness) uncovered(t *testing.T) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var missing []string
	documented := map[opStatus]bool{}
	for _, op := range h.validator.Operations() {
		for _, s := range op.Statuses {
			k := opStatus{op.ID, s}
			documented[k] = true
			if h.received[k] {
				continue
			}
			missing = append(missing, fmt.Sprintf("%s %d", op.ID, s))
		}
	}
	for op, keys := range documentedRanges(t) {
		for _, key := range keys {
			if !h.passed[op+" "+key] {
				missing = append(missing, op+" "+key)
			}
		}
	}
	slices.Sort(missing)
	return missing
}

// documentedRanges are the range responses ("4XX") of each operation, which
// Validator.Operations leaves out.
func documentedRanges(t *testing.T) map[string][]string {
	t.Helper()
	doc, err := openapi.Load()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			out[op.OperationID] = append(out[op.OperationID], ranges(op.Responses)...)
		}
	}
	return out
}

func ranges(rs *openapi3.Responses) []string {
	var out []string
	for key := range rs.Map() {
		if len(key) == 3 && strings.HasSuffix(strings.ToUpper(key), "XX") {
			out = append(out, strings.ToUpper(key))
		}
	}
	return out
}

func statusOf(r *client.Response) int {
	if r == nil {
		return 0
	}
	return r.Status
}

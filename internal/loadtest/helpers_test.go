package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rentix/mediaharness/internal/contract"
)

// fakeAPI is a minimal Media API for engine tests, with knobs for the
// misbehaviours the tests need.
type fakeAPI struct {
	mu     sync.Mutex
	files  map[int64]*fakeFile
	byExt  map[string]int64
	nextID int64

	delay     time.Duration // added to every media request
	failEvery int64         // every n-th request answers 500 (0: never)
	badBody   bool          // GET answers miss a required field
	wrongID   bool          // GET /media/{id} answers another id
	hugeBody  bool          // GET answers carry a 2 MiB field
	limit     *tokenBucket  // above its rate: limitCode
	limitCode int           // 503 (saturated) or 429 (rate-limited)
	// Attack requests numbered from hiccupFrom up to hiccupTo (exclusive)
	// answer 500: one short upset, as a pause of the host would cause.
	hiccupFrom, hiccupTo int64

	uploads  []string     // external IDs of every upload
	requests atomic.Int64 // media requests, cleanup included
	attacks  atomic.Int64 // requests of the attack (with Authorization)
	gets     atomic.Int64
}

type fakeFile struct {
	ext    string
	linked bool
}

func newFakeAPI() *fakeAPI {
	return &fakeAPI{files: map[int64]*fakeFile{}, byExt: map[string]int64{}}
}

// start serves f on a loopback port and returns its API root.
func (f *fakeAPI) start(t testing.TB) string {
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return srv.URL + "/api/v1"
}

func (f *fakeAPI) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.files)
}

func (f *fakeAPI) uploaded() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.uploads...)
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/api/v1")
	if r.Method == http.MethodPost && path == "/media/upload-from-url" {
		f.upload(w, r)
		return
	}
	n := f.requests.Add(1)
	if r.Method == http.MethodGet {
		f.gets.Add(1)
	}
	if r.Header.Get("Authorization") == "" { // fixture calls: the knobs are for the attack
		f.route(w, r, path)
		return
	}
	if a := f.attacks.Add(1); a >= f.hiccupFrom && a < f.hiccupTo {
		writeJSON(w, 500, map[string]any{"statusCode": 500, "message": "hiccup", "error": "Internal Server Error"})
		return
	}
	if f.delay > 0 {
		time.Sleep(f.delay)
	}
	if f.limit != nil && !f.limit.take() {
		writeJSON(w, f.limitCode, map[string]any{"statusCode": f.limitCode, "message": "slow down", "error": http.StatusText(f.limitCode)})
		return
	}
	if f.failEvery > 0 && n%f.failEvery == 0 {
		writeJSON(w, 500, map[string]any{"statusCode": 500, "message": "boom", "error": "Internal Server Error"})
		return
	}
	f.route(w, r, path)
}

func (f *fakeAPI) route(w http.ResponseWriter, r *http.Request, path string) {
	rest, ok := strings.CutPrefix(path, "/media/")
	if !ok {
		notFound(w)
		return
	}
	if ext, ok := strings.CutPrefix(rest, "external/"); ok && r.Method == http.MethodGet {
		f.getExternal(w, ext)
		return
	}
	idText, action, _ := strings.Cut(rest, "/")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		notFound(w)
		return
	}
	switch {
	case action == "" && r.Method == http.MethodGet:
		f.get(w, id)
	case action == "" && r.Method == http.MethodDelete:
		f.delete(w, id)
	case action == "link" && r.Method == http.MethodPost:
		f.link(w, r, id)
	case action == "link" && r.Method == http.MethodDelete:
		f.unlink(w, id)
	default:
		notFound(w)
	}
}

func (f *fakeAPI) upload(w http.ResponseWriter, r *http.Request) {
	var in struct{ URL, ExternalID string }
	_ = json.NewDecoder(r.Body).Decode(&in)
	f.mu.Lock()
	f.nextID++
	id := f.nextID
	f.files[id] = &fakeFile{ext: in.ExternalID, linked: in.ExternalID != ""}
	f.uploads = append(f.uploads, in.ExternalID)
	if in.ExternalID != "" {
		f.byExt[in.ExternalID] = id
	}
	f.mu.Unlock()
	writeJSON(w, 201, map[string]any{"mediaId": id, "status": "pending", "externalId": in.ExternalID, "jobId": id})
}

func (f *fakeAPI) body(id int64, ff *fakeFile) map[string]any {
	var ext any
	if ff.linked {
		ext = ff.ext
	}
	b := map[string]any{"id": id, "externalId": ext, "optimization": "success", "size": 1234}
	if f.wrongID {
		b["id"] = id + 1000
	}
	if f.badBody {
		delete(b, "optimization")
	}
	if f.hugeBody {
		b["blurHash"] = strings.Repeat("x", 2<<20)
	}
	return b
}

func (f *fakeAPI) get(w http.ResponseWriter, id int64) {
	f.mu.Lock()
	ff, ok := f.files[id]
	var b map[string]any
	if ok {
		b = f.body(id, ff)
	}
	f.mu.Unlock()
	if !ok {
		notFound(w)
		return
	}
	writeJSON(w, 200, b)
}

func (f *fakeAPI) getExternal(w http.ResponseWriter, ext string) {
	f.mu.Lock()
	id, ok := f.byExt[ext]
	var b map[string]any
	if ok {
		b = f.body(id, f.files[id])
	}
	f.mu.Unlock()
	if !ok {
		notFound(w)
		return
	}
	writeJSON(w, 200, b)
}

func (f *fakeAPI) delete(w http.ResponseWriter, id int64) {
	f.mu.Lock()
	ff, ok := f.files[id]
	if ok {
		delete(f.files, id)
		if ff.linked {
			delete(f.byExt, ff.ext)
		}
	}
	f.mu.Unlock()
	if !ok {
		notFound(w)
		return
	}
	writeJSON(w, 200, map[string]any{"deleted": true})
}

func (f *fakeAPI) link(w http.ResponseWriter, r *http.Request, id int64) {
	var in struct{ ExternalID string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.ExternalID == "" {
		writeJSON(w, 400, map[string]any{"statusCode": 400, "message": []string{"externalId must be a string"}, "error": "Bad Request"})
		return
	}
	f.mu.Lock()
	ff, ok := f.files[id]
	conflict := ok && ff.linked
	if ok && !conflict {
		ff.ext, ff.linked = in.ExternalID, true
		f.byExt[in.ExternalID] = id
	}
	f.mu.Unlock()
	switch {
	case !ok:
		notFound(w)
	case conflict:
		writeJSON(w, 409, map[string]any{"statusCode": 409, "message": "File already has external ID", "error": "Conflict"})
	default:
		writeJSON(w, 200, map[string]any{"mediaId": id, "externalId": in.ExternalID, "linked": true})
	}
}

func (f *fakeAPI) unlink(w http.ResponseWriter, id int64) {
	f.mu.Lock()
	ff, ok := f.files[id]
	had := ok && ff.linked
	ext := ""
	if had {
		ext, ff.linked = ff.ext, false
		delete(f.byExt, ext)
	}
	f.mu.Unlock()
	switch {
	case !ok:
		notFound(w)
	case !had:
		writeJSON(w, 400, map[string]any{"statusCode": 400, "message": "File has no external ID", "error": "Bad Request"})
	default:
		writeJSON(w, 200, map[string]any{"mediaId": id, "externalId": ext, "unlinked": true})
	}
}

func notFound(w http.ResponseWriter) {
	writeJSON(w, 404, map[string]any{"statusCode": 404, "message": "File not found", "error": "Not Found"})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// tokenBucket is a token bucket: rate per second, a small burst, so that
// short capacity steps see the limit.
type tokenBucket struct {
	mu     sync.Mutex
	rate   float64
	tokens float64
	last   time.Time
}

func newBucket(rate float64) *tokenBucket {
	return &tokenBucket{rate: rate, tokens: rate / 50, last: time.Now()}
}

func (b *tokenBucket) take() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	b.tokens = min(b.rate/50, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// httpFixtures makes fixtures through the fake API's upload endpoint, so it
// also works from another process.
type httpFixtures struct {
	base   string
	prefix string
	seq    atomic.Int64

	mu      sync.Mutex
	live    map[int64]fixture
	created int
	deleted int
}

func newHTTPFixtures(base, prefix string) *httpFixtures {
	return &httpFixtures{base: base, prefix: prefix, live: map[int64]fixture{}}
}

func (h *httpFixtures) Create(ctx context.Context, n int) ([]fixture, error) {
	out := make([]fixture, 0, n)
	for range n {
		ext := fmt.Sprintf("%s-%04d", h.prefix, h.seq.Add(1))
		body, _ := json.Marshal(map[string]string{"url": "http://source.invalid/x.jpg", "externalId": ext})
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, h.base+"/media/upload-from-url", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		var got struct{ MediaID int64 }
		err = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		f := fixture{ID: got.MediaID, ExternalID: ext}
		h.mu.Lock()
		h.live[f.ID] = f
		h.created++
		h.mu.Unlock()
		out = append(out, f)
	}
	return out, nil
}

func (h *httpFixtures) Deleted(f fixture) {
	h.mu.Lock()
	delete(h.live, f.ID)
	h.mu.Unlock()
}

func (h *httpFixtures) Cleanup(ctx context.Context) (int, error) {
	h.mu.Lock()
	todo := make([]fixture, 0, len(h.live))
	for _, f := range h.live {
		todo = append(todo, f)
	}
	h.mu.Unlock()
	n := 0
	for _, f := range todo {
		req, _ := http.NewRequestWithContext(ctx, http.MethodDelete, mediaURL(h.base, f.ID), nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return n, err
		}
		resp.Body.Close()
		h.Deleted(f)
		if resp.StatusCode == 200 {
			n++
		}
	}
	h.mu.Lock()
	h.deleted += n
	h.mu.Unlock()
	return n, nil
}

func (h *httpFixtures) left() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.live)
}

// fakeChecker stands in for the contract: each operation's answer must
// carry its fields, and only documented statuses may come.
type fakeChecker struct{ checks atomic.Int64 }

var fakeRequired = map[operation][]string{
	opGet:         {"id", "externalId", "optimization"},
	opGetExternal: {"id", "externalId", "optimization"},
	opLink:        {"mediaId", "externalId", "linked"},
	opUnlink:      {"mediaId", "externalId", "unlinked"},
	opDelete:      {"deleted"},
}

func (c *fakeChecker) Check(ex contract.Exchange) []contract.Finding {
	c.checks.Add(1)
	op := classify(ex.Method, ex.Path)
	if ex.Status >= 400 {
		if ex.Status == 500 || ex.Status == 404 || ex.Status == 409 || ex.Status == 400 || ex.Status == 429 {
			return nil
		}
		return []contract.Finding{{Kind: contract.Violation, Operation: string(op), Rule: "response.status", Message: "undocumented status"}}
	}
	var body map[string]any
	if err := json.Unmarshal(ex.ResponseBody, &body); err != nil {
		return []contract.Finding{{Kind: contract.Violation, Operation: string(op), Rule: "response.body", Message: "not JSON"}}
	}
	var out []contract.Finding
	for _, k := range fakeRequired[op] {
		if _, ok := body[k]; !ok {
			out = append(out, contract.Finding{Kind: contract.Violation, Operation: string(op), Rule: "response.body",
				Pointer: "/" + k, Message: "property " + k + " is missing"})
		}
	}
	return out
}

// fakeEnv is an Env over a fake API.
func fakeEnv(t testing.TB, api *fakeAPI) (*preparedTarget, *httpFixtures) {
	base := api.start(t)
	fx := newHTTPFixtures(base, "lt-"+t.Name())
	return &preparedTarget{baseURL: base, header: http.Header{"Authorization": {"ApiKey test-key"}},
		checker: &fakeChecker{}, fixtures: fx, loopback: true}, fx
}

func perSec(n int) Rate { return Rate{Freq: n, Per: time.Second} }

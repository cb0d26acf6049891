package faultproxy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// recordingWait stands in for the clock: it records each delay and returns at once.
type recordingWait struct {
	mu     sync.Mutex
	delays []time.Duration
}

func (w *recordingWait) wait(_ context.Context, d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.delays = append(w.delays, d)
	return nil
}

func (w *recordingWait) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.delays...)
}

// expectedHits is the decision sequence a proxy with this seed and ratio makes for n requests in a row.
func expectedHits(seed int64, ratio float64, n int) int {
	hits := 0
	for _, hit := range draws(newChooser(seed, ratio), n) {
		if hit {
			hits++
		}
	}
	return hits
}

func TestLatency_DelaysThenForwards(t *testing.T) {
	t.Parallel()
	u := newUpstream(t)
	clock := &recordingWait{}
	p := startProxyWith(t, u, Config{Mode: ModeLatency, Latency: 250 * time.Millisecond}, clock.wait)
	resp, body := get(t, newClient(t, 0), p.URL()+"/api/v1/agency")
	if resp.StatusCode != http.StatusOK || string(body) != okBody {
		t.Errorf("got %d %q; want the upstream's 200 %q", resp.StatusCode, body, okBody)
	}
	if got := clock.all(); len(got) != 1 || got[0] != 250*time.Millisecond {
		t.Errorf("delays %v; want one of 250ms", got)
	}
	if got := u.hits.Load(); got != 1 {
		t.Errorf("upstream saw %d requests; want 1", got)
	}
}

func TestLatency_RealClockDelays(t *testing.T) {
	t.Parallel()
	u := newUpstream(t)
	p := startProxy(t, u, Config{Mode: ModeLatency, Latency: time.Hour})
	_, err := newClient(t, 100*time.Millisecond).Get(p.URL() + "/api/v1/agency")
	var netErr net.Error
	if !errors.As(err, &netErr) || !netErr.Timeout() {
		t.Errorf("GET through an hour of latency with a 100ms client: %v; want a timeout", err)
	}
	if got := u.hits.Load(); got != 0 {
		t.Errorf("upstream saw %d requests; want none before the delay is over", got)
	}
}

func TestLatency_RatioIsSeeded(t *testing.T) {
	t.Parallel()
	const n, seed, ratio = 40, 7, 0.5
	u := newUpstream(t)
	clock := &recordingWait{}
	p := startProxyWith(t, u, Config{Mode: ModeLatency, Ratio: ratio, Seed: seed}, clock.wait)
	c := newClient(t, 0)
	for range n {
		get(t, c, p.URL()+"/api/v1/agency")
	}
	want := expectedHits(seed, ratio, n)
	if len(clock.all()) != want || want == 0 || want == n {
		t.Errorf("%d of %d requests delayed; want %d (seed %d, ratio %v), neither none nor all",
			len(clock.all()), n, want, seed, ratio)
	}
	if got := p.Stats(); got.Requests != n || got.Faulted != int64(want) || u.hits.Load() != n {
		t.Errorf("Stats() = %+v, upstream hits %d; want %d requests, %d faulted, all forwarded", got, u.hits.Load(), n, want)
	}
}

func TestReset_ClientGetsConnectionError(t *testing.T) {
	t.Parallel()
	u := newUpstream(t)
	p := startProxy(t, u, Config{Mode: ModeReset})
	resp, err := newClient(t, 5*time.Second).Post(p.URL()+"/api/v1/media/upload-from-url", "application/json",
		bytes.NewReader([]byte(`{"url":"http://example.test/a.jpg"}`)))
	if err == nil {
		resp.Body.Close()
		t.Fatalf("POST got %d; want a connection error", resp.StatusCode)
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		t.Errorf("POST: %v; want a reset, not a timeout", err)
	}
	if got := u.hits.Load(); got != 1 {
		t.Errorf("upstream saw %d requests; want 1 (the work is done, the answer is lost)", got)
	}
}

// TestReset_SendsRST reads the raw connection: the start of a response, then a TCP reset rather than a clean close.
func TestReset_SendsRST(t *testing.T) {
	t.Parallel()
	p := startProxy(t, newUpstream(t), Config{Mode: ModeReset})
	conn, err := net.Dial("tcp", strings.TrimPrefix(p.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET /api/v1/agency HTTP/1.1\r\nHost: proxy\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	got, err := io.ReadAll(conn)
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("reading the connection ended with %v after %q; want connection reset by peer", err, got)
	}
	if len(got) > 0 && !strings.HasPrefix(resetHead, string(got)) {
		t.Errorf("received %q before the reset; want a prefix of %q", got, resetHead)
	}
}

func TestTruncate_AnnouncesFullLengthSendsHalf(t *testing.T) {
	t.Parallel()
	p := startProxy(t, newUpstream(t), Config{Mode: ModeTruncate})
	c := newClient(t, 5*time.Second)
	for _, path := range []string{"/big", "/chunked"} { // upstream length known, and unknown
		resp, err := c.Get(p.URL() + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("GET %s: reading gave %v; want unexpected EOF", path, err)
		}
		if resp.ContentLength != int64(len(bigBody)) || string(body) != bigBody[:len(bigBody)/2] {
			t.Errorf("GET %s: Content-Length %d, %d bytes read; want %d announced and the first %d bytes",
				path, resp.ContentLength, len(body), len(bigBody), len(bigBody)/2)
		}
	}
}

func TestTruncate_NoBodyDropsConnection(t *testing.T) {
	t.Parallel()
	p := startProxy(t, newUpstream(t), Config{Mode: ModeTruncate})
	c := newClient(t, 5*time.Second)
	for _, req := range []struct{ method, path string }{{"GET", "/empty"}, {"HEAD", "/big"}} {
		r, _ := http.NewRequest(req.method, p.URL()+req.path, nil)
		if resp, err := c.Do(r); err == nil {
			resp.Body.Close()
			t.Errorf("%s %s got %d; want a connection error (nothing to cut in half)", req.method, req.path, resp.StatusCode)
		}
	}
}

func TestNonJSON_HTMLLabelledJSON(t *testing.T) {
	t.Parallel()
	u := newUpstream(t)
	p := startProxy(t, u, Config{Mode: ModeNonJSON})
	resp, body := get(t, newClient(t, 0), p.URL()+"/api/v1/media/42")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("got %d %q; want 200 application/json", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if json.Valid(body) || string(body) != nonJSONBody {
		t.Errorf("body %q; want the invalid JSON %q", body, nonJSONBody)
	}
	if got := u.hits.Load(); got != 0 {
		t.Errorf("upstream saw %d requests; want none", got)
	}
}

// TestHuge_Streams reads the start of a body of a tebibyte: the answer can only arrive if the proxy streams it.
func TestHuge_Streams(t *testing.T) {
	t.Parallel()
	p := startProxy(t, newUpstream(t), Config{Mode: ModeHuge, HugeBytes: 1 << 40})
	resp, err := newClient(t, 0).Get(p.URL() + "/api/v1/media/42")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	const n = 1 << 20
	head, err := io.ReadAll(io.LimitReader(resp.Body, n))
	if err != nil || len(head) != n {
		t.Fatalf("read %d bytes (%v); want exactly %d", len(head), err, n)
	}
	if resp.Header.Get("Content-Type") != "application/json" || !bytes.HasPrefix(head, []byte(hugePrefix)) ||
		bytes.Count(head[len(hugePrefix):], []byte("x")) != n-len(hugePrefix) {
		t.Errorf("content type %q, start %q; want JSON starting %q then padding",
			resp.Header.Get("Content-Type"), head[:len(hugePrefix)+4], hugePrefix)
	}
}

// TestHuge_DoesNotBuffer reads a whole 16 MiB body and checks the process allocated far less than that. Not
// parallel: the allocation counter is process-wide.
func TestHuge_DoesNotBuffer(t *testing.T) {
	const padding = 16 << 20
	p := startProxy(t, newUpstream(t), Config{Mode: ModeHuge, HugeBytes: padding})
	c := newClient(t, 0)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	resp, err := c.Get(p.URL() + "/api/v1/media/42")
	if err != nil {
		t.Fatal(err)
	}
	tail := &lastBytes{}
	n, err := io.Copy(tail, resp.Body)
	resp.Body.Close()
	runtime.ReadMemStats(&after)
	if want := int64(len(hugePrefix) + padding + len(hugeSuffix)); err != nil || n != want ||
		string(tail.b) != "xx"+hugeSuffix {
		t.Errorf("read %d bytes ending %q (%v); want %d ending %q", n, tail.b, err, want, "xx"+hugeSuffix)
	}
	if allocated := after.TotalAlloc - before.TotalAlloc; allocated > padding/4 {
		t.Errorf("allocated %d bytes while streaming %d; want well under a quarter (no buffering)", allocated, padding)
	}
}

// lastBytes keeps the last four bytes written to it.
type lastBytes struct{ b []byte }

func (l *lastBytes) Write(p []byte) (int, error) {
	l.b = append(l.b, p[max(0, len(p)-4):]...)
	l.b = l.b[max(0, len(l.b)-4):]
	return len(p), nil
}

func TestHang_ClientTimesOut(t *testing.T) {
	t.Parallel()
	u := newUpstream(t)
	p, err := Start(Config{Upstream: u.URL, Mode: ModeHang})
	if err != nil {
		t.Fatal(err)
	}
	_, err = newClient(t, 200*time.Millisecond).Get(p.URL() + "/api/v1/agency")
	var netErr net.Error
	if !errors.As(err, &netErr) || !netErr.Timeout() {
		t.Errorf("GET: %v; want a client timeout", err)
	}
	closeWithin(t, p, 5*time.Second)
	if got := u.hits.Load(); got != 0 {
		t.Errorf("upstream saw %d requests; want none", got)
	}
}

// TestHang_ClientGivingUpReleasesHandler checks the handler notices a client that leaves, before any Close.
func TestHang_ClientGivingUpReleasesHandler(t *testing.T) {
	t.Parallel()
	p := startProxy(t, newUpstream(t), Config{Mode: ModeHang})
	ctx, cancel := context.WithCancel(context.Background())
	r, _ := http.NewRequestWithContext(ctx, http.MethodPost, p.URL()+"/api/v1/media/upload-from-url",
		bytes.NewReader([]byte(`{"url":"http://example.test/a.jpg"}`)))
	errc := make(chan error, 1)
	go func() {
		resp, err := newClient(t, 0).Do(r)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	eventually(t, "the request reaches the proxy", func() bool { return p.Stats().Faulted == 1 })
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("the hanging request got an answer")
	}
	eventually(t, "the handler returns", func() bool { return p.Stats().Active == 0 })
}

func TestBurst5xx_AllAnswered503InAPIFormat(t *testing.T) {
	t.Parallel()
	u := newUpstream(t)
	p := startProxy(t, u, Config{Mode: ModeBurst5xx})
	resp, body := get(t, newClient(t, 0), p.URL()+"/api/v1/agency")
	var e apiError
	if err := json.Unmarshal(body, &e); err != nil || resp.StatusCode != 503 ||
		e != (apiError{StatusCode: 503, Message: "Service Unavailable", Error: "Service Unavailable"}) {
		t.Errorf("got %d %s (%v); want 503 in the API error format", resp.StatusCode, body, err)
	}
	for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} {
		if _, err := strconv.ParseInt(resp.Header.Get(h), 10, 64); err != nil {
			t.Errorf("header %s = %q; want an integer", h, resp.Header.Get(h))
		}
	}
	if reset, _ := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); reset < 1e9 {
		t.Errorf("X-RateLimit-Reset = %d; want a Unix time", reset)
	}
	if got := u.hits.Load(); got != 0 {
		t.Errorf("upstream saw %d requests; want none", got)
	}
}

func TestBurst5xx_RatioIsSeeded(t *testing.T) {
	t.Parallel()
	const n, seed, ratio = 100, 42, 0.3
	u := newUpstream(t)
	var patterns [2][n]bool
	for run := range patterns {
		p := startProxy(t, u, Config{Mode: ModeBurst5xx, Ratio: ratio, Seed: seed})
		c := newClient(t, 0)
		for i := range n {
			resp, _ := get(t, c, p.URL()+"/api/v1/agency")
			patterns[run][i] = resp.StatusCode == 503
		}
	}
	if patterns[0] != patterns[1] {
		t.Error("two proxies with the same seed answered 503 to different requests")
	}
	got := 0
	for _, is503 := range patterns[0] {
		if is503 {
			got++
		}
	}
	if want := expectedHits(seed, ratio, n); got != want {
		t.Errorf("%d of %d requests answered 503; want %d (seed %d, ratio %v)", got, n, want, seed, ratio)
	}
}

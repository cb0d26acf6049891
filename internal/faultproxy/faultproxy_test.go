package faultproxy

import (
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rentix/mediaharness/internal/pause"
)

const okBody = `{"id":42,"status":"success"}`

// upstream is a tiny API stand-in that counts the requests it sees.
type upstream struct {
	*httptest.Server
	hits     atomic.Int64
	lastPath atomic.Value // string: path and query of the last request
}

func newUpstream(t *testing.T) *upstream {
	t.Helper()
	u := &upstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(u.serve))
	t.Cleanup(u.Close)
	return u
}

func (u *upstream) serve(w http.ResponseWriter, r *http.Request) {
	u.hits.Add(1)
	u.lastPath.Store(r.URL.RequestURI())
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/host":
		_, _ = io.WriteString(w, r.Host)
	case "/big": // 1000 bytes, with Content-Length
		_, _ = io.WriteString(w, bigBody)
	case "/chunked": // no Content-Length: written in two flushed parts
		_, _ = io.WriteString(w, bigBody[:400])
		http.NewResponseController(w).Flush()
		_, _ = io.WriteString(w, bigBody[400:])
	case "/empty":
		w.WriteHeader(http.StatusNoContent)
	default:
		_, _ = io.WriteString(w, okBody)
	}
}

var bigBody = `{"padding":"` + strings.Repeat("y", 1000-15) + `"}`

// startProxy starts a proxy in front of u (unless cfg names an upstream) and closes it when the test ends.
func startProxy(t *testing.T, u *upstream, cfg Config) *Proxy {
	t.Helper()
	return startProxyWith(t, u, cfg, pause.For)
}

func startProxyWith(t *testing.T, u *upstream, cfg Config, wait waitFunc) *Proxy {
	t.Helper()
	if cfg.Upstream == "" {
		cfg.Upstream = u.URL
	}
	p, err := start(cfg, wait)
	if err != nil {
		t.Fatalf("start(%+v): %v", cfg, err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return p
}

// newClient is an http.Client with its own transport, so its idle connections end with the test.
func newClient(t *testing.T, timeout time.Duration) *http.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: timeout}
}

func get(t *testing.T, c *http.Client, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading body: %v", url, err)
	}
	return resp, body
}

// eventually polls cond until it holds or a generous deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestStart_RejectsBadConfig(t *testing.T) {
	t.Parallel()
	ok := "http://127.0.0.1:1"
	tests := []struct {
		name string
		cfg  Config
	}{
		{"empty upstream", Config{}},
		{"not http", Config{Upstream: "ftp://127.0.0.1:21"}},
		{"no scheme", Config{Upstream: "127.0.0.1:8080"}},
		{"unknown mode", Config{Upstream: ok, Mode: "chaos"}},
		{"negative ratio", Config{Upstream: ok, Ratio: -0.1}},
		{"ratio above one", Config{Upstream: ok, Ratio: 1.5}},
		{"NaN ratio", Config{Upstream: ok, Ratio: math.NaN()}},
		{"negative latency", Config{Upstream: ok, Latency: -time.Second}},
		{"negative huge bytes", Config{Upstream: ok, HugeBytes: -1}},
	}
	for _, tt := range tests {
		if p, err := Start(tt.cfg); err == nil {
			p.Close()
			t.Errorf("%s: Start(%+v) succeeded; want an error", tt.name, tt.cfg)
		}
	}
}

func TestStart_Defaults(t *testing.T) {
	t.Parallel()
	p := startProxy(t, newUpstream(t), Config{Mode: "HUGE"})
	if p.cfg.Latency != DefaultLatency || p.cfg.HugeBytes != DefaultHugeBytes || p.Mode() != ModeHuge {
		t.Errorf("latency %v, huge bytes %d, mode %q; want %v, %d, %q",
			p.cfg.Latency, p.cfg.HugeBytes, p.Mode(), DefaultLatency, int64(DefaultHugeBytes), ModeHuge)
	}
	if u, err := url.Parse(p.URL()); err != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Port() == "" {
		t.Errorf("URL() = %q; want http://127.0.0.1:<port>", p.URL())
	}
}

func TestProxy_PassThrough(t *testing.T) {
	t.Parallel()
	u := newUpstream(t)
	p := startProxy(t, u, Config{})
	resp, body := get(t, newClient(t, 0), p.URL()+"/api/v1/media/42?x=1")
	if resp.StatusCode != http.StatusOK || string(body) != okBody {
		t.Errorf("got %d %q; want 200 %q", resp.StatusCode, body, okBody)
	}
	if got := u.lastPath.Load(); got != "/api/v1/media/42?x=1" {
		t.Errorf("upstream saw %q; want /api/v1/media/42?x=1", got)
	}
	if got := p.Stats(); got.Requests != 1 || got.Faulted != 0 {
		t.Errorf("Stats() = %+v; want 1 request, none faulted", got)
	}
}

func TestProxy_PreserveHost(t *testing.T) {
	t.Parallel()
	u := newUpstream(t)
	upstreamHost := strings.TrimPrefix(u.URL, "http://")
	for _, preserve := range []bool{false, true} {
		p := startProxy(t, u, Config{PreserveHost: preserve})
		want := upstreamHost
		if preserve {
			want = strings.TrimPrefix(p.URL(), "http://")
		}
		if _, body := get(t, newClient(t, 0), p.URL()+"/host"); string(body) != want {
			t.Errorf("PreserveHost %v: upstream saw Host %q; want %q", preserve, body, want)
		}
	}
}

func TestProxy_UpstreamDownIs502(t *testing.T) {
	t.Parallel()
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	p := startProxy(t, nil, Config{Upstream: dead.URL})
	resp, body := get(t, newClient(t, 0), p.URL()+"/api/v1/agency")
	var e apiError
	if err := json.Unmarshal(body, &e); err != nil || resp.StatusCode != http.StatusBadGateway || e.StatusCode != 502 ||
		e.Error != "Bad Gateway" {
		t.Errorf("got %d %s (%v); want 502 in the API error format", resp.StatusCode, body, err)
	}
}

func TestProxy_SetModeSwitchesAtRunTime(t *testing.T) {
	t.Parallel()
	u := newUpstream(t)
	p := startProxy(t, u, Config{})
	c := newClient(t, 0)
	for _, step := range []struct {
		mode Mode
		want int
	}{{ModeNone, 200}, {ModeBurst5xx, 503}, {ModeNone, 200}} {
		p.SetMode(step.mode)
		if resp, _ := get(t, c, p.URL()+"/api/v1/agency"); resp.StatusCode != step.want {
			t.Errorf("mode %q: status %d; want %d", step.mode, resp.StatusCode, step.want)
		}
	}
	if got := p.Stats(); got.Requests != 3 || got.Faulted != 1 {
		t.Errorf("Stats() = %+v; want 3 requests, 1 faulted", got)
	}
}

func TestProxy_SetModeConcurrently(t *testing.T) {
	t.Parallel()
	p := startProxy(t, newUpstream(t), Config{})
	c := newClient(t, 0)
	stop := make(chan struct{})
	toggled := make(chan struct{})
	go func() {
		defer close(toggled)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
				p.SetMode([]Mode{ModeNone, ModeBurst5xx, ModeNonJSON}[i%3])
			}
		}
	}()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 25 {
				resp, err := c.Get(p.URL() + "/api/v1/agency")
				if err != nil {
					t.Errorf("GET: %v", err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 && resp.StatusCode != 503 {
					t.Errorf("status %d; want 200 or 503", resp.StatusCode)
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	<-toggled
	if got := p.Stats().Requests; got != 100 {
		t.Errorf("Stats().Requests = %d; want 100", got)
	}
}

func TestProxy_SetModePanicsOnUnknownMode(t *testing.T) {
	t.Parallel()
	p := startProxy(t, newUpstream(t), Config{})
	defer func() {
		if r := recover(); r == nil {
			t.Error("SetMode(\"chaos\") did not panic")
		}
		if p.Mode() != ModeNone {
			t.Errorf("mode after the panic is %q; want it unchanged", p.Mode())
		}
	}()
	p.SetMode("chaos")
}

func TestProxy_CloseTwice(t *testing.T) {
	t.Parallel()
	p, err := Start(Config{Upstream: newUpstream(t).URL})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("first Close: %v", err)
	}
	if err := p.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := newClient(t, time.Second).Get(p.URL()); err == nil {
		t.Error("GET after Close succeeded; want the listener gone")
	}
}

// TestProxy_CloseReleasesEverything starts one request in each blocking mode (a hang, an hour of latency, an
// endless body the client has stopped reading), closes the proxies and checks that Close returns, every client gets
// an error and no goroutine is left. Not parallel: goleak needs a quiet process.
func TestProxy_CloseReleasesEverything(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) }) // registered first, so it runs after every other cleanup
	u := newUpstream(t)
	c := newClient(t, 0)
	released := make(chan struct{}) // closed once every proxy is closed
	type inFlight struct {
		mode Mode
		p    *Proxy
		errc chan error
	}
	var all []inFlight
	for _, mode := range []Mode{ModeHang, ModeLatency, ModeHuge} {
		p, err := Start(Config{Upstream: u.URL, Mode: mode, Latency: time.Hour, HugeBytes: 1 << 40})
		if err != nil {
			t.Fatal(err)
		}
		f := inFlight{mode: mode, p: p, errc: make(chan error, 1)}
		go func() { f.errc <- postStalled(c, p.URL()+"/api/v1/media/upload-from-url", released) }()
		all = append(all, f)
	}
	for _, f := range all {
		eventually(t, string(f.mode)+" request reaches the proxy", func() bool { return f.p.Stats().Faulted == 1 })
	}
	for _, f := range all {
		closeWithin(t, f.p, 5*time.Second)
	}
	close(released)
	for _, f := range all {
		if err := <-f.errc; err == nil {
			t.Errorf("%s: the client got a complete answer; want an error after Close", f.mode)
		}
	}
	if got := u.hits.Load(); got != 0 {
		t.Errorf("upstream saw %d requests; want none (hang, latency and huge do not forward)", got)
	}
}

// postStalled sends a POST with a body (which the latency fault leaves unread, so net/http cannot notice the
// connection closing: only Close's cancellation frees that handler); if an answer starts, it reads 1 MiB, stops
// reading until released, then reads the rest.
func postStalled(c *http.Client, url string, released <-chan struct{}) error {
	resp, err := c.Post(url, "application/json", strings.NewReader(`{"url":"http://example.test/a.jpg"}`))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.CopyN(io.Discard, resp.Body, 1<<20); err != nil {
		return err
	}
	<-released
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func closeWithin(t *testing.T, p *Proxy, d time.Duration) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- p.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
		if active := p.Stats().Active; active != 0 {
			t.Errorf("%d handlers still running after Close returned; want none", active)
		}
	case <-time.After(d):
		t.Fatalf("Close did not return within %v", d)
	}
}

// TestProxy_CloseDropsUpstreamConnections checks Close also ends the kept-alive connections to upstream: the
// upstream starts before the goroutine snapshot, so only its per-connection goroutines could show up as leaks.
func TestProxy_CloseDropsUpstreamConnections(t *testing.T) {
	u := newUpstream(t)
	ignore := goleak.IgnoreCurrent()
	p, err := Start(Config{Upstream: u.URL})
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, 0)
	get(t, c, p.URL()+"/api/v1/agency")
	c.Transport.(*http.Transport).CloseIdleConnections()
	closeWithin(t, p, 5*time.Second)
	goleak.VerifyNone(t, ignore)
}

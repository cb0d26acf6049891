// Package faultproxy is a fault-injecting reverse proxy for tests: put it in front of the reference server (or any
// HTTP base URL) and switch it into a misbehaving mode (added latency, connection resets, truncated, non-JSON or
// huge bodies, a server that never answers, bursts of 503) to prove the harness survives a broken API.
//
//	p, err := faultproxy.Start(faultproxy.Config{Upstream: upstreamURL, Mode: faultproxy.ModeBurst5xx, Ratio: 0.2})
//	...
//	base := p.URL() + "/api/v1"
//	defer p.Close()
package faultproxy

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rentix/mediaharness/internal/pause"
)

// Defaults for zero Config fields.
const (
	DefaultLatency   = 500 * time.Millisecond
	DefaultHugeBytes = 64 << 20
)

// Config describes a proxy. Zero fields take the defaults above.
type Config struct {
	// Upstream is the server root, e.g. "http://127.0.0.1:8080". A path here prefixes every forwarded path.
	Upstream string
	// Mode is the fault to start in; SetMode changes it later.
	Mode Mode
	// Latency is the delay ModeLatency adds before forwarding (default DefaultLatency).
	Latency time.Duration
	// Ratio is the share of requests that get the fault, in [0, 1]; 0 means all of them.
	Ratio float64
	// HugeBytes is the padding ModeHuge streams (default DefaultHugeBytes).
	HugeBytes int64
	// Seed makes the choice of faulted requests repeatable.
	Seed int64
	// PreserveHost forwards the client's Host header instead of the upstream's, so a server that builds absolute
	// URLs from Host (the reference server's storage links) points them back through the proxy.
	PreserveHost bool
}

// Stats counts what a proxy did.
type Stats struct {
	Requests int64 // requests received
	Faulted  int64 // requests chosen for the fault of the mode active when they arrived
	Active   int64 // requests being handled now (hanging or delayed ones included)
}

// Proxy is a running fault-injecting proxy on a loopback port.
type Proxy struct {
	cfg      Config
	url      string
	mode     atomic.Value // Mode
	choose   *chooser
	wait     waitFunc
	forwards forwarders

	requests, faulted, active atomic.Int64

	srv    *http.Server
	served chan struct{} // closed when Serve returns
	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex // guards closed against handlers starting while Close waits for them
	closed   bool
	handlers sync.WaitGroup

	closeOnce sync.Once
	closeErr  error
}

// Start validates cfg and serves the proxy on 127.0.0.1 at a free port.
func Start(cfg Config) (*Proxy, error) {
	return start(cfg, pause.For)
}

// start is Start with the clock used for added latency, so tests can observe the delay without waiting.
func start(cfg Config, wait waitFunc) (*Proxy, error) {
	upstream, err := cfg.normalize()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("faultproxy: listen: %w", err)
	}
	p := &Proxy{cfg: cfg, url: "http://" + ln.Addr().String(), choose: newChooser(cfg.Seed, cfg.Ratio), wait: wait,
		served: make(chan struct{})}
	p.mode.Store(cfg.Mode)
	p.forwards = newForwarders(upstream, cfg.PreserveHost)
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.srv = &http.Server{
		Handler:           http.HandlerFunc(p.serveHTTP),
		BaseContext:       func(net.Listener) context.Context { return p.ctx }, // Close cancels every request
		ReadHeaderTimeout: 30 * time.Second,
	}
	go func() {
		defer close(p.served)
		_ = p.srv.Serve(ln) // returns ErrServerClosed after Close
	}()
	return p, nil
}

// normalize checks cfg, fills defaults and returns the parsed upstream URL.
func (cfg *Config) normalize() (*url.URL, error) {
	u, err := url.Parse(cfg.Upstream)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("faultproxy: upstream %q is not an http(s) base URL", cfg.Upstream)
	}
	if cfg.Mode, err = ParseMode(string(cfg.Mode)); err != nil {
		return nil, err
	}
	if math.IsNaN(cfg.Ratio) || cfg.Ratio < 0 || cfg.Ratio > 1 {
		return nil, fmt.Errorf("faultproxy: ratio %v is outside [0, 1]", cfg.Ratio)
	}
	if cfg.Latency < 0 || cfg.HugeBytes < 0 {
		return nil, errors.New("faultproxy: latency and huge bytes must not be negative")
	}
	if cfg.Latency == 0 {
		cfg.Latency = DefaultLatency
	}
	if cfg.HugeBytes == 0 {
		cfg.HugeBytes = DefaultHugeBytes
	}
	return u, nil
}

// URL is the proxy root, e.g. "http://127.0.0.1:41234"; append "/api/v1" for the API base URL.
func (p *Proxy) URL() string { return p.url }

// Mode is the fault currently injected.
func (p *Proxy) Mode() Mode { return p.mode.Load().(Mode) }

// SetMode switches the fault for requests that arrive from now on; requests in flight keep theirs. It is safe to
// call while requests are served. It panics on a mode that ParseMode would reject: parse user input first.
func (p *Proxy) SetMode(m Mode) {
	parsed, err := ParseMode(string(m))
	if err != nil {
		panic(err)
	}
	p.mode.Store(parsed)
}

// Stats returns the counters so far.
func (p *Proxy) Stats() Stats {
	return Stats{Requests: p.requests.Load(), Faulted: p.faulted.Load(), Active: p.active.Load()}
}

// Close stops the proxy: it drops every connection, releases requests that are waiting or hanging, waits for their
// handlers to return and closes idle upstream connections. Calling it again returns the first result.
func (p *Proxy) Close() error {
	p.closeOnce.Do(func() {
		p.mu.Lock()
		p.closed = true
		p.mu.Unlock()
		// Connections go first, so a hanging handler that is released below cannot answer anything.
		p.closeErr = p.srv.Close()
		p.cancel()
		p.handlers.Wait()
		<-p.served
		p.forwards.closeIdle()
	})
	return p.closeErr
}

// serveHTTP picks the fault for one request and applies it.
func (p *Proxy) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if !p.enter() {
		panic(http.ErrAbortHandler) // closing: drop the connection without an answer
	}
	defer p.leave()
	p.requests.Add(1)
	mode := p.Mode()
	if mode == ModeNone || !p.choose.hit() {
		p.forwards.plain.ServeHTTP(w, r)
		return
	}
	p.faulted.Add(1)
	p.inject(mode, w, r)
}

// enter registers a running handler unless the proxy is closing.
func (p *Proxy) enter() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.handlers.Add(1)
	p.active.Add(1)
	return true
}

func (p *Proxy) leave() {
	p.active.Add(-1)
	p.handlers.Done()
}

func (p *Proxy) inject(mode Mode, w http.ResponseWriter, r *http.Request) {
	switch mode {
	case ModeLatency:
		if p.wait(r.Context(), p.cfg.Latency) != nil {
			panic(http.ErrAbortHandler) // client gone or proxy closing
		}
		p.forwards.plain.ServeHTTP(w, r)
	case ModeReset:
		p.forwards.plain.ServeHTTP(w, withFault(r, ModeReset))
	case ModeTruncate:
		p.forwards.flushing.ServeHTTP(w, withFault(r, ModeTruncate))
	case ModeNonJSON:
		writeNonJSON(w)
	case ModeHuge:
		writeHuge(w, r, p.cfg.HugeBytes)
	case ModeHang:
		hang(r)
	case ModeBurst5xx:
		writeUnavailable(w, time.Now())
	}
}

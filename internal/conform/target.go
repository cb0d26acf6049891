package conform

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/fixtures"
	"github.com/rentix/mediaharness/internal/refserver"
)

// The embedded server's settings. OptimizeDelay makes it pass through
// pending and in_progress visibly, yet keeps a run fast. It keeps the
// documented allowance (300 requests a key) but over a shorter window: an
// unpaced run goes over 300 a minute, and a one-minute 429 wait holds back
// every request of the client, polls included.
const (
	embeddedOptimizeDelay = 20 * time.Millisecond
	embeddedRateWindow    = 5 * time.Second
)

// Poll deadlines handed to the steps.
const (
	embeddedPollTimeout     = 30 * time.Second
	remotePollTimeout       = 3 * time.Minute
	rateLimitRecoverTimeout = 75 * time.Second // the documented window is one minute
)

// embedded is the reference server a run starts when no base URL is given.
type embedded struct {
	srv  *refserver.Server
	http *http.Server
	done chan struct{}
	base string
}

func startEmbedded() (*embedded, error) {
	srv, err := refserver.New(refserver.Config{OptimizeDelay: embeddedOptimizeDelay, RateWindow: embeddedRateWindow})
	if err != nil {
		return nil, fmt.Errorf("embedded reference server: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		return nil, fmt.Errorf("embedded reference server: %w", err)
	}
	e := &embedded{srv: srv, done: make(chan struct{}),
		http: &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second},
		base: "http://" + ln.Addr().String() + "/api/v1"}
	go func() {
		defer close(e.done)
		_ = e.http.Serve(ln) // http.ErrServerClosed after close
	}()
	return e, nil
}

// keys returns the server's keys by agency label.
func (e *embedded) keys() map[string]string {
	k := e.srv.Keys()
	return map[string]string{config.Primary: k.Primary, config.Other: k.Other,
		config.Suspended: k.Suspended, config.CRMDisabled: k.CRMDisabled}
}

func (e *embedded) close() {
	_ = e.http.Close()
	<-e.done
	e.srv.Close()
}

// sources says where the target can download images from.
type sources struct {
	jpeg, png, small, notImage string
	local                      *fixtures.Sources // started here; nil otherwise
}

// openSources uses the configured URLs when there are any; a loopback
// target without them gets a local source server.
func openSources(t config.Target) (*sources, error) {
	if t.SourceURL != "" || !t.IsLoopback() {
		return &sources{jpeg: t.SourceURL, notImage: t.BadSourceURL}, nil
	}
	s, err := fixtures.StartSources()
	if err != nil {
		return nil, fmt.Errorf("image source server: %w", err)
	}
	return &sources{jpeg: s.JPEGURL, png: s.PNGURL, small: s.SmallURL, notImage: s.NotImageURL, local: s}, nil
}

func (s *sources) close() {
	if s.local != nil {
		_ = s.local.Close()
	}
}

// maxRPS is the client's pace: as configured, else unpaced for the
// embedded server and DefaultRemoteRPS for anything else.
func maxRPS(t config.Target) float64 {
	switch {
	case t.MaxRPS > 0:
		return t.MaxRPS
	case t.Embedded():
		return 0
	}
	return DefaultRemoteRPS
}

func pollTimeout(t config.Target) time.Duration {
	if t.Embedded() {
		return embeddedPollTimeout
	}
	return remotePollTimeout
}

// describe names the target for reports.
func describe(t config.Target, base string) string {
	if t.Embedded() {
		return fmt.Sprintf("embedded reference server (%s, rate window %v)", base, embeddedRateWindow)
	}
	return base
}

// oneLine folds multi-line error text into one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

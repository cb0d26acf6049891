package conform

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/fixtures"
)

// The embedded server's settings. OptimizeDelay makes it pass through
// pending and in_progress visibly, yet keeps a run fast. It keeps the
// documented allowance (300 requests a key) but over a shorter window: an
// unpaced run goes over 300 a minute, and a one-minute 429 wait holds back
// every request of the client, polls included. The @ratelimit scenario
// exhausts a key of its own whose allowance a slow machine still exceeds
// within one window.
const (
	embeddedOptimizeDelay    = 20 * time.Millisecond
	embeddedRateWindow       = 5 * time.Second
	embeddedRateLimitedLimit = 20
)

// Poll deadlines handed to the steps.
const (
	embeddedPollTimeout     = 30 * time.Second
	remotePollTimeout       = 3 * time.Minute
	rateLimitRecoverTimeout = 75 * time.Second // the documented window is one minute
)

// sources says where the target can download images from.
type sources struct {
	jpeg, png, small, notImage string
	local                      *fixtures.Sources // started here; nil otherwise
}

// openSources uses the configured URLs when there are any; a loopback
// target without them gets a local source server.
func openSources(t config.Target, extra ExtraSources) (*sources, error) {
	if t.SourceURL != "" || !t.IsLoopback() {
		return &sources{jpeg: t.SourceURL, png: extra.PNG, small: extra.File, notImage: t.BadSourceURL}, nil
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

// newTransport is the run's own connection pool, so that closing it at the
// end of the run leaves no connection (nor its goroutines) behind.
func newTransport() *http.Transport {
	return http.DefaultTransport.(*http.Transport).Clone()
}

// httpClient sends the run's requests: its own transport, and redirects are
// answers to check, not to follow.
func (r *runner) httpClient() *http.Client {
	return &http.Client{Transport: r.transport, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// requestTimeout is the per-request timeout, client.DefaultTimeout if unset.
func requestTimeout(t config.Target) time.Duration {
	if t.Timeout > 0 {
		return t.Timeout
	}
	return client.DefaultTimeout
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
	return t.Shown() // never the password of a base URL's userinfo
}

// oneLine folds multi-line error text into one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

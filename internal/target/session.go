// Package target prepares a session with the API under test, in one place:
// the embedded reference server when no base URL is given, the contract
// validator, the validating clients, the preflight check, the run directory
// and its fixture ledger, the images the target uploads from, and the
// redactor. Close releases them in reverse order.
//
// It is the only place that decides between the embedded server, a loopback
// target and a remote one, and, with `serve`, the only importer of the
// reference server.
package target

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/contract"
	"github.com/rentix/mediaharness/internal/preflight"
	"github.com/rentix/mediaharness/internal/redact"
	"github.com/rentix/mediaharness/internal/refserver"
	"github.com/rentix/mediaharness/internal/rundir"
	"github.com/rentix/mediaharness/internal/runfiles"
	"github.com/rentix/mediaharness/internal/usage"
	"github.com/rentix/mediaharness/openapi"
)

// LedgerFile is the fixture ledger in a run directory: every command writes
// it there, so `mediaharness sweep` finds what any run left.
const LedgerFile = "ledger.jsonl"

// DefaultRemoteRPS paces a target the run did not start when no pace is
// configured: under the documented 300 requests a minute.
const DefaultRemoteRPS = 4.0

// Options say what to prepare.
type Options struct {
	// Target is the API under test; a zero BaseURL starts the embedded
	// reference server, configured by Embedded.
	Target   config.Target
	Embedded Embedded
	// Validator checks every answer. Without one, the session makes one
	// from the embedded contract, remembering VerdictCache verdicts when
	// that is positive (load repeats the same answers).
	Validator    *contract.Validator
	VerdictCache int
	// Client configures the session's client, which the preflight and the
	// fixtures use.
	Client ClientOptions
	// Preflight checks, before anything else is made, that the target
	// answers and takes the primary key.
	Preflight bool
	// Run, when set, opens a run directory with its ledger, and the image
	// sources.
	Run *RunOptions
	// Extra are source URLs configured besides the target's own, used
	// unless the session serves its own images.
	Extra Sources
}

// Embedded configures the embedded reference server. Zero values take
// the server's documented defaults.
type Embedded struct {
	Faults        []string
	Unlimited     bool          // a rate limit no run reaches (load); else the documented one
	RateWindow    time.Duration // length of a rate window
	RateLimited   int           // allowance of the "ratelimit" key a window
	OptimizeDelay time.Duration // pause before each optimization step
	Capacity      float64       // requests a second the modeled API holds; 0: none
}

// Quick is the embedded server of conformance and exploration runs, with
// faults switched on. It keeps the documented allowance (300 requests a
// key) over a shorter window: an unpaced run goes over 300 a minute, and a
// one-minute 429 wait would hold back every request of the client. Its
// "ratelimit" key has an allowance a slow machine still exceeds within one
// window. Optimization passes through pending and in_progress visibly, yet
// finishes quickly.
func Quick(faults []string) Embedded {
	return Embedded{Faults: faults, OptimizeDelay: 20 * time.Millisecond, RateWindow: QuickRateWindow, RateLimited: 20}
}

// QuickRateWindow is the rate window of the Quick embedded server.
const QuickRateWindow = 5 * time.Second

// RunOptions say where the run's files go.
type RunOptions struct {
	// ReportDir and ID make ReportDir/ID (and point ReportDir/latest at it).
	// Dir, instead, is an existing directory to use as it is. With neither,
	// a temporary directory holds the ledger while the session lasts.
	ReportDir, ID string
	Dir           string
}

// ClientOptions configure a client of the session. The rest (base URL,
// validator, secrets, timeout, connections) is the session's.
type ClientOptions struct {
	MaxRPS  float64 // 0: unpaced
	Strict  bool
	Observe func(*client.Response)
	Waiting func(line string)
	Breaker *client.Breaker
}

// Sources are URLs the target can download: a photo over 1024 pixels
// wide, a PNG one, a small image for fixtures whose content does not
// matter, a non-image. Empty when unknown.
type Sources struct{ JPEG, PNG, Small, NotImage string }

// Session is a prepared target. Its fields are read-only after Open.
type Session struct {
	// Target has every key filled in (the embedded server brings its own).
	Target    config.Target
	BaseURL   string
	Started   bool // the session started the embedded server
	Validator *contract.Validator
	Redactor  *redact.Redactor
	Client    *client.Client // paced as asked; preflight and fixtures
	Sources   Sources
	// Dir and Ledger are the run directory and its ledger (with RunOptions).
	Dir    string
	Ledger *runfiles.Ledger

	transport *http.Transport
	window    time.Duration // of the embedded server
	mu        sync.Mutex
	closers   []func()
}

// Open prepares the session. On error nothing is left running, and the
// error carries no secret.
func Open(ctx context.Context, o Options) (s *Session, err error) {
	s = &Session{Target: o.Target, BaseURL: o.Target.BaseURL}
	defer func() {
		if err != nil {
			red := redact.New(s.Target.Secrets()...)
			s.Close()
			err = &redactedError{msg: red.String(err.Error()), err: err}
		}
	}()
	if err := s.openValidator(o); err != nil {
		return s, err
	}
	if err := s.openServer(o.Embedded); err != nil {
		return s, err
	}
	s.Redactor = redact.New(s.Target.Secrets()...)
	s.transport = http.DefaultTransport.(*http.Transport).Clone()
	s.Defer(s.transport.CloseIdleConnections)
	if s.Client, err = s.NewClient(o.Client); err != nil {
		return s, err
	}
	if o.Preflight {
		if err := preflight.Check(ctx, s.Client, s.Target.APIKey); err != nil {
			return s, &PreflightError{err}
		}
	}
	if o.Run != nil {
		if err := s.openRun(*o.Run); err != nil {
			return s, err
		}
		if err := s.openSources(o.Extra); err != nil {
			return s, err
		}
	}
	return s, nil
}

// PreflightError: the target is not there, is not this API or refuses the
// key. Nothing was made on it, so it is a usage error.
type PreflightError struct{ Err error }

func (e *PreflightError) Error() string        { return e.Err.Error() }
func (e *PreflightError) Unwrap() error        { return e.Err }
func (e *PreflightError) Is(target error) bool { return target == usage.ErrUsage }

// ErrFaultsNeedEmbedded: faults live in the reference server, not in a
// target the harness does not run itself.
var ErrFaultsNeedEmbedded = errors.New("faults can only be switched on in the embedded reference server: leave the base URL empty")

// CheckFaults refuses faults for a target other than the embedded server;
// unknown fault names are refused when the server starts.
func CheckFaults(t config.Target, faults []string) error {
	if len(faults) > 0 && !t.Embedded() {
		return ErrFaultsNeedEmbedded
	}
	return nil
}

// redactedError keeps the error chain (errors.Is still works) with a
// message fit to print.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func (s *Session) openValidator(o Options) error {
	if o.Validator != nil {
		s.Validator = o.Validator
		return nil
	}
	doc, err := openapi.Load()
	if err != nil {
		return err
	}
	var opts []contract.Option
	if o.VerdictCache > 0 {
		opts = append(opts, contract.WithCache(o.VerdictCache))
	}
	v, err := contract.New(doc, opts...)
	s.Validator = v
	return err
}

func (s *Session) openServer(e Embedded) error {
	if !s.Target.Embedded() {
		return nil
	}
	cfg := refserver.Config{Faults: e.Faults, RateWindow: e.RateWindow,
		RateLimitedLimit: e.RateLimited, OptimizeDelay: e.OptimizeDelay, Capacity: e.Capacity}
	if e.Unlimited {
		cfg.RateLimit = unlimited
	}
	srv, err := refserver.Listen(cfg)
	if err != nil {
		return fmt.Errorf("embedded %w", err)
	}
	s.Defer(srv.Close)
	s.Started = true
	s.window = cmp.Or(e.RateWindow, refserver.DefaultRateWindow)
	s.Target, s.BaseURL = s.Target.WithKeys(srv.Target().Keys()), srv.BaseURL
	return nil
}

// unlimited is a rate limit no run reaches.
const unlimited = 1<<31 - 1

func (s *Session) openRun(r RunOptions) error {
	dir := r.Dir
	switch {
	case dir != "":
	case r.ReportDir != "":
		var err error
		if dir, err = rundir.Create(r.ReportDir, r.ID); err != nil {
			return err
		}
	default:
		tmp, err := os.MkdirTemp("", "mediaharness-run-")
		if err != nil {
			return err
		}
		s.Defer(func() { _ = os.RemoveAll(tmp) })
		dir = tmp
	}
	s.Dir = dir
	id := r.ID
	if id == "" {
		id = filepath.Base(dir)
	}
	l, err := runfiles.OpenLedger(filepath.Join(dir, LedgerFile), id)
	if err != nil {
		return err
	}
	s.Defer(func() { _ = l.Close() })
	s.Ledger = l
	if !s.Started {
		return l.RecordTarget(s.Target.Place())
	}
	return nil
}

// openSources uses the configured URLs when there are any; a loopback
// target without them gets a local source server.
func (s *Session) openSources(extra Sources) error {
	t := s.Target
	if t.SourceURL != "" || !t.IsLoopback() {
		s.Sources = Sources{JPEG: t.SourceURL, PNG: extra.PNG, Small: extra.Small, NotImage: t.BadSourceURL}
		return nil
	}
	src, err := runfiles.StartSources()
	if err != nil {
		return fmt.Errorf("image source server: %w", err)
	}
	s.Defer(func() { _ = src.Close() })
	s.Sources = Sources{JPEG: src.JPEGURL, PNG: src.PNGURL, Small: src.SmallURL, NotImage: src.NotImageURL}
	return nil
}

// Describe names the target for reports and the console, never with a
// secret.
func (s *Session) Describe() string {
	if s.Started {
		return fmt.Sprintf("embedded reference server (%s, rate window %v)", s.BaseURL, s.window)
	}
	return s.Target.Shown()
}

// Transport is the session's connection pool, closed with it.
func (s *Session) Transport() http.RoundTripper { return s.transport }

// NewClient makes a client of the session: every exchange checked against
// the contract, redirects answered rather than followed, secrets redacted,
// on the session's connections.
func (s *Session) NewClient(o ClientOptions) (*client.Client, error) {
	hc := &http.Client{Transport: s.transport, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	return client.New(client.Options{
		BaseURL: s.BaseURL, HTTPClient: hc, Validator: s.Validator, Secrets: s.Target.Secrets(),
		KeyVariables: s.Target.KeyVariables(), Header: s.Target.Headers,
		MaxRPS: o.MaxRPS, Timeout: s.Target.Timeout, Strict: o.Strict,
		Observe: o.Observe, Waiting: o.Waiting, Breaker: o.Breaker,
	})
}

// Fixtures is a manager of the files the run makes through c, recorded in
// the session's ledger, their external IDs starting with prefix.
func (s *Session) Fixtures(c *client.Client, prefix string) (*runfiles.Manager, error) {
	if s.Ledger == nil {
		return nil, errors.New("target: a session without a run directory keeps no fixtures")
	}
	return runfiles.NewManager(c, s.Ledger, s.Target.Keys(), prefix), nil
}

// Pace is the pace of a run's requests: as configured, else unpaced for
// the embedded server and DefaultRemoteRPS for any other target.
func Pace(t config.Target) float64 {
	switch {
	case t.MaxRPS > 0:
		return t.MaxRPS
	case t.Embedded():
		return 0
	}
	return DefaultRemoteRPS
}

// LoopbackPace is Pace, but unpaced for any target on this machine: making
// many load fixtures there has no one else to slow down.
func LoopbackPace(t config.Target) float64 {
	if t.MaxRPS == 0 && t.IsLoopback() {
		return 0
	}
	return Pace(t)
}

// Defer registers f to run on Close, before everything registered earlier.
func (s *Session) Defer(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closers = append(s.closers, f)
}

// Close releases everything in reverse order of creation. It is idempotent.
func (s *Session) Close() {
	s.mu.Lock()
	fns := s.closers
	s.closers = nil
	s.mu.Unlock()
	for i := len(fns) - 1; i >= 0; i-- {
		fns[i]()
	}
}

// Fault describes a deliberate bug the embedded server can switch on.
type Fault = refserver.FaultInfo

// Faults lists the faults the embedded server can switch on.
func Faults() []Fault { return refserver.Faults() }

// CaughtBy names the mode meant to catch a fault: "explore", or "" for the
// conformance suite and its load probe.
func CaughtBy(fault string) string { return refserver.CaughtBy(fault) }

package refserver

import (
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Config configures a Server. Zero values take the documented defaults.
type Config struct {
	RateLimit  int           // requests per window and key; default 300
	RateWindow time.Duration // default one minute
	// RateLimitedLimit is the allowance of the Keys.RateLimited agency's
	// key a window: small, so that a test exhausts it in a few requests
	// however slow the machine. 0: RateLimit.
	RateLimitedLimit int
	OptimizeDelay    time.Duration // pause before in_progress and before the final state; default 0
	FetchTimeout     time.Duration // whole download of a source URL; default 10s
	MaxSourceBytes   int64         // largest original accepted; default 20 MiB
	Keys             Keys          // empty fields get random keys
	Faults           []string      // named deliberate bugs, see faults.go
	// OtherStatuses takes the other success status where the contract
	// allows two: upload answers 200 (not 201), link 201 (not 200). A
	// client must accept both readings.
	OtherStatuses bool
	// StringParseMessages answers a body that is not JSON as NestJS does:
	// the body parser's error reaches the exception filter before any
	// validation, so message is one string (the parser's text), not the
	// array of request-validation errors. A client must accept both.
	StringParseMessages bool
	// Capacity, when positive, models an API that holds this many requests
	// a second and queues the rest (see capacitymodel.go), so a capacity search
	// has a known ceiling to find. 0: the server's own speed.
	Capacity float64
}

// Keys are the API keys of the five agencies the server knows.
type Keys struct {
	Primary     string // active agency
	Other       string // a second active agency, for isolation checks
	Suspended   string // suspended agency: 403
	CRMDisabled string // agency without CRM: 403
	RateLimited string // an active agency with its own allowance (Config.RateLimitedLimit), to exhaust
}

// Server is the reference Media API. It is safe for concurrent use.
type Server struct {
	cfg      Config
	faults   faultSet
	mux      *http.ServeMux
	agencies map[string]*agency // by key; read-only after New
	limiter  *limiter
	blobs    *blobStore
	opt      *optimizer
	backend  *backend // nil: no modeled capacity
	mediaSeq atomic.Int64
	jobSeq   atomic.Int64

	// now is the clock of rate limits and job timestamps; tests replace it
	// before serving.
	now func() time.Time
	// panicOn, set by this package's tests before serving, makes the
	// operation of the requests it picks panic, to prove the recovery (a
	// clean server never fails on purpose). nil otherwise.
	panicOn func(*http.Request) bool

	closeOnce sync.Once
}

// First ids handed out: media and job ids come from different ranges so that
// a client mixing them up gets a 404 rather than someone else's answer.
const (
	firstMediaID = 1
	firstJobID   = 100001
)

// New checks cfg, fills in defaults and starts the optimization workers.
// Call Close to stop them.
func New(cfg Config) (*Server, error) {
	cfg, err := withDefaults(cfg)
	if err != nil {
		return nil, err
	}
	faults, err := parseFaults(cfg.Faults)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:     cfg,
		faults:  faults,
		limiter: newLimiter(cfg.RateLimit, cfg.RateWindow),
		blobs:   newBlobStore(),
		now:     time.Now,
		backend: newBackend(cfg.Capacity),
	}
	s.mediaSeq.Store(firstMediaID - 1)
	s.jobSeq.Store(firstJobID - 1)
	s.agencies = newAgencies(cfg.Keys, cfg.RateLimitedLimit, s.blobs)
	s.opt = newOptimizer(cfg.OptimizeDelay, newFetcher(cfg.FetchTimeout, cfg.MaxSourceBytes))
	s.wireFaults()
	s.mux = s.routes()
	return s, nil
}

// ServeHTTP serves the API under /api/v1 and the files under /storage. A
// panic answers 500 in the API's error format (see recover.go).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g := &guardedWriter{ResponseWriter: w}
	defer g.catch()
	s.mux.ServeHTTP(g, r)
}

// Keys returns the API keys of the five agencies.
func (s *Server) Keys() Keys { return s.cfg.Keys }

// Close stops the optimization workers and waits for them. Jobs still queued
// stay pending. Close is idempotent.
func (s *Server) Close() {
	s.closeOnce.Do(s.opt.close)
}

// MediaCount reports how many files the agency of key holds (0 for an
// unknown key).
func (s *Server) MediaCount(key string) int {
	a, ok := s.agencies[key]
	if !ok {
		return 0
	}
	return a.count()
}

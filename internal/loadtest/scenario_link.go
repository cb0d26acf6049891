package loadtest

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// linkScenario cycles each file of its pool through unlink and link again,
// with the file's own external ID, so every request is a valid one. A file is
// handed out again only after the result of its last request has arrived:
// its next request depends on whether that one succeeded. The file answered
// last goes out first, so a few files alternate between unlink and link and
// both are measured from the start, even in a run shorter than one pass over
// the pool (whose files all begin linked).
type linkScenario struct {
	files []linkFile

	mu    sync.Mutex
	quit  chan struct{} // closed by stop; a new one for each attack
	idle  []int         // files with no request out, the one answered last at the end
	out   []bool        // by file: a request is out
	ready chan struct{} // a token for each idle file
}

type linkFile struct {
	linked         bool // has its external ID; written by done, read by the targeter after idle hands it over
	link, unlink   vegeta.Target
	linkR, unlinkR *request
}

// idleWait bounds how long a targeter waits for a file. The pool is sized so
// that one is always idle; waiting this long means results stopped flowing.
const idleWait = 10 * time.Second

func newLink(e endpoint, p *pool, reg registry) *linkScenario {
	s := &linkScenario{out: make([]bool, len(p.files)), ready: make(chan struct{}, len(p.files))}
	for i, f := range p.files {
		ext := f.ExternalID
		if ext == "" {
			ext = "loadtest-link-" + strconv.FormatInt(f.ID, 10)
		}
		u := mediaURL(e.base, f.ID) + "/link"
		body := jsonBody(map[string]string{"externalId": ext})
		lf := linkFile{
			linked: f.ExternalID != "",
			link:   vegeta.Target{Method: http.MethodPost, URL: u, Header: e.json, Body: body},
			unlink: vegeta.Target{Method: http.MethodDelete, URL: u, Header: e.header},
		}
		path := relative(e.base, u)
		lf.linkR = &request{op: opLink, id: f.ID, externalID: ext, path: path, header: e.json, body: body, fixture: i, owner: s}
		lf.unlinkR = &request{op: opUnlink, id: f.ID, externalID: ext, path: path, header: e.header, fixture: i, owner: s}
		reg.add(lf.link, lf.linkR)
		reg.add(lf.unlink, lf.unlinkR)
		s.files = append(s.files, lf)
		s.idle = append(s.idle, i)
		s.ready <- struct{}{}
	}
	return s
}

// targeter serves one attack: the scenario outlives an attack that was
// stopped (a warm-up, a capacity step), so each gets its own quit.
func (s *linkScenario) targeter() vegeta.Targeter {
	s.mu.Lock()
	quit := make(chan struct{})
	s.quit = quit
	s.mu.Unlock()
	return func(t *vegeta.Target) error {
		select {
		case <-s.ready:
		default:
			timer := time.NewTimer(idleWait)
			defer timer.Stop()
			select {
			case <-s.ready:
			case <-quit:
				return errStopped
			case <-timer.C:
				return errStopped
			}
		}
		s.mu.Lock()
		i := s.idle[len(s.idle)-1]
		s.idle = s.idle[:len(s.idle)-1]
		s.out[i] = true
		s.mu.Unlock()
		if f := &s.files[i]; f.linked {
			*t = f.unlink
		} else {
			*t = f.link
		}
		return nil
	}
}

// done learns the file's state from the answer and makes it idle again.
// A failure that says nothing about the state (5xx, 429, no answer) leaves
// it as it was: the next request tries the same step again.
func (s *linkScenario) done(r *vegeta.Result, req *request) {
	f := &s.files[req.fixture]
	switch code := int(r.Code); {
	case code >= 200 && code < 300:
		f.linked = req.op == opLink
	case req.op == opLink && code == http.StatusConflict:
		f.linked = true
	case req.op == opUnlink && code >= 400 && code < 500 && code != http.StatusTooManyRequests:
		f.linked = false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.out[req.fixture] {
		return // a duplicate result; the file is already idle
	}
	s.out[req.fixture] = false
	s.idle = append(s.idle, req.fixture)
	s.ready <- struct{}{} // never blocks: one token per idle file, at most one per file
}

func (s *linkScenario) remaining() uint64  { return math.MaxUint64 }
func (s *linkScenario) deleted() []fixture { return nil }

// stop makes the current attack's targeter give up waiting for a file.
func (s *linkScenario) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.quit != nil {
		close(s.quit)
		s.quit = nil
	}
}

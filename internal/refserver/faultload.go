package refserver

import (
	"net/http"
	"runtime"
	"time"

	"github.com/rentix/mediaharness/internal/pause"
)

// Faults that only show under load: latency, a share of server errors, and
// two concurrency bugs that are harmless to one request at a time.

const (
	slowDelay  = 50 * time.Millisecond // load-slow
	shedEvery  = 50                    // load-5xx: one request in 50
	raceWindow = time.Millisecond      // load-link-race: between check and write
)

// stall waits slowDelay, or until the client gives up.
func stall(r *http.Request) {
	_ = pause.For(r.Context(), slowDelay)
}

// shed answers 503 to every shedEvery-th request it is asked about.
func (s *Server) shed(w http.ResponseWriter) bool {
	if s.faults.st.calls.Add(1)%shedEvery != 0 {
		return false
	}
	errUnavailable.write(w)
	return true
}

// throughSharedBuffer passes body through the one buffer all requests share,
// as a response buffer hoisted to the server to save allocations would. It
// is atomic, so memory stays sound; but another request that stores between
// our store and load hands us its body.
func (st *faultState) throughSharedBuffer(body []byte) []byte {
	st.shared.Store(&body)
	runtime.Gosched() // the header writing that happens in between, in the original
	return *st.shared.Load()
}

// linkRacy is link with the check and the write in separate critical
// sections, as a SELECT and an UPDATE outside a transaction: two links of
// one external ID that both check before either writes both win.
func (a *agency) linkRacy(id int64, ext string) *apiError {
	if err := a.linkAllowed(id, ext); err != nil {
		return err
	}
	runtime.Gosched()
	time.Sleep(raceWindow) // the database round trip
	a.mu.Lock()
	defer a.mu.Unlock()
	m, ok := a.media[id]
	if !ok {
		return errFileNotFound
	}
	m.externalID, m.hasExternal = ext, true
	a.byExternal[ext] = m
	m.changed()
	return nil
}

// linkAllowed is the check half of linkRacy.
func (a *agency) linkAllowed(id int64, ext string) *apiError {
	a.mu.RLock()
	defer a.mu.RUnlock()
	m, ok := a.media[id]
	switch {
	case !ok:
		return errFileNotFound
	case m.hasExternal:
		return errHasExternal
	}
	if _, taken := a.byExternal[ext]; taken {
		return errTaken
	}
	return nil
}

package refserver

import (
	"net/http"
	"sync"
	"time"

	"github.com/rentix/mediaharness/internal/pause"
)

// The modeled capacity of the API (Config.Capacity): a backend of a few
// workers in front of the operations, so the server saturates at a known rate.

// backendWorkers is how many API requests a server with a modeled capacity
// serves at once; the time each one holds its worker follows from the
// capacity asked for.
const backendWorkers = 4

// backend models an API of limited capacity, so a capacity search has a
// known ceiling to find: backendWorkers workers each take hold per request,
// and a request waits for the worker that frees up first. Past its capacity
// the server saturates as a real one does (latency grows) rather than
// refusing work (429). A nil backend adds nothing: the server runs at its
// own speed.
//
// Workers keep their timetable on a virtual clock (when each is next free),
// so a timer that wakes late delays that one answer but not the ones after
// it: the server holds its capacity, not capacity minus timer slack.
type backend struct {
	hold time.Duration

	mu   sync.Mutex
	free [backendWorkers]time.Time // when each worker is next free
}

func newBackend(capacity float64) *backend {
	if capacity <= 0 {
		return nil
	}
	return &backend{hold: time.Duration(backendWorkers / capacity * float64(time.Second))}
}

// reserve books the worker that frees up first and returns when the
// request's turn on it ends.
func (b *backend) reserve(now time.Time) time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	first := 0
	for i := range b.free {
		if b.free[i].Before(b.free[first]) {
			first = i
		}
	}
	start := b.free[first]
	if start.Before(now) {
		start = now
	}
	b.free[first] = start.Add(b.hold)
	return b.free[first]
}

// serve runs h when the request's turn on a worker has passed. It sits
// behind the rate limit and authentication, as a backend sits behind its
// gateway. A client that gives up while queued gets nothing; its turn is
// spent, as a real backend's work would be.
func (b *backend) serve(h apiHandler) apiHandler {
	if b == nil {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request, a *agency) {
		if pause.For(r.Context(), time.Until(b.reserve(time.Now()))) == nil {
			h(w, r, a)
		}
	}
}

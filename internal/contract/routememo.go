package contract

import "sync"

// routeMemo remembers which operation a method and path address, so that a
// cached, response-only check (a load test's) needs neither an
// http.Request nor the router: together they cost more than the rest of a
// repeated check. Bounded like the verdict cache: full, it starts over.
type routeMemo struct {
	max int
	mu  sync.RWMutex
	m   map[routeKey]*operation
}

type routeKey struct{ method, path string }

func newRouteMemo(n int) *routeMemo {
	return &routeMemo{max: n, m: make(map[routeKey]*operation, min(n, 1024))}
}

func (r *routeMemo) get(method, path string) (*operation, bool) {
	r.mu.RLock()
	op, ok := r.m[routeKey{method, path}]
	r.mu.RUnlock()
	return op, ok
}

func (r *routeMemo) put(method, path string, op *operation) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.m) >= r.max {
		clear(r.m)
	}
	r.m[routeKey{method, path}] = op
}

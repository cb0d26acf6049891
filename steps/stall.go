package steps

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrPipelineStalled: a file of this run stayed pending past its deadline,
// so later waits for an optimization fail at once instead of each waiting
// out its own deadline.
var ErrPipelineStalled = errors.New("the optimization pipeline stalled")

// stall remembers the first file of the run that never left pending.
type stall struct {
	mu    sync.Mutex
	cause string
}

func (st *stall) get() string {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.cause
}

func (st *stall) set(cause string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.cause == "" {
		st.cause = cause
	}
}

// waitFunc is a way of waiting for an optimization (runfiles.Manager's).
type waitFunc func(ctx context.Context, agency string, id int64, deadline time.Time) (string, []string, error)

// awaitOptimization waits for f's optimization with wait, unless the run
// has already seen the pipeline stall; a wait that ends at its deadline
// with the file never out of pending records the stall.
func (s *state) awaitOptimization(ctx context.Context, f *file, wait waitFunc) (string, []string, error) {
	if cause := s.env.stall.get(); cause != "" {
		return "", nil, fmt.Errorf("%w earlier in this run (%s): not waiting for media %d", ErrPipelineStalled, cause, f.id)
	}
	timeout := s.env.pollTimeout()
	final, seen, err := wait(ctx, f.agency, f.id, time.Now().Add(timeout))
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil && neverLeftPending(seen) {
		s.env.stall.set(fmt.Sprintf("media %d stayed pending for %v", f.id, timeout))
	}
	return final, seen, err
}

func neverLeftPending(seen []string) bool {
	for _, st := range seen {
		if st != "pending" {
			return false
		}
	}
	return true
}

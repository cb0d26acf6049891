package loadtest

import (
	"context"
	"fmt"
	"math"
)

// fixture is one media file of a scenario's pool.
type fixture struct {
	ID         int64  `json:"id"`
	ExternalID string `json:"externalId"`
}

// fixtureMaker makes the files the scenarios use, before the timed part of a run,
// and removes them afterwards. The implementation over internal/runfiles
// uploads through upload-from-url, waits for optimization to succeed and
// records every file in the run's ledger.
type fixtureMaker interface {
	// Create uploads n files and waits until each is optimized.
	Create(ctx context.Context, n int) ([]fixture, error)
	// Deleted records that a scenario deleted f itself.
	Deleted(f fixture)
	// Cleanup deletes every file not yet deleted.
	Cleanup(ctx context.Context) (deleted int, err error)
}

// pool is the files one scenario (or one part of the mixed scenario) uses.
type pool struct {
	name  string
	files []fixture
}

// poolNeed is how many files a pool should hold and how many the plan would
// have liked (more than n when the pool was capped).
type poolNeed struct {
	name string
	n    int
	want uint64
}

func (n poolNeed) capped() bool { return uint64(n.n) < n.want }

// plan is what pool sizes depend on.
type plan struct {
	hits     uint64 // requests the run plans, warm-up included
	workers  int
	readPool int // files for reading scenarios
	maxPool  int // most files a consumed pool may hold
	// growing: later attacks ask for more than hits (a capacity search's
	// steps), so a pool sized by concurrency must not be cut to hits.
	growing bool
}

// share is the part of the plan's requests that a weight of w in total
// goes to, rounded up.
func (p plan) share(w, total int) uint64 {
	return uint64(math.Ceil(float64(p.hits) * float64(w) / float64(total)))
}

// readNeed: reads do not use files up, a few are enough to vary the answers.
func (p plan) readNeed(name string, hits uint64) poolNeed {
	n := min(uint64(p.readPool), max(hits, 1))
	return poolNeed{name: name, n: int(n), want: n}
}

// linkNeed: a file is in use from the request until its result reaches the
// collector, and at most `workers` requests are out at a time, so
// workers+workers/2+2 files always leave one idle.
func (p plan) linkNeed(name string, hits uint64) poolNeed {
	n := uint64(p.workers + p.workers/2 + 2)
	if !p.growing {
		n = min(n, max(hits, 1))
	}
	return poolNeed{name: name, n: int(n), want: n}
}

// deleteNeed: each delete uses a file up, so the pool must hold one per
// request, up to maxPool.
func (p plan) deleteNeed(name string, hits uint64) poolNeed {
	return poolNeed{name: name, n: int(min(uint64(p.maxPool), max(hits, 1))), want: max(hits, 1)}
}

func (n poolNeed) note() string {
	if !n.capped() {
		return ""
	}
	return fmt.Sprintf("the %s pool is capped at %d files (the plan needs %d): the attack stops when they are used up",
		n.name, n.n, n.want)
}

// createPools makes every pool, one Create call each, in order.
func createPools(ctx context.Context, fx fixtureMaker, needs []poolNeed) ([]*pool, error) {
	pools := make([]*pool, 0, len(needs))
	for _, n := range needs {
		files, err := fx.Create(ctx, n.n)
		if err != nil {
			return pools, fmt.Errorf("create the %s pool (%d files): %w", n.name, n.n, err)
		}
		if len(files) != n.n {
			return pools, fmt.Errorf("create the %s pool: got %d files, want %d", n.name, len(files), n.n)
		}
		pools = append(pools, &pool{name: n.name, files: files})
	}
	return pools, nil
}

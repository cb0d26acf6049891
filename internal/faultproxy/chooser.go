package faultproxy

import (
	"math/rand/v2"
	"sync"
)

// chooser decides which requests get the fault. With a fixed seed the sequence of decisions is the same on
// every run, so a test that sends requests one at a time sees the same requests faulted every time.
type chooser struct {
	ratio float64

	mu  sync.Mutex // rand.Rand is not safe for concurrent use
	rng *rand.Rand
}

func newChooser(seed int64, ratio float64) *chooser {
	s := uint64(seed)
	return &chooser{ratio: ratio, rng: rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15))}
}

// hit reports whether the next request is affected. A ratio of 0 (or 1) affects all of them without drawing.
func (c *chooser) hit() bool {
	if c.ratio <= 0 || c.ratio >= 1 {
		return true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rng.Float64() < c.ratio
}

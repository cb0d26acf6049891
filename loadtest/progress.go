package loadtest

import (
	"fmt"
	"io"
	"os"
	"sort"
	"sync"
	"time"
)

// progressEvery is how often the live line is redrawn.
const progressEvery = 500 * time.Millisecond

// isTerminal reports whether w is a character device such as a terminal;
// a file, a pipe or a buffer is not.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// startProgress redraws a live line on w while an attack runs, when w is a
// terminal; otherwise it does nothing. The returned stop ends the line.
func startProgress(w io.Writer, name string, total time.Duration, s *sink) (stop func()) {
	if w == nil || !isTerminal(w) {
		return func() {}
	}
	began := time.Now()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				fmt.Fprint(w, "\r"+progressLine(name, time.Since(began), total, s.live()))
			case <-done:
				fmt.Fprint(w, "\r"+progressLine(name, time.Since(began), total, s.live())+"\n")
				return
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

func progressLine(name string, elapsed, total time.Duration, l live) string {
	return fmt.Sprintf("%s %5.1fs/%s  rate %8.1f/s  p95 %9s  errors %d of %d   ",
		name, elapsed.Seconds(), total, l.rate, fmtDur(l.p95), l.failed, l.requests)
}

func sortedOps[V any](m map[Operation]V) []Operation {
	ops := make([]Operation, 0, len(m))
	for op := range m {
		ops = append(ops, op)
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i] < ops[j] })
	return ops
}

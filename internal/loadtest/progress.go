package loadtest

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

// progressEvery is how often the live line is redrawn on a terminal.
const progressEvery = 500 * time.Millisecond

// logProgressEvery is how often a progress line is printed when the output
// is not a terminal (a CI log), where a redrawn line would pile up.
const logProgressEvery = 10 * time.Second

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

// startProgress shows an attack's progress on w while it runs: a live line
// redrawn on a terminal, else one line every logProgressEvery. The
// returned stop ends it.
func startProgress(w io.Writer, name string, total time.Duration, s *sink) (stop func()) {
	every := logProgressEvery
	if isTerminal(w) {
		every = progressEvery
	}
	return progressEach(w, name, total, s, every)
}

func progressEach(w io.Writer, name string, total time.Duration, s *sink, every time.Duration) (stop func()) {
	if w == nil {
		return func() {}
	}
	tty, prefix := isTerminal(w), "  "
	if tty {
		prefix = "\r"
	}
	began := time.Now()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				line := prefix + progressLine(name, time.Since(began), total, s.live())
				if !tty {
					line = strings.TrimRight(line, " ") + "\n"
				}
				fmt.Fprint(w, line)
			case <-done:
				if tty {
					fmt.Fprint(w, "\r"+progressLine(name, time.Since(began), total, s.live())+"\n")
				}
				return
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// phase prints one line about a phase of the run (fixtures, warm-up, the
// attack, cleanup) so a log shows what a long quiet stretch is doing.
func (s *session) phase(format string, args ...any) {
	if s.o.Progress != nil {
		fmt.Fprintf(s.o.Progress, "· "+format+"\n", args...)
	}
}

func progressLine(name string, elapsed, total time.Duration, l live) string {
	return fmt.Sprintf("%s %5.1fs/%s  rate %8.1f/s  p95 %9s  errors %d of %d   ",
		name, elapsed.Seconds(), total, l.rate, fmtDur(l.p95), l.failed, l.requests)
}

func sortedOps[V any](m map[operation]V) []operation {
	ops := make([]operation, 0, len(m))
	for op := range m {
		ops = append(ops, op)
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i] < ops[j] })
	return ops
}

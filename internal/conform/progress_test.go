package conform

import (
	"github.com/rentix/mediaharness/internal/syncbuf"
	"strings"
	"testing"
	"time"
)

// A status line starts on a line of its own and the marks go on after it.
func TestProgress_StatusLineBreaksTheMarks(t *testing.T) {
	t.Parallel()
	var out syncbuf.Buffer
	p := &progress{out: &out}
	p.mark('.')
	p.mark('F')
	p.status("10s: 1 of 3 scenarios done")
	p.mark('.')
	p.end()
	if got, want := out.String(), ".F 2\n· 10s: 1 of 3 scenarios done\n. 3\n"; got != want {
		t.Errorf("progress = %q, want %q", got, want)
	}
}

// Outside a terminal the run prints a status line at an interval, so a CI
// log moves during a long wait that makes no marks.
func TestRecorder_WatchPrintsStatusLines(t *testing.T) {
	t.Parallel()
	var out syncbuf.Buffer
	r := newRecorder(&out, func() string { return "" })
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		r.watch(time.Millisecond, func() string { return "still going" }, stop)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(out.String(), "· still going\n") < 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond) // polling, bounded by the deadline
	}
	close(stop)
	<-done
	if n := strings.Count(out.String(), "· still going\n"); n < 2 {
		t.Errorf("%d status lines, want a line at every interval:\n%s", n, out.String())
	}
}

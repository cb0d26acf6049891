package cli

import (
	"bytes"
	"flag"
	"io"
	"regexp"
	"sync"
)

// quietWriter is a command's output without its phase and progress lines,
// for --quiet: every such line of the harness starts with "· ", and a
// conformance run's progress marks (one character a step) fill lines of
// their own that end with a count. What is left is the verdict block,
// warnings and errors.
type quietWriter struct {
	mu   sync.Mutex
	w    io.Writer
	line []byte
	err  error
}

// progressMarks is a line of a conformance run's progress marks.
var progressMarks = regexp.MustCompile(`^[.FUPA-]+( \d+)?$`)

// quietOutput wraps w when quiet is set; flush writes a last unfinished line.
func quietOutput(w io.Writer, quiet bool) (out io.Writer, flush func()) {
	if !quiet {
		return w, func() {}
	}
	q := &quietWriter{w: w}
	return q, q.flush
}

func (q *quietWriter) Write(p []byte) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			q.line = append(q.line, p...)
			break
		}
		q.line = append(q.line, p[:i+1]...)
		q.emit()
		p = p[i+1:]
	}
	return n, q.err
}

// quietHelp is the help of -q and --quiet.
const quietHelp = "print only the verdict block, warnings and errors: no phase or progress lines"

// bindQuiet binds -q and --quiet.
func bindQuiet(fs *flag.FlagSet) *bool {
	q := new(bool)
	fs.BoolVar(q, "q", false, quietHelp)
	fs.BoolVar(q, "quiet", false, quietHelp)
	return q
}

func (q *quietWriter) flush() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.emit()
}

// emit writes the pending line unless it is a phase or progress line.
func (q *quietWriter) emit() {
	line := q.line
	q.line = q.line[:0]
	text := bytes.TrimRight(line, "\r\n")
	if len(line) == 0 || bytes.HasPrefix(text, []byte("· ")) || progressMarks.Match(text) {
		return
	}
	if _, err := q.w.Write(line); err != nil && q.err == nil {
		q.err = err
	}
}

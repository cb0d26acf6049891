package refserver

import "net/http"

// A bug in an operation must not cost the client its connection: net/http
// alone would log the panic and drop the connection, an answer no client can
// reason about. The recovery answers 500 in the API's error format instead,
// as NestJS's exception filter does. Every API request has passed the rate
// limit before its operation runs, so the 500 carries the rate-limit headers
// the limiter already set.

// guardedWriter notes whether the answer has started, so that a panic after
// it did aborts the connection rather than appending a second answer.
type guardedWriter struct {
	http.ResponseWriter
	started bool
}

func (g *guardedWriter) WriteHeader(status int) {
	g.started = true
	g.ResponseWriter.WriteHeader(status)
}

func (g *guardedWriter) Write(b []byte) (int, error) {
	g.started = true
	return g.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (g *guardedWriter) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// catch is deferred around the whole handler. A panic before the answer
// started becomes 500; after, or http.ErrAbortHandler (a deliberate abort),
// it goes on to net/http, which closes the connection.
func (g *guardedWriter) catch() {
	p := recover()
	if p == nil {
		return
	}
	if g.started || p == http.ErrAbortHandler {
		panic(p)
	}
	errInternal.write(g.ResponseWriter)
}

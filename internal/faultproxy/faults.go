package faultproxy

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Bodies of the synthetic faults.
const (
	nonJSONBody = "<html>oops</html>"
	hugePrefix  = `{"id":1,"status":"success","padding":"`
	hugeSuffix  = `"}`
	// resetHead is the start of a response the client receives before the reset, so the reset lands mid-response.
	resetHead = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
	// maxHangDrain bounds how much request body hang mode reads before it starts waiting.
	maxHangDrain = 1 << 20
)

// hugeChunk is the padding written per call; shared read-only by all huge responses.
var hugeChunk = func() []byte {
	b := make([]byte, 32<<10)
	for i := range b {
		b[i] = 'x'
	}
	return b
}()

// waitFunc waits d or until ctx ends, whichever comes first; it returns ctx.Err() when cut short.
type waitFunc func(ctx context.Context, d time.Duration) error

// resetConn takes the connection from net/http, sends the start of a response and closes with SO_LINGER 0, so
// the kernel sends RST instead of an orderly FIN.
func resetConn(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // not hijackable: aborting is the closest to a reset
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_, _ = io.WriteString(conn, resetHead)
	_ = conn.Close()
}

// writeNonJSON answers 200 with HTML while claiming JSON.
func writeNonJSON(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(nonJSONBody)))
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, nonJSONBody)
}

// writeHuge streams a JSON document whose padding is n bytes long, chunked, from one shared buffer: the memory it
// takes does not grow with n. It stops as soon as the client goes away or the proxy closes.
func writeHuge(w http.ResponseWriter, r *http.Request, n int64) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	if _, err := io.WriteString(w, hugePrefix); err != nil {
		panic(http.ErrAbortHandler)
	}
	for n > 0 {
		chunk := hugeChunk[:min(n, int64(len(hugeChunk)))]
		if r.Context().Err() != nil {
			panic(http.ErrAbortHandler)
		}
		if _, err := w.Write(chunk); err != nil {
			panic(http.ErrAbortHandler)
		}
		n -= int64(len(chunk))
	}
	_, _ = io.WriteString(w, hugeSuffix)
}

// hang never answers. Reading the body to its end lets net/http watch the connection, so a client that gives up
// cancels the request context (a body over maxHangDrain is left unread: then only Close frees the handler). The
// abort makes sure net/http sends nothing when the wait ends.
func hang(r *http.Request) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxHangDrain))
	<-r.Context().Done()
	panic(http.ErrAbortHandler)
}

// writeUnavailable answers 503 as the API would, with the rate-limit headers every API response carries.
func writeUnavailable(w http.ResponseWriter, now time.Time) {
	h := w.Header()
	h.Set("X-RateLimit-Limit", "300")
	h.Set("X-RateLimit-Remaining", "299")
	h.Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(time.Minute).Unix(), 10))
	writeAPIError(w, http.StatusServiceUnavailable, http.StatusText(http.StatusServiceUnavailable))
}

// apiError is the API's error body.
type apiError struct {
	StatusCode int    `json:"statusCode"`
	Message    string `json:"message"`
	Error      string `json:"error"`
}

func writeAPIError(w http.ResponseWriter, status int, message string) {
	body, _ := json.Marshal(apiError{StatusCode: status, Message: message, Error: http.StatusText(status)})
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

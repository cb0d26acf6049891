package faultproxy

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"time"
)

// maxTruncateBuffer caps how much of an upstream body of unknown length truncate mode reads to learn its size.
const maxTruncateBuffer = 8 << 20

var (
	errReset        = errors.New("faultproxy: reset requested")
	errTruncated    = errors.New("faultproxy: body truncated")
	errNothingToCut = errors.New("faultproxy: response has no body to truncate")
)

// forwarders are the reverse proxies to upstream. Truncation needs every write flushed at once, or the half body
// would still sit in a buffer when the connection is dropped; pass-through keeps the cheaper default.
type forwarders struct {
	transport *http.Transport
	plain     *httputil.ReverseProxy
	flushing  *httputil.ReverseProxy
}

func newForwarders(upstream *url.URL, preserveHost bool) forwarders {
	t := &http.Transport{
		Proxy:               nil, // the upstream is addressed directly, whatever the environment says
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 256, // load tests run through the proxy; the default of 2 would churn connections
		IdleConnTimeout:     90 * time.Second,
	}
	rewrite := func(pr *httputil.ProxyRequest) {
		pr.SetURL(upstream)
		if preserveHost {
			pr.Out.Host = pr.In.Host
		}
	}
	quiet := log.New(io.Discard, "", 0) // a fault proxy breaks copies on purpose; their log lines are noise
	build := func(flush time.Duration) *httputil.ReverseProxy {
		return &httputil.ReverseProxy{Rewrite: rewrite, Transport: t, FlushInterval: flush, ErrorLog: quiet,
			ModifyResponse: modifyResponse, ErrorHandler: upstreamFailed}
	}
	return forwarders{transport: t, plain: build(0), flushing: build(-1)}
}

func (f forwarders) closeIdle() { f.transport.CloseIdleConnections() }

type faultKey struct{}

// withFault marks a request for a fault applied to the upstream response.
func withFault(r *http.Request, m Mode) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), faultKey{}, m))
}

func faultOf(ctx context.Context) Mode {
	m, _ := ctx.Value(faultKey{}).(Mode)
	return m
}

// modifyResponse applies response-side faults; an error sends the request to upstreamFailed.
func modifyResponse(resp *http.Response) error {
	switch faultOf(resp.Request.Context()) {
	case ModeReset:
		resp.Body.Close() // upstream did the work; the client will never hear about it
		return errReset
	case ModeTruncate:
		return truncate(resp)
	}
	return nil
}

// truncate announces the full body length but lets only the first half through. The length comes from upstream
// when it sends one; otherwise the body is read (up to maxTruncateBuffer) to measure it.
func truncate(resp *http.Response) error {
	full := resp.ContentLength
	if full < 0 {
		buf, err := io.ReadAll(io.LimitReader(resp.Body, maxTruncateBuffer))
		resp.Body.Close()
		if err != nil {
			return err
		}
		full = int64(len(buf))
		resp.Body = io.NopCloser(bytes.NewReader(buf))
	}
	if full < 2 || !bodyAllowed(resp) {
		resp.Body.Close()
		return errNothingToCut
	}
	resp.ContentLength = full
	resp.Header.Set("Content-Length", strconv.FormatInt(full, 10))
	resp.Body = &halfBody{r: io.LimitReader(resp.Body, full/2), c: resp.Body}
	return nil
}

func bodyAllowed(resp *http.Response) bool {
	s := resp.StatusCode
	return resp.Request.Method != http.MethodHead && s >= 200 && s != http.StatusNoContent && s != http.StatusNotModified
}

// halfBody ends in an error instead of EOF, so ReverseProxy aborts the connection rather than finishing the
// response (which net/http would pad or close cleanly).
type halfBody struct {
	r io.Reader
	c io.Closer
}

func (h *halfBody) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if err == io.EOF {
		err = errTruncated
	}
	return n, err
}

func (h *halfBody) Close() error { return h.c.Close() }

// upstreamFailed answers a failed round trip, or carries out a fault that modifyResponse asked for.
func upstreamFailed(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case faultOf(r.Context()) == ModeReset:
		resetConn(w) // even when upstream was unreachable: the client sees a reset either way
	case errors.Is(err, errNothingToCut):
		panic(http.ErrAbortHandler) // nothing to cut in half: drop the connection before any answer
	case r.Context().Err() != nil:
		panic(http.ErrAbortHandler) // client gone or proxy closing: nobody to answer
	default:
		writeAPIError(w, http.StatusBadGateway, "upstream unavailable")
	}
}

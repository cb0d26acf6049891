package loadtest

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// defaultTimeout bounds one request of an attack.
const defaultTimeout = 10 * time.Second

// conns tracks the connections of an attack's transport so that a cancelled
// run can cut them all at once. Vegeta builds its requests without a
// context, so closing the connections is what stops requests in flight; a
// RoundTripper wrapper that added a context would cost a goroutine per
// request in net/http.
type conns struct {
	mu   sync.Mutex
	open map[*trackedConn]struct{}
	cut  bool
}

type trackedConn struct {
	net.Conn
	owner *conns
	once  sync.Once
}

func (c *trackedConn) Close() error {
	c.once.Do(func() { c.owner.forget(c) })
	return c.Conn.Close()
}

var errCut = errors.New("loadtest: run stopped")

func (cs *conns) dial(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		tc := &trackedConn{Conn: c, owner: cs}
		cs.mu.Lock()
		defer cs.mu.Unlock()
		if cs.cut {
			_ = c.Close()
			return nil, errCut
		}
		if cs.open == nil {
			cs.open = map[*trackedConn]struct{}{}
		}
		cs.open[tc] = struct{}{}
		return tc, nil
	}
}

func (cs *conns) forget(c *trackedConn) {
	cs.mu.Lock()
	delete(cs.open, c)
	cs.mu.Unlock()
}

// cutAll closes every connection and refuses new ones.
func (cs *conns) cutAll() {
	cs.mu.Lock()
	cs.cut = true
	open := cs.open
	cs.open = nil
	cs.mu.Unlock()
	for c := range open {
		_ = c.Conn.Close()
	}
}

// newHTTPClient is the client of every attack of a run: connections stay
// warm from warm-up to measurement and between capacity steps. Redirects
// are not followed, so a redirect is checked like any other answer.
func newHTTPClient(workers int, timeout time.Duration, cs *conns) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         cs.dial(d),
		MaxIdleConnsPerHost: workers + 2,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 10 * time.Second,
	}
	return &http.Client{
		Transport:     cappedBodies{tr},
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// cappedBodies ends every response body after maxBody bytes, counted after
// the transport has decompressed it: Vegeta reads up to MaxBody and then
// drains the rest, and a small compressed answer that inflates to gigabytes
// would be inflated whole by that drain. A body cut here is closed with its
// connection, not reused.
type cappedBodies struct{ rt http.RoundTripper }

func (c cappedBodies) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := c.rt.RoundTrip(req)
	if err == nil && res.Body != nil {
		res.Body = &cappedBody{rc: res.Body, left: maxBody}
	}
	return res, err
}

// CloseIdleConnections lets the run close the transport's idle connections.
func (c cappedBodies) CloseIdleConnections() {
	if ci, ok := c.rt.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

type cappedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *cappedBody) Close() error { return b.rc.Close() }

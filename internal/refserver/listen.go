package refserver

import (
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/rentix/mediaharness/internal/config"
)

// Running is a reference server listening on a loopback port: the embedded
// target of a run.
type Running struct {
	*Server
	// BaseURL is the API root, e.g. http://127.0.0.1:41234/api/v1.
	BaseURL string

	http *http.Server
	done chan struct{}
}

// Listen starts a reference server on 127.0.0.1 and a free port.
func Listen(cfg Config) (*Running, error) {
	srv, err := New(cfg)
	if err != nil {
		return nil, fmt.Errorf("reference server: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		return nil, fmt.Errorf("reference server: %w", err)
	}
	r := &Running{
		Server:  srv,
		BaseURL: "http://" + ln.Addr().String() + "/api/v1",
		http:    &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second},
		done:    make(chan struct{}),
	}
	go func() {
		defer close(r.done)
		_ = r.http.Serve(ln) // http.ErrServerClosed after Close
	}()
	return r, nil
}

// Target describes the running server as a run's target, with its keys.
func (r *Running) Target() config.Target {
	k := r.Keys()
	return config.Target{BaseURL: r.BaseURL, APIKey: k.Primary, OtherAPIKey: k.Other,
		SuspendedAPIKey: k.Suspended, CRMDisabledAPIKey: k.CRMDisabled, RateLimitAPIKey: k.RateLimited}
}

// Close stops listening, waits for the serving goroutine and stops the
// server's workers.
func (r *Running) Close() {
	_ = r.http.Close()
	<-r.done
	r.Server.Close()
}

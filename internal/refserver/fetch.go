package refserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// errTooLarge: the source is larger than MaxSourceBytes.
var errTooLarge = errors.New("source larger than the limit")

// maxRedirects a download follows.
const maxRedirects = 5

// fetcher downloads source images over http and https only.
type fetcher struct {
	client    *http.Client
	transport *http.Transport
	max       int64
}

func newFetcher(timeout time.Duration, maxBytes int64) *fetcher {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: timeout}).DialContext,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   workers,
		IdleConnTimeout:       30 * time.Second,
	}
	return &fetcher{
		client:    &http.Client{Transport: tr, Timeout: timeout, CheckRedirect: checkRedirect},
		transport: tr,
		max:       maxBytes,
	}
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("more than %d redirects", maxRedirects)
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fmt.Errorf("redirect to unsupported scheme %q", req.URL.Scheme)
	}
	return nil
}

// get downloads url: a 2xx answer of at most max bytes.
func (f *fetcher) get(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("source answered %s", resp.Status)
	}
	if resp.ContentLength > f.max {
		return nil, errTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, f.max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > f.max {
		return nil, errTooLarge
	}
	return data, nil
}

// close drops kept-alive connections so no transport goroutine outlives the server.
func (f *fetcher) close() { f.transport.CloseIdleConnections() }

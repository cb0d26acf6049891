package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Options.Header goes out on every request, beside the key, and a header
// the request sets itself wins.
func TestClient_Do_sendsOptionsHeader(t *testing.T) {
	t.Parallel()
	got := make(chan http.Header, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Clone()
		w.Header().Set("X-Echo", r.Header.Get("X-Gateway-Token"))
		w.WriteHeader(http.StatusTeapot)
	}))
	t.Cleanup(srv.Close)
	const token = "gw-token-1234567890"
	c, err := New(Options{BaseURL: srv.URL + "/api/v1", Secrets: []string{token},
		Header: http.Header{"X-Gateway-Token": {token}, "traceparent": {"00-trace-01"}}})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(context.Background(), Request{Method: "GET", Path: "/agency", Key: "key-12345678", Auth: AuthAPIKeyHeader})
	if err != nil {
		t.Fatal(err)
	}
	h := <-got
	if h.Get("X-Gateway-Token") != token || h.Get("Traceparent") != "00-trace-01" || h.Get("Authorization") != "ApiKey key-12345678" {
		t.Errorf("sent %v; want the gateway token, the trace header and the key", h)
	}
	if ev := c.Evidence(resp); strings.Contains(ev, token) {
		t.Errorf("evidence shows the header's value: %s", ev)
	}
	_, err = c.Do(context.Background(), Request{Method: "GET", Path: "/agency", Header: http.Header{"x-gateway-token": {"its-own-value"}}})
	if err != nil {
		t.Fatal(err)
	}
	if h := <-got; h.Get("X-Gateway-Token") != "its-own-value" || len(h.Values("X-Gateway-Token")) != 1 {
		t.Errorf("a request setting the header itself sent %q; want only its own value", h.Values("X-Gateway-Token"))
	}
}

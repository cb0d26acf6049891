package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestClient_Do_cutsHugeBody(t *testing.T) {
	t.Parallel()
	chunk := []byte(strings.Repeat("x", 1<<20))
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		for range 9 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	chk := &fakeChecker{}
	observed := 0
	c := mustNew(t, Options{BaseURL: srv.URL, Validator: chk, Observe: func(*Response) { observed++ }})
	resp, err := c.Do(context.Background(), Request{Method: "GET", Path: "/media/1"})
	if !errors.Is(err, ErrBodyTooLarge) || !strings.HasPrefix(err.Error(), "GET /media/1: ") {
		t.Errorf("err = %v, want ErrBodyTooLarge with the request line", err)
	}
	if resp == nil || len(resp.Body) != MaxBodyBytes {
		t.Fatalf("resp body = %d bytes, want cut to %d", len(resp.Body), MaxBodyBytes)
	}
	if len(chk.exchanges()) != 0 || observed != 1 {
		t.Errorf("checked %d, observed %d; want a cut body observed but not checked", len(chk.exchanges()), observed)
	}
}

func TestClient_Do_timeout(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	c := mustNew(t, Options{BaseURL: srv.URL, Timeout: 20 * time.Millisecond})
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "/media/1"})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.HasPrefix(err.Error(), "GET /media/1: no answer within 20ms") {
		t.Errorf("err = %v, want a deadline error naming the request and the timeout", err)
	}
}

func TestClient_Do_callerCancels(t *testing.T) {
	t.Parallel()
	arrived := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
	})
	c := mustNew(t, Options{BaseURL: srv.URL})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	_, err := c.Do(ctx, Request{Method: "GET", Path: "/media/1"})
	if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "GET /media/1: ") {
		t.Errorf("err = %v, want context.Canceled with the request line", err)
	}
}

func TestClient_Do_doesNotFollowRedirects(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/elsewhere", http.StatusFound) })
	c := mustNew(t, Options{BaseURL: srv.URL})
	resp, err := c.Do(context.Background(), Request{Method: "GET", Path: "/media/1"})
	if err != nil || resp.Status != http.StatusFound {
		t.Errorf("Do = %v, %v; want the 302 itself", resp, err)
	}
}

func TestClient_Do_concurrentUse(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{}`) })
	chk := &fakeChecker{}
	c := mustNew(t, Options{BaseURL: srv.URL, Validator: chk, MaxRPS: 10000})
	errs := make(chan error, 16)
	for range 16 {
		go func() {
			_, err := c.Do(context.Background(), Request{Method: "GET", Path: "/agency", Key: "k"})
			errs <- err
		}()
	}
	for range 16 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if st := c.Stats(); st.Requests != 16 || len(chk.exchanges()) != 16 {
		t.Errorf("stats %+v, checked %d; want 16 and 16", st, len(chk.exchanges()))
	}
}

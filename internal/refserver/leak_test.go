package refserver

import (
	"net/http/httptest"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// Close stops workers that are pausing, downloading or idle, promptly, and
// leaves no goroutine behind. Not parallel: it counts goroutines.
func TestServer_CloseStopsEverything(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	src := newSources(t)
	pausing, err := New(Config{OptimizeDelay: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	downloading, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Server{pausing, downloading} {
		ts := httptest.NewServer(s)
		e := &testEnv{t: t, srv: s, ts: ts, keys: s.Keys()}
		e.upload(e.keys.Primary, src.url("/gated.jpg"), "")
		e.upload(e.keys.Primary, src.url("/photo.jpg"), "")
		ts.Close()
	}
	<-src.gatedHit // a worker of downloading is inside the download
	closed := make(chan struct{})
	go func() {
		pausing.Close()
		downloading.Close()
		downloading.Close() // idempotent
		close(closed)
	}()
	hang := time.NewTimer(10 * time.Second)
	defer hang.Stop()
	select {
	case <-closed:
	case <-hang.C:
		t.Fatal("Close did not return: a worker ignores the stop signal")
	}
	src.open()
	src.ts.Close()
}

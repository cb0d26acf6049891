package loadtest

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// A small gzip answer that inflates to 64 MiB is read, drain included, only
// up to maxBody after decompression.
func TestHTTPClient_capsInflatedBodies(t *testing.T) {
	t.Parallel()
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zeros := make([]byte, 1<<20)
	for range 64 {
		_, _ = zw.Write(zeros)
	}
	_ = zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(zipped.Bytes())
	}))
	t.Cleanup(srv.Close)
	hc := newHTTPClient(2, defaultTimeout, &conns{})
	res, err := hc.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	n, err := io.Copy(io.Discard, res.Body)
	if err != nil || n != maxBody {
		t.Errorf("read %d bytes, %v; want %d (maxBody) of the 64 MiB it inflates to", n, err, maxBody)
	}
}

// results.bin keeps the first keptBody bytes of a body unless bodies are
// kept; the result the checks read is not changed.
func TestSink_keptBodies(t *testing.T) {
	t.Parallel()
	r := &vegeta.Result{Body: bytes.Repeat([]byte("x"), 2000)}
	if got := (&sink{}).kept(r); len(got.Body) != keptBody || len(r.Body) != 2000 {
		t.Errorf("kept %d bytes, result left %d; want %d and 2000", len(got.Body), len(r.Body), keptBody)
	}
	if got := (&sink{keepBodies: true}).kept(r); len(got.Body) != 2000 {
		t.Errorf("with keepBodies kept %d bytes, want 2000", len(got.Body))
	}
}

package refserver

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// The load tests hold GET /media/{id} to at least 0.8 of a minimal JSON
// handler's throughput. Compare:
//
//	go test -run '^$' -bench 'HTTP' -cpu 2 ./internal/refserver/

func BenchmarkHTTP_GetMedia(b *testing.B) {
	e := newEnv(b, Config{OptimizeDelay: 1 << 62})
	u := e.upload(e.keys.Primary, deadSource, "bench-1")
	benchHTTP(b, e.ts, "/api/v1/media/"+itoa(u.MediaID), e.keys.Primary)
}

func BenchmarkHTTP_MinimalJSONHandler(b *testing.B) {
	type body struct {
		ID           int64   `json:"id"`
		ExternalID   string  `json:"externalId"`
		Size         *int64  `json:"size"`
		Optimization string  `json:"optimization"`
		Variants     []int64 `json:"variants"`
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(body{ID: 1, ExternalID: "bench-1", Optimization: "pending", Variants: []int64{}})
	}))
	defer ts.Close()
	benchHTTP(b, ts, "/", "")
}

func benchHTTP(b *testing.B, ts *httptest.Server, path, key string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	defer client.CloseIdleConnections()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
			req.Header.Set("X-API-Key", key)
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
}

// BenchmarkServeHTTP_GetMedia measures the handler alone, without sockets.
func BenchmarkServeHTTP_GetMedia(b *testing.B) {
	e := newEnv(b, Config{OptimizeDelay: 1 << 62})
	u := e.upload(e.keys.Primary, deadSource, "bench-1")
	req := httptest.NewRequest(http.MethodGet, "/api/v1/media/"+itoa(u.MediaID), nil)
	req.Header.Set("X-API-Key", e.keys.Primary)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			w := discardWriter{h: http.Header{}}
			e.srv.ServeHTTP(&w, req)
			if w.status != http.StatusOK {
				b.Errorf("status %d", w.status)
				return
			}
		}
	})
}

type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }

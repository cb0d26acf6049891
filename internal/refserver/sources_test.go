package refserver

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// sources serves source images for uploads.
type sources struct {
	ts   *httptest.Server
	jpeg []byte
	// gate holds /gated.jpg until closed (or the request is cancelled).
	gate     chan struct{}
	gateOnce sync.Once
	// gatedHit is closed when /gated.jpg is first requested.
	gatedHit  chan struct{}
	hitOnce   sync.Once
	bigLength int
}

func newSources(t testing.TB) *sources {
	t.Helper()
	s := &sources{jpeg: smallJPEG(t), gate: make(chan struct{}), gatedHit: make(chan struct{}), bigLength: 64 << 10}
	mux := http.NewServeMux()
	mux.HandleFunc("/photo.jpg", s.serve("image/jpeg", s.jpeg))
	mux.HandleFunc("/not-image.html", s.serve("text/html", []byte("<!DOCTYPE html><p>not a picture</p>")))
	mux.HandleFunc("/big.jpg", s.serve("image/jpeg", append(bytes.Clone(s.jpeg), make([]byte, s.bigLength)...)))
	mux.HandleFunc("/gated.jpg", func(w http.ResponseWriter, r *http.Request) {
		s.hitOnce.Do(func() { close(s.gatedHit) })
		select {
		case <-s.gate:
			s.serve("image/jpeg", s.jpeg)(w, r)
		case <-r.Context().Done():
		}
	})
	s.ts = httptest.NewServer(mux)
	t.Cleanup(func() {
		s.open()
		s.ts.Close()
	})
	return s
}

func (s *sources) serve(contentType string, data []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write(data)
	}
}

func (s *sources) url(path string) string { return s.ts.URL + path }

// open releases /gated.jpg.
func (s *sources) open() { s.gateOnce.Do(func() { close(s.gate) }) }

// smallJPEG is a 320x240 gradient: quick to optimize under -race.
func smallJPEG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 320, 240))
	for y := range 240 {
		for x := range 320 {
			img.Set(x, y, color.RGBA{uint8(x * 255 / 320), uint8(y * 255 / 240), uint8((x + y) % 256), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatalf("encode jpeg: %v", err)
	}
	return buf.Bytes()
}

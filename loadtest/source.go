package loadtest

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"net"
	"net/http"
	"time"
)

// source serves one small JPEG on a loopback port for fixture uploads.
type source struct {
	url  string
	srv  *http.Server
	done chan struct{}
}

func startSource() (*source, error) {
	img := smallJPEG()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &source{url: "http://" + ln.Addr().String() + "/fixture.jpg", done: make(chan struct{})}
	s.srv = &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		_, _ = w.Write(img)
	})}
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(ln) // http.ErrServerClosed after close
	}()
	return s, nil
}

func (s *source) close() {
	_ = s.srv.Close()
	<-s.done
}

// smallJPEG is a 160x120 gradient: a real photo-sized original would make
// pool creation take seconds per hundred files.
func smallJPEG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 160, 120))
	for y := range 120 {
		for x := range 160 {
			img.Set(x, y, color.RGBA{R: uint8(x), G: uint8(y * 2), B: uint8(x + y), A: 255})
		}
	}
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}) // encoding to memory cannot fail
	return buf.Bytes()
}

package imaging

import (
	"errors"
	"image"
	"strings"
	"testing"
)

func TestDecodeWebP(t *testing.T) {
	t.Parallel()
	webp := encodeTestWebP(t, testPhoto(90, 60))
	w, h, err := DecodeWebP(webp)
	if err != nil || w != 90 || h != 60 {
		t.Fatalf("DecodeWebP = %dx%d, %v; want 90x60", w, h, err)
	}
	tests := []struct {
		name, reason string
		b            []byte
	}{
		{"empty", "no WebP signature", nil},
		{"png", "no WebP signature", encodePNG(t, testPhoto(90, 60))},
		{"html", "no WebP signature", NotAnImage()},
		{"header only", "image/webp header", webp[:20]},
		{"cut short", "image/webp data", webp[:len(webp)*2/3]},
	}
	for _, tt := range tests {
		_, _, err := DecodeWebP(tt.b)
		if !errors.Is(err, ErrNotImage) || !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("DecodeWebP(%s) error = %v, want ErrNotImage mentioning %q", tt.name, err, tt.reason)
		}
	}
}

func TestEncodeWebP_KeepsPixels(t *testing.T) {
	t.Parallel()
	m := testPhoto(48, 36)
	img, err := decodeAs(TypeWebP, encodeTestWebP(t, m))
	if err != nil {
		t.Fatal(err)
	}
	for y := 0; y < 36; y++ {
		for x := 0; x < 48; x++ {
			if r1, g1, b1, _ := img.At(x, y).RGBA(); [3]uint32{r1, g1, b1} != rgbOf(m, x, y) {
				t.Fatalf("pixel %d,%d changed in a lossless round trip", x, y)
			}
		}
	}
}

func rgbOf(m image.Image, x, y int) [3]uint32 {
	r, g, b, _ := m.At(x, y).RGBA()
	return [3]uint32{r, g, b}
}

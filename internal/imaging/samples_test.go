package imaging

import (
	"bytes"
	"image"
	"testing"
)

func TestSamples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		b      func() []byte
		ct     string
		w, h   int
		skipOn bool
	}{
		{"jpeg", SampleJPEG, TypeJPEG, SampleJPEGWidth, SampleJPEGHeight, false},
		{"png", SamplePNG, TypePNG, SamplePNGWidth, SamplePNGHeight, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.skipOn && raceEnabled {
				t.Skip("slow under -race")
			}
			b := tt.b()
			cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
			if err != nil || "image/"+format != tt.ct || cfg.Width != tt.w || cfg.Height != tt.h {
				t.Fatalf("sample is %s %dx%d (%v), want %s %dx%d", format, cfg.Width, cfg.Height, err, tt.ct, tt.w, tt.h)
			}
			b[0] = 0
			if again := tt.b(); again[0] == 0 {
				t.Error("changing a returned sample changed the cached one")
			}
		})
	}
}

func TestPhoto_Deterministic(t *testing.T) {
	t.Parallel()
	a, b := testPhoto(160, 120), testPhoto(160, 120)
	if !bytes.Equal(a.Pix, b.Pix) {
		t.Error("photo with the same seed gave different pixels")
	}
	if c := photo(160, 120, 8, dayColours); bytes.Equal(a.Pix, c.Pix) {
		t.Error("photo with another seed gave the same pixels")
	}
}

func TestPhoto_TinySizes(t *testing.T) {
	t.Parallel()
	for _, s := range [][2]int{{1, 1}, {2, 7}, {13, 3}} {
		if m := photo(s[0], s[1], 1, duskColours); m.Bounds().Dx() != s[0] || m.Bounds().Dy() != s[1] {
			t.Errorf("photo(%d, %d) is %v", s[0], s[1], m.Bounds())
		}
	}
}

func TestNotAnImage(t *testing.T) {
	t.Parallel()
	b := NotAnImage()
	if ct, ok := Sniff(b); ok {
		t.Errorf("Sniff(NotAnImage()) = %q", ct)
	}
	if _, _, err := image.DecodeConfig(bytes.NewReader(b)); err == nil {
		t.Error("NotAnImage decodes as an image")
	}
}

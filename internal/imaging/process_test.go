package imaging

import (
	"errors"
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/bbrks/go-blurhash"
)

func TestProcess_Samples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		b      func() []byte
		ct     string
		w, h   int
		skipOn bool // skipped under -race: the same decoder runs on a smaller image in TestProcess_Formats
	}{
		{"jpeg", SampleJPEG, TypeJPEG, SampleJPEGWidth, SampleJPEGHeight, false},
		{"png", SamplePNG, TypePNG, SamplePNGWidth, SamplePNGHeight, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.skipOn && raceEnabled {
				t.Skip("slow under -race; TestProcess_Formats covers this decoder")
			}
			res, err := Process(tt.b())
			if err != nil {
				t.Fatalf("Process: %v", err)
			}
			if res.ContentType != tt.ct || res.Width != tt.w || res.Height != tt.h {
				t.Errorf("Process = %s %dx%d, want %s %dx%d", res.ContentType, res.Width, res.Height, tt.ct, tt.w, tt.h)
			}
			checkVariants(t, res)
			checkSizesIncrease(t, res.Variants)
			checkBlurHash(t, res.BlurHash)
		})
	}
}

// TestProcess_Formats runs every decoder on small images: one between the
// variant sizes whose dimensions round differently when fitted twice, one
// portrait (fit by height), and a paletted GIF.
func TestProcess_Formats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		b    []byte
		ct   string
	}{
		{"jpeg 514x263", encodeJPEG(t, testPhoto(514, 263)), TypeJPEG}, // 128 from the 512 would round to 66 high, not 65
		{"png 200x150", encodePNG(t, testPhoto(200, 150)), TypePNG},
		{"gif 150x300", encodeGIF(t, testPhoto(150, 300)), TypeGIF},
		{"webp 160x120", encodeTestWebP(t, testPhoto(160, 120)), TypeWebP},
	}
	for _, tt := range tests {
		res, err := Process(tt.b)
		if err != nil {
			t.Errorf("Process(%s): %v", tt.name, err)
			continue
		}
		if res.ContentType != tt.ct {
			t.Errorf("Process(%s).ContentType = %q, want %q", tt.name, res.ContentType, tt.ct)
		}
		checkVariants(t, res)
		checkBlurHash(t, res.BlurHash)
	}
}

func TestProcess_SmallImageNotUpscaled(t *testing.T) {
	t.Parallel()
	res, err := Process(encodePNG(t, testPhoto(100, 80)))
	if err != nil {
		t.Fatalf("Process: %v", err)
	}
	for _, v := range res.Variants {
		w, h, err := DecodeWebP(v.WebP)
		if err != nil || w != 100 || h != 80 {
			t.Errorf("variant %d = %dx%d (%v), want the original 100x80", v.Size, w, h, err)
		}
	}
}

func TestProcess_KeepsTransparency(t *testing.T) {
	t.Parallel()
	m := image.NewNRGBA(image.Rect(0, 0, 300, 200))
	for i := 0; i < len(m.Pix); i += 4 {
		x := i / 4 % 300
		m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = 200, 40, 40, uint8(min(255, x))
	}
	res, err := Process(encodePNG(t, m))
	if err != nil {
		t.Fatalf("Process: %v", err)
	}
	img, err := decodeAs(TypeWebP, res.Variants[0].WebP)
	if err != nil {
		t.Fatal(err)
	}
	left := color.NRGBAModel.Convert(img.At(0, 40)).(color.NRGBA)
	right := color.NRGBAModel.Convert(img.At(127, 40)).(color.NRGBA)
	if left.A > 8 || right.A != 255 || right.R < 190 || right.R > 210 {
		t.Errorf("128 variant: left edge %v, right edge %v; want transparent, then opaque red", left, right)
	}
}

func TestProcess_NotImage(t *testing.T) {
	t.Parallel()
	jpg := encodeJPEG(t, testPhoto(160, 120))
	png := encodePNG(t, testPhoto(160, 120))
	tests := []struct {
		name, reason string
		b            []byte
	}{
		{"html", "signature", NotAnImage()},
		{"empty", "signature", nil},
		{"truncated jpeg", "image/jpeg data", jpg[:len(jpg)/2]},
		{"jpeg header only", "image/jpeg", jpg[:20]},
		{"truncated png", "image/png data", png[:len(png)-100]},
		{"jpeg signature then text", "image/jpeg", append([]byte{0xFF, 0xD8, 0xFF}, NotAnImage()...)},
		{"webp header only", "image/webp", []byte("RIFF\x24\x00\x00\x00WEBPVP8L\x18\x00\x00\x00")},
		{"huge canvas", "pixel limit", pngHeaderOnly(100_000, 100_000)},
	}
	for _, tt := range tests {
		_, err := Process(tt.b)
		if !errors.Is(err, ErrNotImage) || !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("Process(%s) error = %v, want ErrNotImage mentioning %q", tt.name, err, tt.reason)
		}
	}
}

func TestFit(t *testing.T) {
	t.Parallel()
	tests := []struct{ w, h, size, wantW, wantH int }{
		{1600, 1200, 1024, 1024, 768},
		{1600, 1200, 128, 128, 96},
		{1200, 1600, 512, 384, 512},
		{100, 80, 128, 100, 80},
		{128, 128, 128, 128, 128},
		{1000, 3, 128, 128, 1},
		{3, 1000, 128, 1, 128},
		{1025, 1024, 1024, 1024, 1023},
	}
	for _, tt := range tests {
		if w, h := fit(tt.w, tt.h, tt.size); w != tt.wantW || h != tt.wantH {
			t.Errorf("fit(%d, %d, %d) = %dx%d, want %dx%d", tt.w, tt.h, tt.size, w, h, tt.wantW, tt.wantH)
		}
	}
}

// checkVariants wants one WebP per size whose longer side is the size, or the
// original's when that is smaller, with the aspect ratio kept.
func checkVariants(t *testing.T, res Result) {
	t.Helper()
	if len(res.Variants) != len(VariantSizes) {
		t.Fatalf("%d variants, want %d", len(res.Variants), len(VariantSizes))
	}
	for i, v := range res.Variants {
		w, h, err := DecodeWebP(v.WebP)
		if err != nil {
			t.Errorf("variant %d: %v", v.Size, err)
			continue
		}
		wantW, wantH := fit(res.Width, res.Height, VariantSizes[i])
		if v.Size != VariantSizes[i] || w != wantW || h != wantH {
			t.Errorf("variant %d of %dx%d is %d: %dx%d, want %d: %dx%d",
				i, res.Width, res.Height, v.Size, w, h, VariantSizes[i], wantW, wantH)
		}
		if longest := max(w, h); longest != min(v.Size, max(res.Width, res.Height)) {
			t.Errorf("variant %d: longer side %d, want %d", v.Size, longest, min(v.Size, max(res.Width, res.Height)))
		}
	}
}

func checkSizesIncrease(t *testing.T, vs []Variant) {
	t.Helper()
	for i := 1; i < len(vs); i++ {
		if len(vs[i].WebP) <= len(vs[i-1].WebP) {
			t.Errorf("variant %d is %d bytes, not more than variant %d's %d", vs[i].Size, len(vs[i].WebP), vs[i-1].Size, len(vs[i-1].WebP))
		}
	}
}

// checkBlurHash wants a valid 4x3 hash that is not flat: its 4x3 decode has
// more than one colour.
func checkBlurHash(t *testing.T, hash string) {
	t.Helper()
	if err := ValidateBlurHash(hash); err != nil {
		t.Fatalf("BlurHash: %v", err)
	}
	if len(hash) != 4+2*BlurHashX*BlurHashY {
		t.Errorf("BlurHash %q has %d chars, want %d (4x3 components)", hash, len(hash), 4+2*BlurHashX*BlurHashY)
	}
	img, err := blurhash.Decode(hash, 4, 3, 1)
	if err != nil {
		t.Fatalf("decoding BlurHash %q: %v", hash, err)
	}
	if flat(img) {
		t.Errorf("BlurHash %q decodes to a single colour", hash)
	}
}

func flat(img image.Image) bool {
	b := img.Bounds()
	first := img.At(b.Min.X, b.Min.Y)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if img.At(x, y) != first {
				return false
			}
		}
	}
	return true
}

func BenchmarkProcess(b *testing.B) {
	jpg := SampleJPEG()
	b.SetBytes(int64(len(jpg)))
	for b.Loop() {
		if _, err := Process(jpg); err != nil {
			b.Fatal(err)
		}
	}
}

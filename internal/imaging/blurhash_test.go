package imaging

import (
	"errors"
	"image"
	"image/color"
	"image/draw"
	"strings"
	"testing"

	"github.com/bbrks/go-blurhash"
)

// docsHash is the example BlurHash in the API documentation.
const docsHash = "L7HuX^zY1z-6ADx?0z2@1Io#{yV_"

func TestValidateBlurHash_Accepts(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		docsHash,
		"LEHV6nWB2yk8pyo0adR*.7kCMdnj", // blurha.sh's demo image
		"00TSUA",                       // 1x1 components: DC only
		nineByNine(t),
	} {
		if err := ValidateBlurHash(s); err != nil {
			t.Errorf("ValidateBlurHash(%q) = %v, want nil", s, err)
		}
	}
}

func TestValidateBlurHash_Rejects(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, s, reason string }{
		{"empty", "", "empty"},
		{"too short", "L7HuX", "shortest"},
		{"one char short", docsHash[:len(docsHash)-1], "27 chars, but size flag 'L' means 4x3 components and 28 chars"},
		{"one char long", docsHash + "0", "29 chars"},
		{"components of another hash", "0" + docsHash[1:], "means 1x1 components and 6 chars"},
		{"ampersand", "L7HuX&zY1z-6ADx?0z2@1Io#{yV_", `'&' at byte 5`},
		{"space", "L7HuX^zY1z 6ADx?0z2@1Io#{yV_", `' ' at byte 10`},
		{"long garbage", strings.Repeat("0", 5000), "... (5000 bytes)"},
		{"non-ASCII", "L7HuX^zY1z-6ADx?0z2@1Io#{yé", `'é' at byte 26`},
		{"size flag over 9x9", "~" + strings.Repeat("0", 43), "at most 9x9"},
		{"DC over 24 bits", "00~~~~", "DC value"},
		{"AC over range", "L7HuX^zY1z-6ADx?0z2@1Io#{y~~", "AC value"},
	}
	for _, tt := range tests {
		err := ValidateBlurHash(tt.s)
		if !errors.Is(err, ErrInvalidBlurHash) || !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("ValidateBlurHash(%s: %q) = %v, want ErrInvalidBlurHash mentioning %q", tt.name, tt.s, err, tt.reason)
		}
	}
}

// nineByNine is a hash with the most components the format allows.
func nineByNine(t *testing.T) string {
	hash, err := blurhash.Encode(9, 9, testPhoto(16, 12))
	if err != nil {
		t.Fatal(err)
	}
	return hash
}

func TestBlurHash_DCIsTheAverageColour(t *testing.T) {
	t.Parallel()
	m := image.NewRGBA(image.Rect(0, 0, 300, 200))
	draw.Draw(m, m.Bounds(), image.NewUniform(color.RGBA{0x20, 0x80, 0xC0, 0xFF}), image.Point{}, draw.Src)
	hash, err := blurHash(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateBlurHash(hash); err != nil {
		t.Fatalf("ValidateBlurHash(%q) = %v", hash, err)
	}
	if dc := number(hash[2:6]); dc != 0x2080C0 {
		t.Errorf("BlurHash %q of a flat #2080C0 image has DC #%06X", hash, dc)
	}
}

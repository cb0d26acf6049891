package imaging

import "testing"

func TestSniff(t *testing.T) {
	t.Parallel()
	small := testPhoto(40, 30)
	jpg, png, gif, webp := encodeJPEG(t, small), encodePNG(t, small), encodeGIF(t, small), encodeTestWebP(t, small)
	tests := []struct {
		name   string
		b      []byte
		wantCT string
	}{
		{"jpeg", jpg, TypeJPEG},
		{"png", png, TypePNG},
		{"gif89a", gif, TypeGIF},
		{"gif87a", []byte("GIF87a\x01\x00\x01\x00"), TypeGIF},
		{"webp lossless", webp, TypeWebP},
		{"webp lossy header", []byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00"), TypeWebP},
		{"webp extended header", []byte("RIFF\x24\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00"), TypeWebP},
		{"jpeg body cut, signature whole", jpg[:len(jpg)/2], TypeJPEG},
		{"html", NotAnImage(), ""},
		{"plain text", []byte("hello, world"), ""},
		{"jpeg signature cut", jpg[:2], ""},
		{"png signature cut", png[:5], ""},
		{"gif signature cut", gif[:4], ""},
		{"webp without bitstream chunk", webp[:12], ""},
		{"riff wave", []byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00"), ""},
		{"empty", []byte{}, ""},
		{"nil", nil, ""},
	}
	for _, tt := range tests {
		ct, ok := Sniff(tt.b)
		if ct != tt.wantCT || ok != (tt.wantCT != "") {
			t.Errorf("Sniff(%s, % x...) = %q, %v; want %q, %v", tt.name, head(tt.b), ct, ok, tt.wantCT, tt.wantCT != "")
		}
	}
}

func head(b []byte) []byte { return b[:min(len(b), 16)] }

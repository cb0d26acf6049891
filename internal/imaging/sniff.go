package imaging

import "bytes"

// Content types Sniff reports.
const (
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
	TypeGIF  = "image/gif"
	TypeWebP = "image/webp"
)

var (
	magicJPEG = []byte{0xFF, 0xD8, 0xFF}
	magicPNG  = []byte("\x89PNG\r\n\x1a\n")
	magicGIF7 = []byte("GIF87a")
	magicGIF9 = []byte("GIF89a")
)

// Sniff recognises the image type from the bytes (image/jpeg, image/png,
// image/gif, image/webp). It looks at the signature only: a file cut short after
// its signature is still recognised, and Process then rejects it.
func Sniff(b []byte) (contentType string, ok bool) {
	switch {
	case bytes.HasPrefix(b, magicJPEG):
		return TypeJPEG, true
	case bytes.HasPrefix(b, magicPNG):
		return TypePNG, true
	case bytes.HasPrefix(b, magicGIF7), bytes.HasPrefix(b, magicGIF9):
		return TypeGIF, true
	case isWebP(b):
		return TypeWebP, true
	}
	return "", false
}

// isWebP wants a RIFF container of form WEBP whose first chunk is one of the
// three WebP bitstream chunks, so other RIFF files (WAV, AVI) are not taken.
func isWebP(b []byte) bool {
	if len(b) < 16 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return false
	}
	switch string(b[12:16]) {
	case "VP8 ", "VP8L", "VP8X":
		return true
	}
	return false
}

package imaging

import (
	"bytes"
	"fmt"
	"image"

	"github.com/HugoSmits86/nativewebp"
)

// encodeWebP writes m as a lossless WebP (the pure-Go encoder has no lossy mode).
func encodeWebP(m *image.NRGBA) ([]byte, error) {
	var buf bytes.Buffer
	if err := nativewebp.Encode(&buf, m, nil); err != nil {
		return nil, fmt.Errorf("encoding %dx%d WebP: %w", m.Bounds().Dx(), m.Bounds().Dy(), err)
	}
	return buf.Bytes(), nil
}

// DecodeWebP checks that b is a real WebP and gives its size. It decodes the
// whole bitstream, not only the header, so a file cut short or corrupted after
// a valid header is rejected. Failures wrap ErrNotImage.
func DecodeWebP(b []byte) (w, h int, err error) {
	if !isWebP(b) {
		return 0, 0, fmt.Errorf("%w: no WebP signature (RIFF....WEBPVP8) in %d bytes", ErrNotImage, len(b))
	}
	img, err := decodeAs(TypeWebP, b)
	if err != nil {
		return 0, 0, err
	}
	return img.Bounds().Dx(), img.Bounds().Dy(), nil
}

package imaging

import (
	"bytes"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/webp"
)

// MaxPixels bounds the images this package decodes, so a tiny file that
// declares a huge canvas cannot make it allocate gigabytes.
const MaxPixels = 50_000_000

type decoder struct {
	config func(r *bytes.Reader) (image.Config, error)
	decode func(r *bytes.Reader) (image.Image, error)
}

var decoders = map[string]decoder{
	TypeJPEG: {
		func(r *bytes.Reader) (image.Config, error) { return jpeg.DecodeConfig(r) },
		func(r *bytes.Reader) (image.Image, error) { return jpeg.Decode(r) },
	},
	TypePNG: {
		func(r *bytes.Reader) (image.Config, error) { return png.DecodeConfig(r) },
		func(r *bytes.Reader) (image.Image, error) { return png.Decode(r) },
	},
	TypeGIF: {
		func(r *bytes.Reader) (image.Config, error) { return gif.DecodeConfig(r) },
		func(r *bytes.Reader) (image.Image, error) { return gif.Decode(r) },
	},
	TypeWebP: {
		func(r *bytes.Reader) (image.Config, error) { return webp.DecodeConfig(r) },
		func(r *bytes.Reader) (image.Image, error) { return webp.Decode(r) },
	},
}

// decode sniffs b and decodes it with the decoder of its signature (never by a
// name or a header). Every failure wraps ErrNotImage with the reason.
func decode(b []byte) (image.Image, string, error) {
	ct, ok := Sniff(b)
	if !ok {
		return nil, "", fmt.Errorf("%w: no JPEG, PNG, GIF or WebP signature in %d bytes", ErrNotImage, len(b))
	}
	img, err := decodeAs(ct, b)
	return img, ct, err
}

// decodeAs reads the header first, so the size limit holds before any pixel
// buffer is allocated, then decodes the whole image.
func decodeAs(ct string, b []byte) (image.Image, error) {
	d := decoders[ct]
	var cfg image.Config
	err := guard(func() (err error) { cfg, err = d.config(bytes.NewReader(b)); return err })
	if err != nil {
		return nil, fmt.Errorf("%w: %s header: %v", ErrNotImage, ct, err)
	}
	if err := checkDimensions(cfg.Width, cfg.Height); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNotImage, ct, err)
	}
	var img image.Image
	err = guard(func() (err error) { img, err = d.decode(bytes.NewReader(b)); return err })
	if err != nil {
		return nil, fmt.Errorf("%w: %s data: %v", ErrNotImage, ct, err)
	}
	if r := img.Bounds(); r.Dx() != cfg.Width || r.Dy() != cfg.Height {
		return nil, fmt.Errorf("%w: %s decodes to %dx%d, header says %dx%d",
			ErrNotImage, ct, r.Dx(), r.Dy(), cfg.Width, cfg.Height)
	}
	return img, nil
}

func checkDimensions(w, h int) error {
	if w < 1 || h < 1 {
		return fmt.Errorf("empty canvas %dx%d", w, h)
	}
	if int64(w)*int64(h) > MaxPixels {
		return fmt.Errorf("%dx%d is over the %d pixel limit", w, h, MaxPixels)
	}
	return nil
}

// guard turns a decoder panic into an error: decoders have panicked on crafted
// input before, and one bad upload must not take a server down.
func guard(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("decoder panic: %v", p)
		}
	}()
	return f()
}

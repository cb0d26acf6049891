package imaging

import (
	"errors"
	"fmt"
	"image"
	"sync"
)

// Process decodes an original and makes its BlurHash and variants: for each of
// VariantSizes a lossless WebP that fits within Size x Size, aspect ratio kept,
// never enlarged. Bytes that are not a decodable JPEG, PNG, GIF or WebP give an
// error wrapping ErrNotImage.
func Process(b []byte) (Result, error) {
	img, ct, err := decode(b)
	if err != nil {
		return Result{}, err
	}
	scaled := scaleVariants(fastSource(img))
	res := Result{ContentType: ct, Width: img.Bounds().Dx(), Height: img.Bounds().Dy()}
	if res.BlurHash, err = blurHash(scaled[0]); err != nil {
		return Result{}, err
	}
	if res.Variants, err = encodeVariants(scaled); err != nil {
		return Result{}, err
	}
	return res, nil
}

// scaleVariants gives one image per VariantSizes entry, in that order. Each
// size is fitted to the original's, but resampled from the next larger
// variant, so only the first resample reads the full-size original.
func scaleVariants(src image.Image) []*image.RGBA {
	b := src.Bounds()
	out := make([]*image.RGBA, len(VariantSizes))
	for i := len(VariantSizes) - 1; i >= 0; i-- {
		w, h := fit(b.Dx(), b.Dy(), VariantSizes[i])
		out[i] = resize(src, w, h)
		src = out[i]
	}
	return out
}

// encodeVariants encodes the variants concurrently: the largest costs about
// four fifths of the encoding, so the others fit beside it on a second core.
func encodeVariants(scaled []*image.RGBA) ([]Variant, error) {
	vs := make([]Variant, len(scaled))
	errs := make([]error, len(scaled))
	var wg sync.WaitGroup
	for i, m := range scaled {
		wg.Go(func() {
			data, err := encodeWebP(toNRGBA(m))
			if err != nil {
				errs[i] = fmt.Errorf("variant %d: %w", VariantSizes[i], err)
			}
			vs[i] = Variant{Size: VariantSizes[i], WebP: data}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return vs, nil
}

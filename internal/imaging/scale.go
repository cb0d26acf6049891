package imaging

import (
	"image"
	"image/draw"

	xdraw "golang.org/x/image/draw"
)

// Resamplers. Bilinear sampling reads a 2x2 neighbourhood, so it skips no
// source pixel while shrinking by at most 2 (at exactly 2 it is a box filter)
// and costs about a quarter of CatmullRom there. Beyond 2 it would alias, and
// CatmullRom, which widens its kernel with the reduction, takes over. Both have
// fast paths from the decoders' image types into *image.RGBA.
var (
	nearScaler xdraw.Interpolator = xdraw.ApproxBiLinear
	farScaler  xdraw.Interpolator = xdraw.CatmullRom
)

// scalerFor picks the resampler for shrinking src to w x h.
func scalerFor(src image.Rectangle, w, h int) xdraw.Interpolator {
	if src.Dx() <= 2*w && src.Dy() <= 2*h {
		return nearScaler
	}
	return farScaler
}

// fit is the size of a w x h image scaled to fit within size x size, keeping the
// aspect ratio and never enlarging it.
func fit(w, h, size int) (int, int) {
	if w <= size && h <= size {
		return w, h
	}
	if w >= h {
		return size, max(1, (h*size+w/2)/w)
	}
	return max(1, (w*size+h/2)/h), size
}

// fastSource returns img as a type x/image/draw scales without a per-pixel
// interface call, converting it once if needed (paletted GIFs, WebP with alpha).
func fastSource(img image.Image) image.Image {
	switch img.(type) {
	case *image.RGBA, *image.NRGBA, *image.YCbCr, *image.Gray:
		return img
	}
	b := img.Bounds()
	dst := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Src)
	return dst
}

// resize scales src into a new w x h image (a plain copy when the size is
// unchanged), with its origin at 0,0.
func resize(src image.Image, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	if sb := src.Bounds(); sb.Dx() == w && sb.Dy() == h {
		draw.Draw(dst, dst.Bounds(), src, sb.Min, draw.Src)
		return dst
	}
	scalerFor(src.Bounds(), w, h).Scale(dst, dst.Bounds(), src, src.Bounds(), xdraw.Src, nil)
	return dst
}

// toNRGBA un-premultiplies m: the WebP encoder works on NRGBA and copies an
// NRGBA source with a fast path, where other types go pixel by pixel.
func toNRGBA(m *image.RGBA) *image.NRGBA {
	b := m.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		off := m.PixOffset(b.Min.X, b.Min.Y+y)
		src := m.Pix[off : off+4*b.Dx()]
		dst := out.Pix[y*out.Stride : y*out.Stride+4*b.Dx()]
		for i := 0; i < len(src); i += 4 {
			unpremultiply(dst[i:i+4:i+4], src[i:i+4:i+4])
		}
	}
	return out
}

func unpremultiply(dst, src []byte) {
	a := src[3]
	switch a {
	case 0xff:
		copy(dst, src)
	case 0:
		dst[0], dst[1], dst[2], dst[3] = 0, 0, 0, 0
	default:
		for c := 0; c < 3; c++ {
			dst[c] = byte(min(0xff, (uint32(src[c])*0xff+uint32(a)/2)/uint32(a)))
		}
		dst[3] = a
	}
}

package imaging

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"sync"
)

// Sample sizes.
const (
	SampleJPEGWidth, SampleJPEGHeight = 1600, 1200
	SamplePNGWidth, SamplePNGHeight   = 1200, 900
	SmallJPEGWidth, SmallJPEGHeight   = 160, 120
)

var (
	sampleJPEG = sync.OnceValue(func() []byte {
		return mustEncode(jpegEncode, photo(SampleJPEGWidth, SampleJPEGHeight, 1, dayColours))
	})
	samplePNG = sync.OnceValue(func() []byte {
		return mustEncode(pngEncode, photo(SamplePNGWidth, SamplePNGHeight, 2, duskColours))
	})
	smallJPEG = sync.OnceValue(func() []byte {
		return mustEncode(jpegEncode, photo(SmallJPEGWidth, SmallJPEGHeight, 3, dayColours))
	})
)

// SampleJPEG is a deterministic photo-like 1600x1200 JPEG (generated on first
// use, then cached). Each call returns a fresh copy the caller may modify.
func SampleJPEG() []byte { return bytes.Clone(sampleJPEG()) }

// SamplePNG is a deterministic photo-like 1200x900 PNG, like SampleJPEG.
func SamplePNG() []byte { return bytes.Clone(samplePNG()) }

// SmallJPEG is a deterministic 160x120 JPEG: a fixture whose content does not
// matter, cheap for a target to optimize.
func SmallJPEG() []byte { return bytes.Clone(smallJPEG()) }

// NotAnImage is a small HTML page: what a URL that is not an image serves.
func NotAnImage() []byte {
	return []byte(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Not an image</title></head>
<body><h1>Photos</h1><p>This page is HTML, not a picture.</p></body>
</html>
`)
}

func jpegEncode(b *bytes.Buffer, m image.Image) error {
	return jpeg.Encode(b, m, &jpeg.Options{Quality: 85})
}

func pngEncode(b *bytes.Buffer, m image.Image) error {
	return (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(b, m)
}

// mustEncode panics because encoding an in-memory RGBA image into a buffer
// cannot fail unless the standard library is broken.
func mustEncode(enc func(*bytes.Buffer, image.Image) error, m image.Image) []byte {
	var b bytes.Buffer
	if err := enc(&b, m); err != nil {
		panic("imaging: encoding a sample: " + err.Error())
	}
	return b.Bytes()
}

// scheme colours a scene: sky top and bottom, ground near and far, the sun.
type scheme struct{ skyTop, skyLow, groundFar, groundNear, sun [3]float64 }

var (
	dayColours  = scheme{rgb(40, 90, 170), rgb(170, 205, 235), rgb(90, 130, 70), rgb(40, 70, 30), rgb(255, 245, 210)}
	duskColours = scheme{rgb(30, 20, 70), rgb(240, 140, 80), rgb(90, 60, 70), rgb(30, 25, 35), rgb(255, 200, 120)}
)

func rgb(r, g, b float64) [3]float64 { return [3]float64{r, g, b} }

// photo paints a landscape: a sky gradient over rolling hills, a soft sun,
// shaded blocks and discs, then grain. The seed fixes every random choice, so
// the same arguments always give the same pixels.
func photo(w, h int, seed uint64, p scheme) *image.RGBA {
	rnd := rand.New(rand.NewPCG(seed, 0x5eed))
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	horizon := hills(w, h, rnd)
	paintBackground(m, horizon, p)
	paintSun(m, w*2/3, h/4, h/10, p.sun)
	for i := 0; i < 14; i++ {
		paintBlock(m, rnd, horizon)
	}
	for i := 0; i < 10; i++ {
		paintDisc(m, rnd)
	}
	addGrain(m, rnd, 6)
	return m
}

// hills gives the horizon row of each column: a sum of a few sine waves.
func hills(w, h int, rnd *rand.Rand) []int {
	type wave struct{ amp, freq, phase float64 }
	waves := make([]wave, 3)
	for i := range waves {
		waves[i] = wave{float64(h) * (0.02 + 0.04*rnd.Float64()), 1 + 4*rnd.Float64()*float64(i+1), 2 * math.Pi * rnd.Float64()}
	}
	rows := make([]int, w)
	for x := range rows {
		y := 0.55 * float64(h)
		for _, v := range waves {
			y += v.amp * math.Sin(v.phase+v.freq*math.Pi*float64(x)/float64(w))
		}
		rows[x] = int(y)
	}
	return rows
}

func paintBackground(m *image.RGBA, horizon []int, p scheme) {
	b := m.Bounds()
	for y := 0; y < b.Dy(); y++ {
		t := float64(y) / float64(b.Dy())
		sky := mix(p.skyTop, p.skyLow, t/0.6)
		ground := mix(p.groundFar, p.groundNear, (t-0.4)/0.6)
		for x := 0; x < b.Dx(); x++ {
			c := sky
			if y >= horizon[x] {
				c = ground
			}
			set(m, x, y, c)
		}
	}
}

// paintSun draws a disc whose edge fades over a tenth of its radius, with a glow.
func paintSun(m *image.RGBA, cx, cy, r int, c [3]float64) {
	glow := 3 * r
	for y := max(0, cy-glow); y < min(m.Bounds().Dy(), cy+glow); y++ {
		for x := max(0, cx-glow); x < min(m.Bounds().Dx(), cx+glow); x++ {
			d := math.Hypot(float64(x-cx), float64(y-cy))
			a := 0.35 * (1 - d/float64(glow))
			if d < float64(r) {
				a = math.Min(1, (float64(r)-d)/(0.1*float64(r))+0.35)
			}
			if a > 0 {
				set(m, x, y, mix(get(m, x, y), c, a))
			}
		}
	}
}

// paintBlock draws a building-like rectangle standing on the horizon, lit from
// the left.
func paintBlock(m *image.RGBA, rnd *rand.Rand, horizon []int) {
	w, h := m.Bounds().Dx(), m.Bounds().Dy()
	bw, bh := w/40+upTo(rnd, w/12), h/12+upTo(rnd, h/4)
	x0 := upTo(rnd, w-bw)
	base := horizon[x0+bw/2] + upTo(rnd, h/10)
	c := randomColour(rnd, 60, 200)
	for y := max(0, base-bh); y < min(h, base); y++ {
		for x := x0; x < x0+bw; x++ {
			shade := 1.15 - 0.4*float64(x-x0)/float64(bw)
			set(m, x, y, scale3(c, shade))
		}
	}
}

// paintDisc draws a tree-like disc, darker towards its lower right.
func paintDisc(m *image.RGBA, rnd *rand.Rand) {
	w, h := m.Bounds().Dx(), m.Bounds().Dy()
	r := h/40 + upTo(rnd, h/12)
	cx, cy := upTo(rnd, w), h/2+upTo(rnd, h/2)
	c := randomColour(rnd, 20, 140)
	for y := max(0, cy-r); y < min(h, cy+r); y++ {
		for x := max(0, cx-r); x < min(w, cx+r); x++ {
			dx, dy := float64(x-cx)/float64(r), float64(y-cy)/float64(r)
			if dx*dx+dy*dy <= 1 {
				set(m, x, y, scale3(c, 1.1-0.3*(dx+dy)))
			}
		}
	}
}

// addGrain adds a luminance noise of up to ±amp levels, like sensor grain. One
// random word serves eight pixels: the grain needs no quality, and generation
// stays quick under the race detector.
func addGrain(m *image.RGBA, rnd *rand.Rand, amp int) {
	var bits uint64
	for p := 0; p < len(m.Pix)/4; p++ {
		if p%8 == 0 {
			bits = rnd.Uint64()
		}
		n := int(bits&0xff)%(2*amp+1) - amp
		bits >>= 8
		for c := 4 * p; c < 4*p+3; c++ {
			m.Pix[c] = uint8(min(255, max(0, int(m.Pix[c])+n)))
		}
	}
}

// upTo is rnd.IntN that tolerates the zero bounds of tiny test images.
func upTo(rnd *rand.Rand, n int) int { return rnd.IntN(max(1, n)) }

func randomColour(rnd *rand.Rand, lo, hi int) [3]float64 {
	var c [3]float64
	for i := range c {
		c[i] = float64(lo + rnd.IntN(hi-lo))
	}
	return c
}

func mix(a, b [3]float64, t float64) [3]float64 {
	t = math.Max(0, math.Min(1, t))
	return [3]float64{a[0] + (b[0]-a[0])*t, a[1] + (b[1]-a[1])*t, a[2] + (b[2]-a[2])*t}
}

func scale3(c [3]float64, f float64) [3]float64 { return [3]float64{c[0] * f, c[1] * f, c[2] * f} }

func get(m *image.RGBA, x, y int) [3]float64 {
	i := m.PixOffset(x, y)
	return [3]float64{float64(m.Pix[i]), float64(m.Pix[i+1]), float64(m.Pix[i+2])}
}

func set(m *image.RGBA, x, y int, c [3]float64) {
	i := m.PixOffset(x, y)
	m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = clamp(c[0]), clamp(c[1]), clamp(c[2]), 0xff
}

func clamp(v float64) uint8 { return uint8(math.Max(0, math.Min(255, math.Round(v)))) }

package imaging

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color/palette"
	"image/gif"
	"testing"
)

// testPhoto is a small photo-like image, quick to make even under -race.
func testPhoto(w, h int) *image.RGBA { return photo(w, h, 7, dayColours) }

func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := pngEncode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpegEncode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// encodeGIF quantises m to the web-safe cube directly (index 36r+6g+b), which
// is much quicker under -race than a palette search per pixel.
func encodeGIF(t testing.TB, m *image.RGBA) []byte {
	t.Helper()
	p := image.NewPaletted(m.Bounds(), palette.WebSafe)
	for i := range p.Pix {
		px := m.Pix[4*i : 4*i+3]
		p.Pix[i] = uint8(36*((int(px[0])+25)/51) + 6*((int(px[1])+25)/51) + (int(px[2])+25)/51)
	}
	var b bytes.Buffer
	if err := gif.Encode(&b, p, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeTestWebP(t testing.TB, m *image.RGBA) []byte {
	t.Helper()
	b, err := encodeWebP(toNRGBA(m))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pngHeaderOnly is a PNG signature and IHDR chunk declaring a w x h canvas,
// with no pixel data: what a decompression bomb looks like to DecodeConfig.
func pngHeaderOnly(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk := append([]byte("IHDR"), ihdr...)
	var b bytes.Buffer
	b.Write(magicPNG)
	_ = binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	b.Write(chunk)
	_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

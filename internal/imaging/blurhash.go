package imaging

import (
	"errors"
	"fmt"
	"image"
	"strings"
	"unicode/utf8"

	"github.com/bbrks/go-blurhash"
)

// BlurHash parameters: 4x3 components, computed on a copy at most 32 pixels a
// side (the hash keeps only the lowest frequencies, so more pixels add time, not
// information).
const (
	BlurHashX       = 4
	BlurHashY       = 3
	blurHashMaxSide = 32
)

// base83 is the BlurHash alphabet.
const base83 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"

// ErrInvalidBlurHash is wrapped by every ValidateBlurHash failure.
var ErrInvalidBlurHash = errors.New("invalid blurhash")

// blurHash computes the BlurHash of img from a small copy of it.
func blurHash(img image.Image) (string, error) {
	b := img.Bounds()
	w, h := fit(b.Dx(), b.Dy(), blurHashMaxSide)
	hash, err := blurhash.Encode(BlurHashX, BlurHashY, resize(img, w, h))
	if err != nil {
		return "", fmt.Errorf("blurhash: %w", err)
	}
	return hash, nil
}

// ValidateBlurHash decodes s: the alphabet, the length the component counts in
// its first character call for, the ranges of the DC and AC values, and a
// decode to a small image. Errors wrap ErrInvalidBlurHash and say what is wrong.
func ValidateBlurHash(s string) error {
	if s == "" {
		return fmt.Errorf("%w: empty string", ErrInvalidBlurHash)
	}
	if i := strings.IndexFunc(s, func(r rune) bool { return !strings.ContainsRune(base83, r) }); i >= 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return fmt.Errorf("%w: %s has %q at byte %d, not in the base83 alphabet", ErrInvalidBlurHash, quote(s), r, i)
	}
	if len(s) < 6 {
		return fmt.Errorf("%w: %s is %d chars, the shortest hash (1x1 components) has 6", ErrInvalidBlurHash, quote(s), len(s))
	}
	if err := checkLayout(s); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrInvalidBlurHash, quote(s), err)
	}
	if _, err := blurhash.Decode(s, 8, 8, 1); err != nil {
		return fmt.Errorf("%w: %s does not decode: %v", ErrInvalidBlurHash, quote(s), err)
	}
	return nil
}

// quote keeps error messages short when the input is not a hash at all.
func quote(s string) string {
	const limit = 200
	if len(s) > limit {
		return fmt.Sprintf("%q... (%d bytes)", s[:limit], len(s))
	}
	return fmt.Sprintf("%q", s)
}

// checkLayout checks the length against the component counts and the value
// ranges the format allows (the decoder accepts out-of-range values silently).
func checkLayout(s string) error {
	flag := digit(s[0])
	nx, ny := flag%9+1, flag/9+1
	if ny > 9 {
		return fmt.Errorf("size flag %q means %dx%d components, at most 9x9 are allowed", s[0], nx, ny)
	}
	if want := 4 + 2*nx*ny; len(s) != want {
		return fmt.Errorf("%d chars, but size flag %q means %dx%d components and %d chars", len(s), s[0], nx, ny, want)
	}
	if dc := number(s[2:6]); dc > 0xFFFFFF {
		return fmt.Errorf("DC value %q = %d is over 0xFFFFFF", s[2:6], dc)
	}
	for i := 6; i < len(s); i += 2 {
		if ac := number(s[i : i+2]); ac >= 19*19*19 {
			return fmt.Errorf("AC value %q at byte %d = %d is over %d", s[i:i+2], i, ac, 19*19*19-1)
		}
	}
	return nil
}

// digit is the value of one base83 character already known to be valid.
func digit(c byte) int { return strings.IndexByte(base83, c) }

func number(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*83 + digit(s[i])
	}
	return n
}

// Package imaging recognises images by their bytes and makes what the Media API
// promises of an optimized file: a BlurHash and WebP variants of 128, 512 and 1024.
package imaging

import "errors"

// VariantSizes are the variant sizes the API documents, smallest first.
var VariantSizes = []int{128, 512, 1024}

// ErrNotImage: the bytes are not an image of a supported type.
var ErrNotImage = errors.New("not an image")

// Variant is one optimized copy: a WebP image that fits in Size x Size.
type Variant struct {
	Size int
	WebP []byte
}

// Result is what optimizing one original gives.
type Result struct {
	ContentType   string
	Width, Height int
	BlurHash      string
	Variants      []Variant
}

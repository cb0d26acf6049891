package steps

import (
	"context"
	"fmt"
	"strconv"

	"github.com/cucumber/godog"
	"github.com/google/go-cmp/cmp"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/imaging"
)

// The steps about an optimized file: its BlurHash, its variants, and the
// stored files its URLs serve (storage.go).
func registerOptimizedSteps(sc *godog.ScenarioContext) {
	sc.Then(`^the BlurHash decodes$`, on0((*state).theBlurHashDecodes))
	sc.Then(`^the variants are "(\d+)", "(\d+)" and "(\d+)" in that order$`, on3((*state).theVariantsAre))
	sc.Then(`^each variant is larger in bytes than the one before$`, on0((*state).eachVariantIsLarger))
	sc.Then(`^the original URL serves an image of the stated content type and size$`, on0((*state).theOriginalURLServesTheStatedImage))
	sc.Then(`^each variant URL serves a WebP image of the stated size that fits its variant size$`, on0((*state).eachVariantURLServesItsWebP))
}

// lastMedia is the last answer read as a media file.
func (s *state) lastMedia() (*media, *client.Response, error) {
	resp, err := s.lastAnswer()
	if err != nil {
		return nil, nil, err
	}
	m, err := s.decodeMedia(resp)
	return m, resp, err
}

func (s *state) theBlurHashDecodes(context.Context) error {
	m, resp, err := s.lastMedia()
	if err != nil {
		return err
	}
	if m.BlurHash == nil {
		return s.failure(resp, "an optimized file's BlurHash", "a BlurHash string", "null")
	}
	if err := imaging.ValidateBlurHash(*m.BlurHash); err != nil {
		return s.failure(resp, "the BlurHash decodes", "a valid BlurHash", err)
	}
	return nil
}

func (s *state) theVariantsAre(_ context.Context, a, b, c string) error {
	m, resp, err := s.lastMedia()
	if err != nil {
		return err
	}
	got := make([]string, len(m.Variants))
	for i, v := range m.Variants {
		got[i] = v.VariantSize
	}
	if d := cmp.Diff([]string{a, b, c}, got); d != "" {
		return s.mismatch(resp, "the variant sizes, in order", d)
	}
	return nil
}

func (s *state) eachVariantIsLarger(context.Context) error {
	m, resp, err := s.lastMedia()
	if err != nil {
		return err
	}
	sizes := make([]int64, len(m.Variants))
	for i, v := range m.Variants {
		sizes[i] = v.Size
	}
	if len(sizes) == 0 || sizes[0] <= 0 || !strictlyIncreasing(sizes) {
		return s.failure(resp, "the variants' byte sizes grow strictly with the variant size", "strictly increasing positive sizes", sizes)
	}
	return nil
}

func strictlyIncreasing(xs []int64) bool {
	for i := 1; i < len(xs); i++ {
		if xs[i] <= xs[i-1] {
			return false
		}
	}
	return true
}

// variantLimit is a variant's size as a number of pixels.
func variantLimit(v variant) (int, error) {
	n, err := strconv.Atoi(v.VariantSize)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("variantSize %q is not a positive number", v.VariantSize)
	}
	return n, nil
}

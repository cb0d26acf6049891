package steps

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/imaging"
)

// maxStorageBytes bounds what is read of one stored file.
const maxStorageBytes = 64 << 20

// stored is one file fetched from the storage URL an answer gave.
type stored struct {
	url         string
	status      int
	contentType string
	body        []byte
}

func (f stored) String() string {
	return fmt.Sprintf("GET %s → %d, Content-Type %q, %d bytes", f.url, f.status, f.contentType, len(f.body))
}

// fetch downloads a storage URL. Storage is outside the API root and needs
// no key, so it is fetched directly; nothing secret is sent.
func (s *state) fetch(ctx context.Context, url string) (stored, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return stored{}, fmt.Errorf("storage URL %q: %w", url, err)
	}
	res, err := s.env.storage().Do(req)
	if err != nil {
		return stored{}, fmt.Errorf("fetching %s: %w", url, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxStorageBytes))
	if err != nil {
		return stored{}, fmt.Errorf("reading %s: %w", url, err)
	}
	return stored{url: url, status: res.StatusCode, contentType: res.Header.Get("Content-Type"), body: body}, nil
}

func (s *state) theOriginalURLServesTheStatedImage(ctx context.Context) error {
	m, resp, err := s.lastMedia()
	if err != nil {
		return err
	}
	if m.OriginalURL == nil || m.ContentType == nil || m.Size == nil {
		return s.failure(resp, "an optimized file states its original", "originalUrl, contentType and size",
			fmt.Sprintf("originalUrl %v, contentType %v, size %v", deref(m.OriginalURL), deref(m.ContentType), deref(m.Size)))
	}
	got, err := s.fetch(ctx, *m.OriginalURL)
	if err != nil {
		return err
	}
	sniffed, _ := imaging.Sniff(got.body)
	want := fmt.Sprintf("200, an %s image of %d bytes", *m.ContentType, *m.Size)
	if got.status != http.StatusOK || sniffed != *m.ContentType || int64(len(got.body)) != *m.Size {
		return s.storageFailure(resp, "the original URL serves what the answer states", want, got, sniffed)
	}
	return nil
}

func (s *state) eachVariantURLServesItsWebP(ctx context.Context) error {
	m, resp, err := s.lastMedia()
	if err != nil {
		return err
	}
	if len(m.Variants) == 0 {
		return s.failure(resp, "an optimized file has variants", "variants", "[]")
	}
	for _, v := range m.Variants {
		if err := s.variantServes(ctx, resp, v); err != nil {
			return err
		}
	}
	return nil
}

// variantServes fetches one variant: a WebP of the stated byte size whose
// width and height fit in its variant size.
func (s *state) variantServes(ctx context.Context, resp *client.Response, v variant) error {
	limit, err := variantLimit(v)
	if err != nil {
		return s.failure(resp, "a variant's size", "a number of pixels", err)
	}
	got, err := s.fetch(ctx, v.URL)
	if err != nil {
		return err
	}
	sniffed, _ := imaging.Sniff(got.body)
	rule := fmt.Sprintf("variant %s serves what the answer states", v.VariantSize)
	want := fmt.Sprintf("200, a WebP image of %d bytes", v.Size)
	if got.status != http.StatusOK || sniffed != imaging.TypeWebP || int64(len(got.body)) != v.Size {
		return s.storageFailure(resp, rule, want, got, sniffed)
	}
	w, h, err := imaging.DecodeWebP(got.body)
	if err != nil {
		return s.storageFailure(resp, rule, "a WebP image that decodes", got, err.Error())
	}
	if w > limit || h > limit {
		return s.storageFailure(resp, rule, fmt.Sprintf("at most %dx%d pixels", limit, limit), got, fmt.Sprintf("%dx%d pixels", w, h))
	}
	return nil
}

func (s *state) storageFailure(resp *client.Response, rule, want string, got stored, seen string) error {
	return s.failure(resp, rule, want, fmt.Sprintf("%v (bytes read as %q)", got, seen))
}

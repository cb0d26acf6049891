package refserver

import (
	"encoding/json"
	"strconv"
	"sync/atomic"
)

// The media record of one file and its JSON, as the API answers it.

// Optimization states of a file (D).
const (
	optPending    = "pending"
	optInProgress = "in_progress"
	optSuccess    = "success"
	optFailed     = "failed"
)

// media is one file of an agency. Its fields are guarded by the agency's
// lock; view caches its JSON so that reads cost a lock and a pointer load.
type media struct {
	id          int64
	externalID  string
	hasExternal bool
	state       string
	size        int64  // original byte count, known on success
	contentType string // of the original, known on success
	blurhash    string
	variants    []variantInfo // in imaging.VariantSizes order
	deleted     bool

	view atomic.Pointer[rendered]
}

type variantInfo struct {
	size  int // the variant size: 128, 512, 1024
	bytes int // its WebP byte count
}

// rendered is the JSON of one version of a file for one scheme and host
// (its URLs are absolute).
type rendered struct {
	scheme, host string
	body         []byte
}

// mediaBody is the documented shape: every field is always present.
type mediaBody struct {
	ID           int64         `json:"id"`
	ExternalID   *string       `json:"externalId"`
	Size         *int64        `json:"size"`
	ContentType  *string       `json:"contentType"`
	Optimization string        `json:"optimization"`
	Blurhash     *string       `json:"blurhash"`
	OriginalURL  *string       `json:"originalUrl"`
	Variants     []variantBody `json:"variants"`
}

type variantBody struct {
	URL         string `json:"url"`
	VariantSize string `json:"variantSize"`
	Size        int    `json:"size"`
}

// changed drops the cached JSON. Called with the agency lock held for writing.
func (m *media) changed() { m.view.Store(nil) }

// body is the JSON of m with URLs on scheme://host. Called with the agency
// lock held (a read lock is enough: writers hold it exclusively, so a body
// cached here belongs to the current version).
func (m *media) body(scheme, host string) []byte {
	if v := m.view.Load(); v != nil && v.scheme == scheme && v.host == host {
		return v.body
	}
	b := m.marshal(scheme + "://" + host)
	m.view.Store(&rendered{scheme: scheme, host: host, body: b})
	return b
}

func (m *media) marshal(base string) []byte {
	b := mediaBody{ID: m.id, Optimization: m.state, Variants: []variantBody{}}
	if m.hasExternal {
		b.ExternalID = &m.externalID
	}
	if m.state == optSuccess {
		original := storageURL(base, m.id, originalFile)
		b.Size, b.ContentType, b.Blurhash, b.OriginalURL = &m.size, &m.contentType, &m.blurhash, &original
		for _, v := range m.variants {
			name := variantFile(v.size)
			b.Variants = append(b.Variants, variantBody{
				URL: storageURL(base, m.id, name), VariantSize: strconv.Itoa(v.size), Size: v.bytes,
			})
		}
	}
	out, _ := json.Marshal(b)
	return out
}

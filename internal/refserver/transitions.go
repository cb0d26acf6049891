package refserver

import (
	"slices"

	"github.com/rentix/mediaharness/internal/imaging"
)

// State changes of a file and its job during optimization, each under the
// agency lock so that a concurrent delete either happens before (the task
// stops) or after (the delete drops what the task stored).

// start moves the file to in_progress; false when it was deleted meanwhile.
func (a *agency) start(t *task) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if t.m.deleted {
		t.j.fail(msgFileDeleted)
		return false
	}
	t.m.state = optInProgress
	t.m.changed()
	if !a.fault(faultOptimizeJobStale) {
		t.j.status = jobProcessing
	}
	return true
}

// setState sets m's optimization state as it is (a fault's step back).
func (a *agency) setState(m *media, state string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	m.state = state
	m.changed()
}

// gone reports whether m was deleted.
func (a *agency) gone(m *media) bool {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return m.deleted
}

// finish records the outcome: success with its stored files, or failed.
func (a *agency) finish(t *task, out outcome) {
	a.mu.Lock()
	defer a.mu.Unlock()
	m, j := t.m, t.j
	switch {
	case m.deleted:
		j.fail(msgFileDeleted)
		return
	case out.failure != "":
		m.state = optFailed
		m.changed()
		j.fail(out.failure)
		return
	}
	res := out.result
	m.state, m.size, m.contentType, m.blurhash = optSuccess, int64(len(out.original)), res.ContentType, res.BlurHash
	if a.fault(faultShapeOriginalSizeMismatch) {
		m.size = int64(len(variantOf(res, 1024))) // the size of the wrong file
	}
	if a.fault(faultShapeBlurhashUndecodable) {
		m.blurhash = overflowLastAC(m.blurhash)
	}
	if a.fault(faultShapeBlurhashLength) && m.blurhash != "" {
		m.blurhash = m.blurhash[:len(m.blurhash)-1] // stored in a column one character too narrow
	}
	b := &blobs{contentType: res.ContentType, original: out.original, variants: map[string][]byte{}}
	m.variants = m.variants[:0]
	sizes := imaging.VariantSizes
	if a.fault(faultShapeVariantMissing) {
		sizes = sizes[:2] // a size list that forgot 1024
	}
	for _, size := range sizes {
		webp := variantOf(res, size)
		if size == 512 && a.fault(faultShapeVariantOversized) {
			webp = variantOf(res, 1024) // an off-by-one over the sizes
		}
		name := variantFile(size)
		if size == 1024 && a.fault(faultShapeVariantURL404) {
			name = "1024w.webp" // the writer's name, not the URL's
		}
		b.variants[name] = webp
		m.variants = append(m.variants, variantInfo{size: size, bytes: len(webp)})
	}
	if a.fault(faultShapeVariantsUnordered) {
		slices.Reverse(m.variants) // listed largest first
	}
	a.blobs.put(m.id, b)
	m.changed()
	if !a.fault(faultOptimizeJobStale) {
		j.status = jobCompleted
	}
}

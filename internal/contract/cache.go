package contract

import (
	"hash/maphash"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/getkin/kin-openapi/openapi3"
)

// verdictCache remembers response verdicts. A verdict depends on the
// operation, the status, the body, the set of header names (drift) and the
// values of declared headers; the key holds all of them, with one shortcut:
// a declared integer header whose schema only says "integer >= 0" gets the
// same verdict for every run of digits, so its value enters the key as its
// shape ("digits"), not itself. Otherwise X-RateLimit-Remaining would make
// every answer of a load test unique.
//
// Requests are never cached: they differ (ids, external IDs) and are cheap.
type verdictCache struct {
	seed maphash.Seed
	max  int

	mu sync.RWMutex
	m  map[verdictKey][]Finding

	hits, misses atomic.Int64
}

type verdictKey struct {
	op      *operation
	status  int
	headers uint64
	body    uint64
	size    int
}

func newVerdictCache(n int) *verdictCache {
	return &verdictCache{seed: maphash.MakeSeed(), max: n, m: make(map[verdictKey][]Finding, min(n, 1024))}
}

func (c *verdictCache) key(op *operation, ex Exchange) verdictKey {
	return verdictKey{
		op:      op,
		status:  ex.Status,
		headers: c.headerShape(op, ex.ResponseHeader),
		body:    maphash.Bytes(c.seed, ex.ResponseBody),
		size:    len(ex.ResponseBody),
	}
}

// headerShape hashes the header names and the declared headers' values (or
// shapes). Each header is hashed on its own and the hashes are summed, so
// the order of the map does not matter and nothing needs sorting.
func (c *verdictCache) headerShape(op *operation, h http.Header) uint64 {
	var sum uint64
	for name, values := range h {
		var mh maphash.Hash
		mh.SetSeed(c.seed)
		canonical := name
		if !op.declared[canonical] {
			canonical = http.CanonicalHeaderKey(name) // allocates only when name is not canonical
		}
		mh.WriteString(canonical)
		if op.declared[canonical] {
			for _, v := range values {
				mh.WriteByte(0)
				if op.shaped[canonical] && allDigits(v) {
					v = "\x00digits"
				}
				mh.WriteString(v)
			}
		}
		sum += mix(mh.Sum64())
	}
	return sum
}

// mix spreads a hash before it is summed with others (the murmur3 finaliser),
// so that sums of similar hashes do not collide.
func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// get returns a copy of a remembered verdict.
func (c *verdictCache) get(k verdictKey) ([]Finding, bool) {
	c.mu.RLock()
	found, ok := c.m[k]
	c.mu.RUnlock()
	if !ok {
		c.misses.Add(1)
		return nil, false
	}
	c.hits.Add(1)
	return slices.Clone(found), true
}

// put remembers a verdict; a full cache starts over (verdicts are cheap to
// recompute, and load tests repeat few distinct answers).
func (c *verdictCache) put(k verdictKey, found []Finding) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[k] = slices.Clone(found)
}

func allDigits(s string) bool {
	if s == "" || len(s) > 18 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// headerKeys computes, for one operation, the (canonical) names of the
// headers any of its responses declares, and those whose verdict depends on
// the value's digit shape alone.
func headerKeys(op *openapi3.Operation) (declared, shaped map[string]bool) {
	declared, shaped = map[string]bool{"Content-Type": true}, map[string]bool{}
	for _, ref := range op.Responses.Map() {
		if ref == nil || ref.Value == nil {
			continue
		}
		for name, hr := range ref.Value.Headers {
			canonical := http.CanonicalHeaderKey(name)
			declared[canonical] = true
			if hr != nil && hr.Value != nil && digitsDecide(hr.Value) {
				shaped[canonical] = true
			}
		}
	}
	return declared, shaped
}

// digitsDecide reports whether every run of digits gets the same verdict
// under the header's schema: a plain integer with at most a minimum <= 0.
func digitsDecide(h *openapi3.Header) bool {
	if h.Schema == nil || h.Schema.Value == nil {
		return false
	}
	s := h.Schema.Value
	plain := s.Type.Is("integer") && s.Max == nil && s.MultipleOf == nil && len(s.Enum) == 0 &&
		len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) == 0 && s.Not == nil && s.Format != "int32" &&
		!s.ExclusiveMin.IsSet() && s.Pattern == ""
	if !plain {
		return false
	}
	return s.Min == nil || *s.Min <= 0
}

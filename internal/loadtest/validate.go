package loadtest

import (
	"fmt"
	"hash/maphash"
	"runtime"
	"sync"

	"github.com/rentix/mediaharness/internal/contract"
)

// contractChecker checks one exchange against the contract. Run uses
// *contract.Validator built WithCache, so a repeated answer costs a hash
// rather than a validation.
type contractChecker interface {
	Check(contract.Exchange) []contract.Finding
}

// validationQueue holds results waiting for their check. It is deep enough
// to ride out a burst; when it is full anyway the result is counted as
// unvalidated instead of holding up the attack.
const validationQueue = 1 << 14

// validation checks responses on their own goroutines, off the attack's
// timing path: contract (contractChecker) and identity (the body is about the file
// that was asked for).
type validation struct {
	checker contractChecker
	queue   chan item
	wg      sync.WaitGroup
	ids     idCache

	mu       sync.Mutex
	ops      map[operation]*counts // Validated, ContractViolations, Drift, IdentityMismatches
	problems *problems
	prom     *promMetrics
}

func newValidation(c contractChecker, ps *problems, pm *promMetrics) *validation {
	v := &validation{
		checker:  c,
		prom:     pm,
		queue:    make(chan item, validationQueue),
		ops:      map[operation]*counts{},
		problems: ps,
	}
	// Leave a processor to the attack and, on loopback, the target: one
	// checker keeps up with tens of thousands of repeated answers a second.
	n := max(1, runtime.GOMAXPROCS(0)-1)
	v.wg.Add(n)
	for range n {
		go v.work()
	}
	return v
}

// offer queues it without ever blocking; false when the queue is full.
func (v *validation) offer(it item) bool {
	select {
	case v.queue <- it:
		return true
	default:
		return false
	}
}

// finish waits for every queued check.
func (v *validation) finish() {
	close(v.queue)
	v.wg.Wait()
}

func (v *validation) work() {
	defer v.wg.Done()
	for it := range v.queue {
		v.check(it)
		// A busy checker would otherwise keep its processor for a whole
		// time slice (10ms) while requests wait for one: yield between
		// checks so the latency-critical goroutines go first.
		runtime.Gosched()
	}
}

func (v *validation) check(it item) {
	r, req := it.r, it.req
	if len(r.Body) >= maxBody {
		// The read stopped at the limit: checking the cut-off JSON would
		// only report that it ends early. A media answer is a few KB.
		v.record(it, nil, fmt.Sprintf("the body is at least %d bytes (read up to that limit, not checked further); a media answer is a few KB", maxBody))
		return
	}
	var findings []contract.Finding
	if v.checker != nil {
		findings = v.checker.Check(contract.Exchange{
			Method: r.Method, Path: req.path,
			RequestHeader: req.header, RequestBody: req.body,
			Status: int(r.Code), ResponseHeader: r.Headers, ResponseBody: r.Body,
			// The scenarios' requests are valid by construction and checked
			// by the conformance suite; only answers are checked here.
			SkipRequest: true,
		})
	}
	mismatch := ""
	if r.Code >= 200 && r.Code < 300 {
		mismatch = v.ids.check(req, r.Body)
	}
	v.record(it, findings, mismatch)
}

func (v *validation) record(it item, findings []contract.Finding, mismatch string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	c := v.ops[it.req.op]
	if c == nil {
		c = &counts{}
		v.ops[it.req.op] = c
	}
	c.Validated++
	violation, drift := false, false
	for _, f := range findings {
		if f.Kind == contract.Violation {
			violation = true
		} else {
			drift = true
		}
		v.problems.add(it, f)
	}
	switch {
	case violation:
		c.ContractViolations++
		v.prom.failed(it.req.op, "contract_violation")
	case drift:
		c.Drift++
	}
	if mismatch != "" {
		c.IdentityMismatches++
		v.prom.failed(it.req.op, "identity_mismatch")
		v.problems.add(it, contract.Finding{Kind: kindIdentity, Rule: ruleIdentity, Message: mismatch})
	}
}

// counts returns the per-operation check counts; call after finish.
func (v *validation) counts() map[operation]*counts { return v.ops }

// idCache remembers identity verdicts by request and body hash: answers
// repeat, and decoding JSON is most of a check's cost.
type idCache struct {
	seed  maphash.Seed
	once  sync.Once
	mu    sync.Mutex
	known map[idKey]string
}

type idKey struct {
	req  *request
	hash uint64
}

const idCacheSize = 1 << 14

func (c *idCache) check(req *request, body []byte) string {
	c.once.Do(func() { c.seed = maphash.MakeSeed(); c.known = map[idKey]string{} })
	k := idKey{req, maphash.Bytes(c.seed, body)}
	c.mu.Lock()
	msg, ok := c.known[k]
	c.mu.Unlock()
	if ok {
		return msg
	}
	msg = identity(req, body)
	c.mu.Lock()
	if len(c.known) >= idCacheSize {
		clear(c.known)
	}
	c.known[k] = msg
	c.mu.Unlock()
	return msg
}

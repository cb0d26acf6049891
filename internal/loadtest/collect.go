package loadtest

import (
	"math"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/rentix/mediaharness/internal/redact"
)

// item is one result on its way from the attack to the sink and the checks.
type item struct {
	r         *vegeta.Result
	req       *request // nil when the result matches no request (a stopped targeter)
	corrected time.Duration
	lag       time.Duration
	outcome   outcome
}

func (it item) op() operation {
	if it.req == nil {
		return opUnknown
	}
	return it.req.op
}

func (it item) path() string {
	if it.req != nil {
		return it.req.path
	}
	return it.r.URL
}

// collector drains an attack's results channel. Vegeta's channel is
// unbuffered, so everything here is quick: the scenario's bookkeeping, the
// due-time arithmetic and two channel sends. Writing, statistics and checks
// happen on other goroutines.
type collector struct {
	sched *schedule
	reg   registry
	sink  *sink       // nil during warm-up: results are not counted
	val   *validation // nil when validation is off
	pick  sampler
	skip  map[operation]*counts // NotSampled and Unvalidated per operation
	guard *breaker              // stops the attack when the target fails; nil: never
	red   *redact.Redactor      // applied to every result first; nil: none
}

func newCollector(sched *schedule, reg registry, s *sink, v *validation, share float64) *collector {
	return &collector{sched: sched, reg: reg, sink: s, val: v, pick: newSampler(share), skip: map[operation]*counts{}}
}

func (c *collector) run(results <-chan *vegeta.Result) {
	for r := range results {
		c.add(r)
	}
}

func (c *collector) add(r *vegeta.Result) {
	if r.URL == "" && (r.Error == errNoTargets.Error() || r.Error == errStopped.Error()) {
		return // never sent: a targeter with nothing to hand out
	}
	req := c.reg.lookup(r) // by the URL as sent, so before redaction
	redactResult(c.red, r)
	if req != nil && req.owner != nil {
		req.owner.done(r, req)
	}
	c.guard.add(r)
	if c.sink == nil {
		return
	}
	it := item{r: r, req: req, corrected: c.sched.corrected(r), lag: c.sched.lag(r)}
	it.outcome = outcomeOf(r, it.op())
	c.sink.in <- it
	c.offer(it)
}

// offer hands a sampled response to the checks; a response without one
// (no answer, or a result no scenario made) has nothing to check.
func (c *collector) offer(it item) {
	if c.val == nil || it.req == nil || it.r.Code == 0 {
		return
	}
	skip := c.skip[it.req.op]
	if skip == nil {
		skip = &counts{}
		c.skip[it.req.op] = skip
	}
	switch {
	case !c.pick.take(it.req.op):
		skip.NotSampled++
	case !c.val.offer(it):
		skip.Unvalidated++
	}
}

// sampler picks an even share of each operation's responses: with 25% one
// of every four, at a random place among the four. Counting per operation
// keeps the mixed scenario's fixed blend from hiding one operation from the
// checks; the random place keeps a fixed stride from meeting the same few
// files of a pool that is read in turn. It is used by one goroutine.
type sampler struct {
	share float64
	ops   map[operation]*stratum
	rng   *rand.Rand
}

// stratum is one operation's place in its blocks of responses: block b
// holds responses ceil(b/share) up to ceil((b+1)/share), and one of them is
// taken.
type stratum struct {
	n    uint64 // responses seen
	end  uint64 // the first response of the next block
	pick uint64 // the response of this block that is taken
}

func newSampler(share float64) sampler {
	return sampler{share: share, ops: map[operation]*stratum{}, rng: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))}
}

func (s sampler) take(op operation) bool {
	switch {
	case s.share >= 1:
		return true
	case s.share <= 0:
		return false
	}
	st := s.ops[op]
	if st == nil {
		st = &stratum{}
		s.ops[op] = st
	}
	if st.n == st.end {
		block := math.Floor(float64(st.n) * s.share)
		st.end = max(uint64(math.Ceil((block+1)/s.share)), st.n+1)
		st.pick = st.n + s.rng.Uint64N(st.end-st.n)
	}
	taken := st.n == st.pick
	st.n++
	return taken
}

// redactResult removes the run's secrets from everything a result carries
// before anything reads or keeps it: every answer of an attack passes here,
// so no output (stdout, report.txt, load.json, results.bin, the problems
// list) can hold a key a target echoed, in a body, an error, a header value
// or a header name.
func redactResult(red *redact.Redactor, r *vegeta.Result) {
	if red == nil {
		return
	}
	r.Body = red.Bytes(r.Body)
	r.Error = red.String(r.Error)
	r.URL = red.String(withoutPassword(r.URL))
	if len(r.Headers) > 0 {
		r.Headers = red.Header(r.Headers)
	}
}

// withoutPassword drops the password of a URL's userinfo, which may be too
// short for the redactor to know it.
func withoutPassword(raw string) string {
	if !strings.Contains(raw, "@") {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = url.User(u.User.Username())
	return u.String()
}

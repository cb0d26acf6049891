package loadtest

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"github.com/tsenart/vegeta/v12/lib/plot"

	"github.com/rentix/mediaharness/internal/contract"
)

// sinkQueue lets the sink fall behind the attack for a while without
// holding it up.
const sinkQueue = 1 << 15

// histogramBuckets are the latency buckets of the distribution in the HTML
// report.
var histogramBuckets = vegeta.Buckets{
	0, 500 * time.Microsecond, time.Millisecond, 2 * time.Millisecond, 5 * time.Millisecond,
	10 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond,
	200 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 5 * time.Second,
}

// sink takes every counted result on one goroutine: it writes the results
// file and keeps the statistics, the plot and the live figures.
type sink struct {
	in   chan item
	done chan struct{}

	enc        vegeta.Encoder // the results file; nil: none
	encErr     error
	keepBodies bool // results.bin keeps whole bodies, not keptBody of each
	plot       *plot.Plot
	prom       *promMetrics

	mu       sync.Mutex // guards what progress reads while the attack runs
	metrics  vegeta.Metrics
	latency  vegeta.LatencyMetrics // from the due time
	lag      vegeta.LatencyMetrics // due time to actual send
	hist     vegeta.Histogram
	counts   counts
	timeline timeline
	ops      map[operation]*opTally
	problems *problems
}

func newSink(enc vegeta.Encoder, p *plot.Plot, pm *promMetrics, ps *problems, keepBodies bool) *sink {
	s := &sink{
		in: make(chan item, sinkQueue), done: make(chan struct{}),
		enc: enc, plot: p, prom: pm, problems: ps, keepBodies: keepBodies,
		hist: vegeta.Histogram{Buckets: histogramBuckets},
		ops:  map[operation]*opTally{},
	}
	go s.run()
	return s
}

func (s *sink) run() {
	defer close(s.done)
	for it := range s.in {
		s.add(it)
		runtime.Gosched() // as the checkers do: never hold a processor the attack needs
	}
}

// finish waits until every result has been taken.
func (s *sink) finish() {
	close(s.in)
	<-s.done
}

func (s *sink) add(it item) {
	if s.enc != nil && s.encErr == nil {
		s.encErr = s.enc.Encode(s.kept(it.r))
	}
	s.mu.Lock()
	service := it.r.Latency
	s.metrics.Add(it.r)
	// The plot and the histogram show latency from the due time. Nothing
	// reads Latency after the sink (the checkers never do), so the result
	// carries it from here on instead of a copy being made.
	it.r.Latency = it.corrected
	s.latency.Add(it.corrected)
	s.lag.Add(it.lag)
	s.hist.Add(it.r)
	s.counts.addOutcome(it.outcome, it.r.Code)
	s.timeline.add(it)
	t := s.ops[it.op()]
	if t == nil {
		t = &opTally{}
		s.ops[it.op()] = t
	}
	t.counts.addOutcome(it.outcome, it.r.Code)
	t.latency.Add(it.corrected)
	t.service.Add(service)
	s.mu.Unlock()
	if s.plot != nil {
		_ = s.plot.Add(it.r) // only fails on out-of-order timestamps, which Vegeta's sequence rules out
	}
	s.prom.observe(it)
	s.noteProblem(it)
}

// keptBody is how much of a body results.bin keeps without KeepBodies:
// enough for an error's JSON.
const keptBody = 512

// kept is r as results.bin keeps it: a copy with the body cut to keptBody,
// unless bodies are kept whole (as read: at most maxBody). The result
// itself is left alone, for the checks that may still read it.
func (s *sink) kept(r *vegeta.Result) *vegeta.Result {
	if s.keepBodies || len(r.Body) <= keptBody {
		return r
	}
	cp := *r
	cp.Body = r.Body[:keptBody]
	return &cp
}

func (s *sink) noteProblem(it item) {
	switch it.outcome {
	case outcomeTransport:
		s.problems.add(it, contract.Finding{Kind: kindTransport, Message: it.r.Error})
	case outcomeUnexpected, outcomeLimited:
		s.problems.add(it, contract.Finding{Kind: kindStatus, Rule: contract.RuleResponseStatus, Message: statusMessage(it.r)})
	}
}

// statusMessage is the status line and the start of the body, which for
// this API is the error's JSON.
func statusMessage(r *vegeta.Result) string {
	body := strings.TrimSpace(string(r.Body))
	if len(body) > 160 {
		body = body[:160] + "..."
	}
	msg := fmt.Sprintf("status %d", r.Code)
	if body != "" {
		msg += ": " + body
	}
	return msg
}

// live is what the progress line shows.
type live struct {
	requests, failed uint64
	p95              time.Duration
	rate             float64
}

func (s *sink) live() live {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := live{requests: s.counts.Requests, failed: s.counts.Requests - s.counts.Expected}
	if l.requests > 0 {
		l.p95 = s.latency.Quantile(0.95)
		if d := s.metrics.Latest.Sub(s.metrics.Earliest); d > 0 {
			l.rate = float64(l.requests-1) / d.Seconds()
		}
	}
	return l
}

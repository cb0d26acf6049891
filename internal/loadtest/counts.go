package loadtest

import (
	"strconv"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// counts are what a run's responses said, each kind apart.
type counts struct {
	Requests    uint64            `json:"requests"`
	Expected    uint64            `json:"expected"`           // a status the operation expects
	Transport   uint64            `json:"transportErrors"`    // no response at all
	RateLimited uint64            `json:"rateLimited"`        // 429
	Unexpected  uint64            `json:"unexpectedStatuses"` // any other status
	StatusCodes map[string]uint64 `json:"statusCodes"`        // "0" for no response

	// Contract and identity checks, off the timing path.
	Validated          uint64 `json:"validated"`          // responses checked
	NotSampled         uint64 `json:"notSampled"`         // left out by --validate N%
	Unvalidated        uint64 `json:"unvalidated"`        // sampled, but the check queue was full
	ContractViolations uint64 `json:"contractViolations"` // responses with at least one violation
	Drift              uint64 `json:"drift"`              // responses with only drift (unknown fields or headers)
	IdentityMismatches uint64 `json:"identityMismatches"` // a body about another file than the one asked for
}

func (c *counts) addOutcome(o outcome, code uint16) {
	c.Requests++
	switch o {
	case outcomeExpected:
		c.Expected++
	case outcomeTransport:
		c.Transport++
	case outcomeLimited:
		c.RateLimited++
	default:
		c.Unexpected++
	}
	if c.StatusCodes == nil {
		c.StatusCodes = map[string]uint64{}
	}
	c.StatusCodes[strconv.Itoa(int(code))]++
}

// add sums other into c (shards, operations).
func (c *counts) add(o counts) {
	c.Requests += o.Requests
	c.Expected += o.Expected
	c.Transport += o.Transport
	c.RateLimited += o.RateLimited
	c.Unexpected += o.Unexpected
	for k, v := range o.StatusCodes {
		if c.StatusCodes == nil {
			c.StatusCodes = map[string]uint64{}
		}
		c.StatusCodes[k] += v
	}
	c.Validated += o.Validated
	c.NotSampled += o.NotSampled
	c.Unvalidated += o.Unvalidated
	c.ContractViolations += o.ContractViolations
	c.Drift += o.Drift
	c.IdentityMismatches += o.IdentityMismatches
}

// successRatio is the share of requests answered with an expected status.
func (c counts) successRatio() float64 { return ratio(c.Expected, c.Requests) }

// rateLimitedShare is the share of requests answered 429.
func (c counts) rateLimitedShare() float64 { return ratio(c.RateLimited, c.Requests) }

func ratio(a, b uint64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// latencies summarise one latency distribution.
type latencies struct {
	Min  time.Duration `json:"min"`
	Mean time.Duration `json:"mean"`
	P50  time.Duration `json:"p50"`
	P90  time.Duration `json:"p90"`
	P95  time.Duration `json:"p95"`
	P99  time.Duration `json:"p99"`
	Max  time.Duration `json:"max"`
}

// latencyOf reads a Vegeta t-digest summary; n is the number of samples.
func latencyOf(m *vegeta.LatencyMetrics, n uint64) latencies {
	if n == 0 {
		return latencies{}
	}
	return latencies{
		Min:  m.Min,
		Mean: time.Duration(float64(m.Total) / float64(n)),
		P50:  m.Quantile(0.50),
		P90:  m.Quantile(0.90),
		P95:  m.Quantile(0.95),
		P99:  m.Quantile(0.99),
		Max:  m.Max,
	}
}

// operationStats are one operation's share of a run.
type operationStats struct {
	Operation operation `json:"operation"`
	Counts    counts    `json:"counts"`
	Latency   latencies `json:"latency"`        // from the scheduled send time
	Service   latencies `json:"serviceLatency"` // from the actual send time
}

// opTally accumulates operationStats.
type opTally struct {
	counts  counts
	latency vegeta.LatencyMetrics
	service vegeta.LatencyMetrics
}

// stats are the tally's figures.
func (t *opTally) stats(op operation) operationStats {
	return operationStats{Operation: op, Counts: t.counts,
		Latency: latencyOf(&t.latency, t.counts.Requests), Service: latencyOf(&t.service, t.counts.Requests)}
}

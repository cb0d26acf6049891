package loadtest

import (
	"slices"
	"time"
)

// timelineKeep is how many latencies a second of the timeline keeps for
// its percentiles; above it every k-th is kept (the maximum is exact).
const timelineKeep = 4096

// timePoint is one second of an attack: what was sent in it, how it was
// answered, and its latency from the scheduled send time.
type timePoint struct {
	Second      int           `json:"t"` // from the attack's start
	Requests    uint64        `json:"requests"`
	Expected    uint64        `json:"expected"`
	RateLimited uint64        `json:"rateLimited,omitempty"`
	Unexpected  uint64        `json:"unexpected,omitempty"`
	Transport   uint64        `json:"transport,omitempty"`
	P50         time.Duration `json:"p50"`
	P95         time.Duration `json:"p95"`
	P99         time.Duration `json:"p99"`
	Max         time.Duration `json:"max"`
}

// timeline buckets results by the second they were sent in.
type timeline struct {
	start time.Time
	secs  []*second
}

type second struct {
	point timePoint
	lat   []time.Duration
	seen  uint64
}

func (tl *timeline) add(it item) {
	if tl.start.IsZero() {
		tl.start = it.r.Timestamp
	}
	i := max(int(it.r.Timestamp.Sub(tl.start)/time.Second), 0)
	for len(tl.secs) <= i {
		tl.secs = append(tl.secs, &second{point: timePoint{Second: len(tl.secs)}})
	}
	s := tl.secs[i]
	p := &s.point
	p.Requests++
	switch it.outcome {
	case outcomeExpected:
		p.Expected++
	case outcomeLimited:
		p.RateLimited++
	case outcomeTransport:
		p.Transport++
	default:
		p.Unexpected++
	}
	p.Max = max(p.Max, it.corrected)
	s.seen++
	if stride := s.seen/timelineKeep + 1; s.seen%stride == 0 && len(s.lat) < 2*timelineKeep {
		s.lat = append(s.lat, it.corrected)
	}
}

// points are the seconds with their percentiles.
func (tl *timeline) points() []timePoint {
	out := make([]timePoint, 0, len(tl.secs))
	for _, s := range tl.secs {
		p := s.point
		if len(s.lat) > 0 {
			slices.Sort(s.lat)
			q := func(f float64) time.Duration { return s.lat[min(int(f*float64(len(s.lat))), len(s.lat)-1)] }
			p.P50, p.P95, p.P99 = q(0.50), q(0.95), q(0.99)
		}
		out = append(out, p)
	}
	return out
}

package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/rentix/mediaharness/internal/contract"
	"github.com/rentix/mediaharness/openapi"
)

// The benchmarks compare ratios, not absolute figures: on a two-core
// machine the generator, the checks and the server share the CPU, and
// whatever else runs on the machine moves every figure. Each benchmark
// therefore alternates the two sides for a few rounds of fixed-length
// attacks, swapping which goes first each round, and reports medians (b.N
// stays 1) with b.ReportMetric. Ratios are medians of each round's ratio:
// the two attacks of a round run back to back, so a burst of other work
// on the machine tends to hit both.

const (
	benchAttack = 700 * time.Millisecond
	benchRounds = 9
	benchFixed  = 5000 // requests per second for the fixed-rate comparison
	// benchFixedAttack is longer: a p99 of 10000 requests is the 100th
	// slowest, steady enough to compare to half a millisecond.
	benchFixedAttack = 2 * time.Second
)

// paired runs a and b once each, in the given order, and returns a's
// figure then b's.
func paired[T any](aFirst bool, a, b func() T) (T, T) {
	if aFirst {
		x := a()
		return x, b()
	}
	y := b()
	return a(), y
}

// median of a few figures.
func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// benchTarget is the embedded reference server with a pool of 16 files
// and the GET targets over them.
type benchTarget struct {
	s   *session
	scn scenario
	reg registry
	hc  *http.Client // for targets without a session
}

func (bt *benchTarget) client() *http.Client {
	if bt.s != nil {
		return bt.s.hc
	}
	if bt.hc == nil {
		bt.hc = newHTTPClient(DefaultWorkers, defaultTimeout, &conns{})
	}
	return bt.hc
}

func newBenchTarget(b *testing.B, validate Validation, dir string) *benchTarget {
	b.Helper()
	o := Options{Scenario: scenarioGet, Validate: validate, ReportDir: dir}.withDefaults()
	s, err := openSession(context.Background(), o)
	if err != nil {
		b.Fatal(err)
	}
	scn, reg, _, err := s.scenario(context.Background(), scenarioGet, DefaultPoolSize, false)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.close(context.Background()) })
	return &benchTarget{s: s, scn: scn, reg: reg}
}

// plainAttack is Vegeta as its command runs it (vegeta attack | tee
// results.bin | vegeta report): an attacker with capped workers and a
// results loop that writes the results file, when enc is set, and feeds
// vegeta.Metrics.
func plainAttack(bt *benchTarget, sched *schedule, d time.Duration, enc vegeta.Encoder) (vegeta.Metrics, vegeta.LatencyMetrics) {
	// The same client and worker settings as the engine, so that only what
	// happens to results differs.
	atk := vegeta.NewAttacker(vegeta.Client(bt.client()), vegeta.Workers(vegeta.DefaultWorkers), vegeta.MaxWorkers(DefaultWorkers))
	var du time.Duration
	if sched.unlimited {
		du = d
	}
	var m vegeta.Metrics
	var corrected vegeta.LatencyMetrics
	for r := range atk.Attack(bt.scn.targeter(), sched, du, "plain") {
		if enc != nil {
			_ = enc.Encode(r)
		}
		m.Add(r)
		corrected.Add(sched.corrected(r))
	}
	m.Close()
	return m, corrected
}

// withFile runs f with a results file in a fresh temporary directory, or
// with none.
func withFile[T any](b *testing.B, file bool, f func(vegeta.Encoder) T) T {
	if !file {
		return f(nil)
	}
	rw, err := createResults(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		if err := rw.close(); err != nil {
			b.Fatal(err)
		}
	}()
	return f(rw.enc)
}

// engineAttack is this package's measured attack: sink, results file (when
// file is set) and every response checked against the contract and for
// identity.
func engineAttack(b *testing.B, bt *benchTarget, spec attackSpec, file bool) summary {
	sm := withFile(b, file, func(enc vegeta.Encoder) summary {
		return bt.s.measure(context.Background(), spec, bt.scn, bt.reg, outputs{enc: enc}).summarize()
	})
	if sm.counts.Validated+sm.counts.Unvalidated == 0 || sm.counts.ContractViolations+sm.counts.IdentityMismatches > 0 {
		b.Fatalf("the engine checked nothing or found problems: %+v", sm.counts)
	}
	return sm
}

func plainRPS(b *testing.B, bt *benchTarget, file bool) float64 {
	return withFile(b, file, func(enc vegeta.Encoder) float64 {
		m, _ := plainAttack(bt, newSchedule(Rate{}, Ramp{}, 0, 0), benchAttack, enc)
		return achievedRate(&m)
	})
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// BenchmarkMaxRate: requests per second at full speed (50 workers), plain
// Vegeta without checks against this engine checking every response, on
// the same in-process reference server. Both write their results file
// (ratio = engine/plain); the -nofile figures leave the file out on both
// sides, which isolates the cost of the checks from the disk's.
func BenchmarkMaxRate(b *testing.B) {
	bt := newBenchTarget(b, validateAll, "")
	for b.Loop() {
		for _, file := range []bool{true, false} {
			var plain, engine, ratio, unchecked []float64
			for i := range benchRounds {
				p, e := paired(i%2 == 0,
					func() float64 { return plainRPS(b, bt, file) },
					func() float64 {
						sm := engineAttack(b, bt, attackSpec{name: "engine", duration: benchAttack}, file)
						unchecked = append(unchecked, float64(sm.counts.Unvalidated))
						return sm.achieved
					})
				plain, engine, ratio = append(plain, p), append(engine, e), append(ratio, e/p)
			}
			suffix := ""
			if !file {
				suffix = "-nofile"
			}
			b.ReportMetric(median(plain), "plain-rps"+suffix)
			b.ReportMetric(median(engine), "engine-rps"+suffix)
			b.ReportMetric(median(ratio), "ratio"+suffix)
			b.ReportMetric(median(unchecked), "unchecked"+suffix)
		}
	}
}

// BenchmarkFixedRate: at 5000/s, the achieved rate and p99 latency of plain
// Vegeta and of the checking engine, both writing their results file. p99
// is measured both from the actual send (Vegeta's) and from the scheduled
// send (what the thresholds use); both sides use the same schedule, so the
// figures compare like with like. The gaps are medians of each round's
// engine p99 minus plain p99.
func BenchmarkFixedRate(b *testing.B) {
	bt := newBenchTarget(b, validateAll, "")
	rate := perSec(benchFixed)
	for b.Loop() {
		var pRate, eRate, pP99, eP99, pSched, eSched, gap, schedGap []float64
		for i := range benchRounds {
			plainRun := func() [3]float64 {
				return withFile(b, true, func(enc vegeta.Encoder) [3]float64 {
					sched := newSchedule(rate, Ramp{}, benchFixedAttack, 0)
					m, corrected := plainAttack(bt, sched.withLimit(sched.planned(benchFixedAttack)), benchFixedAttack, enc)
					return [3]float64{achievedRate(&m), ms(m.Latencies.P99), ms(corrected.Quantile(0.99))}
				})
			}
			engineRun := func() [3]float64 {
				spec := attackSpec{name: "engine", rate: rate, duration: benchFixedAttack}
				spec.limit = spec.schedule().planned(benchFixedAttack)
				sm := engineAttack(b, bt, spec, true)
				return [3]float64{sm.achieved, ms(sm.service.P99), ms(sm.latency.P99)}
			}
			p, e := paired(i%2 == 0, plainRun, engineRun)
			pRate, pP99, pSched = append(pRate, p[0]), append(pP99, p[1]), append(pSched, p[2])
			eRate, eP99, eSched = append(eRate, e[0]), append(eP99, e[1]), append(eSched, e[2])
			gap, schedGap = append(gap, e[1]-p[1]), append(schedGap, e[2]-p[2])
		}
		b.ReportMetric(median(pRate), "plain-achieved-rps")
		b.ReportMetric(median(eRate), "engine-achieved-rps")
		b.ReportMetric(median(pP99), "plain-p99-ms")
		b.ReportMetric(median(eP99), "engine-p99-ms")
		b.ReportMetric(median(pSched), "plain-sched-p99-ms")
		b.ReportMetric(median(eSched), "engine-sched-p99-ms")
		b.ReportMetric(median(gap), "p99-gap-ms")
		b.ReportMetric(median(schedGap), "sched-p99-gap-ms")
	}
}

// withLimit is a copy of a fresh schedule with another limit.
func (s *schedule) withLimit(n uint64) *schedule {
	return &schedule{inner: s.inner, due: s.due, hits: s.hits, limit: n, unlimited: s.unlimited, halted: make(chan struct{})}
}

// BenchmarkServer: GET /media/{id} of the reference server against a
// minimal net/http handler that marshals a body of the same shape, both
// served on loopback and attacked by plain Vegeta at full speed.
// ratio = refserver/minimal.
func BenchmarkServer(b *testing.B) {
	bt := newBenchTarget(b, validateOff, "")
	sample := sampleBody(b, bt.scn.(*cycle).targets[0])
	// The minimal handler marshals a typed struct holding the same answer,
	// with the id of the request: what a hand-written JSON endpoint does.
	var tmpl minimalMedia
	raw, _ := json.Marshal(sample)
	if err := json.Unmarshal(raw, &tmpl); err != nil {
		b.Fatal(err)
	}
	minimal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m := tmpl
		m.ID, _ = strconv.ParseInt(r.URL.Path[len("/api/v1/media/"):], 10, 64)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(&m)
	}))
	defer minimal.Close()
	minimal2 := &benchTarget{scn: &cycle{}}
	minimalTargets := minimal2.scn.(*cycle)
	for _, t := range bt.scn.(*cycle).targets {
		t.URL = minimal.URL + "/api/v1/media/" + t.URL[len(bt.s.target.baseURL+"/media/"):]
		minimalTargets.targets = append(minimalTargets.targets, t)
	}
	for b.Loop() {
		var ref, small, ratio []float64
		for i := range benchRounds {
			r, m := paired(i%2 == 0,
				func() float64 { return plainRPS(b, bt, false) },
				func() float64 { return plainRPS(b, minimal2, false) })
			ref, small, ratio = append(ref, r), append(small, m), append(ratio, r/m)
		}
		b.ReportMetric(median(ref), "refserver-rps")
		b.ReportMetric(median(small), "minimal-rps")
		b.ReportMetric(median(ratio), "ratio")
	}
}

// minimalMedia is the body of GET /media/{id} as a plain struct.
type minimalMedia struct {
	ID           int64   `json:"id"`
	ExternalID   *string `json:"externalId"`
	Size         int64   `json:"size"`
	ContentType  string  `json:"contentType"`
	Optimization string  `json:"optimization"`
	Blurhash     string  `json:"blurhash"`
	OriginalURL  string  `json:"originalUrl"`
	Variants     []struct {
		URL         string `json:"url"`
		VariantSize string `json:"variantSize"`
		Size        int64  `json:"size"`
	} `json:"variants"`
}

// sampleBody is one GET answer of the reference server, decoded.
func sampleBody(b *testing.B, t vegeta.Target) map[string]any {
	req, err := t.Request()
	if err != nil {
		b.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		b.Fatalf("sample body: %v", err)
	}
	return body
}

// BenchmarkCheck: the cost of checking one response off the timing path,
// contract (with its verdict cache) and identity, for a repeated answer
// and for answers that all differ. internal/contract benchmarks the
// validator alone.
func BenchmarkCheck(b *testing.B) {
	doc, err := openapi.Load()
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"id":7,"externalId":"apt-7","size":245000,"contentType":"image/jpeg","optimization":"success",` +
		`"blurhash":"LEHV6nWB2yk8pyo0adR*.7kCMdnj","originalUrl":"http://h/storage/7/original.jpg","variants":[` +
		`{"url":"http://h/storage/7/128.webp","variantSize":"128","size":4074},` +
		`{"url":"http://h/storage/7/512.webp","variantSize":"512","size":24074},` +
		`{"url":"http://h/storage/7/1024.webp","variantSize":"1024","size":84074}]}`)
	header := http.Header{"Content-Type": {"application/json"}, "X-Ratelimit-Limit": {"300"},
		"X-Ratelimit-Remaining": {"299"}, "X-Ratelimit-Reset": {"1700000000"}}
	req := &request{op: opGet, id: 7, externalID: "apt-7", path: "/media/7",
		header: http.Header{"Authorization": {"ApiKey k"}}}
	for _, bc := range []struct {
		name     string
		distinct bool
	}{{"repeated", false}, {"distinct", true}} {
		b.Run(bc.name, func(b *testing.B) {
			c, err := contract.New(doc, contract.WithCache(verdictCache))
			if err != nil {
				b.Fatal(err)
			}
			v := &validation{checker: c, ops: map[operation]*counts{}, problems: newProblems()}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				r := &vegeta.Result{Method: "GET", Code: 200, Headers: header, Body: body}
				if bc.distinct {
					r.Body = bytes.Replace(body, []byte("245000"), []byte(strconv.Itoa(245000+i)), 1)
				}
				v.check(item{r: r, req: req})
				i++
			}
		})
	}
}

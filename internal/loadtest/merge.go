package loadtest

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// MergeOptions configure Merge.
type MergeOptions struct {
	// Inputs are shard report directories (…/load/get-s1of3) or their
	// results files; each needs its load.json beside the results.
	Inputs []string
	// OutDir receives the merged report; "": <rundir>/load/<scenario>,
	// next to the first input.
	OutDir    string
	SLOFile   string        // thresholds; "": the embedded slo.yaml
	Baseline  string        // an earlier load.json to compare with
	Tolerance float64       // allowed p95 growth; 0: none (the command's default is DefaultTolerance)
	minDelta  time.Duration // 0: 500µs
}

// Merge combines the results of shards that ran at the same time into one
// report and one threshold verdict: latency percentiles, the achieved rate
// and the status counts are recomputed from every shard's results (each
// with its own schedule, so latency still runs from the scheduled send
// time); the checks' counts, which are not in the results, are summed from
// the shards' load.json files.
func Merge(o MergeOptions) (*Report, error) {
	if len(o.Inputs) == 0 {
		return nil, usagef("merge: no inputs")
	}
	if o.minDelta == 0 {
		o.minDelta = defaultMinDelta
	}
	shards, err := readShards(o.Inputs)
	if err != nil {
		return nil, err
	}
	scenario := shards[0].report.Scenario
	slos, err := loadSLO(o.SLOFile)
	if err != nil {
		return nil, err
	}
	slo, ok := slos.forScenario(scenario)
	if !ok {
		return nil, usagef("%s has no thresholds for scenario %q and no default", slos.sourceName(), scenario)
	}
	results, err := loadResults(shards)
	if err != nil {
		return nil, err
	}
	out := o.OutDir
	if out == "" {
		out = filepath.Join(filepath.Dir(shards[0].dir), scenario)
	}
	for _, sh := range shards {
		if filepath.Clean(sh.dir) == filepath.Clean(out) {
			return nil, usagef("merge: the merged report would be written over the input %s; pass --out", sh.dir)
		}
	}
	r, err := mergeInto(out, shards, results, slo)
	if err != nil {
		return nil, err
	}
	r.SLOSource = slos.sourceName()
	if o.Baseline != "" {
		base, err := loadBaseline(o.Baseline, scenario)
		if err != nil {
			return nil, err
		}
		r.Baseline = compareBaseline(o.Baseline, base, r, o.Tolerance, o.minDelta)
	}
	return r, r.writeFiles(out, r.mergedPlot)
}

// shardInput is one shard's report and where it lives.
type shardInput struct {
	dir    string
	report *Report
	sched  *schedule
}

func readShards(inputs []string) ([]shardInput, error) {
	var shards []shardInput
	seen := map[Shard]string{}
	same := map[string]bool{} // a directory named twice (through reports/latest) counts once
	for _, in := range inputs {
		dir := in
		if fi, err := os.Stat(in); err == nil && !fi.IsDir() {
			dir = filepath.Dir(in)
		}
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			if same[real] {
				continue
			}
			same[real] = true
		}
		rep, err := readReport(filepath.Join(dir, reportFile))
		if err != nil {
			return nil, usagef("merge: %v", err)
		}
		if len(shards) > 0 {
			if err := sameRun(shards[0], dir, rep); err != nil {
				return nil, err
			}
		}
		if prev, dup := seen[rep.Shard]; dup && rep.Shard.active() {
			return nil, usagef("merge: %s and %s are both shard %s", prev, dir, rep.Shard)
		}
		seen[rep.Shard] = dir
		if len(rep.Schedules) != 1 || !rep.Schedules[0].valid() {
			return nil, usagef("merge: %s has no schedule to rebuild latency from (a merged report cannot be merged again)", dir)
		}
		shards = append(shards, shardInput{dir: dir, report: rep, sched: rep.Schedules[0].rebuild()})
	}
	return shards, nil
}

// sameRun refuses a shard that is not of the same run as first: another
// scenario, shard count, rate, ramp or length would make one verdict of
// two different loads.
func sameRun(first shardInput, dir string, rep *Report) error {
	f := first.report
	switch {
	case rep.Scenario != f.Scenario:
		return usagef("merge: %s is a %q run, %s a %q run", dir, rep.Scenario, first.dir, f.Scenario)
	case rep.Shard.N != f.Shard.N || rep.Rate != f.Rate || rep.Ramp != f.Ramp || rep.Duration != f.Duration:
		return usagef("merge: %s (%s) and %s (%s) ran different loads", dir, runShape(rep), first.dir, runShape(f))
	}
	return nil
}

// runShape describes a shard's load for an error message.
func runShape(r *Report) string {
	load := r.Rate
	if r.Ramp != "" {
		load = "ramp " + r.Ramp
	}
	return fmt.Sprintf("shard %s, %s for %s", r.Shard, load, r.Duration)
}

// loadResults reads every shard's results with the due-time corrections
// worked out, sorted by send time.
func loadResults(shards []shardInput) ([]item, error) {
	var items []item
	for _, sh := range shards {
		path := filepath.Join(sh.dir, resultsFile)
		f, err := os.Open(path)
		if err != nil {
			return nil, usagef("merge: %v", err)
		}
		err = decodeAll(f, func(r *vegeta.Result) {
			op := classify(r.Method, r.URL)
			items = append(items, item{r: r, req: &request{op: op, path: r.URL},
				corrected: sh.sched.corrected(r), lag: sh.sched.lag(r), outcome: outcomeOf(r, op)})
		})
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("merge: %s: %w", path, err)
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].r.Timestamp.Before(items[j].r.Timestamp) })
	return items, nil
}

func decodeAll(rd io.Reader, each func(*vegeta.Result)) error {
	dec := vegeta.NewDecoder(rd)
	for {
		var r vegeta.Result
		if err := dec.Decode(&r); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		each(&r)
	}
}

// mergeInto writes the merged results file and builds the merged report.
func mergeInto(out string, shards []shardInput, items []item, slo slo) (*Report, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	rw, err := createResults(out)
	if err != nil {
		return nil, err
	}
	scenario := shards[0].report.Scenario
	pl := newPlot("Latency from scheduled send: "+scenario+" (merged)", nil)
	sk := &sink{enc: rw.enc, plot: pl, problems: newProblems(), hist: vegetaHistogram(), ops: map[operation]*opTally{}}
	// One attack, numbered in send order, so vegeta plot and our plot read
	// the merged file as one attack.
	for i, it := range items {
		it.r.Attack, it.r.Seq = scenario, uint64(i)
		sk.add(it)
	}
	if err := rw.close(); err != nil {
		return nil, err
	}
	if sk.encErr != nil {
		return nil, sk.encErr
	}
	r := mergedReport(shards)
	sm := summary{counts: sk.counts, requested: r.Requested, planned: r.Planned, validated: r.Validation != "off"}
	sk.metrics.Close()
	sm.latency = latencyOf(&sk.latency, sk.counts.Requests)
	sm.service = latencyOf(&sk.metrics.Latencies, sk.counts.Requests)
	sm.lag = latencyOf(&sk.lag, sk.counts.Requests)
	// Each shard's achieved rate is measured over its own send times: over
	// the span of all of them, shards that started a second apart would
	// look like a generator falling behind.
	for _, sh := range shards {
		sm.achieved += sh.report.Achieved
	}
	sm.metrics, sm.hist = sk.metrics, sk.hist
	checks := map[operation]*counts{}
	for _, sh := range shards {
		sm.counts.add(checksOnly(sh.report.Counts))
		for _, op := range sh.report.Operations {
			c := checks[op.Operation]
			if c == nil {
				c = &counts{}
				checks[op.Operation] = c
			}
			c.add(checksOnly(op.Counts))
		}
	}
	for _, op := range sortedOps(sk.ops) {
		st := sk.ops[op].stats(op)
		addChecks(&st.Counts, checks[op], nil)
		sm.ops = append(sm.ops, st)
	}
	r.fill(sm, slo)
	r.mergedPlot = pl
	return r, nil
}

// checksOnly keeps the counts that come from the checks.
func checksOnly(c counts) counts {
	return counts{Validated: c.Validated, NotSampled: c.NotSampled, Unvalidated: c.Unvalidated,
		ContractViolations: c.ContractViolations, Drift: c.Drift, IdentityMismatches: c.IdentityMismatches}
}

// mergedReport is the part of the merged report taken from the shards.
func mergedReport(shards []shardInput) *Report {
	first := shards[0].report
	r := &Report{Scenario: first.Scenario, RunID: first.RunID, Shards: len(shards), Target: first.Target,
		Started: first.Started, Validation: first.Validation, Fixtures: fixtureSummary{Pools: map[string]int{}}}
	var lists [][]problem
	for _, sh := range shards {
		s := sh.report
		r.Requested += s.Requested
		r.Planned += s.Planned
		r.Duration = max(r.Duration, s.Duration)
		r.Warmup = max(r.Warmup, s.Warmup)
		if s.Started.Before(r.Started) {
			r.Started = s.Started
		}
		r.Interrupted = r.Interrupted || s.Interrupted
		if s.Aborted != "" && r.Aborted == "" {
			r.Aborted = fmt.Sprintf("shard %s: %s", s.Shard, s.Aborted)
		}
		r.Schedules = append(r.Schedules, s.Schedules...)
		lists = append(lists, s.Problems)
		addFixtures(&r.Fixtures, s.Fixtures)
		for _, n := range s.Notes {
			r.Notes = append(r.Notes, fmt.Sprintf("shard %s: %s", s.Shard, n))
		}
	}
	r.Problems = mergeProblems(lists...)
	if first.Ramp != "" {
		var from, to float64
		for _, sp := range r.Schedules {
			if sp.RampFrom != nil && sp.RampTo != nil {
				from, to = from+sp.RampFrom.PerSecond(), to+sp.RampTo.PerSecond()
			}
		}
		r.Ramp = formatRate(from) + ":" + formatRate(to)
	} else {
		r.Rate = formatRate(r.Requested)
	}
	if skew := startSkew(shards); skew > time.Second {
		r.Notes = append(r.Notes, fmt.Sprintf("the shards started up to %s apart: together they sent the sum of their rates only while all ran", skew.Round(time.Millisecond)))
	}
	if n := first.Shard.N; n > 1 && len(shards) < n {
		r.MissingShards = n - len(shards)
	}
	return r
}

// startSkew is the time between the first and the last shard's start.
func startSkew(shards []shardInput) time.Duration {
	first, last := shards[0].report.Started, shards[0].report.Started
	for _, sh := range shards[1:] {
		s := sh.report.Started
		if s.Before(first) {
			first = s
		}
		if s.After(last) {
			last = s
		}
	}
	return last.Sub(first)
}

func addFixtures(dst *fixtureSummary, f fixtureSummary) {
	for k, v := range f.Pools {
		dst.Pools[k] += v
	}
	dst.Created += f.Created
	dst.DeletedByScenario += f.DeletedByScenario
	dst.CleanedUp += f.CleanedUp
	if f.CleanupError != "" {
		dst.CleanupError = f.CleanupError
	}
}

func vegetaHistogram() vegeta.Histogram { return vegeta.Histogram{Buckets: histogramBuckets} }

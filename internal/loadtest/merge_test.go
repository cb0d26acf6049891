package loadtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// shardChildEnv makes the test binary run one shard and exit (see
// TestMain), so the shard test runs real separate processes.
const shardChildEnv = "LOADTEST_SHARD_CHILD"

type childSpec struct {
	Base, Shard, Dir, RunID, SLO string
	Rate                         int
}

func TestMain(m *testing.M) {
	if spec := os.Getenv(shardChildEnv); spec != "" {
		os.Exit(runShardChild(spec))
	}
	os.Exit(m.Run())
}

func runShardChild(spec string) int {
	var c childSpec
	if err := json.Unmarshal([]byte(spec), &c); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	sh, err := ParseShard(c.Shard)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	o := Options{Scenario: scenarioGet, Rate: perSec(c.Rate), Duration: time.Second, Shard: sh,
		ReportDir: c.Dir, RunID: c.RunID, SLOFile: c.SLO, prepared: shardEnv(c.Base, c.RunID, sh)}
	r, err := Run(context.Background(), o)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if !r.Passed() {
		return 1
	}
	return 0
}

// shardEnv gives each shard fixtures with its own prefix, as
// fixturePrefix does for real targets.
func shardEnv(base, runID string, sh Shard) *preparedTarget {
	return &preparedTarget{baseURL: base, header: http.Header{"Authorization": {"ApiKey test-key"}}, checker: &fakeChecker{},
		fixtures: newHTTPFixtures(base, "mh-"+runID+"-load-get-"+sh.tag()), loopback: true}
}

// Three shard processes at a third of 150/s each, then one merged verdict.
func TestMerge_ShardProcesses(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	base := api.start(t)
	dir, slo := t.TempDir(), writeSLO(t, lenientSLO)
	var wg sync.WaitGroup
	outputs := make([]string, 3)
	errs := make([]error, 3)
	for i := range 3 {
		spec, _ := json.Marshal(childSpec{Base: base, Shard: fmt.Sprintf("%d/3", i+1), Dir: dir, RunID: "r1", SLO: slo, Rate: 150})
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), shardChildEnv+"="+string(spec))
		wg.Go(func() {
			out, err := cmd.CombinedOutput()
			outputs[i], errs[i] = string(out), err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("shard %d/3: %v\n%s", i+1, err, outputs[i])
		}
	}
	inputs, _ := filepath.Glob(filepath.Join(dir, "load", "get-s*of3"))
	if len(inputs) != 3 {
		t.Fatalf("shard directories %v; want 3", inputs)
	}
	r, err := Merge(MergeOptions{Inputs: inputs, SLOFile: slo})
	if err != nil {
		t.Fatal(err)
	}
	if r.Shards != 3 || r.Counts.Requests != 150 || r.Counts.Validated != 150 || r.Requested != 150 || !r.Passed() {
		t.Errorf("merged: %d shards, %d requests, %d checked, %v/s requested, failures %v; want 3, 150, 150, 150/s, pass",
			r.Shards, r.Counts.Requests, r.Counts.Validated, r.Requested, r.Failures())
	}
	if want := filepath.Join(dir, "load", "get"); r.Dir != want {
		t.Errorf("merged report in %s, want %s", r.Dir, want)
	}
	if n := countResults(t, filepath.Join(r.Dir, resultsFile)); n != 150 {
		t.Errorf("merged results file holds %d results, want 150", n)
	}
	if r.Fixtures.Created != 48 || api.count() != 0 {
		t.Errorf("fixtures %+v, %d left on the target; want 3 pools of 16, all cleaned up", r.Fixtures, api.count())
	}
	if ids := api.uploaded(); len(ids) != 48 || !disjointShards(ids) {
		t.Errorf("uploaded external IDs %v; want 48, 16 per shard prefix", ids)
	}
	if !strings.Contains(readFile(t, filepath.Join(r.Dir, textFile)), "(3 shards merged)") {
		t.Error("the merged text report does not say it is merged")
	}
}

func disjointShards(ids []string) bool {
	per := map[string]int{}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			return false
		}
		seen[id] = true
		for _, tag := range []string{"s1of3", "s2of3", "s3of3"} {
			if strings.Contains(id, "-"+tag+"-") {
				per[tag]++
			}
		}
	}
	return per["s1of3"] == 16 && per["s2of3"] == 16 && per["s3of3"] == 16
}

// Shards in goroutines of one process (the fast variant): a problem in one
// shard fails the merged verdict.
func TestMerge_OneBadShardFailsTheVerdict(t *testing.T) {
	t.Parallel()
	good, bad := newFakeAPI(), newFakeAPI()
	bad.badBody = true
	dir, slo := t.TempDir(), writeSLO(t, lenientSLO)
	var wg sync.WaitGroup
	for i, api := range []*fakeAPI{good, bad} {
		sh := Shard{I: i + 1, N: 2}
		base := api.start(t)
		wg.Go(func() {
			o := Options{Scenario: scenarioGet, Rate: perSec(100), Duration: time.Second, Shard: sh,
				ReportDir: dir, RunID: "r2", SLOFile: slo, prepared: shardEnv(base, "r2", sh)}
			if _, err := Run(context.Background(), o); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	inputs, _ := filepath.Glob(filepath.Join(dir, "load", "get-s*of2"))
	r, err := Merge(MergeOptions{Inputs: inputs, SLOFile: slo, OutDir: filepath.Join(t.TempDir(), "merged")})
	if err != nil {
		t.Fatal(err)
	}
	if r.Counts.Requests != 100 || r.Counts.ContractViolations != 50 || r.Passed() {
		t.Errorf("merged: %d requests, %d violations, passed %v; want 100, 50, false", r.Counts.Requests, r.Counts.ContractViolations, r.Passed())
	}
	if got := failed(r.Thresholds); len(got) != 1 || got[0] != "contract violations" {
		t.Errorf("broken %v; want contract violations", got)
	}
}

// Shards that started apart each kept their rate: the merged rate is the
// sum of theirs, not the requests over the span of all of them.
func TestMerge_ShardsStartedApart(t *testing.T) {
	t.Parallel()
	api := newFakeAPI()
	base := api.start(t)
	dir, slo := t.TempDir(), writeSLO(t, lenientSLO)
	for i := range 2 { // one after the other: the second starts over a second after the first
		sh := Shard{I: i + 1, N: 2}
		o := Options{Scenario: scenarioGet, Rate: perSec(100), Duration: time.Second, Shard: sh,
			ReportDir: dir, RunID: "r3", SLOFile: slo, prepared: shardEnv(base, "r3", sh)}
		mustRun(t, o)
	}
	inputs, _ := filepath.Glob(filepath.Join(dir, "load", "get-s*of2"))
	r, err := Merge(MergeOptions{Inputs: inputs, SLOFile: slo, OutDir: filepath.Join(t.TempDir(), "merged")})
	if err != nil {
		t.Fatal(err)
	}
	if r.RateRatio < 0.95 || !r.Passed() || !strings.Contains(strings.Join(r.Notes, "\n"), "the shards started up to") {
		t.Errorf("merged: achieved %.1f/s of %.1f/s, failures %v, notes %q; want the shards' own rates summed and the skew noted",
			r.Achieved, r.Requested, r.Failures(), r.Notes)
	}

	// A shard missing (its pod failed): the merge fails, whatever the figures.
	one, err := Merge(MergeOptions{Inputs: inputs[:1], SLOFile: slo, OutDir: filepath.Join(t.TempDir(), "partial")})
	if err != nil {
		t.Fatal(err)
	}
	if one.Passed() || !strings.Contains(strings.Join(one.Failures(), "\n"), "1 of the run's 2 shards were not merged") {
		t.Errorf("one of two shards: passed %v, failures %q; want a failure naming the missing shard", one.Passed(), one.Failures())
	}
}

func TestMerge_Refusals(t *testing.T) {
	t.Parallel()
	if _, err := Merge(MergeOptions{}); !errors.Is(err, ErrUsage) {
		t.Errorf("no inputs: %v", err)
	}
	if _, err := Merge(MergeOptions{Inputs: []string{t.TempDir()}}); !errors.Is(err, ErrUsage) {
		t.Errorf("a directory without load.json: %v", err)
	}
	dir := t.TempDir()
	for _, sc := range []string{"get", "link"} {
		sub := filepath.Join(dir, sc)
		_ = os.MkdirAll(sub, 0o755)
		data, _ := json.Marshal(Report{Scenario: sc, Schedules: []scheduleSpec{{Freq: 1, Per: time.Second}}})
		_ = os.WriteFile(filepath.Join(sub, reportFile), data, 0o644)
	}
	if _, err := Merge(MergeOptions{Inputs: []string{filepath.Join(dir, "get"), filepath.Join(dir, "link")}}); !errors.Is(err, ErrUsage) {
		t.Errorf("two scenarios: %v; want a usage error", err)
	}
	other := t.TempDir()
	for i, d := range []time.Duration{time.Second, 2 * time.Second} {
		sub := filepath.Join(other, fmt.Sprint(i))
		_ = os.MkdirAll(sub, 0o755)
		data, _ := json.Marshal(Report{Scenario: "get", Shard: Shard{I: i + 1, N: 2}, Rate: "50/s", Duration: d,
			Schedules: []scheduleSpec{{Freq: 50, Per: time.Second}}})
		_ = os.WriteFile(filepath.Join(sub, reportFile), data, 0o644)
	}
	if _, err := Merge(MergeOptions{Inputs: []string{filepath.Join(other, "0"), filepath.Join(other, "1")}}); !errors.Is(err, ErrUsage) ||
		!strings.Contains(err.Error(), "ran different loads") {
		t.Errorf("shards of 1s and 2s: %v; want a usage error", err)
	}
}

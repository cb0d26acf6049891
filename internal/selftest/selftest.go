// Package selftest proves the harness: it runs the conformance suite (and,
// for the faults that only show under load, a short load scenario) against
// the clean reference server and against the server with each deliberate
// bug of the reference server (target.Faults) switched on, one at a time. The clean server must
// pass with no false alarm and every fault must be caught; the score and a
// table of what caught each fault go to reports/<run-id>/mutation.md.
//
// Each fault is tested until something catches it: a load-only fault's
// load probe first, then the suite, which stops at its first failed
// scenario. One catch is proof enough, and it keeps a run of every fault to
// a few minutes.
//
// Example:
//
//	res, err := selftest.Run(ctx, selftest.Options{Fast: true})
//	if err != nil { ... } // a configuration problem: exit 2
//	if !res.Passed() { os.Exit(1) }
package selftest

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"

	"github.com/rentix/mediaharness/internal/report"
	"github.com/rentix/mediaharness/internal/rundir"
	"github.com/rentix/mediaharness/internal/target"
)

// File and directory names in the run directory.
const (
	MarkdownFile = "mutation.md"
	JSONFile     = "mutation.json"
	RunsDir      = "mutation" // mutation/<fault>/ holds the reports of each fault's suite
	CleanRun     = "clean"    // mutation/clean/ holds the clean server's
	ProbesDir    = "probes"   // mutation/probes/<fault>/load/ holds the load probes'
)

// Run tests the clean server and each selected fault, writes mutation.md
// and mutation.json into reports/<run id>/ and prints the table. An error
// means the self-test could not run (exit 2); what it found is in Result.
func Run(ctx context.Context, o Options) (*Result, error) {
	o = o.withDefaults()
	if err := o.validate(); err != nil {
		return nil, err
	}
	faults, _ := selectFaults(o.Faults, o.Fast)
	dir, err := rundir.Create(o.ReportDir, o.RunID)
	if err != nil {
		return nil, err
	}
	t := &tester{o: o, runs: filepath.Join(dir, RunsDir)}
	for _, f := range faults {
		t.explore = t.explore || exploreCatches(f.Name)
	}
	if err := t.saveSLO(); err != nil {
		return nil, err
	}
	started := time.Now()
	res := &Result{RunID: o.RunID, Dir: dir, Fast: o.Fast && len(o.Faults) == 0, EveryScenario: o.EveryScenario}
	res.Clean, res.Faults = t.testAll(ctx, faults)
	if why := res.Clean.Suite.Refused; why != "" {
		// Then every fault's run was refused too: none of it means anything.
		return nil, fmt.Errorf("the suite cannot run against the clean reference server: %s", why)
	}
	res.Duration = report.Duration(time.Since(started))
	res.Interrupted = ctx.Err() != nil
	if err := res.write(dir); err != nil {
		return nil, err
	}
	fmt.Fprintln(o.Stdout)
	_, _ = io.WriteString(o.Stdout, res.Markdown())
	if res.EveryScenario {
		fmt.Fprintf(o.Stdout, "\n%s\n", res.BrokenLine())
	}
	fmt.Fprintf(o.Stdout, "\nreport: %s\n", filepath.Join(dir, MarkdownFile))
	return res, nil
}

// tester runs the suites and load probes of one self-test.
type tester struct {
	o    Options
	runs string // reports/<run id>/mutation
	slo  string // the load probe's thresholds, saved in runs

	// explore: some selected fault is caught by explore, so the clean
	// server must pass explore too.
	explore bool

	mu sync.Mutex // serializes progress lines
}

// testAll tests the clean server and every fault. First the load probes,
// one at a time, since they measure latency and nothing else may compete
// for the CPU: the clean server's, then each load-only fault's. Then the
// suites, o.Concurrency at a time, the clean one first, except for a
// load-only fault its probe already caught: one catch is proof enough
// (with o.EveryScenario every suite runs, to see what each one breaks).
func (t *tester) testAll(ctx context.Context, faults []target.Fault) (Outcome, []Outcome) {
	jobs := append([]target.Fault{{Name: CleanRun}}, faults...)
	out := make([]Outcome, len(jobs))
	for i, f := range jobs {
		out[i] = Outcome{Fault: f.Name, Area: f.Area, LoadOnly: f.LoadOnly}
		if f.Name == CleanRun || f.LoadOnly {
			t.probeLoad(ctx, &out[i])
		}
	}
	var suites []int
	for i := range jobs {
		if !out[i].LoadOnly || !out[i].Load.failed() || t.o.EveryScenario {
			suites = append(suites, i)
		}
	}
	t.runSuites(ctx, out, suites)
	return out[0], out[1:]
}

// runSuites runs the suites of out[i] for each i of which, o.Concurrency
// at a time.
func (t *tester) runSuites(ctx context.Context, out []Outcome, which []int) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(t.o.Concurrency, len(which)) {
		wg.Go(func() {
			for i := range next {
				t.test(ctx, &out[i])
				t.progress(out[i])
			}
		})
	}
	for _, i := range which {
		next <- i
	}
	close(next)
	wg.Wait()
}

// test runs the suite against one server, clean or with one fault.
func (t *tester) test(ctx context.Context, o *Outcome) {
	if ctx.Err() != nil {
		o.Suite.NotRun = true
		return
	}
	started := time.Now()
	switch {
	case exploreCatches(o.Fault):
		o.Suite = t.runExplore(ctx, o.Fault)
	case o.Fault == CleanRun && t.explore:
		o.Suite = mergeExplore(t.runSuite(ctx, o.Fault), t.runExplore(ctx, o.Fault))
	default:
		o.Suite = t.runSuite(ctx, o.Fault)
	}
	o.Duration += report.Duration(time.Since(started))
}

func (t *tester) progress(o Outcome) {
	word := "passed"
	if o.Suite.failed() {
		word = "failed: " + o.Suite.first()
	}
	t.printf("%-32s suite %s (%s)\n", o.Fault, word, o.Duration)
}

// printf prints one progress line; runs end in parallel.
func (t *tester) printf(format string, a ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(t.o.Stdout, format, a...)
}

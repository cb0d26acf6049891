package selftest

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/rentix/mediaharness/internal/loadtest"
	"github.com/rentix/mediaharness/internal/report"
)

// The load probe: a short run of the get scenario against its own reference
// server, judged by probe-slo.yaml. Every load-only fault with a threshold
// to break touches GET /media/{id}.
const (
	DefaultLoadDuration = 2 * time.Second
	loadScenario        = "get"
	// ProbeSLOFile is probe-slo.yaml as the self-test saves it beside the
	// probes' reports, for loadtest to read and a reader to check.
	ProbeSLOFile = "probe-slo.yaml"
)

// probeSLO holds the probe's thresholds: wide enough for a busy host under
// the race detector, narrow enough for each load-only fault's mark.
//
//go:embed probe-slo.yaml
var probeSLO []byte

// DefaultLoadRate is fast enough for requests to overlap often (the faults
// in shared state need that) and slow enough for a two-core machine, under
// the race detector too, to keep the latency thresholds.
var DefaultLoadRate = loadtest.Rate{Freq: 200, Per: time.Second}

// probeLoad runs the load probe against a server with o's fault (none for
// the clean server) and records the thresholds it broke. An interrupted
// probe measured nothing and records nothing.
func (t *tester) probeLoad(ctx context.Context, o *Outcome) {
	if ctx.Err() != nil {
		return
	}
	started := time.Now()
	lr := t.runProbe(ctx, o.Fault)
	o.Duration += report.Duration(time.Since(started))
	if ctx.Err() != nil {
		return
	}
	o.Load = lr
	word := "kept every threshold"
	switch {
	case lr.Error != "":
		word = "failed: " + lr.Error
	case lr.failed():
		word = fmt.Sprintf("broke %d threshold(s)", len(lr.Failures))
	}
	t.printf("%-32s load %s at %s %s (%s)\n", o.Fault, loadScenario, t.o.LoadRate, word, time.Since(started).Round(100*time.Millisecond))
}

// runProbe starts a server for the fault and attacks it.
func (t *tester) runProbe(ctx context.Context, fault string) *LoadResult {
	lr := &LoadResult{Scenario: loadScenario, Rate: t.o.LoadRate.String()}
	var faults []string
	if fault != CleanRun {
		faults = []string{fault}
	}
	rep, err := loadtest.Run(ctx, loadtest.Options{
		Scenario: loadScenario, Rate: t.o.LoadRate, Duration: t.o.LoadDuration,
		ReportDir: filepath.Join(t.runs, ProbesDir, fault), Faults: faults, SLOFile: t.slo,
	})
	if rep != nil {
		lr.Dir, lr.Failures = rep.Dir, rep.Failures()
	}
	if err != nil {
		lr.Error = errorHeadline(err)
	}
	return lr
}

// saveSLO writes the probe's thresholds where the probes' reports go.
func (t *tester) saveSLO() error {
	if err := os.MkdirAll(t.runs, 0o755); err != nil {
		return err
	}
	t.slo = filepath.Join(t.runs, ProbeSLOFile)
	return os.WriteFile(t.slo, probeSLO, 0o644)
}

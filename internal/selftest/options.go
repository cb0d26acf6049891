package selftest

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/rentix/mediaharness/internal/loadtest"
	"github.com/rentix/mediaharness/internal/rundir"
	"github.com/rentix/mediaharness/internal/target"
)

// Defaults for the zero values of Options.
const (
	DefaultReportDir = "reports"
	// DefaultConcurrency: a suite spends most of its time waiting for the
	// server's optimization and pauses, so more run at once than there are
	// cores; under the race detector they are CPU-bound, and 2 does as well.
	DefaultConcurrency = 4
	// MaxConcurrency bounds the servers and suites running at once.
	MaxConcurrency = 16
)

// Options configure one self-test; the command binds its flags into it.
type Options struct {
	Faults []string // faults to test; empty: every fault (or the fast subset)
	// Fast tests FastFaults instead of every fault (when Faults is empty).
	Fast bool
	// EveryScenario runs each fault's suite to the end, even a load-only
	// fault's its probe caught, so the report can list the scenarios that no
	// fault makes fail. It takes longer and changes no verdict.
	EveryScenario bool
	// Concurrency is how many faults are tested at once; 0 means
	// DefaultConcurrency.
	Concurrency int
	// LoadDuration is the length of each load probe; 0 means 2s.
	LoadDuration time.Duration
	// LoadRate is the load probes' rate; zero means DefaultLoadRate.
	LoadRate  loadtest.Rate
	ReportDir string    // reports/<run id>/ goes here; default "reports"
	RunID     string    // default rundir.NewRunID()
	Stdout    io.Writer // a line per fault as it ends, then the table
}

func (o Options) withDefaults() Options {
	if o.Concurrency == 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.LoadDuration == 0 {
		o.LoadDuration = DefaultLoadDuration
	}
	if o.LoadRate.IsZero() {
		o.LoadRate = DefaultLoadRate
	}
	if o.ReportDir == "" {
		o.ReportDir = DefaultReportDir
	}
	if o.RunID == "" {
		o.RunID = rundir.NewRunID()
	}
	if o.Stdout == nil {
		o.Stdout = io.Discard
	}
	return o
}

// validate reports every problem with the options at once.
func (o Options) validate() error {
	var errs []error
	if o.Concurrency < 1 || o.Concurrency > MaxConcurrency {
		errs = append(errs, fmt.Errorf("--concurrency %d: want 1 to %d", o.Concurrency, MaxConcurrency))
	}
	if o.LoadDuration < 0 {
		errs = append(errs, fmt.Errorf("--load-duration must not be negative, got %v", o.LoadDuration))
	}
	if err := rundir.CheckRunID(o.RunID); err != nil {
		errs = append(errs, fmt.Errorf("run id %q: must be one plain path element", o.RunID))
	}
	if _, err := selectFaults(o.Faults, o.Fast); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// selectFaults resolves the requested names against the catalogue, in
// catalogue order; no names means every fault, or the fast subset.
func selectFaults(names []string, fast bool) ([]target.Fault, error) {
	all := target.Faults()
	if len(names) == 0 && fast {
		names = FastFaults
	}
	if len(names) == 0 {
		return all, nil
	}
	want := map[string]bool{}
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			want[n] = true
		}
	}
	var out []target.Fault
	for _, f := range all {
		if want[f.Name] {
			out = append(out, f)
			delete(want, f.Name)
		}
	}
	if len(want) > 0 {
		unknown := make([]string, 0, len(want))
		for n := range want {
			unknown = append(unknown, n)
		}
		slices.Sort(unknown)
		return nil, fmt.Errorf("--fault: unknown fault %s (mediaharness serve --list-faults lists them)", strings.Join(unknown, ", "))
	}
	if len(out) == 0 {
		return nil, errors.New("--fault: no fault named")
	}
	return out, nil
}

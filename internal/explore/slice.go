package explore

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/runfiles"
)

// Slice is a bounded exploration inside another run (the conformance
// suite's @explore scenario): it borrows the run's client, fixtures
// manager and keys, so its files go into that run's ledger and cleanup.
type Slice struct {
	Client   *client.Client
	Fixtures *runfiles.Manager
	Keys     map[string]string // agency labels to keys; needs primary and other
	Source   string            // an image URL the target can download
	Seed     int64             // 0 means 1
	Budget   int               // requests; 0 means DefaultSliceBudget
}

// DefaultSliceBudget keeps the slice to seconds at a remote run's pace.
const DefaultSliceBudget = 60

// RunSlice sends a seeded sample of the generated inputs (and, budget
// left, sequences) and returns what it found. An error means it could not
// start.
func RunSlice(ctx context.Context, s Slice) ([]Finding, error) {
	if s.Client == nil || s.Fixtures == nil || s.Keys[config.Primary] == "" || s.Keys[config.Other] == "" || s.Source == "" {
		return nil, errors.New("explore: a slice needs a client, a fixtures manager, the primary and other keys and a source URL")
	}
	o := Options{Seed: s.Seed, Budget: s.Budget, Stdout: io.Discard, Stderr: io.Discard, RunID: "slice"}
	if o.Budget == 0 {
		o.Budget = DefaultSliceBudget
	}
	o = o.withDefaults()
	spec, err := loadSpec("")
	if err != nil {
		return nil, err
	}
	e := &explorer{o: o, doc: newContractDoc(spec), target: config.Target{}.WithKeys(s.Keys),
		base: s.Client.BaseURL(), c: s.Client, mgr: s.Fixtures, source: s.Source, table: newClassTable(),
		rng: newRand(o.Seed), prefix: s.Fixtures.NextExternalID()}
	e.start = e.spent()
	if err := e.prepareFixtures(ctx); err != nil {
		return nil, fmt.Errorf("explore: %s", e.redact(err.Error()))
	}
	e.exploreSample(ctx)
	e.exploreSequences(ctx)
	return e.findings, nil
}

// exploreSample sends the generated inputs in an order the seed shuffles,
// so that slices of successive runs cover different inputs.
func (e *explorer) exploreSample(ctx context.Context) {
	var all []probe
	for _, op := range e.doc.ops {
		all = append(all, e.probes(op)...)
	}
	e.rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	for _, p := range all {
		if ctx.Err() != nil || e.left() <= e.o.Budget/3 { // the rest is for a sequence
			return
		}
		e.try(ctx, p)
	}
}

package explore

import (
	"errors"
	"fmt"
	"github.com/rentix/mediaharness/internal/target"
	"io"

	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/rundir"
)

// Defaults for the zero values of Options.
const (
	// DefaultBudget is enough for every input class of every operation,
	// the scripted sequences and a few random ones: about 100 s at the pace
	// of a remote run (4 requests a second, under the documented 300 a
	// minute), a few seconds against the embedded server.
	DefaultBudget = 400
	// MinBudget is what the input phase and one sequence need at least.
	MinBudget        = 20
	DefaultReportDir = "reports"
)

// Options configure one exploration; the CLI binds its flags into it.
type Options struct {
	Target config.Target
	// Seed decides every generated input and sequence; 0 means 1.
	Seed int64
	// Budget is the most requests the exploration sends (cleanup aside).
	Budget int
	// SpecFile replaces the embedded contract with an OpenAPI file.
	SpecFile  string
	ReportDir string // reports/<run id>/ goes here
	RunID     string
	// Faults switch deliberate bugs on in the embedded reference server.
	Faults []string
	// NoSequences leaves the model-based sequences out (inputs only);
	// NoInputs leaves the generated inputs out (sequences only).
	NoSequences, NoInputs bool
	// Stdout gets progress and the console summary; Stderr, warnings.
	Stdout, Stderr io.Writer
}

func (o Options) withDefaults() Options {
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Budget == 0 {
		o.Budget = DefaultBudget
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
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
	return o
}

// validate reports every problem at once, one line each, never a key.
func (o Options) validate() error {
	errs := []error{o.Target.Validate()}
	if o.Budget < MinBudget {
		errs = append(errs, fmt.Errorf("--budget %d: want at least %d requests", o.Budget, MinBudget))
	}
	errs = append(errs, target.CheckFaults(o.Target, o.Faults))
	if !o.Target.Embedded() && o.Target.OtherAPIKey == "" {
		errs = append(errs, errors.New("--other-api-key (or RENTIX_OTHER_API_KEY) is required: explore checks what one agency sees of another's files and jobs"))
	}
	if o.Target.IsProduction() && !o.Target.AllowProduction {
		errs = append(errs, fmt.Errorf("refusing to explore production (%s): it creates, links and deletes files; pass --allow-production", config.ProductionHost))
	}
	if err := rundir.CheckRunID(o.RunID); err != nil {
		errs = append(errs, fmt.Errorf("run id %q: must be one plain path element", o.RunID))
	}
	return errors.Join(errs...)
}

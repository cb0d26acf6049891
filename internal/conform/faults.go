package conform

import (
	"errors"

	"github.com/rentix/mediaharness/internal/target"
)

// The suite proves itself by running against the embedded reference server
// with one deliberate bug switched on (Options.Faults): a suite that still
// passes has a blind spot.

// errFaultsNeedEmbedded: faults live in the reference server, not in a target.
var errFaultsNeedEmbedded = errors.New("faults can only be switched on in the embedded reference server: leave the base URL empty")

// embedded is the embedded server's configuration for this run.
func (o Options) embedded() target.Embedded {
	return target.Quick(o.Faults)
}

// checkFaults refuses faults for a target the harness does not run itself;
// unknown fault names are refused when the server starts.
func (o Options) checkFaults() error {
	if len(o.Faults) > 0 && !o.Target.Embedded() {
		return errFaultsNeedEmbedded
	}
	return nil
}

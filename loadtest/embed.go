// Package loadtest holds the definitions of the load scenarios that ship with
// the harness: slo.yaml, the default thresholds of `mediaharness load` and
// `mediaharness capacity`. The engine that runs the scenarios is
// internal/loadtest; README.md here says what each scenario sends.
package loadtest

import _ "embed"

// SLO is slo.yaml: per-scenario thresholds that the embedded reference server
// meets on a two-core machine.
//
//go:embed slo.yaml
var SLO []byte

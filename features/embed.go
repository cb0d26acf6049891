// Package features holds the Gherkin description of the Rentix Media API that
// the conformance suite runs: one file per capability, written as living
// documentation of what the API promises. Scenarios tagged @inferred rest on
// this project's reading of where the public docs are silent.
package features

import "embed"

// FS holds every feature file, so the suite runs from the binary alone. Run
// it with godog.Options{FS: FS, Paths: []string{"."}}: without Paths godog
// looks for a "features" folder inside FS and, finding none, runs nothing.
//
//go:embed *.feature
var FS embed.FS

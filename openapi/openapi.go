// Package openapi holds the contract of the Rentix Media API (rentix-media.yaml,
// OpenAPI 3.0.3) and loads it. Expectations the public docs do not state are
// marked x-inferred in the document, so a run can tell "documented behaviour
// broken" from "our reading of the docs turned out different".
package openapi

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// SpecName is the file name of the embedded contract, used in error messages.
const SpecName = "rentix-media.yaml"

// Spec is the embedded contract.
//
//go:embed rentix-media.yaml
var Spec []byte

// Load parses and validates the embedded contract.
func Load() (*openapi3.T, error) {
	return parse(SpecName, Spec)
}

// LoadFile parses and validates the contract at path (to test a target against
// an edited copy of the contract without rebuilding).
func LoadFile(path string) (*openapi3.T, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("openapi: %s", oneLine(err.Error()))
	}
	return parse(path, data)
}

// Parse parses and validates a contract given as YAML or JSON.
func Parse(data []byte) (*openapi3.T, error) {
	return parse("document", data)
}

func parse(name string, data []byte) (*openapi3.T, error) {
	DefineFormats()
	loader := openapi3.NewLoader()
	// The contract is one self-contained file: no external references.
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("openapi: %s: load: %s", name, oneLine(err.Error()))
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi: %s: invalid: %s", name, oneLine(err.Error()))
	}
	return doc, nil
}

// oneLine folds a possibly multi-line error text (YAML errors, schema dumps)
// into one line, so it reads well in logs and reports.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

package cli

import (
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/rentix/mediaharness/openapi"
)

// loadSpec loads the contract: the embedded one, or a file given with --spec.
// Any problem with it is a configuration error.
func loadSpec(file string) (*openapi3.T, error) {
	load := openapi.Load
	if file != "" {
		load = func() (*openapi3.T, error) { return openapi.LoadFile(file) }
	}
	doc, err := load()
	if err != nil {
		return nil, usageError(err)
	}
	return doc, nil
}

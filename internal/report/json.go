package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ResultsFile is the name of the machine-readable results in a run dir.
const ResultsFile = "results.json"

// WriteJSON writes v as indented JSON. HTML characters are not escaped, so
// evidence stays readable ("<" rather than "\u003c").
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// WriteResults writes the summary as results.json content.
func WriteResults(w io.Writer, s Summary) error {
	s.Version = Version
	return WriteJSON(w, s)
}

// WriteCoverageJSON writes coverage.json: the operation × status matrix.
func WriteCoverageJSON(w io.Writer, s Summary) error {
	return WriteJSON(w, struct {
		RunID      string              `json:"runId"`
		Operations []OperationCoverage `json:"operations"`
	}{s.RunID, nonNil(s.Coverage)})
}

// WriteDriftJSON writes drift.json: every distinct piece of drift seen.
func WriteDriftJSON(w io.Writer, s Summary) error {
	return WriteJSON(w, struct {
		RunID    string      `json:"runId"`
		Strict   bool        `json:"strict"`
		Findings []DriftItem `json:"findings"`
	}{s.RunID, s.Strict, nonNil(s.Drift)})
}

// ReadResults parses results.json content.
func ReadResults(r io.Reader) (*Summary, error) {
	var s Summary
	dec := json.NewDecoder(r)
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	if s.Version != Version {
		return nil, fmt.Errorf("results: version %d, want %d", s.Version, Version)
	}
	return &s, nil
}

// LoadResults reads a run's results from a run directory or a results.json path.
func LoadResults(path string) (*Summary, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, ResultsFile)
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("results: %s does not exist", path)
	}
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	defer f.Close()
	s, err := ReadResults(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// nonNil makes empty lists "[]" rather than "null" in JSON.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

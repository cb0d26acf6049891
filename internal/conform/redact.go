package conform

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/rentix/mediaharness/internal/redact"
)

// redactor removes API keys (and a base URL's password) from text in every
// form package redact knows. The client redacts its evidence already; this
// is the second line, applied to everything the run writes or prints.
type redactor struct{ r *redact.Redactor }

func newRedactor(secrets []string) redactor { return redactor{redact.New(secrets...)} }

func (r redactor) String(s string) string { return r.r.String(s) }

// file rewrites a file in place if it holds a secret.
func (r redactor) file(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	clean := r.r.String(string(data))
	if clean == string(data) {
		return nil
	}
	return os.WriteFile(path, []byte(clean), 0o644)
}

// dir redacts every regular file directly in dir.
func (r redactor) dir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Type().IsRegular() {
			if err := r.file(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// lineWriter redacts what is written to it a line at a time, so a key split
// across two writes is still caught. Flush writes a last partial line.
type lineWriter struct {
	mu  sync.Mutex
	out io.Writer
	red redactor
	buf []byte
}

func newLineWriter(out io.Writer, red redactor) *lineWriter {
	return &lineWriter{out: out, red: red}
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	i := bytes.LastIndexByte(w.buf, '\n')
	if i < 0 {
		return len(p), nil
	}
	_, err := io.WriteString(w.out, w.red.String(string(w.buf[:i+1])))
	w.buf = append(w.buf[:0], w.buf[i+1:]...)
	return len(p), err
}

// Flush writes whatever is left after the last newline.
func (w *lineWriter) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) == 0 {
		return nil
	}
	_, err := io.WriteString(w.out, w.red.String(string(w.buf)))
	w.buf = w.buf[:0]
	return err
}

// cucumber redacts the attachments of a cucumber.json file: godog stores
// them base64-encoded, where a plain text search cannot see a key.
func (r redactor) cucumber(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	if !r.embeddings(doc) {
		return nil
	}
	out, err := json.MarshalIndent(doc, "", "    ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}

// embeddings redacts every "embeddings": [{"data": <base64>}] under v and
// reports whether anything changed.
func (r redactor) embeddings(v any) bool {
	changed := false
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			changed = r.embeddings(e) || changed
		}
	case map[string]any:
		if list, ok := v["embeddings"].([]any); ok {
			for _, e := range list {
				changed = r.embedding(e) || changed
			}
		}
		for k, e := range v {
			if k != "embeddings" {
				changed = r.embeddings(e) || changed
			}
		}
	}
	return changed
}

func (r redactor) embedding(e any) bool {
	m, ok := e.(map[string]any)
	if !ok {
		return false
	}
	s, _ := m["data"].(string)
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return false
	}
	clean := r.r.String(string(raw))
	if clean == string(raw) {
		return false
	}
	m["data"] = base64.StdEncoding.EncodeToString([]byte(clean))
	return true
}

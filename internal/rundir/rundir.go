// Package rundir creates the directory a run writes its reports into,
// reports/<run-id>/, and keeps reports/latest pointing at the newest one.
package rundir

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Latest is the name of the symlink that points at the newest run directory.
const Latest = "latest"

// ErrBadRunID: a run ID must be one plain path element.
var ErrBadRunID = errors.New("rundir: bad run id")

// NewRunID returns a sortable, practically unique run ID such as
// "20261128-184105-3fa2": the UTC time to the second and 4 random hex digits.
func NewRunID() string {
	return newRunID(time.Now())
}

func newRunID(now time.Time) string {
	var b [2]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return now.UTC().Format("20060102-150405") + "-" + hex.EncodeToString(b[:])
}

// Create makes base/runID (base is created if missing; the run directory
// itself must not exist yet, so two runs never share one) and points
// base/latest at it. The link is relative, so a copied or archived reports
// folder stays consistent, and it is replaced atomically: a reader sees the
// old run or the new one, never a missing link.
func Create(base, runID string) (dir string, err error) {
	if err := CheckRunID(runID); err != nil {
		return "", err
	}
	if err := os.MkdirAll(base, 0o755); err != nil {
		return "", fmt.Errorf("rundir: %w", err)
	}
	dir = filepath.Join(base, runID)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return "", fmt.Errorf("rundir: %w", err)
	}
	if err := pointLatest(base, runID); err != nil {
		return dir, err
	}
	return dir, nil
}

// CheckRunID reports whether id can name a run directory: one plain path
// element, not hidden, not "latest".
func CheckRunID(id string) error {
	switch {
	case id == "", id == ".", id == "..", id == Latest,
		strings.ContainsAny(id, `/\`), strings.HasPrefix(id, "."):
		return fmt.Errorf("%w: %q", ErrBadRunID, id)
	}
	return nil
}

// pointLatest makes a symlink under a temporary name and renames it over
// base/latest: rename(2) replaces the old link in one step.
func pointLatest(base, runID string) error {
	var b [6]byte
	_, _ = rand.Read(b[:])
	tmp := filepath.Join(base, ".latest-"+hex.EncodeToString(b[:]))
	if err := os.Symlink(runID, tmp); err != nil {
		return fmt.Errorf("rundir: link %s: %w", Latest, err)
	}
	if err := os.Rename(tmp, filepath.Join(base, Latest)); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("rundir: link %s: %w", Latest, err)
	}
	return nil
}

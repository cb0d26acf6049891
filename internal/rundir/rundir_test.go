package rundir

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"
)

func TestNewRunID_Format(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 28, 20, 41, 5, 0, time.FixedZone("EET", 2*3600))
	id := newRunID(at)
	if !regexp.MustCompile(`^20261128-184105-[0-9a-f]{4}$`).MatchString(id) {
		t.Errorf("newRunID(%v) = %q, want 20261128-184105-xxxx (UTC)", at, id)
	}
	if id := NewRunID(); !regexp.MustCompile(`^\d{8}-\d{6}-[0-9a-f]{4}$`).MatchString(id) {
		t.Errorf("NewRunID() = %q, want yyyymmdd-hhmmss-xxxx", id)
	}
}

func TestCreate_MakesDirAndLatest(t *testing.T) {
	t.Parallel()
	base := filepath.Join(t.TempDir(), "reports")
	for _, id := range []string{"20260101-000000-aaaa", "20260101-000001-bbbb"} {
		dir, err := Create(base, id)
		if err != nil {
			t.Fatalf("Create(%q): %v", id, err)
		}
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			t.Fatalf("Create(%q): %s is not a directory (%v)", id, dir, err)
		}
		link, err := os.Readlink(filepath.Join(base, Latest))
		if err != nil || link != id {
			t.Fatalf("after Create(%q): latest -> %q (%v), want %q", id, link, err, id)
		}
	}
	// The latest link resolves to the newest run and no temporary links remain.
	if err := os.WriteFile(filepath.Join(base, Latest, "x"), nil, 0o644); err != nil {
		t.Fatalf("write through latest: %v", err)
	}
	if _, err := os.Stat(filepath.Join(base, "20260101-000001-bbbb", "x")); err != nil {
		t.Errorf("latest does not resolve to the newest run: %v", err)
	}
	entries, _ := os.ReadDir(base)
	if len(entries) != 3 {
		t.Errorf("reports dir holds %d entries, want 2 runs + latest: %v", len(entries), entries)
	}
}

func TestCreate_RefusesExistingRun(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	if _, err := Create(base, "r1"); err != nil {
		t.Fatal(err)
	}
	if _, err := Create(base, "r1"); !errors.Is(err, os.ErrExist) {
		t.Errorf("second Create(r1) error = %v, want os.ErrExist", err)
	}
}

func TestCreate_BadRunIDs(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"", ".", "..", "latest", "a/b", `a\b`, ".hidden"} {
		if _, err := Create(t.TempDir(), id); !errors.Is(err, ErrBadRunID) {
			t.Errorf("Create(%q) error = %v, want ErrBadRunID", id, err)
		}
	}
}

func TestCreate_ConcurrentRunsLeaveAValidLatest(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	ids := []string{"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			if _, err := Create(base, id); err != nil {
				t.Errorf("Create(%q): %v", id, err)
			}
		})
	}
	wg.Wait()
	link, err := os.Readlink(filepath.Join(base, Latest))
	if err != nil {
		t.Fatalf("latest: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(base, link)); err != nil || !fi.IsDir() {
		t.Errorf("latest -> %q does not resolve to a run dir (%v)", link, err)
	}
	matches, _ := filepath.Glob(filepath.Join(base, ".latest-*"))
	if len(matches) != 0 {
		t.Errorf("temporary links left behind: %v", matches)
	}
}

package cli

import (
	"errors"
	"fmt"
	"github.com/rentix/mediaharness/internal/target"
	"os"
	"path/filepath"

	"github.com/rentix/mediaharness/internal/loadtest"
	harnessreport "github.com/rentix/mediaharness/internal/report"
	"github.com/rentix/mediaharness/internal/rundir"
	"github.com/rentix/mediaharness/internal/runfiles"
)

// runDir is a load run's report directory. loadtest checks its options only
// once it has the directory; a run it refuses (a usage error: nothing was
// attacked) leaves no trace: the empty directory goes, and reports/latest
// points where it did before.
type runDir struct {
	base, dir  string
	prevLatest string // "" when there was no latest link
}

func createRunDir(base, runID string) (runDir, error) {
	prev, _ := os.Readlink(filepath.Join(base, rundir.Latest))
	dir, err := rundir.Create(base, runID)
	return runDir{base: base, dir: dir, prevLatest: prev}, err
}

// discardIfRefused removes the directory after a usage error, unless
// something was written to it.
func (d runDir) discardIfRefused(err error) {
	if d.dir == "" || !errors.Is(err, loadtest.ErrUsage) {
		return
	}
	if os.Remove(d.dir) != nil { // not empty: keep what was written
		return
	}
	link := filepath.Join(d.base, rundir.Latest)
	_ = os.Remove(link)
	if d.prevLatest != "" {
		_ = os.Symlink(d.prevLatest, link)
	}
}

// checkLeftovers reads the run's ledger after the run: a fixture it lists
// as outstanding may still be on the target, whatever the run's own report
// says (a run that failed while making its fixtures has no report). It
// prints a warning naming the ledger; with nothing else wrong, the exit is 1.
func (d runDir) checkLeftovers(env Process, code int, err error) (int, error) {
	ledger := filepath.Join(d.dir, target.LedgerFile)
	out, rerr := runfiles.Outstanding(ledger)
	if d.dir == "" || errors.Is(rerr, os.ErrNotExist) || (rerr == nil && len(out) == 0) {
		return code, err
	}
	msg := fmt.Sprintf("%d fixtures may be left on the target: delete them with mediaharness sweep --ledger %s (and the same target flags)", len(out), ledger)
	if rerr != nil {
		msg = fmt.Sprintf("cannot read the ledger %s to check for fixtures left on the target: %v", ledger, rerr)
	}
	if err == nil && code == ExitOK {
		return ExitFailure, errors.New(msg)
	}
	fmt.Fprintf(env.Stderr, "warning: %s\n", msg)
	return code, err
}

// writeIndex gives the run directory one index.html linking every report
// of the run. In a conformance run's directory the conformance page is the
// index; it gains links to the load and capacity reports beside it.
func (d runDir) writeIndex(env Process) {
	if d.dir == "" {
		return
	}
	if err := writeRunIndex(d.dir); err != nil {
		fmt.Fprintf(env.Stderr, "warning: the run index %s: %v\n", filepath.Join(d.dir, "index.html"), err)
	}
}

func writeRunIndex(dir string) error {
	entries := loadtest.RunEntries(dir)
	if len(entries) == 0 {
		return nil
	}
	path := filepath.Join(dir, "index.html")
	f, err := os.Create(path + ".tmp")
	if err != nil {
		return err
	}
	if s, lerr := harnessreport.LoadResults(dir); lerr == nil {
		err = harnessreport.WriteHTMLWithRelated(f, *s, entries)
	} else {
		err = harnessreport.WriteRunIndex(f, filepath.Base(dir), entries)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path + ".tmp")
		return err
	}
	return os.Rename(path+".tmp", path)
}

package conform

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/cucumber/godog"

	"github.com/rentix/mediaharness/features"
	"github.com/rentix/mediaharness/internal/report"
	"github.com/rentix/mediaharness/steps"
)

// suite is what a run executes: feature files and the steps behind them.
// Run uses the embedded features and the real steps; tests swap in their own.
type suite struct {
	fs    fs.FS
	paths []string
	steps func(*steps.Resources) func(*godog.ScenarioContext)
}

func defaultSuite() suite {
	return suite{fs: features.FS, paths: []string{"."}, steps: steps.InitializeScenario}
}

// suiteFor is the embedded features, or the .feature files under dir
// (searched recursively) with the real steps.
func suiteFor(dir string) suite {
	if dir == "" {
		return defaultSuite()
	}
	return suite{fs: os.DirFS(dir), paths: []string{"."}, steps: steps.InitializeScenario}
}

// selected counts the scenarios the tag expression selects, and reports
// feature files that do not parse, before anything touches the target.
func (su suite) selected(tags string) (int, error) {
	feats, err := godog.TestSuite{Options: &godog.Options{FS: su.fs, Paths: su.paths, Tags: tags}}.RetrieveFeatures()
	if err != nil {
		return 0, fmt.Errorf("feature files: %s", oneLine(err.Error()))
	}
	n := 0
	for _, f := range feats {
		n += len(f.Pickles)
	}
	return n, nil
}

// junitFile is written from the run's summary (godog's own JUnit writer
// reports skips as errors); cucumberFile is godog's.
const (
	junitFile    = report.JUnitFile
	cucumberFile = "cucumber.json"
)

// formatName is the godog formatter that feeds a run's recorder.
const formatName = "mediaharness"

// recorders maps a godog suite name to its run's recorder: godog finds
// formatters by a global name and builds them from the suite name only.
var recorders sync.Map

func init() {
	godog.Format(formatName, "progress, and per-scenario results for mediaharness reports", formatterFor)
}

func formatterFor(suiteName string, out io.Writer) godog.Formatter {
	if r, ok := recorders.Load(suiteName); ok {
		return r.(*recorder)
	}
	return newRecorder(out, func() string { return "" })
}

// run executes the scenarios with godog: progress to the console through
// the recorder, cucumber.json into dir. It returns godog's
// exit status (0 pass, 1 failures, 2 could not start).
func (su suite) run(ctx context.Context, name string, o Options, rec *recorder, env *steps.Resources, dir string) (int, error) {
	if _, busy := recorders.LoadOrStore(name, rec); busy {
		return 2, fmt.Errorf("run %q is already in progress in this process", o.RunID)
	}
	defer recorders.Delete(name)
	opts := &godog.Options{
		Strict:         true, // an undefined step fails the run
		NoColors:       true,
		FS:             su.fs,
		Paths:          su.paths,
		Tags:           o.Tags,
		Concurrency:    o.Concurrency,
		DefaultContext: ctx,
		Output:         o.Stdout,
		Format: formatName +
			",cucumber:" + filepath.Join(dir, cucumberFile),
	}
	status := godog.TestSuite{Name: name, ScenarioInitializer: rec.wrap(su.steps(env)), Options: opts}.Run()
	if status > 1 {
		return status, fmt.Errorf("godog could not start the suite (status %d; see its message above)", status)
	}
	return status, nil
}

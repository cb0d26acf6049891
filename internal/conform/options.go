package conform

import (
	"errors"
	"fmt"
	"github.com/rentix/mediaharness/internal/target"
	"io"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/rundir"
)

// Inferred modes.
const (
	InferredFail = "fail" // inferred failures count like documented ones
	InferredWarn = "warn" // inferred failures are reported but do not fail the run
)

// Defaults for the zero values of Options.
const DefaultReportDir = "reports"

// Options configure one conformance run; the CLI binds its flags into it.
type Options struct {
	Target      config.Target
	Tags        string // godog tag expression: "@a && ~@b", "," for or
	Concurrency int    // scenarios at once; 0 means 1
	Inferred    string // InferredFail (default) or InferredWarn
	// Strict makes drift (what the contract does not mention) fail the run.
	Strict    bool
	ReportDir string // reports/<run id>/ goes here; default "reports"
	RunID     string // default rundir.NewRunID()
	// Baseline is an earlier run's directory or results.json: failures are
	// split into new ones and known ones.
	Baseline string
	// FailOnlyOnRegressions (needs Baseline): only new failures count.
	FailOnlyOnRegressions bool
	// SpecFile replaces the embedded contract with an OpenAPI file.
	SpecFile string
	// FeaturesDir replaces the embedded features with the .feature files
	// under this directory; they run with the harness's own steps.
	FeaturesDir string
	// Sources are images beside Target.SourceURL that the target can
	// download; scenarios that need a missing one are skipped.
	Sources ExtraSources
	// Stdout gets progress and the console summary; Stderr, warnings.
	Stdout, Stderr io.Writer
	// RunDeadline bounds the scenarios (cleanup and reports come after it);
	// zero means none.
	RunDeadline time.Duration
	// RateLimitBudget bounds the requests a @ratelimit scenario sends to
	// exceed the target's limit; a target advertising more is skipped with
	// the reason. 0 means steps.DefaultRateLimitBudget.
	RateLimitBudget int
	// Faults switches deliberate bugs on in the embedded reference server
	// (refserver.Faults lists them); only without Target.BaseURL.
	Faults []string
}

// ExtraSources go with Target.SourceURL (a full-size JPEG photo).
type ExtraSources struct {
	PNG  string // a full-size PNG photo
	File string // a small image for fixtures whose content does not matter; "": SourceURL
}

// withDefaults fills in the zero values.
func (o Options) withDefaults() Options {
	if o.Inferred == "" {
		o.Inferred = InferredFail
	}
	if o.Concurrency == 0 {
		o.Concurrency = 1
	}
	if o.ReportDir == "" {
		o.ReportDir = DefaultReportDir
	}
	if o.RunID == "" {
		o.RunID = rundir.NewRunID()
	}
	if o.Stdout == nil {
		o.Stdout = io.Discard
	}
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
	return o
}

// validate reports every problem with the options at once, one readable
// line each. It never prints a key.
func (o Options) validate() error {
	errs := []error{o.Target.Validate()}
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if o.Inferred != InferredFail && o.Inferred != InferredWarn {
		add("--inferred %q: want %s or %s", o.Inferred, InferredFail, InferredWarn)
	}
	if o.Concurrency < 0 {
		add("--concurrency must be at least 1, got %d", o.Concurrency)
	}
	if o.RateLimitBudget < 0 {
		add("--ratelimit-budget must not be negative, got %d", o.RateLimitBudget)
	}
	if o.RunDeadline < 0 {
		add("--run-deadline must not be negative, got %v", o.RunDeadline)
	}
	if err := checkTags(o.Tags); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, checkFeaturesDir(o.FeaturesDir), target.CheckFaults(o.Target, o.Faults), o.Sources.check(o.Target.SourceURL))
	if o.Target.IsProduction() && !o.Target.AllowProduction && !excludesTag(o.Tags, "destructive") {
		add("refusing to run @destructive scenarios against production (%s): add \"~@destructive\" to every alternative of --tags, or pass --allow-production",
			config.ProductionHost)
	}
	if strings.Contains(o.ReportDir, ",") {
		// godog takes report files in a comma-separated format list.
		add("--report-dir %q: a comma is not allowed in the report path", o.ReportDir)
	}
	if err := rundir.CheckRunID(o.RunID); err != nil {
		add("run id %q: must be one plain path element", o.RunID)
	}
	if o.FailOnlyOnRegressions && o.Baseline == "" {
		add("--fail-only-on-regressions needs --baseline (an earlier run's report directory)")
	}
	return errors.Join(errs...)
}

// check: each given URL is absolute http(s), and they come with the JPEG.
func (x ExtraSources) check(jpeg string) error {
	var errs []error
	for _, u := range []struct{ flag, url string }{{"--png-source-url", x.PNG}, {"--file-source-url", x.File}} {
		switch {
		case u.url == "":
		case jpeg == "":
			errs = append(errs, fmt.Errorf("%s goes with --source-url", u.flag))
		case !isHTTPURL(u.url):
			errs = append(errs, fmt.Errorf("%s %q: want an absolute http(s) URL", u.flag, u.url))
		}
	}
	return errors.Join(errs...)
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// checkFeaturesDir: "" (the embedded features) or a directory.
func checkFeaturesDir(dir string) error {
	if dir == "" {
		return nil
	}
	fi, err := os.Stat(dir)
	switch {
	case err != nil:
		return fmt.Errorf("--features %q: %w", dir, unwrapPath(err))
	case !fi.IsDir():
		return fmt.Errorf("--features %q: not a directory", dir)
	}
	return nil
}

// unwrapPath drops the *PathError wrapper, whose text repeats the path.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// tagTerm is one term of a godog tag expression: an optional "~" (not) and
// a tag, with or without its "@".
var tagTerm = regexp.MustCompile(`^~?@?[^\s,&~@]+$`)

// checkTags checks the godog tag syntax ("," is or, "&&" is and, "~" is
// not). godog itself panics on an empty term and silently reads "not @x"
// as a tag named "not x".
func checkTags(expr string) error {
	if strings.TrimSpace(expr) == "" {
		return nil
	}
	for _, alt := range strings.Split(expr, ",") {
		for _, term := range strings.Split(alt, "&&") {
			if !tagTerm.MatchString(strings.TrimSpace(term)) {
				return fmt.Errorf(`--tags %q: bad term %q; write tags as "@a && ~@b" ("&&" and, "," or, "~" not)`,
					expr, strings.TrimSpace(term))
			}
		}
	}
	return nil
}

// excludesTag reports whether the expression can never select a scenario
// tagged @tag: every alternative must say "~@tag".
func excludesTag(expr, tag string) bool {
	if strings.TrimSpace(expr) == "" {
		return false
	}
	for _, alt := range strings.Split(expr, ",") {
		found := false
		for _, term := range strings.Split(alt, "&&") {
			t := strings.ReplaceAll(strings.TrimSpace(term), "@", "")
			found = found || t == "~"+tag
		}
		if !found {
			return false
		}
	}
	return true
}

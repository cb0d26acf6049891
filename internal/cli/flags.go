package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rentix/mediaharness/internal/config"
)

// newFlagSet makes a subcommand's flag set whose errors come back to the
// caller (never os.Exit) and whose help goes to stdout.
func newFlagSet(env Process, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(env.Stdout, "Usage: mediaharness %s\n\nFlags:\n", synopsis)
		fs.SetOutput(env.Stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
		fmt.Fprint(env.Stdout, exitCodesHelp)
	}
	return fs
}

// parse parses args; a bad flag is a usage error, --help is flag.ErrHelp.
// The help text is printed once, and only when asked for: the flag package
// would print it on every error, burying the one line that says what is wrong.
func parse(fs *flag.FlagSet, args []string) error {
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q (see mediaharness %s --help)", fs.Arg(0), fs.Name())
	}
	return nil
}

// parseArgs is parse for a command that takes arguments after its flags.
func parseArgs(fs *flag.FlagSet, args []string) error {
	usage := fs.Usage
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.Usage = usage
	if err != nil {
		if err == flag.ErrHelp {
			fs.Usage()
			return err
		}
		return usagef("%v (see mediaharness %s --help)", err, fs.Name())
	}
	return nil
}

// parseInterspersed is parseArgs for a command whose arguments may come
// before, between or after its flags (report --merge DIR... --out X); after
// "--" everything is an argument. It returns the arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := parseArgs(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(positional, rest...), nil
		}
		positional, args = append(positional, rest[0]), rest[1:]
	}
}

// Defaults of the time limits every command that talks to a target has.
const (
	DefaultTimeout = 30 * time.Second
	// DefaultConformDeadline bounds the scenarios of a conformance run; the
	// whole suite takes well under a minute against a healthy target.
	DefaultConformDeadline = 15 * time.Minute
	// loadDeadlineMargin is what a load run gets beyond its attacks for
	// creating and cleaning up fixtures when --run-deadline is not given.
	loadDeadlineMargin = 15 * time.Minute
)

// exitCodesHelp ends every help text.
const exitCodesHelp = `
Exit codes:
  0    everything passed
  1    a contract, scenario or threshold failure; the target failing a
       request (timeouts, resets, answers that are not the API's), or
       fixtures left on the target (the ledger names them: see sweep)
  2    a usage or configuration error: a bad flag or file, or a target that
       cannot be reached, refuses the key or is not this API; nothing was
       tested
  3    the run stopped before its end: the target kept refusing or failing
       (conform's breaker, a load attack stopped early) or the run deadline
       passed; fixtures were cleaned up and the reports say how far it got
  130  interrupted (SIGINT/SIGTERM); fixtures were cleaned up, or a warning
       names the ledger to sweep
`

// targetFlags binds the flags that describe a target; each falls back to an
// environment variable so CI can pass keys as secrets, never on a command line.
type targetFlags struct {
	t      config.Target
	envErr error    // an environment variable that does not parse
	envSet []string // the RENTIX_* target variables that are set
	header headerValue
}

// targetUse names the target flags a command reads beyond those every one
// does (base URL, primary key, pace, timeout, headers, production), so its
// help lists only flags that change what it does.
type targetUse uint

const (
	useOtherKey  targetUse = 1 << iota // --other-api-key: a second agency
	useTestKeys                        // the suspended, CRM-disabled and rate-limit keys
	useSource                          // --source-url: fixtures uploaded from a URL
	useBadSource                       // --bad-source-url
	targetAll    = useOtherKey | useTestKeys | useSource | useBadSource
)

// targetEnv are the RENTIX_* variables meant for a remote target, besides
// RENTIX_BASE_URL: set without it, they would go to the embedded server.
var targetEnv = []string{"RENTIX_API_KEY", "RENTIX_OTHER_API_KEY", "RENTIX_SUSPENDED_API_KEY",
	"RENTIX_CRM_DISABLED_API_KEY", "RENTIX_RATELIMIT_API_KEY", "RENTIX_SOURCE_URL", "RENTIX_BAD_SOURCE_URL",
	"RENTIX_MAX_RPS"}

func bindTarget(fs *flag.FlagSet, env Process, use targetUse) *targetFlags {
	tf := &targetFlags{}
	for _, name := range targetEnv {
		if env.Getenv(name) != "" {
			tf.envSet = append(tf.envSet, name)
		}
	}
	str := func(p *string, name, envName, usage string) {
		fs.StringVar(p, name, env.Getenv(envName), usage+" (env "+envName+")")
	}
	str(&tf.t.BaseURL, "base-url", "RENTIX_BASE_URL", "API root of the target, e.g. https://crm.rentix.md/api/v1; empty: the embedded reference server")
	str(&tf.t.APIKey, "api-key", "RENTIX_API_KEY", "API key of the agency under test")
	if use&useOtherKey != 0 {
		str(&tf.t.OtherAPIKey, "other-api-key", "RENTIX_OTHER_API_KEY", "API key of a second agency (tenant isolation)")
	}
	if use&useTestKeys != 0 {
		str(&tf.t.SuspendedAPIKey, "suspended-api-key", "RENTIX_SUSPENDED_API_KEY", "API key of a suspended agency")
		str(&tf.t.CRMDisabledAPIKey, "crm-disabled-api-key", "RENTIX_CRM_DISABLED_API_KEY", "API key of an agency without CRM")
		str(&tf.t.RateLimitAPIKey, "ratelimit-api-key", "RENTIX_RATELIMIT_API_KEY", "API key the @ratelimit scenario exhausts, so no other scenario waits for it; empty: the primary key")
	}
	if use&useSource != 0 {
		str(&tf.t.SourceURL, "source-url", "RENTIX_SOURCE_URL", "URL of a JPEG photo (over 1024 pixels wide) the target can download; load makes its fixtures from it")
	}
	if use&useBadSource != 0 {
		str(&tf.t.BadSourceURL, "bad-source-url", "RENTIX_BAD_SOURCE_URL", "URL of a non-image the target can download")
	}
	fs.Var(tf.envRate(env, "RENTIX_MAX_RPS", &tf.t.MaxRPS), "max-rps", "most requests a second to the target (a load attack keeps to --rate; this paces making its fixtures): "+rateSyntax+"; 0: 4/s against a remote target, unpaced against the embedded one (env RENTIX_MAX_RPS)")
	fs.DurationVar(&tf.t.Timeout, "timeout", DefaultTimeout, "per-request timeout: from sending a request to the last byte of its answer")
	fs.Var(&tf.header, "header", headerHelp)
	fs.BoolVar(&tf.t.AllowProduction, "allow-production", false, "allow destructive scenarios and load runs against the production host "+config.ProductionHost)
	return tf
}

func (tf *targetFlags) target() (config.Target, error) {
	if err := errors.Join(tf.envErr, tf.header.err()); err != nil {
		return config.Target{}, usageError(err)
	}
	tf.t.Headers = tf.header.h
	// Variables meant for a remote target with no base URL would test the
	// embedded server and pass: the wrong thing, silently.
	if tf.t.Embedded() && len(tf.envSet) > 0 {
		return config.Target{}, usagef("%s set but RENTIX_BASE_URL (--base-url) is empty: the run would test the embedded server, not the target they are for; set the base URL, or unset them to test the embedded server",
			strings.Join(tf.envSet, ", "))
	}
	if err := tf.t.Validate(); err != nil {
		return config.Target{}, usageError(err)
	}
	return tf.t, nil
}

// envRate is a rate flag's value, set from the environment first; a value
// that does not parse is remembered and reported, never taken as 0.
func (tf *targetFlags) envRate(env Process, name string, rps *float64) *rpsValue {
	v := &rpsValue{rps: rps}
	if s := env.Getenv(name); s != "" {
		if err := v.Set(s); err != nil {
			tf.envErr = fmt.Errorf("%s=%q: %v", name, s, err)
		}
	}
	return v
}

// Package cli is the mediaharness command: it parses flags and the
// environment into each library's options and maps outcomes to exit codes.
// Process state (arguments, environment, output streams) is injected so the
// whole command runs in-process in tests.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/rentix/mediaharness/internal/usage"
	"io"
	"strings"
)

// Exit codes, the same for every subcommand. They are decided here only:
// the packages below return results that pass or not, and errors marked
// as usage errors (package usage) or not.
const (
	ExitOK          = 0   // everything passed
	ExitFailure     = 1   // a contract, scenario or threshold failure
	ExitUsage       = 2   // a usage or configuration error: nothing was tested
	ExitAborted     = 3   // the run stopped before its end: the target kept failing, or the run deadline passed
	ExitInterrupted = 130 // stopped by SIGINT or SIGTERM (fixtures were cleaned up)
)

// verdict is the exit code of a run's result.
func verdict(passed bool) int {
	if passed {
		return ExitOK
	}
	return ExitFailure
}

// runVerdict is the exit code of a run that may have been stopped before
// its end (a signal's 130 is set by Main): what it did check is in its
// reports, but it did not judge the whole target.
func runVerdict(passed, aborted bool) int {
	if aborted {
		return ExitAborted
	}
	return verdict(passed)
}

// Process is what a command may touch of the process it runs in: its
// arguments, output streams and environment.
type Process struct {
	Args   []string // without the program name
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// usageError marks a problem with how the command was called or
// configured (package usage).
func usageError(err error) error { return usage.Wrap(err) }

func usagef(format string, a ...any) error { return usage.Errorf(format, a...) }

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env Process, args []string) (int, error)
}

func commands() []command {
	return []command{
		{"conform", "run the conformance suite (the Godog features) against a target", runConform},
		{"explore", "generate inputs and state sequences from the contract and check every answer", runExplore},
		{"load", "run a load scenario with SLO thresholds", runLoad},
		{"capacity", "search for the highest rate that meets every SLO", runCapacity},
		{"report", "rebuild or merge load reports from saved results", runReport},
		{"sweep", "delete the fixtures a killed run left behind, from its ledger", runSweep},
		{"selftest", "prove the suite: run it against every fault of the reference server", runSelftest},
		{"serve", "run the reference server standalone", runServe},
		{"spec", "print or lint the OpenAPI contract", runSpec},
		{"version", "print the version", runVersion},
		{"completion", "print a bash or zsh completion script", runCompletion},
	}
}

// Run executes one mediaharness invocation and returns its exit code.
func Run(ctx context.Context, env Process) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if len(env.Args) == 0 {
		printUsage(env.Stdout)
		fmt.Fprintln(env.Stderr, "mediaharness: no command given (see mediaharness --help)")
		return ExitUsage
	}
	if isHelp(env.Args[0]) {
		printUsage(env.Stdout)
		return ExitOK
	}
	name, args := env.Args[0], env.Args[1:]
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		code, err := c.run(ctx, env, args)
		return report(env, name, code, err)
	}
	fmt.Fprintf(env.Stderr, "mediaharness: unknown command %q (see mediaharness --help)\n", name)
	return ExitUsage
}

// report prints a command's error as one line and picks the exit code.
func report(env Process, name string, code int, err error) int {
	if err == nil {
		return code
	}
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	msg := strings.ReplaceAll(err.Error(), "\n", "; ")
	fmt.Fprintf(env.Stderr, "mediaharness %s: %s\n", name, msg)
	if usage.Is(err) {
		return ExitUsage
	}
	if code == ExitOK {
		return ExitFailure
	}
	return code
}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help" || arg == "help"
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `mediaharness: contract and load tests for the Rentix CRM Media API.

Usage: mediaharness <command> [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Without --base-url every command runs against the embedded reference server.
"mediaharness <command> --help" lists a command's flags.
`)
	fmt.Fprint(w, exitCodesHelp)
	fmt.Fprint(w, `
Example:
  mediaharness conform --base-url https://staging.example/api/v1 --api-key "$RENTIX_API_KEY"
`)
}

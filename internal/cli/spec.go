package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/rentix/mediaharness/internal/contract"
	"github.com/rentix/mediaharness/openapi"
)

func runSpec(ctx context.Context, env Process, args []string) (int, error) {
	fs := newFlagSet(env, "spec", "spec [--lint] [--file FILE]")
	lint := fs.Bool("lint", false, "validate the contract and list its operations instead of printing it")
	file := fs.String("file", "", "an OpenAPI file to use instead of the embedded contract")
	if err := parse(fs, args); err != nil {
		return ExitUsage, err
	}
	if !*lint {
		if *file != "" {
			return ExitUsage, usagef("--file goes with --lint; the embedded contract is printed as it is")
		}
		_, err := env.Stdout.Write(openapi.Spec)
		return ExitOK, err
	}
	data := openapi.Spec
	name := "embedded contract"
	if *file != "" {
		var err error
		if data, err = os.ReadFile(*file); err != nil {
			return ExitUsage, usagef("--file: %v", err)
		}
		name = *file
	}
	// One line per problem: rule, JSON pointer, message.
	if problems := openapi.Lint(data); len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(env.Stdout, p)
		}
		fmt.Fprintf(env.Stdout, "%s: %d lint problem(s)\n", name, len(problems))
		return ExitFailure, nil
	}
	doc, err := loadSpec(*file)
	if err != nil {
		return ExitUsage, err
	}
	v, err := contract.New(doc)
	if err != nil {
		return ExitUsage, usageError(err)
	}
	fmt.Fprintf(env.Stdout, "%s: valid OpenAPI %s, %q version %s\n", name, doc.OpenAPI, doc.Info.Title, doc.Info.Version)
	for _, op := range v.Operations() {
		fmt.Fprintf(env.Stdout, "  %-6s %-32s %-24s %v\n", op.Method, op.Path, op.ID, op.Statuses)
	}
	return ExitOK, nil
}

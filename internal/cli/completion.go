package cli

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// runCompletion prints a shell completion script for bash or zsh:
//
//	source <(mediaharness completion bash)
//	mediaharness completion zsh > "${fpath[1]}/_mediaharness"
func runCompletion(ctx context.Context, env Process, args []string) (int, error) {
	fs := newFlagSet(env, "completion", "completion bash|zsh")
	if err := parseArgs(fs, args); err != nil {
		return ExitUsage, err
	}
	if fs.NArg() != 1 {
		return ExitUsage, usagef("want one shell, bash or zsh (see mediaharness completion --help)")
	}
	flags := commandFlags(ctx)
	switch fs.Arg(0) {
	case "bash":
		fmt.Fprint(env.Stdout, bashCompletion(flags))
	case "zsh":
		fmt.Fprint(env.Stdout, "#compdef mediaharness\nautoload -U +X bashcompinit && bashcompinit\n"+bashCompletion(flags))
	default:
		return ExitUsage, usagef("shell %q: want bash or zsh", fs.Arg(0))
	}
	return ExitOK, nil
}

// helpFlag is a flag's line in PrintDefaults' output.
var helpFlag = regexp.MustCompile(`(?m)^  -([A-Za-z0-9][A-Za-z0-9-]*)`)

// commandFlags is every command's flags, read from its own --help, so the
// completion never lists a flag the command does not take.
func commandFlags(ctx context.Context) map[string][]string {
	out := map[string][]string{}
	for _, c := range commands() {
		var help bytes.Buffer
		_, _ = c.run(ctx, Process{Args: []string{"--help"}, Stdout: &help, Stderr: &bytes.Buffer{}, Getenv: func(string) string { return "" }}, []string{"--help"})
		var flags []string
		for _, m := range helpFlag.FindAllStringSubmatch(help.String(), -1) {
			dashes := "--"
			if len(m[1]) == 1 {
				dashes = "-" // -q, as the help writes it
			}
			flags = append(flags, dashes+m[1])
		}
		sort.Strings(flags)
		out[c.name] = flags
	}
	return out
}

func bashCompletion(flags map[string][]string) string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	var b strings.Builder
	b.WriteString("# bash completion for mediaharness\n_mediaharness() {\n")
	b.WriteString("  local cur=${COMP_WORDS[COMP_CWORD]}\n")
	b.WriteString("  if [ \"$COMP_CWORD\" -eq 1 ]; then\n")
	fmt.Fprintf(&b, "    COMPREPLY=($(compgen -W %q -- \"$cur\"))\n    return\n  fi\n", strings.Join(names, " "))
	b.WriteString("  case ${COMP_WORDS[1]} in\n")
	for _, n := range names {
		words := flags[n]
		if n == "completion" {
			words = append([]string{"bash", "zsh"}, words...)
		}
		fmt.Fprintf(&b, "    %s) COMPREPLY=($(compgen -W %q -- \"$cur\")) ;;\n", n, strings.Join(words, " "))
	}
	b.WriteString("  esac\n}\ncomplete -o default -F _mediaharness mediaharness\n")
	return b.String()
}

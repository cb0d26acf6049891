package cli

import (
	"context"
	"slices"
	"testing"
)

// Each command's help lists only flags the command reads: a flag it
// ignores would be taken on trust and change nothing.
func TestHelp_ListsNoFlagTheCommandIgnores(t *testing.T) {
	t.Parallel()
	conformOnly := []string{"--tags", "--features", "--concurrency", "--inferred", "--strict", "--ratelimit-budget",
		"--png-source-url", "--file-source-url", "--suspended-api-key", "--crm-disabled-api-key", "--ratelimit-api-key",
		"--bad-source-url"}
	targetFlags := []string{"--base-url", "--api-key", "--other-api-key", "--max-rps", "--timeout", "--allow-production",
		"--source-url", "--header"}
	ignored := map[string][]string{
		"explore":    append([]string{"--scenario", "--rate"}, conformOnly...),
		"load":       append([]string{"--other-api-key", "--seed", "--budget", "--ledger"}, conformOnly...),
		"capacity":   append([]string{"--other-api-key", "--seed", "--rate", "--duration", "--ledger", "--keep-bodies", "--shard"}, conformOnly...),
		"sweep":      {"--source-url", "--bad-source-url", "--png-source-url", "--tags", "--scenario", "--report-dir"},
		"report":     append([]string{"--tags", "--scenario", "--suspended-api-key"}, targetFlags...),
		"selftest":   {"--api-key", "--other-api-key", "--source-url", "--max-rps", "--header"},
		"serve":      {"--base-url", "--api-key", "--max-rps", "--header", "--tags"},
		"spec":       append([]string{"--tags"}, targetFlags...),
		"version":    targetFlags,
		"completion": targetFlags,
	}
	flags := commandFlags(context.Background())
	for cmd, names := range ignored {
		if len(flags[cmd]) == 0 && cmd != "version" && cmd != "completion" {
			t.Errorf("%s --help lists no flag at all: is the help readable?", cmd)
		}
		for _, name := range names {
			if slices.Contains(flags[cmd], name) {
				t.Errorf("%s --help lists %s, which %s ignores", cmd, name, cmd)
			}
		}
	}
}

// The commands that talk to a target list what they read of it.
func TestHelp_ListsTheTargetFlagsACommandReads(t *testing.T) {
	t.Parallel()
	flags := commandFlags(context.Background())
	for cmd, names := range map[string][]string{
		"conform":  {"--base-url", "--api-key", "--other-api-key", "--suspended-api-key", "--bad-source-url", "--source-url", "--max-rps"},
		"explore":  {"--base-url", "--api-key", "--other-api-key", "--source-url", "--max-rps"},
		"load":     {"--base-url", "--api-key", "--source-url", "--max-rps", "--timeout"},
		"capacity": {"--base-url", "--api-key", "--source-url", "--max-rps"},
		"sweep":    {"--base-url", "--api-key", "--other-api-key", "--suspended-api-key", "--crm-disabled-api-key", "--ratelimit-api-key", "--max-rps"},
	} {
		for _, name := range names {
			if !slices.Contains(flags[cmd], name) {
				t.Errorf("%s --help does not list %s", cmd, name)
			}
		}
	}
}

package cli

import (
	"context"
	"fmt"
	"runtime/debug"
)

// Version is set at build time with -ldflags "-X .../internal/cli.Version=v1.2.3".
var Version = ""

func runVersion(ctx context.Context, env Process, args []string) (int, error) {
	fs := newFlagSet(env, "version", "version")
	if err := parse(fs, args); err != nil {
		return ExitUsage, err
	}
	fmt.Fprintf(env.Stdout, "mediaharness %s\n", version())
	return ExitOK, nil
}

func version() string {
	if Version != "" {
		return Version
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "devel-" + s.Value[:12]
			}
		}
		if info.Main.Version != "" {
			return info.Main.Version
		}
	}
	return "devel"
}

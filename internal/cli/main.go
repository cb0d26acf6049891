package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// Main runs the command with the real process state. The first SIGINT or
// SIGTERM cancels the run (which still cleans up its fixtures); a second one
// exits at once.
func Main(args []string) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	interrupted := make(chan struct{})
	go func() {
		<-signals
		close(interrupted)
		fmt.Fprintln(os.Stderr, "mediaharness: interrupted, cleaning up (press Ctrl-C again to exit at once)")
		cancel()
		<-signals
		os.Exit(ExitInterrupted)
	}()
	code := Run(ctx, Process{Args: args, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
	select {
	case <-interrupted:
		if code != ExitUsage {
			return ExitInterrupted
		}
	default:
	}
	return code
}

// Package e2e tests the mediaharness binary as a user runs it: built once,
// started as separate processes (a reference server with `serve`, the
// conformance suite, load runs, a sweep), interrupted and killed, and judged
// by exit codes, report files, console output and the state of the server.
package e2e

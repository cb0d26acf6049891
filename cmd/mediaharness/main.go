// Command mediaharness runs contract and load tests against the Rentix CRM
// Media API, or against its embedded reference server when no target is given.
//
//	mediaharness conform                      # the conformance suite against the embedded server
//	mediaharness conform --base-url https://staging.example/api/v1 --api-key "$RENTIX_API_KEY"
//	mediaharness load --scenario get --rate 200/s --duration 30s
//	mediaharness serve --addr 127.0.0.1:8080
//
// Run "mediaharness --help" for every command and its exit codes.
package main

import (
	"os"

	"github.com/rentix/mediaharness/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:]))
}

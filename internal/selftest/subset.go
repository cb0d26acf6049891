package selftest

// FastFaults is the subset a fast self-test (CI) runs: a fault of every
// area, each chosen among those the suite catches in its first feature
// files (a fault's suite runs up to its first failure, so an early catch is
// a short run), half of them broken behaviour and half a broken contract;
// and every load-only fault, since nothing else exercises the load probe
// and the scenarios that race requests. The whole catalogue runs with
// `mediaharness selftest` (make mutation).
var FastFaults = []string{
	"auth-missing-key-accepted",
	"bounds-id-int32-500",
	"control-link-500",
	"delete-answer-string",
	"error-message-wrong",
	"isolation-read",
	"link-answer-no-linked",
	"load-5xx",
	"load-link-race",
	"load-mixed-responses",
	"load-slow",
	"optimize-not-image-success",
	"ratelimit-header-missing",
	"ratelimit-reset-millis",
	"roundtrip-trim",
	"shape-id-string",
}

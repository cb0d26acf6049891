package loadtest

import (
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/rentix/mediaharness/internal/config"
)

// Defaults for the zero values of Options.
const (
	DefaultWorkers   = 50
	DefaultPoolSize  = 16
	DefaultMaxPool   = 1000
	DefaultTolerance = 0.20
	// defaultMinDelta keeps a baseline comparison from failing on noise:
	// a p95 must also grow by this much to count as a regression.
	defaultMinDelta = 500 * time.Microsecond
	// maxDuration bounds one attack.
	maxDuration = time.Hour
	// remoteRateLimit is the documented per-key limit (300 a minute); a
	// remote target is not attacked faster unless Force is set.
	remoteRateLimit = float64(config.DocumentedRatePerMinute) / 60
)

// Options configure one load run. The command binds its flags into it.
type Options struct {
	Scenario string        // get, get-external, link, delete or mixed
	Rate     Rate          // constant rate; ignored when Ramp is set
	Ramp     Ramp          // a linear ramp over Duration
	Duration time.Duration // the measured attack
	Warmup   time.Duration // an attack before it, at the start rate, not counted
	Validate Validation    // share of responses checked; zero value: all
	// KeepBodies keeps each response body in results.bin as read (up to
	// 1 MiB); by default only its first 512 bytes are kept.
	KeepBodies bool

	SLOFile   string        // thresholds; "": the embedded slo.yaml
	Baseline  string        // an earlier run's load.json to compare with
	Tolerance float64       // allowed p95 growth over the baseline (0.2 = 20%); 0: none (the command's default is DefaultTolerance)
	minDelta  time.Duration // smallest p95 growth that counts; 0: 500µs

	Shard   Shard         // run shard I of N: rate/N and its own fixtures
	Workers int           // Vegeta's MaxWorkers; 0: 50
	timeout time.Duration // per request; 0: Target.Timeout, else 10s

	// AbortShare stops an attack once this share of the last 100 requests
	// failed (no answer, 5xx or 429); 0: DefaultAbortShare; negative: never.
	AbortShare float64

	PoolSize int // files of each reading pool; 0: 16
	MaxPool  int // most files a pool that is used up (delete) may hold; 0: 1000

	// ReportDir is the run's directory (reports/<run-id>); the run writes
	// ReportDir/load/<scenario>/. "" writes no files.
	ReportDir string
	RunID     string // names the fixtures; "": the base name of ReportDir

	PrometheusAddr string    // serve live metrics at this address; "": off
	Progress       io.Writer // live progress line, shown only on a terminal

	// Target is the API under test; a zero BaseURL starts the embedded
	// reference server.
	Target config.Target
	// Force allows rates above remoteRateLimit against a remote target.
	Force bool
	// EmbeddedCapacity, when set, makes the embedded server model an API
	// that holds this rate and queues the rest (refserver Config.Capacity),
	// so a capacity search has a known ceiling to find. Zero: its own speed.
	EmbeddedCapacity Rate
	// Faults are deliberate bugs of the embedded server, switched on to
	// prove the thresholds catch them (the self-test's load probe).
	Faults []string
	// prepared, when set, is used instead of preparing Target.
	prepared *preparedTarget
}

// preparedTarget is a target made ready for a run: all a run needs to talk
// to it (base URL, headers, contract checker, fixture maker) and what to
// release afterwards.
type preparedTarget struct {
	baseURL  string          // API root, e.g. http://127.0.0.1:8080/api/v1
	header   http.Header     // sent with every request (authentication)
	checker  contractChecker // contract checks; nil: identity checks only
	fixtures fixtureMaker
	loopback bool // the target runs on this machine
	// close releases what preparing the target started (an embedded server).
	close func()
	// notes about the target for the reports (a modeled capacity).
	notes []string
	// secrets are redacted from every result before anything keeps it:
	// stdout, report.txt, load.json, results.bin.
	secrets []string
}

func (o Options) withDefaults() Options {
	if o.Workers == 0 {
		o.Workers = DefaultWorkers
	}
	if o.timeout == 0 {
		o.timeout = o.Target.Timeout
	}
	if o.timeout == 0 {
		o.timeout = defaultTimeout
	}
	if o.PoolSize == 0 {
		o.PoolSize = DefaultPoolSize
	}
	if o.MaxPool == 0 {
		o.MaxPool = DefaultMaxPool
	}
	if o.AbortShare == 0 {
		o.AbortShare = DefaultAbortShare
	}
	if o.minDelta == 0 {
		o.minDelta = defaultMinDelta
	}
	return o
}

// check reports every problem with the options at once.
func (o Options) check(needRate bool) error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, usagef(format, a...)) }
	if _, ok := scenarios[o.Scenario]; !ok {
		bad("scenario %q: want one of %v", o.Scenario, Scenarios())
	}
	if needRate {
		if o.Rate.IsZero() && o.Ramp.isZero() {
			bad("a rate (e.g. 200/s) or a ramp (e.g. 10/s:500/s) is required")
		}
		if !o.Ramp.isZero() && (o.Ramp.from.IsZero() || o.Ramp.to.IsZero()) {
			bad("ramp %s: both ends must be positive", o.Ramp)
		}
		if o.Duration <= 0 || o.Duration > maxDuration {
			bad("duration %s: want more than 0 and at most %s", o.Duration, maxDuration)
		} else if main, _ := o.attacks(); main.schedule().hits(o.Duration) < 1 {
			what := "rate " + main.rate.String()
			if !main.ramp.isZero() {
				what = "ramp " + main.ramp.String()
			}
			bad("%s for %s sends no request (the first is due later); lengthen --duration or raise the rate", what, o.Duration)
		}
	}
	if o.Warmup < 0 || o.Warmup > maxDuration {
		bad("warm-up %s: want 0 to %s", o.Warmup, maxDuration)
	}
	if o.Workers < 1 || o.Workers > 1000 {
		bad("workers %d: want 1 to 1000", o.Workers)
	}
	if o.timeout < 0 || o.Tolerance < 0 || o.minDelta < 0 || o.PoolSize < 0 || o.MaxPool < 0 {
		bad("timeout, tolerance, min delta and pool sizes must not be negative")
	}
	if err := o.Shard.check(); err != nil {
		errs = append(errs, err)
	}
	if o.Target.IsProduction() && !o.Target.AllowProduction {
		bad("refusing to load-test production (%s): a load run uploads and deletes files and adds load; pass --allow-production if that is meant",
			config.ProductionHost)
	}
	if !o.EmbeddedCapacity.IsZero() && !o.Target.Embedded() {
		bad("an embedded capacity models the embedded server; %s is another target", o.Target.BaseURL)
	}
	if o.AbortShare > 1 {
		bad("abort share %v: at most 1 (every request of the window failed)", o.AbortShare)
	}
	if float64(o.Validate) > 1 {
		bad("validate %v: at most all (1)", float64(o.Validate))
	}
	return errors.Join(errs...)
}

// peak is the highest rate the options ask of the target, all shards
// together: shards share the key, and the limit is per key.
func (o Options) peak() float64 {
	if !o.Ramp.isZero() {
		return max(o.Ramp.from.PerSecond(), o.Ramp.to.PerSecond())
	}
	return o.Rate.PerSecond()
}

// checkRemote refuses rates a remote target documents as over its limit.
func checkRemote(loopback, force bool, rate float64) error {
	if loopback || force || rate <= remoteRateLimit+1e-9 {
		return nil
	}
	return usagef("%s is over the documented limit of %d requests a minute per key (%s) for a remote target; "+
		"pass --force if the target allows it", formatRate(rate), config.DocumentedRatePerMinute, formatRate(remoteRateLimit))
}

package loadtest

import (
	"fmt"
	"github.com/rentix/mediaharness/internal/usage"
	"math"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Rate is a request rate: Freq requests every Per. It keeps Vegeta's integer
// form so that a shard's share (Per×n) stays exact.
type Rate struct {
	Freq int           `json:"freq"`
	Per  time.Duration `json:"per"`
}

// perSecond returns the rate in requests per second.
func perSecond(f float64) Rate {
	if f <= 0 {
		return Rate{}
	}
	if f == math.Trunc(f) && f < math.MaxInt32 {
		return Rate{Freq: int(f), Per: time.Second}
	}
	// Fractional rates: thousandths of a request per second are plenty.
	return Rate{Freq: int(math.Round(f * 1000)), Per: 1000 * time.Second}
}

// IsZero reports whether r is the zero (unset) rate.
func (r Rate) IsZero() bool { return r.Freq == 0 || r.Per == 0 }

// PerSecond returns the rate in requests per second (0 when unset).
func (r Rate) PerSecond() float64 {
	if r.IsZero() {
		return 0
	}
	return float64(r.Freq) / r.Per.Seconds()
}

// String writes the rate as requests per second, e.g. "200/s" or "66.67/s".
func (r Rate) String() string { return formatRate(r.PerSecond()) }

func formatRate(perSec float64) string {
	return strconv.FormatFloat(math.Round(perSec*100)/100, 'f', -1, 64) + "/s"
}

// share is shard i's part of r: each of n shards sends r/n.
func (r Rate) share(n int) Rate {
	if n <= 1 {
		return r
	}
	return Rate{Freq: r.Freq, Per: r.Per * time.Duration(n)}
}

func (r Rate) vegeta() vegeta.Rate { return vegeta.Rate{Freq: r.Freq, Per: r.Per} }

// ErrUsage marks errors in how the package was called or configured
// (package usage); the command line maps it to its usage exit code.
var ErrUsage = usage.ErrUsage

func usagef(format string, a ...any) error { return usage.Errorf(format, a...) }

// ParseRate reads a rate as "200/s", "300/m", "50/100ms", "5/1m" or a bare
// "200" (per second). The count is a positive integer, as in Vegeta.
func ParseRate(s string) (Rate, error) {
	num, unit, found := strings.Cut(strings.TrimSpace(s), "/")
	freq, err := strconv.Atoi(strings.TrimSpace(num))
	if err != nil || freq <= 0 {
		return Rate{}, usagef("rate %q: want a positive whole number of requests, e.g. 200/s", s)
	}
	per := time.Second
	if found {
		if per, err = parsePer(strings.TrimSpace(unit)); err != nil {
			return Rate{}, usagef("rate %q: %v", s, err)
		}
	}
	return Rate{Freq: freq, Per: per}, nil
}

func parsePer(unit string) (time.Duration, error) {
	switch strings.ToLower(unit) {
	case "s", "sec", "second":
		return time.Second, nil
	case "m", "min", "minute":
		return time.Minute, nil
	case "h", "hour":
		return time.Hour, nil
	}
	d, err := time.ParseDuration(unit)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("unit %q: want s, m, h or a duration such as 100ms", unit)
	}
	return d, nil
}

// Ramp is a rate that changes linearly from From to To over the attack.
type Ramp struct {
	from, to Rate
}

// isZero reports whether no ramp was given.
func (r Ramp) isZero() bool { return r.from.IsZero() && r.to.IsZero() }

func (r Ramp) String() string {
	if r.isZero() {
		return ""
	}
	return r.from.String() + ":" + r.to.String()
}

// ParseRamp reads "10/s:500/s": from the first rate to the second, linearly.
func ParseRamp(s string) (Ramp, error) {
	from, to, ok := strings.Cut(s, ":")
	if !ok {
		return Ramp{}, usagef("ramp %q: want FROM:TO, e.g. 10/s:500/s", s)
	}
	f, err := ParseRate(from)
	if err != nil {
		return Ramp{}, err
	}
	t, err := ParseRate(to)
	if err != nil {
		return Ramp{}, err
	}
	return Ramp{from: f, to: t}, nil
}

// Validation is the share of responses checked against the contract and for
// identity: 1 checks all, 0 none.
type Validation float64

// Validation settings by name.
const (
	validateAll Validation = 1
	validateOff Validation = -1 // distinct from the zero value, which means "default" (all)
)

func (v Validation) fraction() float64 {
	switch {
	case v == 0:
		return 1
	case v < 0:
		return 0
	}
	return float64(v)
}

func (v Validation) String() string {
	switch f := v.fraction(); f {
	case 1:
		return "all"
	case 0:
		return "off"
	default:
		return strconv.FormatFloat(f*100, 'f', -1, 64) + "%"
	}
}

// ParseValidate reads "all", "off" or a percentage such as "25%".
func ParseValidate(s string) (Validation, error) {
	switch t := strings.ToLower(strings.TrimSpace(s)); t {
	case "", "all", "100%":
		return validateAll, nil
	case "off", "none", "0%":
		return validateOff, nil
	}
	num, ok := strings.CutSuffix(strings.TrimSpace(s), "%")
	p, err := strconv.ParseFloat(num, 64)
	if !ok || err != nil || p <= 0 || p > 100 || math.IsNaN(p) {
		return 0, usagef("validate %q: want all, off or a percentage such as 25%%", s)
	}
	return Validation(p / 100), nil
}

// Shard says which part of a load a process runs: shard I of N, 1-based.
// The zero value means unsharded.
type Shard struct {
	I int `json:"i,omitempty"`
	N int `json:"n,omitempty"`
}

// active reports whether the load is split into more than one shard.
func (s Shard) active() bool { return s.N > 1 }

func (s Shard) String() string {
	if !s.active() {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.I, s.N)
}

// tag names the shard in file names and fixture prefixes: "s2of3".
func (s Shard) tag() string {
	if !s.active() {
		return ""
	}
	return fmt.Sprintf("s%dof%d", s.I, s.N)
}

func (s Shard) count() int {
	if s.N < 1 {
		return 1
	}
	return s.N
}

func (s Shard) check() error {
	if s == (Shard{}) || (s.N == 1 && s.I == 1) {
		return nil
	}
	if s.N < 1 || s.I < 1 || s.I > s.N {
		return usagef("shard %d/%d: want I/N with 1 <= I <= N", s.I, s.N)
	}
	return nil
}

// ParseShard reads "2/3": the second of three shards (1-based, so a
// Kubernetes completion index k is shard k+1). "" means unsharded.
func ParseShard(s string) (Shard, error) {
	if strings.TrimSpace(s) == "" {
		return Shard{}, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil {
		return Shard{}, usagef("shard %q: want I/N, e.g. 1/3", s)
	}
	sh := Shard{I: i, N: n}
	if err := sh.check(); err != nil {
		return Shard{}, err
	}
	return sh, nil
}

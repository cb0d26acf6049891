package refserver

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
)

// Defaults for the zero values of Config.
const (
	DefaultRateLimit      = 300
	DefaultRateWindow     = time.Minute
	DefaultFetchTimeout   = 10 * time.Second
	DefaultMaxSourceBytes = 20 << 20
)

// withDefaults validates cfg and fills in defaults, reporting every problem at once.
func withDefaults(cfg Config) (Config, error) {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("refserver: "+format, args...))
	}
	if cfg.RateLimit < 0 {
		bad("RateLimit must not be negative (got %d)", cfg.RateLimit)
	}
	if cfg.RateLimitedLimit < 0 {
		bad("RateLimitedLimit must not be negative (got %d)", cfg.RateLimitedLimit)
	}
	if cfg.RateWindow < 0 {
		bad("RateWindow must not be negative (got %s)", cfg.RateWindow)
	}
	if cfg.OptimizeDelay < 0 {
		bad("OptimizeDelay must not be negative (got %s)", cfg.OptimizeDelay)
	}
	if cfg.FetchTimeout < 0 {
		bad("FetchTimeout must not be negative (got %s)", cfg.FetchTimeout)
	}
	if cfg.MaxSourceBytes < 0 {
		bad("MaxSourceBytes must not be negative (got %d)", cfg.MaxSourceBytes)
	}
	if cfg.Capacity < 0 || math.IsNaN(cfg.Capacity) || math.IsInf(cfg.Capacity, 0) {
		bad("Capacity must be a positive number of requests a second, or 0 for none (got %v)", cfg.Capacity)
	}
	keys, err := fillKeys(cfg.Keys)
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return cfg, errors.Join(errs...)
	}
	cfg.Keys = keys
	cfg.RateLimit = orDefault(cfg.RateLimit, DefaultRateLimit)
	cfg.RateWindow = orDefault(cfg.RateWindow, DefaultRateWindow)
	cfg.FetchTimeout = orDefault(cfg.FetchTimeout, DefaultFetchTimeout)
	cfg.MaxSourceBytes = orDefault(cfg.MaxSourceBytes, DefaultMaxSourceBytes)
	return cfg, nil
}

func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// fillKeys gives every empty key a random one and checks that the keys are
// usable in a header and differ from each other. Errors name the field, never
// the key.
func fillKeys(k Keys) (Keys, error) {
	fields := []struct {
		name string
		key  *string
	}{{"Primary", &k.Primary}, {"Other", &k.Other}, {"Suspended", &k.Suspended}, {"CRMDisabled", &k.CRMDisabled}, {"RateLimited", &k.RateLimited}}
	seen := map[string]string{}
	var errs []error
	for _, f := range fields {
		if *f.key == "" {
			*f.key = randomKey()
		}
		if strings.IndexFunc(*f.key, notKeyRune) >= 0 {
			errs = append(errs, fmt.Errorf("refserver: Keys.%s contains white space or control characters", f.name))
		}
		if prev, dup := seen[*f.key]; dup {
			errs = append(errs, fmt.Errorf("refserver: Keys.%s is the same key as Keys.%s", f.name, prev))
		}
		seen[*f.key] = f.name
	}
	return k, errors.Join(errs...)
}

func notKeyRune(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }

// randomKey makes a key in the style of Rentix keys: "rx_" and 32 hex digits.
func randomKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return "rx_" + hex.EncodeToString(b)
}

// Package config holds the one validated description of the target a run talks
// to: where it is, which keys it may use, and how hard it may be pushed.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// ProductionHost is the documented production API host. Destructive scenarios
// never run against it without an explicit flag.
const ProductionHost = "crm.rentix.md"

// DocumentedRatePerMinute is the documented per-key rate limit.
const DocumentedRatePerMinute = 300

// Agency labels name keys in ledgers, reports and logs, so the keys
// themselves never need to be written anywhere.
const (
	Primary     = "primary"
	Other       = "other"
	Suspended   = "suspended"
	CRMDisabled = "crm-disabled"
)

// Target is the API under test. A zero BaseURL means the embedded reference
// server, which brings its own keys.
type Target struct {
	BaseURL           string
	APIKey            string
	OtherAPIKey       string
	SuspendedAPIKey   string
	CRMDisabledAPIKey string
	SourceURL         string // an image the target can download
	BadSourceURL      string // a non-image the target can download
	MaxRPS            float64
	Timeout           time.Duration // per request
	AllowProduction   bool
}

// Embedded reports whether the run uses the embedded reference server.
func (t Target) Embedded() bool { return t.BaseURL == "" }

// Keys maps agency labels to the keys that were given.
func (t Target) Keys() map[string]string {
	keys := map[string]string{}
	for label, key := range map[string]string{
		Primary: t.APIKey, Other: t.OtherAPIKey, Suspended: t.SuspendedAPIKey, CRMDisabled: t.CRMDisabledAPIKey,
	} {
		if key != "" {
			keys[label] = key
		}
	}
	return keys
}

// Secrets lists every value that must never be printed or written.
func (t Target) Secrets() []string {
	var s []string
	for _, key := range t.Keys() {
		s = append(s, key)
	}
	return s
}

// WithKeys returns the target with the given label→key map filled in.
func (t Target) WithKeys(keys map[string]string) Target {
	t.APIKey, t.OtherAPIKey = keys[Primary], keys[Other]
	t.SuspendedAPIKey, t.CRMDisabledAPIKey = keys[Suspended], keys[CRMDisabled]
	return t
}

// Host is the target's host name without port ("" for the embedded server).
func (t Target) Host() string {
	u, err := url.Parse(t.BaseURL)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// IsLoopback reports whether the target runs on this machine.
func (t Target) IsLoopback() bool {
	if t.Embedded() {
		return true
	}
	host := t.Host()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// IsProduction reports whether the target is the production API. A fully
// qualified name (a trailing dot) is the same host.
func (t Target) IsProduction() bool {
	return strings.EqualFold(strings.TrimSuffix(t.Host(), "."), ProductionHost)
}

// Validate reports every problem with the target at once.
func (t Target) Validate() error {
	var errs []error
	if !t.Embedded() {
		u, err := url.Parse(t.BaseURL)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("--base-url: %v", err))
		case u.Scheme != "http" && u.Scheme != "https":
			errs = append(errs, fmt.Errorf("--base-url %q: the scheme must be http or https", t.BaseURL))
		case u.Host == "":
			errs = append(errs, fmt.Errorf("--base-url %q: no host", t.BaseURL))
		case u.RawQuery != "" || u.Fragment != "":
			errs = append(errs, fmt.Errorf("--base-url %q: no query or fragment allowed", t.BaseURL))
		}
		if t.APIKey == "" {
			errs = append(errs, errors.New("--api-key (or RENTIX_API_KEY) is required with --base-url"))
		}
	}
	if t.MaxRPS < 0 {
		errs = append(errs, fmt.Errorf("--max-rps must not be negative, got %v", t.MaxRPS))
	}
	if t.Timeout < 0 {
		errs = append(errs, fmt.Errorf("--timeout must not be negative, got %v", t.Timeout))
	}
	return errors.Join(errs...)
}

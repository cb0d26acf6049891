// Package config holds the one validated description of the target a run talks
// to: where it is, which keys it may use, and how hard it may be pushed.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/idna"
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
	// RateLimited labels the key @ratelimit scenarios exhaust, so that no
	// other scenario waits for it. Optional: without it they use Primary.
	RateLimited = "ratelimit"
)

// Target is the API under test. A zero BaseURL means the embedded reference
// server, which brings its own keys.
type Target struct {
	BaseURL           string
	APIKey            string
	OtherAPIKey       string
	SuspendedAPIKey   string
	CRMDisabledAPIKey string
	RateLimitAPIKey   string
	SourceURL         string // an image the target can download
	BadSourceURL      string // a non-image the target can download
	MaxRPS            float64
	Timeout           time.Duration // per request
	AllowProduction   bool
	// Headers are sent on every request to the target besides the
	// harness's own (a gateway token, a tracing header); their values are
	// secrets.
	Headers http.Header
}

// Embedded reports whether the run uses the embedded reference server.
func (t Target) Embedded() bool { return t.BaseURL == "" }

// Keys maps agency labels to the keys that were given.
func (t Target) Keys() map[string]string {
	keys := map[string]string{}
	for label, key := range map[string]string{
		Primary: t.APIKey, Other: t.OtherAPIKey, Suspended: t.SuspendedAPIKey, CRMDisabled: t.CRMDisabledAPIKey,
		RateLimited: t.RateLimitAPIKey,
	} {
		if key != "" {
			keys[label] = key
		}
	}
	return keys
}

// keyLabels lists the agency labels in the order a key shared by two of
// them is named: the first label wins.
var keyLabels = []string{Primary, Other, Suspended, CRMDisabled, RateLimited}

// KeyEnv names the environment variable that holds each agency's key, the
// one a reproduction of a request sent with that key refers to.
var KeyEnv = map[string]string{
	Primary:     "RENTIX_API_KEY",
	Other:       "RENTIX_OTHER_API_KEY",
	Suspended:   "RENTIX_SUSPENDED_API_KEY",
	CRMDisabled: "RENTIX_CRM_DISABLED_API_KEY",
	RateLimited: "RENTIX_RATELIMIT_API_KEY",
}

// KeyVariable is the shell reference to the key of an agency label
// ("$RENTIX_OTHER_API_KEY"); an unknown label is the primary key's.
func KeyVariable(label string) string {
	if v, ok := KeyEnv[label]; ok {
		return "$" + v
	}
	return "$" + KeyEnv[Primary]
}

// KeyVariables maps each key that was given to the shell reference of its
// variable, so evidence can name the key a request carried without
// holding it. A key given for two labels is named for the first of
// Primary, Other, Suspended, CRMDisabled, RateLimited.
func (t Target) KeyVariables() map[string]string {
	keys := t.Keys()
	out := map[string]string{}
	for _, label := range keyLabels {
		if k, ok := keys[label]; ok {
			if _, named := out[k]; !named {
				out[k] = KeyVariable(label)
			}
		}
	}
	return out
}

// MinKeyLength is the shortest API key accepted: redacting a shorter one
// would mangle ordinary words of the output ("e[REDACTED]ist").
const MinKeyLength = 8

// Secrets lists every value that must never be printed or written: the
// keys, the values of the extra headers, and the base URL's password when it is long enough to redact
// safely (a shorter one is kept out of output by Shown alone).
func (t Target) Secrets() []string {
	var s []string
	for _, key := range t.Keys() {
		s = append(s, key)
	}
	if p := t.Password(); len(p) >= MinKeyLength {
		s = append(s, p)
	}
	return append(s, headerSecrets(t.Headers)...)
}

// WithKeys returns the target with the given label→key map filled in.
func (t Target) WithKeys(keys map[string]string) Target {
	t.APIKey, t.OtherAPIKey = keys[Primary], keys[Other]
	t.SuspendedAPIKey, t.CRMDisabledAPIKey = keys[Suspended], keys[CRMDisabled]
	t.RateLimitAPIKey = keys[RateLimited]
	return t
}

// Host is the host name the connection will use, without port ("" for the
// embedded server): mapped the way the HTTP stack maps it (IDNA lookup:
// fullwidth letters folded, soft hyphens dropped, ideographic full stops
// made dots), lower-cased, without a trailing dot. A name the mapping
// refuses is returned lower-cased as written.
func (t Target) Host() string {
	u, err := url.Parse(t.BaseURL)
	if err != nil {
		return ""
	}
	return normalHost(u.Hostname())
}

func normalHost(h string) string {
	if a, err := idna.Lookup.ToASCII(h); err == nil {
		h = a
	}
	return strings.TrimSuffix(strings.ToLower(h), ".")
}

// Shown is the base URL as it may be printed or written: without the
// password of its userinfo ("embedded" for the embedded server).
func (t Target) Shown() string {
	if t.Embedded() {
		return "embedded"
	}
	u, err := url.Parse(t.BaseURL)
	if err != nil {
		return "(a base URL that does not parse)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	return u.String()
}

// Password is the password of the base URL's userinfo, if it has one.
func (t Target) Password() string {
	u, err := url.Parse(t.BaseURL)
	if err != nil || u.User == nil {
		return ""
	}
	p, _ := u.User.Password()
	return p
}

// Place names where the target is, for a ledger: scheme, normalised host,
// port if not the scheme's default, and base path; never userinfo, so
// never a secret. Two targets with the same Place are the same API.
func (t Target) Place() string {
	if t.Embedded() {
		return ""
	}
	u, err := url.Parse(t.BaseURL)
	if err != nil {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	host := normalHost(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if p := u.Port(); p != "" && !(scheme == "http" && p == "80") && !(scheme == "https" && p == "443") {
		host += ":" + p
	}
	return scheme + "://" + host + strings.TrimRight(u.EscapedPath(), "/")
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

// IsProduction reports whether the target is the production API, by the
// host the connection will use (see Host): a fully qualified name, other
// letter case or Unicode look-alikes of the production name are the same host.
func (t Target) IsProduction() bool {
	return t.Host() == ProductionHost
}

// Validate reports every problem with the target at once.
func (t Target) Validate() error {
	var errs []error
	if !t.Embedded() {
		u, err := url.Parse(t.BaseURL)
		switch {
		case err != nil:
			errs = append(errs, errors.New("--base-url does not parse as a URL"))
		case u.Scheme != "http" && u.Scheme != "https":
			errs = append(errs, fmt.Errorf("--base-url %q: the scheme must be http or https", t.Shown()))
		case u.Host == "":
			errs = append(errs, fmt.Errorf("--base-url %q: no host", t.Shown()))
		case u.RawQuery != "" || u.Fragment != "":
			errs = append(errs, fmt.Errorf("--base-url %q: no query or fragment allowed", t.Shown()))
		}
		if t.APIKey == "" {
			errs = append(errs, errors.New("--api-key (or RENTIX_API_KEY) is required with --base-url"))
		}
	}
	for _, k := range []struct{ flag, key string }{
		{"--api-key", t.APIKey}, {"--other-api-key", t.OtherAPIKey},
		{"--suspended-api-key", t.SuspendedAPIKey}, {"--crm-disabled-api-key", t.CRMDisabledAPIKey},
		{"--ratelimit-api-key", t.RateLimitAPIKey},
	} {
		if k.key != "" && len(k.key) < MinKeyLength {
			errs = append(errs, fmt.Errorf("%s: a key of %d characters is too short to keep out of the output safely; keys must have at least %d",
				k.flag, len(k.key), MinKeyLength))
		}
	}
	errs = append(errs, checkHeaders(t.Headers)...)
	if t.MaxRPS < 0 {
		errs = append(errs, fmt.Errorf("--max-rps must not be negative, got %v", t.MaxRPS))
	}
	if t.Timeout < 0 {
		errs = append(errs, fmt.Errorf("--timeout must not be negative, got %v", t.Timeout))
	}
	return errors.Join(errs...)
}

package config

import (
	"strings"
	"testing"
)

func TestTarget_Validate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		target  Target
		wantErr []string
	}{
		{"embedded needs nothing", Target{}, nil},
		{"remote with key", Target{BaseURL: "https://staging.example/api/v1", APIKey: "key-12345"}, nil},
		{"path prefix kept", Target{BaseURL: "http://127.0.0.1:9/prefix/api/v1", APIKey: "key-12345"}, nil},
		{"remote without key", Target{BaseURL: "https://staging.example/api/v1"}, []string{"--api-key"}},
		{"bad scheme", Target{BaseURL: "ftp://x/api/v1", APIKey: "key-12345"}, []string{"scheme"}},
		{"no host", Target{BaseURL: "http:///api/v1", APIKey: "key-12345"}, []string{"no host"}},
		{"query", Target{BaseURL: "http://x/api/v1?a=b", APIKey: "key-12345"}, []string{"query"}},
		{"key too short to redact", Target{BaseURL: "https://staging.example/api/v1", APIKey: "e"}, []string{"--api-key", "too short"}},
		{"other key too short", Target{APIKey: "key-12345", OtherAPIKey: "abc"}, []string{"--other-api-key", "too short"}},
		{"password not in a parse error", Target{BaseURL: "http://u:s3cretpass@x/%zz", APIKey: "key-12345"}, []string{"--base-url does not parse"}},
		{"every problem at once", Target{BaseURL: "ftp://x", MaxRPS: -1}, []string{"scheme", "--api-key", "--max-rps"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.target.Validate()
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("Validate(%+v) = %v, want nil", tt.target, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate(%+v) = nil, want errors mentioning %q", tt.target, tt.wantErr)
			}
			if strings.Contains(err.Error(), "s3cretpass") {
				t.Errorf("Validate error %q shows the password", err)
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("Validate(%+v) = %q, want it to mention %q", tt.target, err, want)
				}
			}
		})
	}
}

func TestTarget_Places(t *testing.T) {
	t.Parallel()
	tests := []struct {
		base                 string
		loopback, production bool
	}{
		{"", true, false},
		{"http://127.0.0.1:8080/api/v1", true, false},
		{"http://localhost:8080/api/v1", true, false},
		{"http://[::1]:8080/api/v1", true, false},
		{"https://crm.rentix.md/api/v1", false, true},
		{"https://CRM.rentix.md/api/v1", false, true},
		{"https://crm.rentix.md./api/v1", false, true},
		{"https://crm.rentix.md:443/api/v1", false, true},
		{"https://staging.rentix.md/api/v1", false, false},
		// Names the HTTP stack maps to crm.rentix.md before it connects.
		{"https://crm.ren\u00adtix.md/api/v1", false, true},          // soft hyphen
		{"https://\uff43\uff52\uff4d.rentix.md/api/v1", false, true}, // fullwidth crm
		{"https://crm\u3002rentix\u3002md/api/v1", false, true},      // ideographic full stops
		{"https://user:pw@crm.rentix.md/api/v1", false, true},
	}
	for _, tt := range tests {
		tg := Target{BaseURL: tt.base}
		if got := tg.IsLoopback(); got != tt.loopback {
			t.Errorf("IsLoopback(%q) = %v, want %v", tt.base, got, tt.loopback)
		}
		if got := tg.IsProduction(); got != tt.production {
			t.Errorf("IsProduction(%q) = %v, want %v", tt.base, got, tt.production)
		}
	}
}

func TestTarget_KeysAndSecrets(t *testing.T) {
	t.Parallel()
	tg := Target{APIKey: "a", SuspendedAPIKey: "s"}
	keys := tg.Keys()
	if len(keys) != 2 || keys[Primary] != "a" || keys[Suspended] != "s" {
		t.Fatalf("Keys() = %v, want primary and suspended only", keys)
	}
	if got := tg.WithKeys(keys).Keys(); len(got) != 2 {
		t.Fatalf("WithKeys round trip = %v", got)
	}
	if len(tg.Secrets()) != 2 {
		t.Fatalf("Secrets() = %v, want both keys", tg.Secrets())
	}
}

func TestTarget_ShownAndPlace(t *testing.T) {
	t.Parallel()
	tests := []struct{ base, shown, place string }{
		{"", "embedded", ""},
		{"http://user:s3cret-pass@host.example:8080/api/v1/", "http://user@host.example:8080/api/v1/", "http://host.example:8080/api/v1"},
		{"https://HOST.example:443/api/v1", "https://HOST.example:443/api/v1", "https://host.example/api/v1"},
		{"https://crm.ren\u00adtix.md./api/v1", "https://crm.ren%C2%ADtix.md./api/v1", "https://crm.rentix.md/api/v1"},
	}
	for _, tt := range tests {
		tg := Target{BaseURL: tt.base}
		if got := tg.Shown(); got != tt.shown {
			t.Errorf("Shown(%q) = %q, want %q", tt.base, got, tt.shown)
		}
		if got := tg.Place(); got != tt.place {
			t.Errorf("Place(%q) = %q, want %q", tt.base, got, tt.place)
		}
	}
	tg := Target{BaseURL: "http://user:s3cret-pass@host/api/v1", APIKey: "key-12345"}
	if s := tg.Secrets(); len(s) != 2 || s[1] != "s3cret-pass" {
		t.Errorf("Secrets() = %v, want the key and the password", s)
	}
}

func TestTarget_KeyVariables_NameEachAgencysKey(t *testing.T) {
	t.Parallel()
	tg := Target{APIKey: "key-primary", OtherAPIKey: "key-other", SuspendedAPIKey: "key-suspended",
		CRMDisabledAPIKey: "key-crm-off", RateLimitAPIKey: "key-primary"}
	got := tg.KeyVariables()
	want := map[string]string{"key-primary": "$RENTIX_API_KEY", "key-other": "$RENTIX_OTHER_API_KEY",
		"key-suspended": "$RENTIX_SUSPENDED_API_KEY", "key-crm-off": "$RENTIX_CRM_DISABLED_API_KEY"}
	if len(got) != len(want) {
		t.Errorf("KeyVariables() = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("KeyVariables()[%q] = %q, want %q (a key given twice is named for the primary agency)", k, got[k], v)
		}
	}
	tg.RateLimitAPIKey = "key-ratelimit"
	if v := tg.KeyVariables()["key-ratelimit"]; v != "$RENTIX_RATELIMIT_API_KEY" {
		t.Errorf("the ratelimit key is named %q, want $RENTIX_RATELIMIT_API_KEY", v)
	}
	if v := KeyVariable("nobody"); v != "$RENTIX_API_KEY" {
		t.Errorf("KeyVariable(unknown label) = %q, want $RENTIX_API_KEY", v)
	}
}

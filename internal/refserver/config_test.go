package refserver

import (
	"strings"
	"testing"
	"time"
)

func TestNew_Defaults(t *testing.T) {
	t.Parallel()
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.cfg.RateLimit != 300 || s.cfg.RateWindow != time.Minute || s.cfg.FetchTimeout != 10*time.Second ||
		s.cfg.MaxSourceBytes != 20<<20 || s.cfg.OptimizeDelay != 0 {
		t.Errorf("defaults: %+v", s.cfg)
	}
	k := s.Keys()
	seen := map[string]bool{}
	for _, key := range []string{k.Primary, k.Other, k.Suspended, k.CRMDisabled, k.RateLimited} {
		if !strings.HasPrefix(key, "rx_") || len(key) != 35 {
			t.Errorf("random key %q: want rx_ and 32 hex digits", key)
		}
		if seen[key] {
			t.Errorf("key %q used twice", key)
		}
		seen[key] = true
	}
}

func TestNew_KeepsGivenKeys(t *testing.T) {
	t.Parallel()
	want := Keys{Primary: "p-key", Other: "o-key", Suspended: "s-key", CRMDisabled: "c-key", RateLimited: "r-key"}
	s, err := New(Config{Keys: want})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Keys() != want {
		t.Errorf("Keys() = %+v, want %+v", s.Keys(), want)
	}
}

func TestNew_Errors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  Config
		want []string
	}{
		{"negative limit", Config{RateLimit: -1}, []string{"RateLimit must not be negative"}},
		{"negative durations", Config{RateWindow: -1, OptimizeDelay: -1, FetchTimeout: -1},
			[]string{"RateWindow", "OptimizeDelay", "FetchTimeout"}},
		{"negative size", Config{MaxSourceBytes: -5}, []string{"MaxSourceBytes must not be negative"}},
		{"negative capacity", Config{Capacity: -1}, []string{"Capacity must be a positive number"}},
		{"same key twice", Config{Keys: Keys{Primary: "secret-1", Other: "secret-1"}},
			[]string{"Keys.Other is the same key as Keys.Primary"}},
		{"space in key", Config{Keys: Keys{Suspended: "secret 2"}}, []string{"Keys.Suspended contains white space"}},
		{"unknown fault", Config{Faults: []string{"no-such-bug"}},
			[]string{`unknown fault "no-such-bug"`, "known faults: auth-authorization-ignored, "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(tt.cfg)
			if err == nil {
				s.Close()
				t.Fatalf("New(%+v) succeeded, want an error", tt.cfg)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error %q reveals a key", err)
			}
		})
	}
}

func TestServer_Fault(t *testing.T) {
	t.Parallel()
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.fault("anything") {
		t.Error("fault reported on with no faults configured")
	}
}

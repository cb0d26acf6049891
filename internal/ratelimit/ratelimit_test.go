package ratelimit

import (
	"net/http"
	"testing"
	"time"
)

func TestReset(t *testing.T) {
	t.Parallel()
	at := time.Unix(1_800_000_000, 0)
	cases := []struct {
		in       string
		want     time.Time
		relative bool
		ok       bool
	}{
		{"1800000042", time.Unix(1_800_000_042, 0), false, true},
		{"1800000042.5", time.Unix(1_800_000_042, 5e8), false, true},
		{"42", at.Add(42 * time.Second), true, true},
		{" 0.5 ", at.Add(500 * time.Millisecond), true, true},
		{"", time.Time{}, false, false},
		{"soon", time.Time{}, false, false},
		{"-1", time.Time{}, false, false},
		{"NaN", time.Time{}, false, false},
	}
	for _, tc := range cases {
		got, rel, ok := Reset(tc.in, at)
		if ok != tc.ok || rel != tc.relative || !got.Equal(tc.want) {
			t.Errorf("Reset(%q) = %v, %v, %v; want %v, %v, %v", tc.in, got, rel, ok, tc.want, tc.relative, tc.ok)
		}
	}
}

// Retry-After reads fractions the same way X-RateLimit-Reset does.
func TestRetryAfter(t *testing.T) {
	t.Parallel()
	at := time.Unix(1_800_000_000, 0)
	cases := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"7", at.Add(7 * time.Second), true},
		{"0", at, true},
		{"1.5", at.Add(1500 * time.Millisecond), true},
		{at.Add(9 * time.Second).UTC().Format(http.TimeFormat), at.Add(9 * time.Second), true},
		{"-3", time.Time{}, false},
		{"soon", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tc := range cases {
		got, ok := RetryAfter(tc.in, at)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	at := time.Unix(1_800_000_000, 0)
	h := func(limit, remaining, reset string) http.Header {
		return http.Header{"X-Ratelimit-Limit": {limit}, "X-Ratelimit-Remaining": {remaining}, "X-Ratelimit-Reset": {reset}}
	}
	got, err := Parse(h("300", "299", "1800000060"), at)
	if err != nil || got.Limit != 300 || got.Remaining != 299 || !got.ResetAt.Equal(at.Add(time.Minute)) {
		t.Errorf("Parse = %+v, %v", got, err)
	}
	for _, bad := range []http.Header{h("300", "301", "60"), h("x", "1", "60"), h("3", "1", ""), h("3", "-1", "60")} {
		if _, err := Parse(bad, at); err == nil {
			t.Errorf("Parse(%v): no error", bad)
		}
	}
}

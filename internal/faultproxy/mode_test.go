package faultproxy

import (
	"errors"
	"testing"
)

func TestParseMode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Mode
		wantErr bool
	}{
		{"", ModeNone, false},
		{"none", ModeNone, false},
		{" NONE ", ModeNone, false},
		{"latency", ModeLatency, false},
		{"reset", ModeReset, false},
		{"truncate", ModeTruncate, false},
		{"non-json", ModeNonJSON, false},
		{"Huge", ModeHuge, false},
		{"hang", ModeHang, false},
		{"burst-5xx", ModeBurst5xx, false},
		{"nonjson", ModeNone, true},
		{"chaos", ModeNone, true},
	}
	for _, tt := range tests {
		got, err := ParseMode(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseMode(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if tt.wantErr && !errors.Is(err, ErrUnknownMode) {
			t.Errorf("ParseMode(%q) error %v does not wrap ErrUnknownMode", tt.in, err)
		}
	}
}

func TestModes_AllParse(t *testing.T) {
	t.Parallel()
	for _, m := range Modes() {
		if got, err := ParseMode(string(m)); got != m || err != nil {
			t.Errorf("ParseMode(%q) = %q, %v; want the mode back", m, got, err)
		}
	}
}

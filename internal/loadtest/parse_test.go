package loadtest

import (
	"errors"
	"testing"
	"time"
)

func TestParseRate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Rate
		perSec  float64
		wantErr bool
	}{
		{in: "200/s", want: Rate{200, time.Second}, perSec: 200},
		{in: "200", want: Rate{200, time.Second}, perSec: 200},
		{in: " 50/1s ", want: Rate{50, time.Second}, perSec: 50},
		{in: "300/m", want: Rate{300, time.Minute}, perSec: 5},
		{in: "300/min", want: Rate{300, time.Minute}, perSec: 5},
		{in: "50/100ms", want: Rate{50, 100 * time.Millisecond}, perSec: 500},
		{in: "1/2s", want: Rate{1, 2 * time.Second}, perSec: 0.5},
		{in: "3600/h", want: Rate{3600, time.Hour}, perSec: 1},
		{in: "0/s", wantErr: true},
		{in: "-5/s", wantErr: true},
		{in: "1.5/s", wantErr: true},
		{in: "abc", wantErr: true},
		{in: "10/parsec", wantErr: true},
		{in: "10/0s", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseRate(tt.in)
		if tt.wantErr {
			if err == nil || !errors.Is(err, ErrUsage) {
				t.Errorf("ParseRate(%q) = %v, %v; want a usage error", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want || got.PerSecond() != tt.perSec {
			t.Errorf("ParseRate(%q) = %v (%v/s), %v; want %v (%v/s)", tt.in, got, got.PerSecond(), err, tt.want, tt.perSec)
		}
	}
}

func TestRate_String(t *testing.T) {
	t.Parallel()
	tests := []struct {
		r    Rate
		want string
	}{
		{Rate{200, time.Second}, "200/s"},
		{Rate{200, time.Second}.share(3), "66.67/s"},
		{Rate{300, time.Minute}, "5/s"},
		{perSecond(0.25), "0.25/s"},
		{Rate{}, "0/s"},
	}
	for _, tt := range tests {
		if got := tt.r.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.r, got, tt.want)
		}
	}
}

func TestParseRamp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Ramp
		wantErr bool
	}{
		{in: "10/s:500/s", want: Ramp{Rate{10, time.Second}, Rate{500, time.Second}}},
		{in: "500/s:10/s", want: Ramp{Rate{500, time.Second}, Rate{10, time.Second}}},
		{in: "60/m:5", want: Ramp{Rate{60, time.Minute}, Rate{5, time.Second}}},
		{in: "10/s", wantErr: true},
		{in: "10/s:", wantErr: true},
		{in: ":10/s", wantErr: true},
		{in: "0/s:10/s", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseRamp(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseRamp(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       string
		fraction float64
		str      string
		wantErr  bool
	}{
		{in: "all", fraction: 1, str: "all"},
		{in: "", fraction: 1, str: "all"},
		{in: "100%", fraction: 1, str: "all"},
		{in: "off", fraction: 0, str: "off"},
		{in: "0%", fraction: 0, str: "off"},
		{in: "25%", fraction: 0.25, str: "25%"},
		{in: "0.5%", fraction: 0.005, str: "0.5%"},
		{in: "25", wantErr: true},
		{in: "101%", wantErr: true},
		{in: "-5%", wantErr: true},
		{in: "half", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseValidate(tt.in)
		if tt.wantErr {
			if err == nil {
				t.Errorf("ParseValidate(%q) = %v; want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got.fraction() != tt.fraction || got.String() != tt.str {
			t.Errorf("ParseValidate(%q) = %v (%v), %v; want %v (%q)", tt.in, got.fraction(), got, err, tt.fraction, tt.str)
		}
	}
	if v := Validation(0); v.fraction() != 1 {
		t.Errorf("zero Validation checks %v of responses, want all", v.fraction())
	}
}

func TestParseShard(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Shard
		tag     string
		wantErr bool
	}{
		{in: "1/3", want: Shard{1, 3}, tag: "s1of3"},
		{in: "3/3", want: Shard{3, 3}, tag: "s3of3"},
		{in: " 2 / 4 ", want: Shard{2, 4}, tag: "s2of4"},
		{in: "1/1", want: Shard{1, 1}, tag: ""},
		{in: "", want: Shard{}, tag: ""},
		{in: "0/3", wantErr: true},
		{in: "4/3", wantErr: true},
		{in: "1/0", wantErr: true},
		{in: "a/b", wantErr: true},
		{in: "2", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseShard(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want || (err == nil && got.tag() != tt.tag) {
			t.Errorf("ParseShard(%q) = %v (tag %q), %v; want %v (tag %q), error %v", tt.in, got, got.tag(), err, tt.want, tt.tag, tt.wantErr)
		}
	}
}

package explore

import (
	"math/big"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// expect is the class of answer an input must get.
type expect int

const (
	want2xx      expect = iota // a valid input
	want404                    // well formed, but nothing has it (or another agency has)
	want4xx                    // refused: any 4xx in the error format
	want2xxOr4xx               // taken exactly as sent, or refused
)

func (w expect) String() string {
	return [...]string{"2xx", "404", "4xx", "2xx (round-tripped exactly) or 4xx"}[w]
}

func (w expect) admits(status int) bool {
	switch w {
	case want2xx:
		return ok(status)
	case want404:
		return status == 404
	case want4xx:
		return status >= 400 && status < 500
	}
	return ok(status) || (status >= 400 && status < 500)
}

// intValue is a generated integer parameter: its text and class.
type intValue struct {
	text, class string
	want        expect
}

// integerValues are the boundary and malformed values of an integer
// parameter. In-range ids name nothing (404); out-of-range and malformed
// ones are refused (4xx). careful leaves out in-range ids small enough to
// belong to a real file, for operations that change what they name.
func integerValues(s *openapi3.Schema, careful bool) []intValue {
	lo, hi := intBounds(s)
	var out []intValue
	for _, t := range []string{"2147483647", "2147483648", "9007199254740992", "9223372036854775807",
		"9223372036854775808", "18446744073709551616", "0", "-1", "-9223372036854775808"} {
		n, _ := new(big.Int).SetString(t, 10)
		switch {
		case n.Cmp(lo) >= 0 && n.Cmp(hi) <= 0:
			if careful && n.BitLen() < 54 {
				continue
			}
			out = append(out, intValue{t, "bounds", want404})
		default:
			out = append(out, intValue{t, "bounds", want4xx})
		}
	}
	for _, t := range []string{"abc", "1.5", "1e3", "%201", "0x10", "1%00"} {
		out = append(out, intValue{t, "type", want4xx})
	}
	return out
}

func intBounds(s *openapi3.Schema) (lo, hi *big.Int) {
	lo, hi = big.NewInt(-1<<63), big.NewInt(1<<63-1)
	if s.Format == "int32" {
		lo, hi = big.NewInt(-1<<31), big.NewInt(1<<31-1)
	}
	if s.Min != nil {
		lo, _ = big.NewFloat(*s.Min).Int(nil)
	}
	if s.Max != nil {
		hi, _ = big.NewFloat(*s.Max).Int(nil)
	}
	return lo, hi
}

// strValue is a generated string: the value, its class and a label.
type strValue struct {
	value, class, label string
}

// stringValues are the odd strings of a string field or parameter, each
// carrying the run's prefix so that nothing the run makes or deletes can be
// a real user's: reserved URL characters, non-ASCII and right-to-left text,
// surrounding whitespace, control characters, and the lengths around max.
func stringValues(prefix string, max int) []strValue {
	p := prefix + "-"
	out := []strValue{
		{p + "a/b", "reserved", "slash"},
		{p + "50%", "reserved", "percent"},
		{p + "x%41", "reserved", "percent-escape"},
		{p + "a?b=c", "reserved", "question mark"},
		{p + "a#b", "reserved", "hash"},
		{p + "a b", "reserved", "space"},
		{p + "a+b&c", "reserved", "plus and ampersand"},
		{p + "ünïcødé-ФОТО", "unicode", "non-ASCII"},
		{p + "שלום-مرحبا", "unicode", "right-to-left"},
		{p + "😀", "unicode", "emoji"},
		{p + "MiXeD", "unicode", "mixed case"},
		{" " + p + "ws ", "whitespace", "surrounding spaces"},
		{"\t" + p + "tab\n", "whitespace", "tab and newline"},
		{p + "nul\x00x", "control", "U+0000"},
		{p + "bel\x07", "control", "U+0007"},
		{p + "del\x7f", "control", "U+007F"},
	}
	if max > len(p) {
		out = append(out,
			strValue{pad(p, max-1), "length", "max-1 characters"},
			strValue{pad(p, max), "length", "max characters"},
			strValue{pad(p, max+1), "length", "max+1 characters"})
	}
	return out
}

func pad(p string, n int) string { return p + strings.Repeat("x", n-len(p)) }

// refused reports whether a generated string is outside the schema, so
// that it must be refused rather than taken.
func refused(v strValue, max int) bool {
	return max > 0 && len([]rune(v.value)) > max
}

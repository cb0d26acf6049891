package cli

import "github.com/rentix/mediaharness/internal/loadtest"

// optionalRate reads a rate flag that may be off: "" or "0" is the zero
// Rate, anything else loadtest.ParseRate's syntax, the one of every rate
// flag.
func optionalRate(s string) (loadtest.Rate, error) {
	if s == "" || s == "0" {
		return loadtest.Rate{}, nil
	}
	return loadtest.ParseRate(s)
}

// rpsValue is --max-rps: a rate in the one syntax of every rate flag
// (optionalRate), kept as requests a second for the
// library it feeds; "" or 0 is none.
type rpsValue struct {
	rps  *float64
	text string
}

// rateSyntax is the syntax every rate flag takes, for help texts.
const rateSyntax = "COUNT/UNIT, e.g. 5/s, 300/m, 300/min or 50/100ms; a bare number is per second"

func (v *rpsValue) String() string {
	if v == nil || v.text == "" {
		return "0"
	}
	return v.text
}

func (v *rpsValue) Set(s string) error {
	r, err := optionalRate(s)
	if err != nil {
		return err
	}
	*v.rps, v.text = r.PerSecond(), s
	return nil
}

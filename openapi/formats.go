package openapi

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// dateTime is RFC 3339's date-time (section 5.6). Unlike kin-openapi's own
// pattern it takes the lower-case "t" and "z" the RFC allows (section 5.6,
// note on ABNF case-insensitivity).
var dateTime = regexp.MustCompile(`(?i)^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])t([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$`)

var defineOnce sync.Once

// DefineFormats registers the string formats the contract uses with
// kin-openapi, whose format registry is global: date-time as RFC 3339 accepts
// it, and http-date (RFC 9110, section 5.6.7: IMF-fixdate and the two
// obsolete forms a recipient must accept). Safe to call more than once.
func DefineFormats() {
	defineOnce.Do(func() {
		openapi3.DefineStringFormatValidator("date-time", openapi3.NewCallbackValidator(checkDateTime))
		openapi3.DefineStringFormatValidator("http-date", openapi3.NewCallbackValidator(checkHTTPDate))
	})
}

func checkDateTime(v string) error {
	if !dateTime.MatchString(v) {
		return fmt.Errorf("not an RFC 3339 date-time")
	}
	// The pattern cannot tell 30 February from a real day.
	if _, err := time.Parse(time.DateOnly, v[:len(time.DateOnly)]); err != nil {
		return fmt.Errorf("not an RFC 3339 date-time: no such day")
	}
	return nil
}

func checkHTTPDate(v string) error {
	if _, err := http.ParseTime(strings.TrimSpace(v)); err != nil {
		return fmt.Errorf("not an HTTP-date")
	}
	return nil
}

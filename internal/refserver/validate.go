package refserver

import (
	"encoding/json"
	"net/url"
	"strconv"
	"unicode/utf8"
)

// maxExternalIDLen is the documented limit of users' external IDs.
const maxExternalIDLen = 255

// Validation messages, in class-validator's words.
const (
	msgExternalIDString = "externalId must be a string"
	msgExternalIDEmpty  = "externalId should not be empty"
	msgExternalIDLong   = "externalId must be shorter than or equal to 255 characters"
	msgURLInvalid       = "url must be a URL address"
	msgURLEmpty         = "url should not be empty"
)

// stringField reads a string field: ok is false when it is there but not a
// string; present is false when it is missing or null.
func stringField(obj object, name string) (value string, present, ok bool) {
	raw, found := obj[name]
	if !found || string(raw) == "null" {
		return "", false, true
	}
	if err := json.Unmarshal(raw, &value); err != nil {
		return "", true, false
	}
	return value, true, true
}

// checkExternalID validates an external ID field; required says whether a
// missing one is an error. It returns the messages of every broken rule.
func checkExternalID(obj object, required bool) (id string, present bool, problems []string) {
	id, present, ok := stringField(obj, "externalId")
	switch {
	case !ok:
		return "", true, []string{msgExternalIDString}
	case !present && required:
		return "", false, []string{msgExternalIDEmpty, msgExternalIDString}
	case !present:
		return "", false, nil
	case id == "":
		return "", true, []string{msgExternalIDEmpty}
	case utf8.RuneCountInString(id) > maxExternalIDLen:
		return "", true, []string{msgExternalIDLong}
	}
	return id, true, nil
}

// checkURL validates the source URL of an upload: an absolute http or https URL.
func checkURL(obj object) (string, []string) {
	u, present, ok := stringField(obj, "url")
	switch {
	case !ok:
		return "", []string{msgURLInvalid}
	case !present || u == "":
		return "", []string{msgURLEmpty, msgURLInvalid}
	}
	parsed, err := url.Parse(u)
	if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
		return "", []string{msgURLInvalid}
	}
	return u, nil
}

// parseID reads a positive decimal integer (digits only, no sign).
func parseID(s string) (int64, bool) {
	if s == "" || len(s) > 19 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

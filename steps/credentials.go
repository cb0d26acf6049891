package steps

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
)

// unknownKey is well formed but belongs to no agency.
const unknownKey = "rx_00000000000000000000000000000000"

// sender is who a request says it comes from: the key it presents and how.
type sender struct {
	label string // the agency whose key is sent; "" for no key or an unknown one
	key   string
	auth  client.AuthStyle
	// deliberate: the request breaks the authentication rules on purpose, so
	// only its answer is held to the contract.
	deliberate bool
}

// credentialPhrases are the ways a "When I <operation>" may present a key.
// Without one, a request presents the key of the file's owner as
// "Authorization: ApiKey <key>".
var credentialPhrases = []string{
	"with the key in the Authorization header",
	"with the key in the X-API-Key header",
	"with the key in both headers",
	"without a key",
	"with an unknown key",
	"with the key as a Bearer token",
	"with another agency's key",
	"with the suspended agency's key",
	"with the CRM-disabled agency's key",
}

// credentialGroup matches an optional credential phrase after an operation.
var credentialGroup = func() string {
	quoted := make([]string, len(credentialPhrases))
	for i, p := range credentialPhrases {
		quoted[i] = regexp.QuoteMeta(p)
	}
	return `(?: (` + strings.Join(quoted, "|") + `))?`
}()

// sender resolves a credential phrase for a request about a file of owner.
func (s *state) sender(phrase, owner string) (sender, error) {
	own := func(a client.AuthStyle, deliberate bool) (sender, error) {
		return s.agencySender(owner, a, deliberate)
	}
	switch phrase {
	case "", "with the key in the Authorization header":
		return own(client.AuthAPIKeyHeader, false)
	case "with the key in the X-API-Key header":
		return own(client.AuthXAPIKey, false)
	case "with the key in both headers":
		return own(client.AuthBoth, true)
	case "with the key as a Bearer token":
		return own(client.AuthOtherScheme, true)
	case "without a key":
		return sender{auth: client.AuthNone, deliberate: true}, nil
	case "with an unknown key":
		return sender{key: unknownKey, auth: client.AuthAPIKeyHeader, deliberate: true}, nil
	case "with another agency's key":
		return s.agencySender(otherAgency(owner), client.AuthAPIKeyHeader, false)
	case "with the suspended agency's key":
		return s.agencySender(config.Suspended, client.AuthAPIKeyHeader, false)
	case "with the CRM-disabled agency's key":
		return s.agencySender(config.CRMDisabled, client.AuthAPIKeyHeader, false)
	}
	return sender{}, fmt.Errorf("unknown credential phrase %q", phrase)
}

func (s *state) agencySender(label string, a client.AuthStyle, deliberate bool) (sender, error) {
	key := s.key(label)
	if key == "" {
		return sender{}, fmt.Errorf("the run has no %q key (tag the scenario so it is skipped without one)", label)
	}
	return sender{label: label, key: key, auth: a, deliberate: deliberate}, nil
}

// otherAgency is the active agency that does not own a file of owner.
func otherAgency(owner string) string {
	if owner == config.Other {
		return config.Primary
	}
	return config.Other
}

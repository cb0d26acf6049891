package conform

import (
	"strings"
	"time"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
)

// Poll deadlines handed to the steps.
const (
	embeddedPollTimeout     = 30 * time.Second
	remotePollTimeout       = 3 * time.Minute
	rateLimitRecoverTimeout = 75 * time.Second // the documented window is one minute
)

// requestTimeout is the per-request timeout, client.DefaultTimeout if unset.
func requestTimeout(t config.Target) time.Duration {
	if t.Timeout > 0 {
		return t.Timeout
	}
	return client.DefaultTimeout
}

func pollTimeout(t config.Target) time.Duration {
	if t.Embedded() {
		return embeddedPollTimeout
	}
	return remotePollTimeout
}

// oneLine folds multi-line error text into one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

package faultproxy

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine behind once its proxies and servers are closed.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

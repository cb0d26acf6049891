package conform

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/rentix/mediaharness/internal/config"
)

// TestRun_PreflightErrors: a target that is not there stops the run before
// any report directory is made (internal/preflight tests every kind of
// wrong target).
func TestRun_PreflightErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/api/v1"
	ln.Close()
	dir := t.TempDir()
	o := Options{Target: config.Target{BaseURL: closed, APIKey: "rx_preflight_secret_0123456789", MaxRPS: 1000}, ReportDir: dir}
	_, err = run(context.Background(), o, fakeSuite(map[string]string{"x.feature": mixedFeature}, newFakeSteps()))
	if err == nil || !strings.Contains(err.Error(), "cannot reach the target") {
		t.Errorf("run error %v; want the preflight's: cannot reach the target", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed preflight left files in the report dir: %v", entries)
	}
}

package explore

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/contract"
	"github.com/rentix/mediaharness/internal/refserver"
	"github.com/rentix/mediaharness/internal/runfiles"
	"github.com/rentix/mediaharness/internal/target"
	"github.com/rentix/mediaharness/openapi"
)

// runSlice runs a slice against a reference server with faults, the way
// the conformance run's @explore scenario does, and cleans up after it.
func runSlice(t *testing.T, budget int, faults ...string) []Finding {
	t.Helper()
	srv, err := refserver.Listen(refserver.Config{Faults: faults, OptimizeDelay: target.Quick(nil).OptimizeDelay})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	src, err := runfiles.StartSources()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = src.Close() })
	doc, _ := openapi.Load()
	v, _ := contract.New(doc)
	keys := srv.Target().Keys()
	c, err := client.New(client.Options{BaseURL: srv.BaseURL, Validator: v, Secrets: srv.Target().Secrets()})
	if err != nil {
		t.Fatal(err)
	}
	ledger, err := runfiles.OpenLedger(filepath.Join(t.TempDir(), "ledger.jsonl"), "slice")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ledger.Close() })
	mgr := runfiles.NewManager(c, ledger, keys, "mh-slice")
	found, err := RunSlice(context.Background(), Slice{Client: c, Fixtures: mgr, Keys: keys, Source: src.SmallURL, Budget: budget})
	if err != nil {
		t.Fatalf("RunSlice: %v", err)
	}
	if _, err := mgr.Cleanup(context.Background()); err != nil {
		t.Errorf("cleanup: %v", err)
	}
	if n := srv.MediaCount(keys["primary"]) + srv.MediaCount(keys["other"]); n != 0 {
		t.Errorf("the slice left %d files", n)
	}
	if sent := int(c.Stats().Requests); sent > budget+mgr.Created() {
		t.Errorf("sent %d requests on a budget of %d (cleanup of %d files aside)", sent, budget, mgr.Created())
	}
	return found
}

func TestRunSlice_CleanServer(t *testing.T) {
	t.Parallel()
	if found := runSlice(t, 60); len(found) != 0 {
		t.Errorf("clean server: %d findings, the first: %s", len(found), found[0].Text())
	}
}

// With the whole input set in its budget, a slice finds an input fault.
func TestRunSlice_FindsAFault(t *testing.T) {
	t.Parallel()
	if found := runSlice(t, 300, "bounds-id-int32-500"); len(found) == 0 {
		t.Error("bounds-id-int32-500 not found")
	}
}

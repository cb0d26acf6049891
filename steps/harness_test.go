package steps

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cucumber/godog"

	"github.com/rentix/mediaharness/features"
	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/contract"
	"github.com/rentix/mediaharness/internal/refserver"
	"github.com/rentix/mediaharness/internal/runfiles"
	"github.com/rentix/mediaharness/openapi"
)

// harness is an embedded reference server (optionally behind a middleware
// that breaks it), the image sources it downloads from, and the Env the
// steps run with.
type harness struct {
	env    *Resources
	server *refserver.Server
	keys   refserver.Keys
	ledger *runfiles.Ledger
}

// middleware wraps the reference server; it gets the server's keys.
type middleware func(keys refserver.Keys, next http.Handler) http.Handler

var (
	validatorOnce sync.Once
	validator     *contract.Validator
	validatorErr  error
)

// sharedValidator loads the contract once for all tests (it is the slow part).
func sharedValidator(t *testing.T) *contract.Validator {
	t.Helper()
	validatorOnce.Do(func() {
		doc, err := openapi.Load()
		if err != nil {
			validatorErr = err
			return
		}
		validator, validatorErr = contract.New(doc)
	})
	if validatorErr != nil {
		t.Fatal(validatorErr)
	}
	return validator
}

func newHarness(t *testing.T, cfg refserver.Config, wrap middleware) *harness {
	t.Helper()
	srv, err := refserver.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	var h http.Handler = srv
	if wrap != nil {
		h = wrap(srv.Keys(), srv)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	sources, err := runfiles.StartSources()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sources.Close() })
	small := httptest.NewServer(smallImage(t))
	t.Cleanup(small.Close)

	k := srv.Keys()
	keys := map[string]string{
		config.Primary: k.Primary, config.Other: k.Other,
		config.Suspended: k.Suspended, config.CRMDisabled: k.CRMDisabled,
	}
	c, err := client.New(client.Options{
		BaseURL: ts.URL + "/api/v1", Validator: sharedValidator(t),
		Secrets: []string{k.Primary, k.Other, k.Suspended, k.CRMDisabled}, MaxWait: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	ledger, err := runfiles.OpenLedger(filepath.Join(t.TempDir(), "ledger.jsonl"), "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ledger.Close() })
	return &harness{
		server: srv, keys: k, ledger: ledger,
		env: &Resources{
			Client: c, Fixtures: runfiles.NewManager(c, ledger, keys, "mh-test"), Keys: keys,
			JPEGURL: sources.JPEGURL, PNGURL: sources.PNGURL, NotImageURL: sources.NotImageURL,
			FileURL:     small.URL + "/small.jpg",
			PollTimeout: 30 * time.Second, RateLimitRecoverTimeout: 10 * time.Second,
		},
	}
}

// smallImage serves a 64x48 JPEG: the fixtures whose content does not
// matter use it, because optimizing a full-size photo takes the reference
// server seconds under the race detector.
func smallImage(t *testing.T) http.Handler {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			img.Set(x, y, color.RGBA{R: uint8(4 * x), G: uint8(5 * y), B: 128, A: 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		_, _ = w.Write(data)
	})
}

// cleanup deletes every fixture the run made.
func (h *harness) cleanup(t *testing.T) {
	t.Helper()
	if _, err := h.env.Fixtures.Cleanup(context.Background()); err != nil {
		t.Errorf("cleanup: %v", err)
	}
}

// assertClean checks that cleanup left the server holding no file and that
// the manager's counts agree.
func (h *harness) assertClean(t *testing.T) {
	t.Helper()
	for label, key := range h.env.Keys {
		if n := h.server.MediaCount(key); n != 0 {
			t.Errorf("after cleanup the %s agency still holds %d files", label, n)
		}
	}
	m := h.env.Fixtures
	if m.Created() != m.DeletedCount() {
		t.Errorf("fixtures created %d, deleted %d: want the same", m.Created(), m.DeletedCount())
	}
}

// runStats counts what a godog run did.
type runStats struct {
	scenarios, skippedSteps atomic.Int64
}

// suite is one godog run over the embedded features.
type suite struct {
	paths       []string
	tags        string
	concurrency int
	t           *testing.T // non-nil: scenarios run as subtests
	skipped     io.Writer  // non-nil: gets the reason of each skipped step
}

// run runs the suite with env and returns godog's exit code, its output and
// what it counted.
func (s suite) run(env *Resources) (int, string, *runStats) {
	var out bytes.Buffer
	var mu sync.Mutex
	stats := &runStats{}
	paths := s.paths
	if len(paths) == 0 {
		paths = []string{"."}
	}
	code := godog.TestSuite{
		Name: "mediaharness",
		ScenarioInitializer: func(sc *godog.ScenarioContext) {
			InitializeScenario(env)(sc)
			sc.Before(func(ctx context.Context, _ *godog.Scenario) (context.Context, error) {
				stats.scenarios.Add(1)
				return ctx, nil
			})
			sc.StepContext().After(func(ctx context.Context, _ *godog.Step, st godog.StepResultStatus, err error) (context.Context, error) {
				if st == godog.StepSkipped {
					stats.skippedSteps.Add(1)
				}
				if st == godog.StepSkipped && err != nil && s.skipped != nil {
					mu.Lock()
					fmt.Fprintln(s.skipped, err)
					mu.Unlock()
				}
				return ctx, nil
			})
		},
		Options: &godog.Options{
			Format: "progress", Output: io.Writer(&out), NoColors: true, Strict: true,
			FS: features.FS, Paths: paths, Tags: s.tags, Concurrency: max(s.concurrency, 1), TestingT: s.t,
		},
	}.Run()
	return code, out.String(), stats
}

package conform

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cucumber/godog"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/refserver"
	"github.com/rentix/mediaharness/internal/runfiles"
	"github.com/rentix/mediaharness/steps"
)

// fakeSuite runs inline feature files against a tiny set of steps, so the
// runner and its reports are tested apart from the real suite.
func fakeSuite(files map[string]string, fk *fakeSteps) suite {
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return suite{fs: fsys, paths: []string{"."}, steps: fk.init}
}

// fakeSteps are the step definitions of the inline features.
type fakeSteps struct {
	// uploaded is closed after the first fixture upload.
	uploaded chan struct{}
	once     sync.Once
}

func newFakeSteps() *fakeSteps { return &fakeSteps{uploaded: make(chan struct{})} }

type statusKey struct{}

func (fk *fakeSteps) init(env *steps.Resources) func(*godog.ScenarioContext) {
	return func(sc *godog.ScenarioContext) {
		sc.Step(`^I ask for the agency$`, func(ctx context.Context) (context.Context, error) {
			resp, err := env.Client.Do(ctx, client.Request{Method: http.MethodGet, Path: "/agency", Key: env.Keys[config.Primary]})
			if err != nil {
				return ctx, err
			}
			return context.WithValue(ctx, statusKey{}, resp.Status), nil
		})
		sc.Step(`^it answers (\d+)$`, func(ctx context.Context, want int) error {
			if got, _ := ctx.Value(statusKey{}).(int); got != want {
				return fmt.Errorf("got status %d, want %d", got, want)
			}
			return nil
		})
		sc.Step(`^"([^"]*)" passes$`, func(string) error { return nil })
		sc.Step(`^"([^"]*)" fails$`, func(name string) error { return fmt.Errorf("%s failed\nsecond line of evidence", name) })
		sc.Step(`^it is skipped because "([^"]*)"$`, func(why string) error { return fmt.Errorf("%w: %s", godog.ErrSkip, why) })
		sc.Step(`^the failure quotes the key$`, func() error {
			return fmt.Errorf("evidence: Authorization: ApiKey %s; X-API-Key: %s", env.Keys[config.Primary], env.Keys[config.Primary])
		})
		sc.Step(`^the key is attached as evidence$`, func(ctx context.Context) (context.Context, error) {
			return godog.Attach(ctx, godog.Attachment{Body: []byte("key: " + env.Keys[config.Primary]),
				FileName: "evidence.txt", MediaType: "text/plain"}), nil
		})
		sc.Step(`^a fixture is uploaded$`, func(ctx context.Context) error {
			_, err := env.Fixtures.Upload(ctx, config.Primary, env.JPEGURL)
			fk.once.Do(func() { close(fk.uploaded) })
			return err
		})
		sc.Step(`^the run is interrupted while the scenario runs$`, func(ctx context.Context) error {
			<-ctx.Done()
			return fmt.Errorf("waiting: %w", ctx.Err())
		})
	}
}

// loopbackServer is a reference server on an httptest listener with known
// keys, for tests that look at the server's state after a run.
type loopbackServer struct {
	srv  *refserver.Server
	http *httptest.Server
	keys refserver.Keys
}

func startLoopback(t *testing.T, primary string) *loopbackServer {
	t.Helper()
	srv, err := refserver.New(refserver.Config{Keys: refserver.Keys{Primary: primary}, OptimizeDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return &loopbackServer{srv: srv, http: hs, keys: srv.Keys()}
}

func (l *loopbackServer) target() config.Target {
	return config.Target{BaseURL: l.http.URL + "/api/v1", APIKey: l.keys.Primary, OtherAPIKey: l.keys.Other, MaxRPS: 1000}
}

// runFake runs su with o, reports in a temporary directory, and returns
// the result and what was printed.
func runFake(t *testing.T, ctx context.Context, o Options, su suite) (*Result, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	o.Stdout, o.Stderr = &out, &errOut
	if o.ReportDir == "" {
		o.ReportDir = t.TempDir()
	}
	res, err := run(ctx, o, su)
	if err != nil {
		t.Fatalf("run: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errOut.String())
	}
	return res, out.String() + errOut.String()
}

func readOutstanding(t *testing.T, ledger string) int {
	t.Helper()
	out, err := runfiles.Outstanding(ledger)
	if err != nil {
		t.Fatal(err)
	}
	return len(out)
}

// brokenSteps panics while registering, as a bad step pattern does.
func brokenSteps(*steps.Resources) func(*godog.ScenarioContext) {
	return func(sc *godog.ScenarioContext) {
		sc.Step(`^"([^"]*)" passes$`, func(string) error { return nil })
		sc.Step(`^(?:?:broken$`, func() error { return nil })
	}
}

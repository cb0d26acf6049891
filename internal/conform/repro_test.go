package conform

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cucumber/godog"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/steps"
)

// reproFeature fails once for each agency's key, with the evidence of the
// request that carried it.
const reproFeature = `Feature: Reproductions
  Scenario Outline: a request with the <label> key fails
    Then the agency answers 299 to the <label> key

    Examples:
      | label        |
      | primary      |
      | other        |
      | suspended    |
      | crm-disabled |
      | ratelimit    |
      | unknown      |
`

// unknownKey is well formed but no agency's.
const unknownKey = "rx_00000000000000000000000000000000"

func reproSteps(env *steps.Resources) func(*godog.ScenarioContext) {
	return func(sc *godog.ScenarioContext) {
		sc.Step(`^the agency answers (\d+) to the (\S+) key$`, func(ctx context.Context, want int, label string) error {
			key := env.Keys[label]
			if label == "unknown" {
				key = unknownKey
			}
			resp, err := env.Client.Do(ctx, client.Request{Method: http.MethodGet, Path: "/agency", Key: key})
			if resp == nil {
				return err
			}
			return fmt.Errorf("the status\n  want: %d\n  got:  %d\n\n%s", want, resp.Status, env.Client.Evidence(resp))
		})
	}
}

// Every failure carries a curl line in the console, summary.md, index.html,
// junit.xml and results.json, and the line sends the key of the agency
// whose key the failing request carried, by its variable, never the key;
// a key of no agency is sent redacted.
func TestRun_EveryFailureReproducesWithItsAgencysKey(t *testing.T) {
	t.Parallel()
	su := suite{fs: fstest.MapFS{"repro.feature": {Data: []byte(reproFeature)}}, paths: []string{"."}, steps: reproSteps}
	lb := startLoopback(t, "")
	o := Options{RunID: "repro", Target: lb.target()}
	o.Target.SuspendedAPIKey, o.Target.CRMDisabledAPIKey = lb.keys.Suspended, lb.keys.CRMDisabled
	o.Target.RateLimitAPIKey = lb.keys.RateLimited
	res, out := runFake(t, context.Background(), o, su)
	if res.Failed != 6 {
		t.Fatalf("failed = %d, want 6:\n%s", res.Failed, out)
	}
	files := map[string]string{"console": out}
	for _, name := range []string{SummaryFile, HTMLFile, junitFile, ResultsFile} {
		data, err := os.ReadFile(filepath.Join(res.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = html.UnescapeString(string(data))
		if name == ResultsFile {
			files[name] = strings.ReplaceAll(files[name], `\"`, `"`)
		}
	}
	for label, variable := range config.KeyEnv {
		curl := fmt.Sprintf(`-H "Authorization: ApiKey $%s"`, variable)
		for where, text := range files {
			if !strings.Contains(text, curl) {
				t.Errorf("%s lacks the reproduction of the %s agency's request (%s):\n%s", where, label, curl, text)
			}
		}
	}
	// An unknown key is sent again as an unknown key, never as a valid one.
	for where, text := range files {
		if !strings.Contains(text, `-H 'Authorization: ApiKey [REDACTED]'`) {
			t.Errorf("%s lacks the reproduction of the unknown key's request, sent redacted:\n%s", where, text)
		}
	}
	for where, text := range files {
		for label, key := range o.Target.Keys() {
			if strings.Contains(text, key) {
				t.Errorf("%s holds the %s key", where, label)
			}
		}
	}
}

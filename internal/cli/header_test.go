package cli

import (
	"bytes"
	"context"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/refserver"
)

// gatewayToken is a --header value no other text contains.
const gatewayToken = "gw_cliSecretGateway_7d2e9b4f1a6c3058"

// gateway wraps the API in a gateway that refuses (403) every API request
// without the token, counting them, and echoes the token on every answer.
func gateway(missing *atomic.Int64) func(http.Handler) http.Handler {
	return func(api http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Echo-Gateway", r.Header.Get("X-Gateway-Token"))
			if strings.HasPrefix(r.URL.Path, "/api/") && r.Header.Get("X-Gateway-Token") != gatewayToken {
				missing.Add(1)
				http.Error(w, "no gateway token", http.StatusForbidden)
				return
			}
			api.ServeHTTP(w, r)
		})
	}
}

// --header reaches the target on every request of every command that
// talks to one, and its value reaches no output.
func TestHeader_SentByEveryCommandAndNeverWritten(t *testing.T) {
	t.Parallel()
	var missing atomic.Int64
	up := startUpstream(t, refserver.Config{}, gateway(&missing))
	base := up.http.URL + "/api/v1"
	target := append(up.targetFlags(t, base), "--header", "X-Gateway-Token: "+gatewayToken, "--header", "Traceparent: 00-4bf92f3577b34da6-01")
	reports := t.TempDir()
	slo := filepath.Join(t.TempDir(), "slo.yaml")
	if err := os.WriteFile(slo, []byte(looseSLO), 0o644); err != nil {
		t.Fatal(err)
	}
	ledger := filepath.Join(reports, "sweep", "ledger.jsonl")
	_ = os.MkdirAll(filepath.Dir(ledger), 0o755)
	place := config.Target{BaseURL: base}.Place()
	if err := os.WriteFile(ledger, []byte(`{"run":"run1","agency":"","event":"target","target":"`+place+`"}`+"\n"+
		`{"run":"run1","agency":"primary","externalId":"mh-run1-0001","mediaId":424242,"event":"created"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	runs := [][]string{
		{"conform", "--tags", "@isolation", "--report-dir", reports},
		{"explore", "--budget", "40", "--no-sequences", "--report-dir", reports},
		{"load", "--scenario", "get", "--rate", "10/s", "--duration", "1s", "--pool-size", "2", "--slo", slo, "--report-dir", reports},
		{"capacity", "--scenario", "get", "--start", "10/s", "--step", "1s", "--max-steps", "1", "--pool-size", "2", "--slo", slo, "--report-dir", reports},
		{"sweep", "--ledger", ledger},
	}
	var outs []outcome
	for _, args := range runs {
		out := invoke(t, append(args, only(args[0], target)...)...)
		outs = append(outs, out)
		if out.code != ExitOK {
			t.Errorf("%s: want exit 0 through the gateway\n%s", args[0], out)
		}
	}
	if n := missing.Load(); n != 0 {
		t.Errorf("%d requests reached the gateway without the token", n)
	}
	check := func(where string, data []byte) {
		t.Helper()
		if bytes.Contains(data, []byte(gatewayToken)) {
			t.Errorf("%s holds the --header value", where)
		}
	}
	for i, o := range outs {
		check(runs[i][0]+" stdout", []byte(o.stdout))
		check(runs[i][0]+" stderr", []byte(o.stderr))
	}
	err := filepath.WalkDir(reports, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(path)
		check(path, data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A malformed --header, or one the harness owns, stops the command with
// one line that never shows the value.
func TestHeader_RefusesMalformedAndOwnedHeaders(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		header string
		want   []string
	}{
		{"X-Gateway-Token " + gatewayToken, []string{"--header #1", `"Name: value"`}},
		{": " + gatewayToken, []string{"--header #1", `"Name: value"`}},
		{"Authorization: ApiKey " + gatewayToken, []string{"--header Authorization", "sets this header itself"}},
		{"x-api-key: " + gatewayToken, []string{"--header X-Api-Key"}},
		{"content-type: text/plain; " + gatewayToken, []string{"--header Content-Type"}},
		{"Host: " + gatewayToken + ".example", []string{"--header Host"}},
		{"Content-Length: 12345678", []string{"--header Content-Length"}},
		{"X-Trace: on", []string{"--header X-Trace", "too short"}},
	} {
		for _, cmd := range [][]string{{"conform"}, {"explore"}, {"load"}, {"capacity"}, {"sweep", "--ledger", "x.jsonl"}} {
			reports := t.TempDir()
			args := append(append([]string{}, cmd...), "--header", tc.header, "--base-url", "http://127.0.0.1:1/api/v1", "--api-key", "key-12345678")
			if cmd[0] != "sweep" {
				args = append(args, "--report-dir", reports)
			}
			out := runCLI(context.Background(), args...)
			if out.code != ExitUsage {
				t.Errorf("%s --header %q: exit %d, want %d\n%s", cmd[0], tc.header, out.code, ExitUsage, out)
			}
			oneLine(t, cmd[0]+" --header "+tc.header, out.stderr, tc.want...)
			if strings.Contains(out.stdout+out.stderr, gatewayToken) {
				t.Errorf("%s --header %q: the value was printed\n%s", cmd[0], tc.header, out)
			}
			emptyDir(t, cmd[0], reports)
		}
	}
}

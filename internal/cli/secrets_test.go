package cli

import (
	"bytes"
	"encoding/base64"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/redact"
	"github.com/rentix/mediaharness/internal/refserver"
)

// Keys no other text contains, so any occurrence is a leak.
var leakyKeys = refserver.Keys{
	Primary:     "rx_cliSecretPrimary_6c1f0a9e3b5d7284",
	Other:       "rx_cliSecretOther_91d3b7e5a0c2f846",
	Suspended:   "rx_cliSecretSuspended_2b8e4f6a1d9c0357",
	CRMDisabled: "rx_cliSecretCrmOff_5f7a9c1e3b0d2468",
}

// password of the base URL's userinfo: too short to redact, so only
// printing the URL without it keeps it out.
const leakyPassword = "hunter2"

// echoing wraps the API in a target that echoes the caller's key on every
// answer: as a header value, base64 as "ApiKey <key>", and as a header
// name. The reads of a load attack answer 401 with the key in the body, raw
// and base64 ("Invalid API key: <key>"); so do all reads with bodies on,
// and the read of file 424242 always, for the sweep.
func echoing(bodies *atomic.Bool) func(http.Handler) http.Handler {
	return func(api http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			key := strings.TrimPrefix(r.Header.Get("Authorization"), "ApiKey ")
			if key != "" {
				h := w.Header()
				h[key] = []string{"a header named after the key"}
				h.Set("X-Echo-Key", key)
				h.Set("X-Echo-Auth", base64.StdEncoding.EncodeToString([]byte("ApiKey "+key)))
			}
			read := r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/media/")
			attack := r.UserAgent() != "mediaharness" // the harness's own client says who it is
			if key != "" && read && (bodies.Load() || attack || strings.HasSuffix(r.URL.Path, "/424242")) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"statusCode":401,"message":"Invalid API key: ` + key + ` (` +
					base64.RawURLEncoding.EncodeToString([]byte(key)) + `)","error":"Unauthorized"}`))
				return
			}
			api.ServeHTTP(w, r)
		})
	}
}

// TestSecrets_NeverWritten: against a target that echoes the key in
// bodies, header values and header names, raw and base64, and with a base
// URL carrying a password, no key or password reaches stdout, stderr or any
// file of load (two shards), merge, capacity, conform or sweep.
func TestSecrets_NeverWritten(t *testing.T) {
	t.Parallel()
	var bodies atomic.Bool
	up := startUpstream(t, refserver.Config{Keys: leakyKeys}, echoing(&bodies))
	base := strings.Replace(up.http.URL, "http://", "http://mhuser:"+leakyPassword+"@", 1) + "/api/v1"
	target := up.targetFlags(t, base)
	reports := t.TempDir()
	slo := filepath.Join(t.TempDir(), "slo.yaml")
	if err := os.WriteFile(slo, []byte(looseSLO), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) outcome { return invoke(t, append(args, only(args[0], target)...)...) }

	var outs []outcome
	for _, shard := range []string{"1/2", "2/2"} {
		outs = append(outs, run("load", "--scenario", "get", "--rate", "20/s", "--duration", "1s", "--pool-size", "2",
			"--shard", shard, "--report-dir", reports, "--slo", slo, "--run-deadline", "60s"))
	}
	shards, _ := filepath.Glob(filepath.Join(reports, "2*", "load", "get-s*of2"))
	if len(shards) != 2 {
		t.Fatalf("shard directories %v; want 2\n%s\n%s", shards, outs[0], outs[1])
	}
	outs = append(outs, invoke(t, "report", "--merge", shards[0], shards[1], "--out", filepath.Join(reports, "merged"), "--slo", slo))
	outs = append(outs, run("capacity", "--scenario", "get", "--start", "20/s", "--step", "1s", "--max-steps", "2",
		"--pool-size", "2", "--slo", slo, "--report-dir", reports))
	bodies.Store(true)
	outs = append(outs, run("conform", "--tags", "@isolation", "--report-dir", reports))
	// A ledger of this target naming a file whose read echoes the key.
	ledger := filepath.Join(reports, "sweep", "ledger.jsonl")
	_ = os.MkdirAll(filepath.Dir(ledger), 0o755)
	place := config.Target{BaseURL: base}.Place()
	if err := os.WriteFile(ledger, []byte(`{"run":"run1","agency":"","event":"target","target":"`+place+`"}`+"\n"+
		`{"run":"run1","agency":"primary","externalId":"mh-run1-0001","mediaId":424242,"event":"created"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	outs = append(outs, run("sweep", "--ledger", ledger))
	// A preflight that fails names the target: without the password.
	outs = append(outs, invoke(t, "conform", "--base-url", "http://mhuser:"+leakyPassword+"@127.0.0.1:1/api/v1",
		"--api-key", leakyKeys.Primary, "--report-dir", reports))

	// The runs met the echo: the leak checks below prove something.
	for i, o := range outs {
		if o.code == ExitUsage && i < len(outs)-1 {
			t.Errorf("run %d stopped as a usage error, testing nothing:\n%s", i, o)
		}
	}
	if !strings.Contains(outs[0].stdout+outs[1].stdout, "401") {
		t.Errorf("the load runs did not meet the echoing answers:\n%s\n%s", outs[0], outs[1])
	}
	if !strings.Contains(outs[5].stderr, "status 401") || outs[5].code != ExitFailure {
		t.Errorf("the sweep did not meet the echoing read:\n%s", outs[5])
	}
	if !strings.Contains(outs[4].stdout, "target: http://mhuser@127.0.0.1:") {
		t.Errorf("the verdict does not name the target without its password:\n%s", outs[4])
	}

	keys := []string{leakyKeys.Primary, leakyKeys.Other, leakyKeys.Suspended, leakyKeys.CRMDisabled}
	check := func(where string, data []byte) {
		t.Helper()
		lower := bytes.ToLower(data)
		for _, k := range keys {
			for _, form := range redact.Forms(k) {
				if bytes.Contains(data, []byte(form)) {
					t.Errorf("%s holds a key (as %q)", where, form)
				}
			}
			if bytes.Contains(lower, []byte(strings.ToLower(k))) {
				t.Errorf("%s holds a key in other letter case", where)
			}
		}
		if bytes.Contains(data, []byte(leakyPassword)) {
			t.Errorf("%s holds the base URL's password", where)
		}
	}
	for i, o := range outs {
		check("stdout of run "+string(rune('0'+i)), []byte(o.stdout))
		check("stderr of run "+string(rune('0'+i)), []byte(o.stderr))
	}
	files := 0
	seen := map[string]bool{}
	err := filepath.WalkDir(reports, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		files++
		seen[d.Name()] = true
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		check(path, data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"results.bin", "load.json", "report.txt", "summary.md", "results.json", "index.html", "capacity.json"} {
		if !seen[name] {
			t.Errorf("no %s was written: the scan of %d files proves less than it should", name, files)
		}
	}
}

package e2e

import (
	"bytes"
	"encoding/base64"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Keys no other text contains, so any occurrence is a leak.
var secretKeys = map[string]string{
	"primary":      "rx_e2eSecretPrimary_5b7d1f93c2a84e6f",
	"other":        "rx_e2eSecretOther_0c9a2e7b41d3f865",
	"suspended":    "rx_e2eSecretSuspended_7e31b9d0a2c4f568",
	"crm-disabled": "rx_e2eSecretCrmOff_d4a8c2e6f1b3957a",
}

// TestSecrets_NeverWritten: with distinctive keys, through passing and
// failing conformance runs (a failure's evidence quotes its requests), a
// failing load run and a refused key, no key appears in any report file
// (binary ones included) or on the console, raw or encoded.
func TestSecrets_NeverWritten(t *testing.T) {
	t.Parallel()
	// isolation-read makes another agency's file readable: the isolation
	// scenarios fail with the exchange as evidence. load-5xx answers every
	// 50th read 503: the load run breaks its success threshold.
	srv := startServe(t, "--optimize-delay", "20ms", "--rate-window", "5s", "--fault", "isolation-read,load-5xx",
		"--key-primary", secretKeys["primary"], "--key-other", secretKeys["other"],
		"--key-suspended", secretKeys["suspended"], "--key-crm-disabled", secretKeys["crm-disabled"])
	for label, key := range secretKeys {
		if srv.key(label) != key {
			t.Fatalf("serve announced %s key %q, want the one given", label, srv.key(label))
		}
	}
	dir := t.TempDir()
	slo := writeFile(t, dir, "slo.yaml", looseSLO)
	reports := filepath.Join(dir, "reports")
	common := append(srv.targetFlags(), "--report-dir", reports)

	// The load run goes first: its few fixture polls stay under the 50th
	// read, so the 503 lands in the attack, whose results are saved.
	var runs []run
	runs = append(runs, harness(t, runTimeout, append([]string{"load", "--scenario", "get", "--rate", "50/s", "--duration", "1s",
		"--pool-size", "2", "--slo", slo, "--source-url", smallSource(t), "--report-dir", reports}, srv.loadTargetFlags()...)...))
	runs = append(runs, harness(t, runTimeout, append(append([]string{"conform", "--tags", "@isolation", "--max-rps", "500"},
		common...), sourceFlags(t)...)...))
	badKey := append(append([]string{"conform", "--tags", "@isolation"}, common...), "--api-key", secretKeys["primary"]+"x")
	runs = append(runs, harness(t, runTimeout, badKey...)) // a key the server refuses

	for i, want := range []int{1, 1, 2} {
		if runs[i].code != want {
			t.Errorf("want exit %d\n%s", want, runs[i])
		}
	}
	if !strings.Contains(runs[0].stdout, "503") || !strings.Contains(runs[1].stdout, "✗") ||
		!strings.Contains(runs[2].stderr, "refused the API key") {
		t.Errorf("the runs did not fail as planned:\n%s\n%s\n%s", runs[0], runs[1], runs[2])
	}

	needles := leakForms(append(values(secretKeys), secretKeys["primary"]+"x"))
	files := 0
	err := filepath.WalkDir(reports, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		files++
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if form, ok := leaks(data, needles); ok {
			t.Errorf("%s holds a key (%s)", path, form)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 || runFileAny(reports, "results.bin") == "" || runFileAny(reports, "cucumber.json") == "" {
		t.Errorf("only %d report files, or no results.bin / cucumber.json: the scan proves little", files)
	}
	for _, r := range runs {
		for name, text := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
			if form, ok := leaks([]byte(text), needles); ok {
				t.Errorf("the %s of `mediaharness %s` holds a key (%s)", name, r.args[0], form)
			}
		}
	}
}

func values(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// leakForm is one way a key can be written.
type leakForm struct {
	name   string
	needle []byte
}

// leakForms lists each key raw, URL-escaped, and base64-encoded in both
// alphabets at each of the three alignments a key can have inside a longer
// encoded text (only the characters that do not depend on the neighbours).
func leakForms(keys []string) []leakForm {
	var out []leakForm
	for _, k := range keys {
		out = append(out, leakForm{"raw", []byte(k)}, leakForm{"query-escaped", []byte(url.QueryEscape(k))},
			leakForm{"path-escaped", []byte(url.PathEscape(k))})
		for pad := range 3 {
			enc := base64.StdEncoding.EncodeToString(append(bytes.Repeat([]byte{0}, pad), k...))
			start := (pad*8 + 5) / 6 // characters that mix in the padding
			end := len(enc) - 4      // the last group may mix in what follows
			mid := enc[start:end]
			out = append(out, leakForm{"base64", []byte(mid)},
				leakForm{"base64url", []byte(strings.NewReplacer("+", "-", "/", "_").Replace(mid))})
		}
	}
	return out
}

func leaks(data []byte, forms []leakForm) (string, bool) {
	for _, f := range forms {
		if bytes.Contains(data, f.needle) {
			return f.name, true
		}
	}
	return "", false
}

// runFileAny is a file of that name anywhere under dir, "" if none.
func runFileAny(dir, name string) string {
	found := ""
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == name {
			found = path
		}
		return nil
	})
	return found
}

// TestLeakForms: the scanner finds a key inside longer text in each form,
// at every alignment, and nothing in text without it.
func TestLeakForms(t *testing.T) {
	t.Parallel()
	key := secretKeys["primary"]
	forms := leakForms([]string{key})
	for pad := range 3 {
		text := strings.Repeat("h", pad) + "Authorization: ApiKey " + key + "\r\n"
		for name, enc := range map[string]string{
			"raw":       text,
			"query":     url.QueryEscape(text),
			"base64":    base64.StdEncoding.EncodeToString([]byte(text)),
			"base64url": base64.RawURLEncoding.EncodeToString([]byte(text)),
		} {
			if _, ok := leaks([]byte("<"+enc+">"), forms); !ok {
				t.Errorf("pad %d, %s: the key was not found in %q", pad, name, enc)
			}
		}
	}
	if form, ok := leaks([]byte(base64.StdEncoding.EncodeToString([]byte("Authorization: ApiKey [REDACTED]"))), forms); ok {
		t.Errorf("found a key (%s) where there is none", form)
	}
}

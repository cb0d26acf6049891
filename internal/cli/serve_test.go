package cli

import (
	"bytes"
	"context"
	"github.com/rentix/mediaharness/internal/syncbuf"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServe_SamplesAndCookbook: serve offers a JPEG and a non-image to
// upload from, and prints a curl cookbook that names the key only by its
// variable.
func TestServe_SamplesAndCookbook(t *testing.T) {
	t.Parallel()
	const key = "primary-key-never-in-the-cookbook"
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncbuf.Buffer
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, Process{Args: []string{"serve", "--addr", "127.0.0.1:0", "--key-primary", key},
			Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }})
	}()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(stdout.String(), "DELETE") {
		if time.Now().After(deadline) {
			t.Fatalf("no cookbook printed:\n%s\n%s", stdout.String(), stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	out := stdout.String()
	_, cookbook, _ := strings.Cut(out, "Try it")
	if !strings.Contains(cookbook, "$RENTIX_API_KEY") || strings.Contains(cookbook, key) {
		t.Errorf("the cookbook must use $RENTIX_API_KEY and never the key:\n%s", cookbook)
	}
	m := regexp.MustCompile(`Samples to upload from: (\S+) \(JPEG\), \S+ \(PNG\), (\S+) \(not an image\)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no sample URLs:\n%s", out)
	}
	for url, want := range map[string][]byte{m[1]: {0xff, 0xd8}, m[2]: nil} {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || len(b) == 0 {
			t.Errorf("GET %s: %d, %d bytes", url, resp.StatusCode, len(b))
		}
		if want != nil && !bytes.HasPrefix(b, want) {
			t.Errorf("GET %s: not a JPEG", url)
		} else if want == nil && bytes.HasPrefix(b, []byte{0xff, 0xd8}) {
			t.Errorf("GET %s: an image", url)
		}
	}
}

// A key the harness would refuse as a target's is refused by serve too.
func TestServe_RefusesShortKeys(t *testing.T) {
	t.Parallel()
	out := invoke(t, "serve", "--addr", "127.0.0.1:0", "--key-other", "abc")
	if out.code != ExitUsage || !strings.Contains(out.stderr, "--key-other: a key of 3 characters is too short") {
		t.Errorf("%s\nwant exit 2 naming the short key's flag", out)
	}
}

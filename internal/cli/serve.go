package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/refserver"
	"github.com/rentix/mediaharness/internal/runfiles"
)

func runServe(ctx context.Context, env Process, args []string) (int, error) {
	fs := newFlagSet(env, "serve", "serve [--addr 127.0.0.1:8080] [--rate-limit N] [--capacity 2000/s] [--fault NAME[,NAME]] [--key-primary KEY ...] [--json]")
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (port 0 picks a free port)")
	var cfg refserver.Config
	fs.IntVar(&cfg.RateLimit, "rate-limit", 300, "requests per key per rate window")
	fs.DurationVar(&cfg.RateWindow, "rate-window", time.Minute, "length of the rate-limit window")
	fs.IntVar(&cfg.RateLimitedLimit, "ratelimit-key-limit", 0, "requests per rate window of the \"ratelimit\" agency's key; 0: --rate-limit")
	fs.DurationVar(&cfg.OptimizeDelay, "optimize-delay", 200*time.Millisecond, "pause before each optimization step, so pending and in_progress can be seen")
	fs.BoolVar(&cfg.OtherStatuses, "other-statuses", false, "answer upload with 200 and link with 201: the other success status the contract allows for each")
	fs.BoolVar(&cfg.StringParseMessages, "string-parse-messages", false, "answer a body that is not JSON with 400 and message one string (the parser's text), as NestJS does, instead of an array")
	capacity := fs.String("capacity", "", "model an API that holds this rate and queues the rest (say 2000/s), so a capacity search has a known ceiling; empty: the server's own speed")
	faults := fs.String("fault", "", "comma-separated faults to switch on (see --list-faults)")
	listFaults := fs.Bool("list-faults", false, "list the faults the server can switch on, and exit")
	asJSON := fs.Bool("json", false, "print the base URL and keys as one JSON object on the first line of stdout")
	bindServeKeys(fs, env, &cfg.Keys)
	if err := parse(fs, args); err != nil {
		return ExitUsage, err
	}
	if *listFaults {
		for _, f := range refserver.Faults() {
			fmt.Fprintf(env.Stdout, "%-28s %s\n", f.Name, f.Description)
		}
		return ExitOK, nil
	}
	if *faults != "" {
		cfg.Faults = strings.Split(*faults, ",")
	}
	r, err := capacityRate("capacity", *capacity)
	if err != nil {
		return ExitUsage, err
	}
	cfg.Capacity = r.PerSecond()
	if err := checkServeKeys(cfg.Keys); err != nil {
		return ExitUsage, err
	}
	srv, err := refserver.New(cfg)
	if err != nil {
		return ExitUsage, usageError(err)
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return ExitUsage, usagef("listen on %s: %v", *addr, err)
	}
	baseURL := "http://" + ln.Addr().String() + "/api/v1"
	samples, err := runfiles.StartSources()
	if err != nil {
		ln.Close()
		return ExitFailure, fmt.Errorf("start the sample server: %w", err)
	}
	defer samples.Close()
	announce(env, baseURL, srv.Keys(), cfg.Faults, *asJSON, samples)

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return ExitFailure, err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return ExitFailure, err
	}
	return ExitOK, nil
}

// bindServeKeys lets a script fix the server's keys (say, to check that
// they never reach a report); each falls back to an environment variable,
// and an empty one gets a random key.
func bindServeKeys(fs *flag.FlagSet, env Process, k *refserver.Keys) {
	for _, b := range []struct {
		p             *string
		name, envName string
		what          string
	}{
		{&k.Primary, "key-primary", "MEDIAHARNESS_SERVE_KEY_PRIMARY", "the primary agency's key"},
		{&k.Other, "key-other", "MEDIAHARNESS_SERVE_KEY_OTHER", "the second active agency's key"},
		{&k.Suspended, "key-suspended", "MEDIAHARNESS_SERVE_KEY_SUSPENDED", "the suspended agency's key"},
		{&k.CRMDisabled, "key-crm-disabled", "MEDIAHARNESS_SERVE_KEY_CRM_DISABLED", "the key of the agency without CRM"},
		{&k.RateLimited, "key-ratelimit", "MEDIAHARNESS_SERVE_KEY_RATELIMIT", "the key of the agency with its own allowance (--ratelimit-key-limit)"},
	} {
		fs.StringVar(b.p, b.name, env.Getenv(b.envName), b.what+"; empty: a random key (env "+b.envName+")")
	}
}

// checkServeKeys refuses keys the harness would refuse as a target's: too
// short to keep out of the output safely.
func checkServeKeys(k refserver.Keys) error {
	for _, f := range []struct{ flag, key string }{
		{"--key-primary", k.Primary}, {"--key-other", k.Other}, {"--key-suspended", k.Suspended},
		{"--key-crm-disabled", k.CRMDisabled}, {"--key-ratelimit", k.RateLimited},
	} {
		if f.key != "" && len(f.key) < config.MinKeyLength {
			return usagef("%s: a key of %d characters is too short: the harness refuses keys under %d characters (it could not keep them out of its output)",
				f.flag, len(f.key), config.MinKeyLength)
		}
	}
	return nil
}

// announce tells a person (or, with --json, a script) where the server is and
// which keys it accepts. These are the reference server's own throwaway keys.
func announce(env Process, baseURL string, keys refserver.Keys, faults []string, asJSON bool, samples *runfiles.Sources) {
	agencies := []struct{ Label, Key, Status string }{
		{config.Primary, keys.Primary, "active"},
		{config.Other, keys.Other, "active"},
		{config.Suspended, keys.Suspended, "suspended"},
		{config.CRMDisabled, keys.CRMDisabled, "active, CRM disabled"},
		{config.RateLimited, keys.RateLimited, "active, its own rate limit"},
	}
	if asJSON {
		type agency struct {
			Key    string `json:"key"`
			Status string `json:"status"`
		}
		out := struct {
			BaseURL string            `json:"baseUrl"`
			Keys    map[string]agency `json:"keys"`
			Faults  []string          `json:"faults"`
			Samples map[string]string `json:"samples"`
		}{BaseURL: baseURL, Keys: map[string]agency{}, Faults: faults, Samples: map[string]string{
			"jpeg": samples.JPEGURL, "png": samples.PNGURL, "notImage": samples.NotImageURL,
		}}
		for _, a := range agencies {
			out.Keys[a.Label] = agency{a.Key, a.Status}
		}
		if out.Faults == nil {
			out.Faults = []string{}
		}
		b, _ := json.Marshal(out)
		fmt.Fprintf(env.Stdout, "%s\n", b)
		return
	}
	fmt.Fprintf(env.Stdout, "Rentix Media API reference server at %s\n", baseURL)
	for _, a := range agencies {
		fmt.Fprintf(env.Stdout, "  %-13s %s  (%s)\n", a.Label, a.Key, a.Status)
	}
	if len(faults) > 0 {
		fmt.Fprintf(env.Stdout, "  faults: %s\n", strings.Join(faults, ", "))
	}
	fmt.Fprintf(env.Stdout, "Samples to upload from: %s (JPEG), %s (PNG), %s (not an image)\n",
		samples.JPEGURL, samples.PNGURL, samples.NotImageURL)
	fmt.Fprint(env.Stdout, curlCookbook(baseURL, samples.JPEGURL, samples.NotImageURL))
}

// curlCookbook is a few requests to try by hand. It names the key by its
// variable, never by value, so the text can be pasted into notes or a
// ticket; set RENTIX_API_KEY to the primary key above (or a real one).
func curlCookbook(baseURL, jpegURL, notImageURL string) string {
	return fmt.Sprintf(`
Try it (export RENTIX_API_KEY=<a key above>):
  B=%s
  curl -sH "Authorization: ApiKey $RENTIX_API_KEY" $B/agency
  curl -sH "Authorization: ApiKey $RENTIX_API_KEY" -H 'Content-Type: application/json' \
       -d '{"url": "%s", "externalId": "try-1"}' $B/media/upload-from-url
  curl -sH "Authorization: ApiKey $RENTIX_API_KEY" "$B/job/status?id=<jobId>"   # until completed
  curl -sH "Authorization: ApiKey $RENTIX_API_KEY" $B/media/<mediaId>             # variants, once optimized
  curl -sH "Authorization: ApiKey $RENTIX_API_KEY" -H 'Content-Type: application/json' \
       -d '{"url": "%s"}' $B/media/upload-from-url                                # a non-image: its job fails
  curl -sH "Authorization: ApiKey $RENTIX_API_KEY" -X DELETE $B/media/<mediaId>
`, baseURL, jpegURL, notImageURL)
}

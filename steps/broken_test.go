package steps

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rentix/mediaharness/features"
	"github.com/rentix/mediaharness/internal/refserver"
)

// TestFeatures_CatchABrokenServer runs one scenario of each feature file
// against a reference server broken by a middleware, and wants the run to
// fail at the check that scenario exists for: the failure output must name
// the broken rule. TestFeatures is the control: the same scenarios pass
// against the unbroken server.
func TestFeatures_CatchABrokenServer(t *testing.T) {
	cases := []struct {
		name     string
		scenario string // "file.feature: scenario title"
		breaker  middleware
		// photos: "jpeg" keeps only the full-size JPEG (the PNG example is
		// skipped), "small" also swaps it for the small image: full-size
		// photos take seconds to optimize under the race detector.
		photos string
		want   string // in the failure output
	}{
		{"another agency reads our file", "isolation.feature: Another agency cannot <operation>",
			otherAgencyReadsAsPrimary, "", "want: 404"},
		{"Remaining does not count down", "rate_limiting.feature: X-RateLimit-Remaining counts down as requests are made",
			remainingStuckAtLimit, "", "X-RateLimit-Remaining counts down within the window"},
		// The rate-limit headers of every answer are checked for what they
		// say, in scenarios about other things too.
		{"Reset in milliseconds", "linking.feature: An external ID that another file uses is refused with 409",
			resetInMillis, "", "X-RateLimit-Reset lies within one rate window"},
		{"Reset an hour away", "linking.feature: An external ID that another file uses is refused with 409",
			resetHourAway, "", "X-RateLimit-Reset lies within one rate window"},
		{"Remaining over Limit", "linking.feature: An external ID that another file uses is refused with 409",
			remainingOverLimit, "", "is over X-RateLimit-Limit"},
		{"Remaining header missing", "rate_limiting.feature: X-RateLimit-Remaining counts down as requests are made",
			withoutRemaining, "", "broke the contract"},
		{"500 instead of 409 on a taken external ID", "linking.feature: An external ID that another file uses is refused with 409",
			conflictAs500, "", "want: 409"},
		{"a BlurHash that does not decode", "reading.feature: An optimized <kind> has a BlurHash, and three variants whose stored files match the answer",
			truncatedBlurHash, "small", "the BlurHash decodes"},
		{"a variant of the wrong size", "reading.feature: An optimized <kind> has a BlurHash, and three variants whose stored files match the answer",
			paddedVariant, "jpeg", "variant 512 serves what the answer states"},
		{"a delete that deletes nothing", "deleting.feature: After a delete <way> the file is gone and its external ID is free",
			deleteKeepsTheFile, "", `reading "A" finds nothing`},
		{"both key headers accepted", "authentication.feature: With the key in both headers, I cannot <operation>",
			bothHeadersAccepted, "", "want: 400"},
		{"a wrong reason phrase off the contract's routes", "request_errors.feature: A route that does not exist answers 404 in the error format (<method> <path>)",
			lowercaseNotFound, "", "error is the reason phrase of the status"},
		{"a job status that goes back", "jobs.feature: The job of an image's upload ends \"completed\"",
			jobGoesBack, "", "went back from"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, refserver.Config{OptimizeDelay: 5 * time.Millisecond, RateLimit: 1_000_000}, tc.breaker)
			switch tc.photos {
			case "small":
				h.env.JPEGURL = h.env.FileURL
				fallthrough
			case "jpeg":
				h.env.PNGURL = ""
			}
			code, out, stats := suite{paths: []string{scenarioAt(t, tc.scenario)}}.run(h.env)
			h.cleanup(t)
			if stats.scenarios.Load() == 0 {
				t.Fatalf("no scenario ran for %q", tc.scenario)
			}
			if code == 0 {
				t.Fatalf("the scenario passed against a server with %s:\n%s", tc.name, out)
			}
			if testing.Verbose() {
				t.Log(out)
			}
			if !strings.Contains(out, tc.want) {
				t.Errorf("the scenario failed, but not at the check %q:\n%s", tc.want, out)
			}
			for label, key := range h.env.Keys {
				if strings.Contains(out, key) {
					t.Errorf("the %s API key appears in the failure output", label)
				}
			}
		})
	}
}

// scenarioAt finds "file.feature: title" and returns "file.feature:line".
func scenarioAt(t *testing.T, ref string) string {
	t.Helper()
	file, title, _ := strings.Cut(ref, ": ")
	data, err := features.FS.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "Scenario: "+title || text == "Scenario Outline: "+title {
			return file + ":" + strconv.Itoa(line)
		}
	}
	t.Fatalf("no scenario %q in %s", title, file)
	return ""
}

var (
	mediaByID  = regexp.MustCompile(`^/api/v1/media/\d+$`)
	linkPath   = regexp.MustCompile(`^/api/v1/media/\d+/link$`)
	variant512 = regexp.MustCompile(`^/storage/.+/512\.webp$`)
)

// rewrite lets edit change next's answer before it is sent.
func rewrite(next http.Handler, edit func(r *http.Request, rec *httptest.ResponseRecorder)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		edit(r, rec)
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// setBody replaces a recorded body.
func setBody(rec *httptest.ResponseRecorder, body []byte) {
	rec.Body = bytes.NewBuffer(body)
}

// editJSON decodes a recorded JSON object, lets edit change it and re-encodes it.
func editJSON(rec *httptest.ResponseRecorder, edit func(map[string]any)) {
	var m map[string]any
	if json.Unmarshal(rec.Body.Bytes(), &m) != nil {
		return
	}
	edit(m)
	b, _ := json.Marshal(m)
	setBody(rec, b)
}

// otherAgencyReadsAsPrimary serves the other agency's GET of a file as if it
// came with the primary key: a tenant leak.
func otherAgencyReadsAsPrimary(keys refserver.Keys, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && mediaByID.MatchString(r.URL.Path) && r.Header.Get("Authorization") == "ApiKey "+keys.Other {
			r.Header.Set("Authorization", "ApiKey "+keys.Primary)
		}
		next.ServeHTTP(w, r)
	})
}

// remainingStuckAtLimit never counts X-RateLimit-Remaining down.
func remainingStuckAtLimit(_ refserver.Keys, next http.Handler) http.Handler {
	return rewrite(next, func(_ *http.Request, rec *httptest.ResponseRecorder) {
		if l := rec.Header().Get("X-RateLimit-Limit"); l != "" {
			rec.Header().Set("X-RateLimit-Remaining", l)
		}
	})
}

// resetInMillis gives X-RateLimit-Reset as a Unix time in milliseconds.
func resetInMillis(_ refserver.Keys, next http.Handler) http.Handler {
	return rewrite(next, func(_ *http.Request, rec *httptest.ResponseRecorder) {
		if v := rec.Header().Get("X-RateLimit-Reset"); v != "" {
			rec.Header().Set("X-RateLimit-Reset", v+"000")
		}
	})
}

// resetHourAway announces the reset of a one-minute window an hour away.
func resetHourAway(_ refserver.Keys, next http.Handler) http.Handler {
	return rewrite(next, func(_ *http.Request, rec *httptest.ResponseRecorder) {
		if rec.Header().Get("X-RateLimit-Reset") != "" {
			rec.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
		}
	})
}

// remainingOverLimit says more requests are left than the limit allows.
func remainingOverLimit(_ refserver.Keys, next http.Handler) http.Handler {
	return rewrite(next, func(_ *http.Request, rec *httptest.ResponseRecorder) {
		if l, err := strconv.Atoi(rec.Header().Get("X-RateLimit-Limit")); err == nil {
			rec.Header().Set("X-RateLimit-Remaining", strconv.Itoa(l+5))
		}
	})
}

// withoutRemaining drops X-RateLimit-Remaining.
func withoutRemaining(_ refserver.Keys, next http.Handler) http.Handler {
	return rewrite(next, func(_ *http.Request, rec *httptest.ResponseRecorder) {
		rec.Header().Del("X-RateLimit-Remaining")
	})
}

// conflictAs500 answers a refused link with a server error.
func conflictAs500(_ refserver.Keys, next http.Handler) http.Handler {
	return rewrite(next, func(r *http.Request, rec *httptest.ResponseRecorder) {
		if r.Method == http.MethodPost && linkPath.MatchString(r.URL.Path) && rec.Code == http.StatusConflict {
			rec.Code = http.StatusInternalServerError
			setBody(rec, []byte(`{"statusCode":500,"message":"Internal server error","error":"Internal Server Error"}`))
		}
	})
}

// truncatedBlurHash cuts the last character off every BlurHash: the string
// still looks like one, but its length no longer fits its components.
func truncatedBlurHash(_ refserver.Keys, next http.Handler) http.Handler {
	return rewrite(next, func(r *http.Request, rec *httptest.ResponseRecorder) {
		if r.Method != http.MethodGet || rec.Code != http.StatusOK || !strings.HasPrefix(r.URL.Path, "/api/v1/media/") {
			return
		}
		editJSON(rec, func(m map[string]any) {
			if h, ok := m["blurhash"].(string); ok && len(h) > 6 {
				m["blurhash"] = h[:len(h)-1]
			}
		})
	})
}

// paddedVariant serves the 512 variant with 16 bytes more than stated.
func paddedVariant(_ refserver.Keys, next http.Handler) http.Handler {
	return rewrite(next, func(r *http.Request, rec *httptest.ResponseRecorder) {
		if variant512.MatchString(r.URL.Path) && rec.Code == http.StatusOK {
			rec.Body.Write(make([]byte, 16))
		}
	})
}

// deleteKeepsTheFile answers a delete by id as done without deleting: it
// reads the file instead and, when it is there, says it was deleted.
func deleteKeepsTheFile(_ refserver.Keys, next http.Handler) http.Handler {
	fake := rewrite(next, func(_ *http.Request, rec *httptest.ResponseRecorder) {
		if rec.Code == http.StatusOK {
			setBody(rec, []byte(`{"deleted":true}`))
		}
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodDelete || !mediaByID.MatchString(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		get := r.Clone(r.Context())
		get.Method = http.MethodGet
		fake.ServeHTTP(w, get)
	})
}

// bothHeadersAccepted ignores X-API-Key when Authorization is also sent.
func bothHeadersAccepted(_ refserver.Keys, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			r.Header.Del("X-Api-Key")
		}
		next.ServeHTTP(w, r)
	})
}

// lowercaseNotFound names the 404 of an unknown route "Not found". The
// contract cannot check those answers (it has no operation for the route),
// so only the steps' own error-format check can notice.
func lowercaseNotFound(_ refserver.Keys, next http.Handler) http.Handler {
	return rewrite(next, func(_ *http.Request, rec *httptest.ResponseRecorder) {
		if rec.Code == http.StatusNotFound {
			editJSON(rec, func(m map[string]any) { m["error"] = "Not found" })
		}
	})
}

// jobGoesBack answers the first two reads of each job "processing", then
// "pending": a status that goes back.
func jobGoesBack(_ refserver.Keys, next http.Handler) http.Handler {
	var mu sync.Mutex
	reads := map[string]int{}
	return rewrite(next, func(r *http.Request, rec *httptest.ResponseRecorder) {
		if r.URL.Path != "/api/v1/job/status" || rec.Code != http.StatusOK {
			return
		}
		mu.Lock()
		id := r.URL.Query().Get("id")
		reads[id]++
		n := reads[id]
		mu.Unlock()
		fake := map[int]string{1: "processing", 2: "pending"}[n]
		if fake != "" {
			editJSON(rec, func(m map[string]any) { m["status"] = fake })
		}
	})
}

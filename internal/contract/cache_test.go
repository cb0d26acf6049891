package contract

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rentix/mediaharness/openapi"
)

func cachedValidator(t testing.TB, n int) *Validator {
	t.Helper()
	doc, err := openapi.Load()
	if err != nil {
		t.Fatal(err)
	}
	v, err := New(doc, WithCache(n))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// corpus is a mix of good and broken exchanges over every operation.
func corpus() []Exchange {
	media := answer("GET", "/media/123", 200, mediaReady)
	return []Exchange{
		media,
		withHeader(media, "X-RateLimit-Remaining", "17"),
		withHeader(media, "X-RateLimit-Remaining", "-1"),
		withHeader(media, "X-RateLimit-Remaining", ""),
		withHeader(media, "X-RateLimit-Reset", "soon"),
		withHeader(media, "Content-Type", "text/html"),
		withHeader(media, "X-Media-Region", "eu"),
		withHeader(media, "Retry-After", "3"),
		answer("GET", "/media/123", 201, mediaReady),
		answer("GET", "/media/124", 200, mediaPending),
		answer("GET", "/media/123", 200, strings.Replace(mediaReady, "245000", `"245000"`, 1)),
		answer("GET", "/media/abc", 200, mediaReady),
		answer("GET", "/media/external/x", 404, fileNotFound),
		answer("GET", "/media/external/x", 404, `{"statusCode": 404, "message": 5, "error": "Not Found"}`),
		post("/media/upload-from-url", `{"url": "https://e.com/a.jpg"}`, 201, uploadAnswer),
		post("/media/upload-from-url", `{"externalId": "a"}`, 409, errorBody(409, "Conflict", `"External ID already linked"`)),
		answer("GET", "/job/status?id=456", 200, jobAnswer),
		answer("GET", "/job/status?id=456", 404, `{"statusCode": 404}`),
		answer("DELETE", "/media/1", 200, deletedAnswer),
		answer("DELETE", "/media/external/x", 200, deletedByExt),
		post("/media/1/link", `{"externalId": "a"}`, 201, strings.Replace(linkedAnswer, "true", "1", 1)),
		answer("DELETE", "/media/1/link", 422, errorBody(422, "Unprocessable Entity", `"x"`)),
		answer("GET", "/agency", 200, agencyAnswer),
		answer("GET", "/nope", 404, fileNotFound),
	}
}

// A cached validator gives the same verdicts as an uncached one, on the
// first (miss) and the second (hit) sight of each answer.
func TestWithCache_sameVerdictsAsUncached(t *testing.T) {
	t.Parallel()
	plain, cached := validator(t), cachedValidator(t, 1000)
	for round := range 2 {
		for i, ex := range corpus() {
			want, got := plain.Check(ex), cached.Check(ex)
			if !slices.Equal(got, want) {
				t.Errorf("round %d, exchange %d (%s %s %d):\ncached:\n%suncached:\n%s", round, i, ex.Method, ex.Path, ex.Status, list(got), list(want))
			}
		}
	}
	if cached.cache.hits.Load() == 0 {
		t.Error("the second round never hit the cache")
	}
}

// Response-only checks (a load test's) are answered from the route memo and
// the verdict cache on a repeat, with the same verdicts as a full check;
// paths that look alike but address other operations stay apart.
func TestWithCache_responseOnlySameVerdicts(t *testing.T) {
	t.Parallel()
	plain, cached := validator(t), cachedValidator(t, 1000)
	exchanges := append(corpus(),
		answer("DELETE", "/media/external/link", 200, deletedByExt),
		answer("DELETE", "/media/7/link", 200, deletedByExt),
	)
	for round := range 2 {
		for i, ex := range exchanges {
			ex.SkipRequest = true
			want, got := plain.Check(ex), cached.Check(ex)
			if !slices.Equal(got, want) {
				t.Errorf("round %d, exchange %d (%s %s %d):\ncached:\n%suncached:\n%s", round, i, ex.Method, ex.Path, ex.Status, list(got), list(want))
			}
		}
	}
}

// Rate-limit values change on every answer; their shape, not their value,
// is in the key, so a load test's identical answers hit.
func TestWithCache_hitsAcrossRateLimitValues(t *testing.T) {
	t.Parallel()
	v := cachedValidator(t, 100)
	base := answer("GET", "/media/123", 200, mediaReady)
	for i := range 50 {
		ex := withHeader(base, "X-RateLimit-Remaining", strconv.Itoa(299-i))
		ex = withHeader(ex, "X-RateLimit-Reset", strconv.Itoa(1736937060+i))
		if got := v.Check(ex); got != nil {
			t.Fatalf("answer %d: %v", i, got)
		}
	}
	if hits, misses := v.cache.hits.Load(), v.cache.misses.Load(); hits != 49 || misses != 1 {
		t.Errorf("hits/misses = %d/%d, want 49/1", hits, misses)
	}
	// A value of another shape is not served the remembered verdict.
	if got := v.Check(withHeader(base, "X-RateLimit-Remaining", "-5")); len(got) != 1 || got[0].Pointer != "X-RateLimit-Remaining" {
		t.Errorf("negative remaining after cached positives: %v", got)
	}
}

// Requests differ between identical answers and are never cached.
func TestWithCache_requestsAreCheckedEveryTime(t *testing.T) {
	t.Parallel()
	v := cachedValidator(t, 100)
	good := answer("GET", "/media/123", 404, fileNotFound)
	bad := answer("GET", "/media/abc", 404, fileNotFound)
	if got := v.Check(good); got != nil {
		t.Fatalf("good: %v", got)
	}
	if got := v.Check(bad); len(got) != 1 || got[0].Rule != "request.parameter" {
		t.Fatalf("bad request after a cached answer: %v", got)
	}
	if v.cache.hits.Load() != 1 {
		t.Errorf("hits = %d, want the response verdict reused once", v.cache.hits.Load())
	}
}

func TestWithCache_returnsCopies(t *testing.T) {
	t.Parallel()
	v := cachedValidator(t, 100)
	ex := answer("GET", "/media/123", 201, mediaReady)
	first := v.Check(ex)
	first[0].Message = "scribbled"
	second := v.Check(ex)
	second[0].Rule = "scribbled"
	if third := v.Check(ex); third[0].Message == "scribbled" || third[0].Rule == "scribbled" {
		t.Errorf("a caller's change reached the cache: %+v", third[0])
	}
}

func TestWithCache_isBounded(t *testing.T) {
	t.Parallel()
	v := cachedValidator(t, 3)
	for i := range 20 {
		v.Check(answer("GET", "/media/1", 200, strings.Replace(mediaReady, "245000", strconv.Itoa(i), 1)))
		v.cache.mu.RLock()
		n := len(v.cache.m)
		v.cache.mu.RUnlock()
		if n > 3 {
			t.Fatalf("cache holds %d verdicts, bound is 3", n)
		}
	}
}

func TestWithCache_zeroDisables(t *testing.T) {
	t.Parallel()
	if v := cachedValidator(t, 0); v.cache != nil {
		t.Error("WithCache(0) made a cache")
	}
}

// Check is safe for concurrent use, cached or not, and gives the sequential
// verdicts. A small cache makes the goroutines race on resets too. Run with
// -race.
func TestValidator_Check_concurrent(t *testing.T) {
	t.Parallel()
	exchanges := corpus()
	plain := validator(t)
	want := make([][]Finding, len(exchanges))
	for i, ex := range exchanges {
		want[i] = plain.Check(ex)
	}
	// Fresh validators start cold: the goroutines race on first uses too.
	for _, v := range []*Validator{plain, cachedValidator(t, 0), cachedValidator(t, 5)} {
		var wg sync.WaitGroup
		errs := make(chan string, 8*len(exchanges))
		for g := range 8 {
			wg.Go(func() {
				for round := range 5 {
					for i := range exchanges {
						j := (i + g + round) % len(exchanges)
						if got := v.Check(exchanges[j]); !slices.Equal(got, want[j]) {
							errs <- fmt.Sprintf("exchange %d: got\n%swant\n%s", j, list(got), list(want[j]))
							return
						}
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
	}
}

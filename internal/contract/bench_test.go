package contract

import (
	"strconv"
	"strings"
	"testing"
)

// BenchmarkCheck measures one Check of a media answer (the largest body):
// uncached; cached with the answer repeated (only the rate-limit values
// change, as in a load test); and cached with every answer a miss (distinct
// bodies through a one-entry cache: the cache's overhead). The
// response-only variants skip the request, as for deliberate requests.
func BenchmarkCheck(b *testing.B) {
	base := answer("GET", "/media/123", 200, mediaReady)
	repeated := make([]Exchange, 256)
	distinct := make([]Exchange, 256)
	for i := range repeated {
		repeated[i] = withHeader(base, "X-RateLimit-Remaining", strconv.Itoa(300-i))
		distinct[i] = answer("GET", "/media/123", 200, strings.Replace(mediaReady, "245000", strconv.Itoa(1000+i), 1))
	}
	run := func(v *Validator, exchanges []Exchange) func(b *testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if f := v.Check(exchanges[i%len(exchanges)]); f != nil {
					b.Fatal(f)
				}
				i++
			}
		}
	}
	b.Run("uncached", run(validator(b), repeated))
	b.Run("cached-repeated", run(cachedValidator(b, 1024), repeated))
	b.Run("cached-miss", run(cachedValidator(b, 1), distinct))
	b.Run("uncached-response-only", run(validator(b), skipAll(repeated)))
	b.Run("cached-response-only", run(cachedValidator(b, 1024), skipAll(repeated)))
}

func skipAll(exchanges []Exchange) []Exchange {
	out := make([]Exchange, len(exchanges))
	for i, ex := range exchanges {
		ex.SkipRequest = true
		out[i] = ex
	}
	return out
}

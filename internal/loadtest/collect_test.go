package loadtest

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/rentix/mediaharness/internal/redact"
)

// TestCollector_redactsEveryResult: what a target echoes of the key, in the
// body, an error, a header value or a header name, raw or base64, and the
// password of the base URL are gone from a result before the sink or the
// checks see it; the result still matches its request.
func TestCollector_redactsEveryResult(t *testing.T) {
	t.Parallel()
	const key = "rx_collectorKey_0123456789"
	url := "http://user:pw@127.0.0.1:9/api/v1/media/1"
	reg := registry{}
	req := &request{op: opGet, path: "/media/1"}
	reg.add(vegeta.Target{Method: http.MethodGet, URL: url}, req)
	c := newCollector(&schedule{}, reg, nil, nil, 0)
	c.red = redact.New(key)
	h := http.Header{}
	h[key] = []string{"x"}
	h.Set("X-Echo", base64.StdEncoding.EncodeToString([]byte("ApiKey "+key)))
	r := &vegeta.Result{Method: http.MethodGet, URL: url, Code: 401, Headers: h,
		Body: []byte(`{"message":"Invalid API key: ` + key + `"}`), Error: "401 for " + key}
	if got := c.reg.lookup(r); got != req {
		t.Fatal("the result does not match its request before redaction")
	}
	redactResult(c.red, r)
	all := string(r.Body) + r.Error + r.URL
	for name, vs := range r.Headers {
		all += name + strings.Join(vs, "")
	}
	if strings.Contains(strings.ToLower(all), strings.ToLower(key)) || strings.Contains(all, "pw") ||
		strings.Contains(all, base64.RawStdEncoding.EncodeToString([]byte(key))[:20]) {
		t.Errorf("the result still holds a secret: %q", all)
	}
}

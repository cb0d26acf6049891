package redact

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const key = "rx_9f8e7d6c5b4a3210&<>\"/+="

func TestString_everyForm(t *testing.T) {
	t.Parallel()
	r := New(key)
	long := base64.StdEncoding.EncodeToString([]byte(`{"error":"Invalid API key: ` + key + `","more":"x"}`))
	for name, s := range map[string]string{
		"raw":                  "Invalid API key: " + key,
		"query-escaped":        "?k=" + url.QueryEscape(key),
		"path-escaped":         "/k/" + url.PathEscape(key),
		"json-escaped":         `{"k":"` + jsonEscaped(key) + `"}`,
		"xml-escaped":          "<k>" + xmlEscaped(key) + "</k>",
		"base64":               "echo " + base64.StdEncoding.EncodeToString([]byte(key)),
		"base64 url, raw":      "echo " + base64.RawURLEncoding.EncodeToString([]byte(key)),
		"base64 ApiKey":        "echo " + base64.StdEncoding.EncodeToString([]byte("ApiKey "+key)),
		"base64 ApiKey raw":    "echo " + base64.RawStdEncoding.EncodeToString([]byte("ApiKey "+key)),
		"inside longer base64": long,
	} {
		got := r.String(s)
		if !strings.Contains(got, Redacted) || strings.Contains(got, key) {
			t.Errorf("%s: String(%q) = %q, want the key redacted", name, s, got)
		}
		if got != string(r.Bytes([]byte(s))) {
			t.Errorf("%s: Bytes differs from String", name)
		}
	}
	for _, pad := range []string{"", "a", "ab"} {
		enc := base64.StdEncoding.EncodeToString([]byte(pad + key + "tail"))
		if got := r.String(enc); !strings.Contains(got, Redacted) {
			t.Errorf("base64 at offset %d: %q not redacted", len(pad), got)
		}
	}
}

func TestHeader_namesAnyCase(t *testing.T) {
	t.Parallel()
	k := "rx_abc-def-0123456789"
	r := New(k)
	h := http.Header{}
	h.Set(k, "v")                // canonicalised: Rx_abc-Def-0123456789
	h.Set("X-Echo", "key is "+k) // a value
	h.Set("X-Api-Key", "wrong-key")
	h.Set("Authorization", "ApiKey "+k)
	got := r.Header(h)
	for name, vs := range got {
		if strings.Contains(strings.ToLower(name), strings.ToLower(k)) {
			t.Errorf("header name %q holds the key", name)
		}
		for _, v := range vs {
			if strings.Contains(v, k) || v == "wrong-key" {
				t.Errorf("header %s: %q holds a key", name, v)
			}
		}
	}
	if got.Get("Authorization") != "ApiKey "+Redacted {
		t.Errorf("Authorization = %q, want the scheme kept", got.Get("Authorization"))
	}
	// In text, as a dump prints it.
	if s := r.String(http.CanonicalHeaderKey(k) + ": v"); strings.Contains(strings.ToLower(s), strings.ToLower(k)) {
		t.Errorf("canonical header name in text not redacted: %q", s)
	}
}

func TestNil_redactsNothing(t *testing.T) {
	t.Parallel()
	var r *Redactor
	if r.String("a") != "a" || New().String("a") != "a" || New("").String("exist") != "exist" {
		t.Error("a redactor without secrets changed its input")
	}
}

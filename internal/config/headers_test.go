package config

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestTarget_Validate_headers(t *testing.T) {
	t.Parallel()
	const secret = "gw-token-1234567890"
	tests := []struct {
		name    string
		headers http.Header
		wantErr []string
	}{
		{"gateway token and trace header", http.Header{"X-Gateway-Token": {secret}, "Traceparent": {"00-4bf92f3577b34da6-01"}}, nil},
		{"the key's header", http.Header{"Authorization": {secret}}, []string{"--header Authorization", "sets this header itself"}},
		{"the other key header, any case", http.Header{"x-api-key": {secret}}, []string{"--header X-Api-Key"}},
		{"content type", http.Header{"Content-Type": {"application/xml; x=1"}}, []string{"--header Content-Type"}},
		{"host", http.Header{"Host": {"other.example.com"}}, []string{"--header Host"}},
		{"content length", http.Header{"Content-Length": {"12345678"}}, []string{"--header Content-Length"}},
		{"not a header name", http.Header{"X Token": {secret}}, []string{"not a valid header name"}},
		{"a line break in the value", http.Header{"X-Token": {secret + "\r\nX-Evil: 1"}}, []string{"--header X-Token", "line break"}},
		{"too short to redact", http.Header{"X-Token": {"abc"}}, []string{"--header X-Token", "too short"}},
	}
	for _, tt := range tests {
		err := Target{Headers: tt.headers}.Validate()
		if len(tt.wantErr) == 0 {
			if err != nil {
				t.Errorf("%s: Validate = %v, want nil", tt.name, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: Validate = nil, want an error mentioning %q", tt.name, tt.wantErr)
			continue
		}
		for _, w := range tt.wantErr {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: Validate = %q, want it to mention %q", tt.name, err, w)
			}
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("%s: Validate = %q shows the header's value", tt.name, err)
		}
	}
}

func TestTarget_Secrets_headerValues(t *testing.T) {
	t.Parallel()
	tgt := Target{APIKey: "key-12345678", Headers: http.Header{"X-Gateway-Token": {"gw-token-1234567890"}}}
	if s := tgt.Secrets(); !slices.Contains(s, "gw-token-1234567890") || !slices.Contains(s, "key-12345678") {
		t.Errorf("Secrets() = %q, want the key and the header's value", s)
	}
}

package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/rentix/mediaharness/internal/contract"
)

const secret = "zz-Secret-Key-4711"

func TestClient_Do_violationGivesContractErrorWithEvidence(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Echo", r.Header.Get("Authorization"))
		writeJSON(w, 409, `{"statusCode":409,"message":"External ID already linked","error":"Conflict"}`)
	})
	chk := &fakeChecker{findings: func(ex contract.Exchange) []contract.Finding {
		return []contract.Finding{
			{Kind: contract.Violation, Rule: "response.status", Message: "409 is not documented; key " + secret, Inferred: true},
			{Kind: contract.Drift, Rule: "response.header", Pointer: "X-Echo", Message: "unknown header"},
		}
	}}
	c := mustNew(t, Options{BaseURL: srv.URL + "/api/v1", Validator: chk, Secrets: []string{secret}})
	resp, err := c.Do(context.Background(), Request{
		Method: "POST", Path: "/media/1/link", Key: secret, JSON: map[string]string{"externalId": "x"},
	})
	var ce *ContractError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want *ContractError", err)
	}
	if resp == nil || resp.Status != 409 {
		t.Fatalf("resp = %+v, want the 409 alongside the error", resp)
	}
	if len(ce.Findings) != 1 || ce.Findings[0].Rule != "response.status" || !ce.Inferred() {
		t.Errorf("ContractError findings = %+v, want the one inferred violation", ce.Findings)
	}
	if len(resp.Findings) != 2 || resp.Operation != "linkExternalId" {
		t.Errorf("resp findings %d, operation %q; want 2 and linkExternalId", len(resp.Findings), resp.Operation)
	}
	msg := err.Error()
	for _, want := range []string{
		"POST /media/1/link broke the contract (1 finding)",
		"→ POST /api/v1/media/1/link (linkExternalId)",
		"Authorization: ApiKey [REDACTED]",
		"Content-Type: application/json",
		`{"externalId":"x"}`,
		"← 409",
		"X-Echo: ApiKey [REDACTED]",
		`"message":"External ID already linked"`,
		"response.status: 409 is not documented; key [REDACTED] [inferred]",
		"response.header X-Echo: unknown header [drift]",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("evidence lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, secret) {
		t.Errorf("evidence shows the key:\n%s", msg)
	}
}

func TestClient_Do_driftIsAnErrorOnlyWhenStrict(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"extra":1}`) })
	chk := &fakeChecker{findings: func(contract.Exchange) []contract.Finding {
		return []contract.Finding{{Kind: contract.Drift, Rule: "response.body", Pointer: "/extra", Message: "unknown property"}}
	}}
	for _, strict := range []bool{false, true} {
		c := mustNew(t, Options{BaseURL: srv.URL, Validator: chk, Strict: strict})
		resp, err := c.Do(context.Background(), Request{Method: "GET", Path: "/agency"})
		var ce *ContractError
		if gotErr := errors.As(err, &ce); gotErr != strict {
			t.Errorf("Strict %v: err = %v, want a ContractError: %v", strict, err, strict)
		}
		if len(resp.Drift()) != 1 || len(resp.Violations()) != 0 {
			t.Errorf("Strict %v: drift %v violations %v, want 1 and 0", strict, resp.Drift(), resp.Violations())
		}
	}
}

func TestClient_Do_checksEveryExchange(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 415, `{}`) })
	chk := &fakeChecker{}
	var observed []*Response
	c := mustNew(t, Options{BaseURL: srv.URL + "/api/v1", Validator: chk, Observe: func(r *Response) { observed = append(observed, r) }})
	_, err := c.Do(context.Background(), Request{
		Method: "POST", Path: "/media/upload-from-url?a=1", Key: "k", Body: []byte("{"), Deliberate: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	seen := chk.exchanges()
	if len(seen) != 1 || len(observed) != 1 {
		t.Fatalf("checked %d, observed %d exchanges; want 1 and 1", len(seen), len(observed))
	}
	ex := seen[0]
	if ex.Method != "POST" || ex.Path != "/media/upload-from-url?a=1" || !ex.SkipRequest || string(ex.RequestBody) != "{" ||
		ex.Status != 415 || ex.RequestHeader.Get("Authorization") != "ApiKey k" || string(ex.ResponseBody) != "{}" {
		t.Errorf("exchange = %+v", ex)
	}
}

func TestClient_Redact_everywhere(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 500, `{"echo":"`+r.URL.Query().Get("k")+`"}`)
	})
	chk := &fakeChecker{findings: func(contract.Exchange) []contract.Finding {
		return []contract.Finding{{Kind: contract.Violation, Rule: "response.status", Message: "500"}}
	}}
	c := mustNew(t, Options{BaseURL: srv.URL, Validator: chk, Secrets: []string{secret, "a b/c"}})
	resp, err := c.Do(context.Background(), Request{
		Method: "GET", Path: "/media/1?k=" + secret + "&q=a+b%2Fc", Auth: AuthXAPIKey, Key: "not-in-secrets",
	})
	if err == nil {
		t.Fatal("err = nil, want the violation")
	}
	for name, s := range map[string]string{"error": err.Error(), "evidence": c.Evidence(resp), "url": resp.URL} {
		if strings.Contains(s, secret) || strings.Contains(s, "a+b%2Fc") || strings.Contains(s, "not-in-secrets") {
			t.Errorf("%s shows a key:\n%s", name, s)
		}
		if !strings.Contains(s, Redacted) {
			t.Errorf("%s has no %s:\n%s", name, Redacted, s)
		}
	}

	srv.Close()
	_, err = c.Do(context.Background(), Request{Method: "GET", Path: "/media/1?k=" + secret})
	if err == nil || strings.Contains(err.Error(), secret) || !strings.HasPrefix(err.Error(), "GET /media/1?k=[REDACTED]: ") {
		t.Errorf("transport error = %v, want it redacted and prefixed with the request line", err)
	}
}

func TestClient_Redact_longestFirst(t *testing.T) {
	t.Parallel()
	c := mustNew(t, Options{BaseURL: "http://h", Secrets: []string{"abc", "abcdef", ""}})
	if got := c.Redact("x abcdef abc y"); got != "x [REDACTED] [REDACTED] y" {
		t.Errorf("Redact = %q", got)
	}
}

func TestCut(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"four", "four"},
		{strings.Repeat("a", 10), "aaaa… (6 bytes more)"},
		{"aéé", "aé… (2 bytes more)"}, // never splits a rune
		{"\xff\xfe", "[2 bytes of binary data]"},
	}
	for _, tt := range tests {
		if got := cut(tt.in, 4); got != tt.want {
			t.Errorf("cut(%q, 4) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestClient_Evidence_cutsLongBodies(t *testing.T) {
	t.Parallel()
	body := `{"x":"` + strings.Repeat("y", 5000) + `"}`
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, body) })
	c := mustNew(t, Options{BaseURL: srv.URL})
	resp, err := c.Do(context.Background(), Request{Method: "GET", Path: "/media/1"})
	if err != nil {
		t.Fatal(err)
	}
	ev := c.Evidence(resp)
	if !strings.Contains(ev, "… (2960 bytes more)") || len(ev) > 3000 {
		t.Errorf("evidence of a %d-byte body is %d bytes:\n%s", len(body), len(ev), ev)
	}
}

func TestResponse_Decode(t *testing.T) {
	t.Parallel()
	var v struct{ ID int64 }
	if err := (&Response{Status: 200, Body: []byte(`{"ID":5}`)}).Decode(&v); err != nil || v.ID != 5 {
		t.Errorf("Decode = %v, %+v", err, v)
	}
	for _, body := range []string{"", "<html>nope</html>"} {
		if err := (&Response{Status: 502, Body: []byte(body)}).Decode(&v); err == nil {
			t.Errorf("Decode(%q) = nil error, want one", body)
		}
	}
}

func TestClient_Do_redactsACopyOfTheFindings(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{}`) })
	shared := []contract.Finding{{Kind: contract.Drift, Rule: "response.body", Message: "saw " + secret}}
	chk := &fakeChecker{findings: func(contract.Exchange) []contract.Finding { return shared }}
	c := mustNew(t, Options{BaseURL: srv.URL, Validator: chk, Secrets: []string{secret}})
	resp, err := c.Do(context.Background(), Request{Method: "GET", Path: "/agency"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Findings[0].Message != "saw [REDACTED]" || shared[0].Message != "saw "+secret {
		t.Errorf("response finding %q, checker's own %q; want the response's redacted, the checker's untouched",
			resp.Findings[0].Message, shared[0].Message)
	}
}

// A request carrying a key the run was given names that key's variable in
// the evidence, so a reproduction sends it with the same agency's key; any
// other key header value stays redacted, and no key is ever shown.
func TestClient_Evidence_namesTheVariableOfTheKeySent(t *testing.T) {
	t.Parallel()
	const other, suspended = "zz-Other-Key-0815", "zz-Suspended-Key-42"
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 404, `{}`) })
	c := mustNew(t, Options{BaseURL: srv.URL, Secrets: []string{secret}, KeyVariables: map[string]string{
		secret: "$RENTIX_API_KEY", other: "$RENTIX_OTHER_API_KEY", suspended: "$RENTIX_SUSPENDED_API_KEY"}})
	for _, tc := range []struct {
		key  string
		auth AuthStyle
		want []string
	}{
		{secret, AuthAPIKeyHeader, []string{"Authorization: ApiKey $RENTIX_API_KEY"}},
		{other, AuthAPIKeyHeader, []string{"Authorization: ApiKey $RENTIX_OTHER_API_KEY"}},
		{suspended, AuthBoth, []string{"Authorization: ApiKey $RENTIX_SUSPENDED_API_KEY", "X-Api-Key: $RENTIX_SUSPENDED_API_KEY"}},
		{other, AuthOtherScheme, []string{"Authorization: Bearer $RENTIX_OTHER_API_KEY"}},
		{"rx_not-a-key-of-this-run", AuthXAPIKey, []string{"X-Api-Key: [REDACTED]"}},
	} {
		resp, _ := c.Do(context.Background(), Request{Method: "GET", Path: "/agency", Key: tc.key, Auth: tc.auth})
		ev := c.Evidence(resp)
		for _, w := range tc.want {
			if !strings.Contains(ev, w) {
				t.Errorf("key %s sent as %v: evidence lacks %q:\n%s", tc.key, tc.auth, w, ev)
			}
		}
		for _, k := range []string{secret, other, suspended} {
			if strings.Contains(ev, k) {
				t.Errorf("evidence shows the key %s:\n%s", k, ev)
			}
		}
	}
}

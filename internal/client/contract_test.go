package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/rentix/mediaharness/internal/contract"
	"github.com/rentix/mediaharness/openapi"
)

var _ Checker = (*contract.Validator)(nil)

func realValidator(t *testing.T) *contract.Validator {
	t.Helper()
	doc, err := openapi.Load()
	if err != nil {
		t.Fatal(err)
	}
	v, err := contract.New(doc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// agencyServer answers GET /api/v1/agency with the given status and body,
// carrying the documented rate-limit headers.
func agencyServer(t *testing.T, status int, body string) string {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Limit", "300")
		w.Header().Set("X-RateLimit-Remaining", "299")
		w.Header().Set("X-RateLimit-Reset", "1900000000")
		writeJSON(w, status, body)
	})
	return srv.URL + "/api/v1"
}

const agencyBody = `{"id":42,"name":"Example Realty","status":"active","isCrmEnabled":true,` +
	`"limits":{"monthlyListings":{"used":12,"limit":100}}`

func TestClient_Do_withTheRealValidator(t *testing.T) {
	t.Parallel()
	v := realValidator(t)
	ctx := context.Background()
	req := Request{Method: "GET", Path: "/agency", Key: secret}

	good := mustNew(t, Options{BaseURL: agencyServer(t, 200, agencyBody+"}"), Validator: v, Secrets: []string{secret}})
	resp, err := good.Do(ctx, req)
	if err != nil || resp.Operation != "getAgency" || len(resp.Findings) != 0 {
		t.Errorf("conforming answer: op %q, findings %v, err %v; want getAgency, none, nil", resp.Operation, resp.Findings, err)
	}

	teapot := mustNew(t, Options{BaseURL: agencyServer(t, 418, `{}`), Validator: v, Secrets: []string{secret}})
	_, err = teapot.Do(ctx, req)
	var ce *ContractError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "response.status") || strings.Contains(err.Error(), secret) {
		t.Errorf("undocumented status: err = %v, want a redacted ContractError naming response.status", err)
	}

	extra := agencyServer(t, 200, agencyBody+`,"brandNew":1}`)
	for _, strict := range []bool{false, true} {
		c := mustNew(t, Options{BaseURL: extra, Validator: v, Strict: strict})
		resp, err := c.Do(ctx, req)
		if len(resp.Drift()) == 0 || (err != nil) != strict {
			t.Errorf("unknown property, Strict %v: drift %v, err %v", strict, resp.Drift(), err)
		}
	}
}

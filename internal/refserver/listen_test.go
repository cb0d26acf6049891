package refserver

import (
	"net/http"
	"testing"
)

func TestListen_servesTheAPIWithItsKeys(t *testing.T) {
	r, err := Listen(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	target := r.Target()
	if target.BaseURL != r.BaseURL || target.APIKey != r.Keys().Primary || target.OtherAPIKey != r.Keys().Other {
		t.Fatalf("Target() = %+v, want the server's base URL and keys", target)
	}
	req, _ := http.NewRequest("GET", r.BaseURL+"/agency", nil)
	req.Header.Set("X-API-Key", target.APIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /agency with the primary key = %d, want 200", resp.StatusCode)
	}
	http.DefaultClient.CloseIdleConnections()
}

func TestListen_rejectsABadConfig(t *testing.T) {
	if _, err := Listen(Config{RateLimit: -1}); err == nil {
		t.Fatal("Listen with a negative rate limit succeeded")
	}
}

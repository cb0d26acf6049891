package loadtest

import (
	"bytes"
	"github.com/rentix/mediaharness/internal/syncbuf"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func TestIdentity(t *testing.T) {
	t.Parallel()
	get := &request{op: opGet, id: 7}
	ext := &request{op: opGetExternal, id: 7, externalID: "apt-7"}
	link := &request{op: opLink, id: 7, externalID: "apt-7"}
	unlink := &request{op: opUnlink, id: 7, externalID: "apt-7"}
	del := &request{op: opDelete, id: 7}
	tests := []struct {
		req  *request
		body string
		want string // "" or a part of the message
	}{
		{get, `{"id":7}`, ""},
		{get, `{"id":8}`, "id is 8, want 7"},
		{get, `{"mediaId":7}`, "id missing"},
		{get, `[1]`, "not a JSON object"},
		{ext, `{"id":7,"externalId":"apt-7"}`, ""},
		{ext, `{"id":7,"externalId":null}`, "externalId missing or null"},
		{ext, `{"id":7,"externalId":"apt-8"}`, `externalId is "apt-8"`},
		{link, `{"mediaId":7,"externalId":"apt-7","linked":true}`, ""},
		{link, `{"mediaId":7,"externalId":"apt-7","linked":false}`, "linked is not true"},
		{unlink, `{"mediaId":7,"externalId":"apt-7","unlinked":true}`, ""},
		{unlink, `{"mediaId":9,"externalId":"apt-7","unlinked":true}`, "mediaId is 9"},
		{del, `{"deleted":true}`, ""},
		{del, `{}`, "deleted is not true"},
	}
	for _, tt := range tests {
		got := identity(tt.req, []byte(tt.body))
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("identity(%s, %s) = %q, want %q", tt.req.op, tt.body, got, tt.want)
		}
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	base := "http://h:1/api/v1"
	tests := []struct {
		method, url string
		want        operation
	}{
		{"GET", base + "/media/12", opGet},
		{"DELETE", base + "/media/12", opDelete},
		{"GET", base + "/media/external/apt%2F1", opGetExternal},
		{"POST", base + "/media/12/link", opLink},
		{"DELETE", base + "/media/12/link", opUnlink},
		{"GET", base + "/media/12/link", opUnknown},
		{"GET", base + "/agency", opUnknown},
		{"DELETE", base + "/media/external/x", opUnknown},
	}
	for _, tt := range tests {
		if got := classify(tt.method, tt.url); got != tt.want {
			t.Errorf("classify(%s %s) = %s, want %s", tt.method, tt.url, got, tt.want)
		}
	}
}

func TestOutcomeOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		op   operation
		code uint16
		want outcome
	}{
		{opDelete, 200, outcomeExpected},
		{opLink, 201, outcomeExpected},
		{opUnlink, 201, outcomeUnexpected},
		{opGet, 404, outcomeUnexpected},
		{opGet, 429, outcomeLimited},
		{opGet, 0, outcomeTransport},
	}
	for _, tt := range tests {
		if got := outcomeOf(&vegeta.Result{Code: tt.code}, tt.op); got != tt.want {
			t.Errorf("outcomeOf(%s, %d) = %s, want %s", tt.op, tt.code, got, tt.want)
		}
	}
}

func TestSampler_EvenSharePerOperation(t *testing.T) {
	t.Parallel()
	s := newSampler(0.25)
	taken := map[operation]int{}
	for i := range 400 {
		op := opGet
		if i%4 == 0 { // an operation every fourth request would alias with a plain every-fourth sample
			op = opDelete
		}
		if s.take(op) {
			taken[op]++
		}
	}
	if taken[opGet] != 75 || taken[opDelete] != 25 {
		t.Errorf("taken %v; want a quarter of each: 75 gets, 25 deletes", taken)
	}
}

// A pool read in turn meets the sample at every file, not at the same few
// a fixed stride would.
func TestSampler_EveryFileOfAPool(t *testing.T) {
	t.Parallel()
	for _, share := range []float64{0.25, 0.5, 0.3} {
		s := newSampler(share)
		checked := map[int]int{}
		taken := 0
		for i := range 1600 {
			if s.take(opGet) {
				checked[i%16]++
				taken++
			}
		}
		if len(checked) != 16 || taken != int(1600*share) {
			t.Errorf("share %v: %d of 1600 taken, files checked %v; want %d and all 16", share, taken, checked, int(1600*share))
		}
	}
}

func TestMixedSlots(t *testing.T) {
	t.Parallel()
	count := make([]int, len(mixedWeights))
	for _, s := range mixedSlots {
		count[s]++
	}
	for i, w := range mixedWeights {
		if count[i] != w.weight {
			t.Errorf("%s has %d of %d slots, want %d", w.name, count[i], mixedTotal, w.weight)
		}
	}
	m := &mixedScenario{parts: []scenario{&cycle{}, &cycle{}, &cycle{}, &deleteScenario{targets: make([]vegeta.Target, 3)}}}
	if got := m.remaining(); got < 3*mixedTotal-mixedTotal || got > 3*mixedTotal+mixedTotal {
		t.Errorf("remaining with 3 deletes left = %d, want about %d", got, 3*mixedTotal)
	}
	if got := m.shortfall(5 * mixedTotal); got != 2 {
		t.Errorf("shortfall for 100 requests with 3 files = %d, want 2", got)
	}
}

func TestDefaultSLO_CoversEveryScenario(t *testing.T) {
	t.Parallel()
	set, err := loadSLO("")
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range Scenarios() {
		slo, ok := set.Scenarios[sc]
		if !ok || slo.P95 == nil || slo.P99 == nil || slo.MinSuccessRatio == nil || slo.MaxContractViolations == nil ||
			slo.Max429Share == nil || slo.MinRateRatio == nil {
			t.Errorf("scenario %s: thresholds %+v incomplete", sc, slo)
		}
	}
}

func TestParseSLO_Errors(t *testing.T) {
	t.Parallel()
	for name, text := range map[string]string{
		"typo":                 "scenarios:\n  get:\n    p59: 1ms\n",
		"unknown scenario":     "scenarios:\n  put:\n    p95: 1ms\n",
		"bad duration":         "scenarios:\n  get:\n    p95: fast\n",
		"unknown operation":    "scenarios:\n  mixed:\n    operations:\n      linkMedia:\n        p95: 1ms\n",
		"nested operations":    "scenarios:\n  mixed:\n    operations:\n      getMedia:\n        operations:\n          deleteMedia:\n            p95: 1ms\n",
		"rate of an operation": "scenarios:\n  mixed:\n    operations:\n      getMedia:\n        min_achieved_rate_ratio: 0.9\n",
		"typo in an operation": "scenarios:\n  mixed:\n    operations:\n      getMedia:\n        p59: 1ms\n",
		"ratio above 1":        "scenarios:\n  get:\n    min_success_ratio: 2\n",
		"negative share":       "scenarios:\n  get:\n    max_429_share: -0.1\n",
		"no threshold":         "scenarios:\n  get: {}\n",
		"empty operation":      "scenarios:\n  mixed:\n    p95: 1s\n    operations:\n      getMedia: {}\n",
	} {
		if _, err := parseSLO([]byte(text)); err == nil {
			t.Errorf("%s: parsed without error", name)
		}
	}
}

func TestSLO_Evaluate(t *testing.T) {
	t.Parallel()
	set, _ := parseSLO([]byte("scenarios:\n  get:\n    p95: 10ms\n    max_contract_violations: 0\n    min_success_ratio: 0.99\n"))
	slo, _ := set.forScenario(scenarioGet)
	m := measured{latency: latencies{P95: 12 * time.Millisecond}, counts: counts{Requests: 100, Expected: 100}, validated: false}
	got := slo.evaluate(m)
	if len(got) != 3 || got[0].Pass || got[0].Measured != "12ms" || got[0].Limit != "<= 10ms" {
		t.Errorf("p95: %+v", got)
	}
	if !got[2].Skipped || len(failed(got)) != 1 || failed(got)[0] != "p95 latency" {
		t.Errorf("with validation off the contract threshold is skipped, not failed: %+v", got)
	}
}

// An operation's thresholds are checked on its requests alone, named after
// it; one the run did not send is skipped; judged for capacity, latency is
// taken from the actual send, the operations' too.
func TestSLO_EvaluateOperations(t *testing.T) {
	t.Parallel()
	set, err := parseSLO([]byte(`scenarios:
  mixed:
    p95: 50ms
    operations:
      linkExternalId:
        p95: 10ms
        min_success_ratio: 1
      deleteMedia:
        p95: 10ms
`))
	if err != nil {
		t.Fatal(err)
	}
	slo, _ := set.forScenario(scenarioMixed)
	m := measured{latency: latencies{P95: 20 * time.Millisecond}, counts: counts{Requests: 200, Expected: 199, Unexpected: 1},
		ops: []operationStats{
			{Operation: opGet, Counts: counts{Requests: 100, Expected: 100}, Latency: latencies{P95: 5 * time.Millisecond}},
			{Operation: opLink, Counts: counts{Requests: 100, Expected: 99, Unexpected: 1},
				Latency: latencies{P95: 30 * time.Millisecond}, Service: latencies{P95: 8 * time.Millisecond}},
		}}
	got := slo.evaluate(m)
	names := failed(got)
	if want := []string{"linkExternalId p95 latency", "linkExternalId success ratio"}; !slices.Equal(names, want) {
		t.Errorf("failed %q; want %q (all: %+v)", names, want, got)
	}
	i := slices.IndexFunc(got, func(r thresholdResult) bool { return r.Name == "deleteMedia p95 latency" })
	if i < 0 || !got[i].Skipped || got[i].Measured != "no requests" {
		t.Errorf("an operation the run did not send: %+v; want skipped", got)
	}
	m.service = true
	if names := failed(slo.evaluate(m)); !slices.Equal(names, []string{"linkExternalId success ratio"}) {
		t.Errorf("judged from the actual send: failed %q; want only the success ratio", names)
	}
}

func TestProm_LabelsByOperation(t *testing.T) {
	t.Parallel()
	pm, err := startProm("127.0.0.1:0", scenarioGet)
	if err != nil {
		t.Fatal(err)
	}
	defer pm.close()
	req := &request{op: opGet}
	pm.observe(item{r: &vegeta.Result{Code: 200, URL: "http://h/media/1"}, req: req, corrected: time.Millisecond, outcome: outcomeExpected})
	pm.observe(item{r: &vegeta.Result{Code: 500, URL: "http://h/media/2"}, req: req, corrected: time.Millisecond, outcome: outcomeUnexpected})
	pm.failed(opGet, "contract_violation")
	resp, err := http.Get("http://" + pm.addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	text := string(body)
	for _, want := range []string{
		`loadtest_requests_total{operation="getMedia",outcome="expected",scenario="get"} 1`,
		`loadtest_failures_total{operation="getMedia",reason="unexpected_status",scenario="get"} 1`,
		`loadtest_failures_total{operation="getMedia",reason="contract_violation",scenario="get"} 1`,
		`loadtest_request_duration_seconds_count{operation="getMedia",scenario="get"} 2`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(text, "media/1") {
		t.Error("metrics are labelled by URL")
	}
}

func TestProgress(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if isTerminal(&buf) {
		t.Error("a buffer is not a terminal")
	}
	stop := startProgress(&buf, "get", time.Second, nil)
	stop()
	if buf.Len() != 0 {
		t.Errorf("progress written to a non-terminal: %q", buf.String())
	}
	line := progressLine("get", 1500*time.Millisecond, 3*time.Second, live{requests: 300, failed: 2, p95: 3 * time.Millisecond, rate: 199.5})
	for _, want := range []string{"get", "1.5s/3s", "199.5/s", "p95", "3ms", "errors 2 of 300"} {
		if !strings.Contains(line, want) {
			t.Errorf("progress line %q lacks %q", line, want)
		}
	}
}

// A link scenario outlives a stopped attack: the next attack's targeter
// still waits for a file rather than giving up at once.
func TestLinkScenario_StopEndsOneAttackOnly(t *testing.T) {
	t.Parallel()
	reg := registry{}
	s := newLink(newEndpoint("http://api.test/api/v1", nil), &pool{name: "link", files: []fixture{{ID: 7, ExternalID: "ext-7"}}}, reg)
	var tgt vegeta.Target
	if err := s.targeter()(&tgt); err != nil || tgt.Method != http.MethodDelete {
		t.Fatalf("first request: %v %s; want the unlink of the linked file", err, tgt.Method)
	}
	s.stop() // the first attack ends with the file still out

	next := s.targeter()
	got := make(chan error, 1)
	go func() {
		var t2 vegeta.Target
		got <- next(&t2)
	}()
	select {
	case err := <-got:
		t.Fatalf("the next attack's targeter gave up at once: %v", err)
	case <-time.After(50 * time.Millisecond): // still waiting, as it should
	}
	r := &vegeta.Result{Method: tgt.Method, URL: tgt.URL, Code: 200}
	s.done(r, reg.lookup(r))
	if err := <-got; err != nil {
		t.Errorf("after the file came back: %v; want its link", err)
	}
}

// A capacity search sizes the link pool for its workers, not for its first
// small step: later steps send far more at once.
func TestPlan_LinkPoolOfAGrowingSearch(t *testing.T) {
	t.Parallel()
	p := plan{hits: 4, workers: 50}
	if n := p.linkNeed("link", 4).n; n != 4 {
		t.Errorf("a run of 4 requests: %d files; want 4", n)
	}
	p.growing = true
	if n := p.linkNeed("link", 4).n; n != 77 {
		t.Errorf("a search starting with 4 requests: %d files; want 77 for 50 workers", n)
	}
}

// Outside a terminal (a CI log) the attack's progress comes as whole lines
// at an interval, not as one redrawn line.
func TestProgress_LinesInALog(t *testing.T) {
	t.Parallel()
	var buf syncbuf.Buffer
	sk := newSink(nil, nil, nil, newProblems(), false)
	defer sk.finish()
	stop := progressEach(&buf, "get", time.Minute, sk, time.Millisecond)
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(buf.String(), "\n") < 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond) // polling, bounded by the deadline
	}
	stop()
	out := buf.String()
	if strings.Count(out, "\n") < 2 || strings.Contains(out, "\r") || !strings.HasPrefix(out, "  get ") {
		t.Errorf("progress in a log = %q, want whole lines without carriage returns", out)
	}
}

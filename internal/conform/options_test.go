package conform

import (
	"strings"
	"testing"

	"github.com/rentix/mediaharness/internal/config"
)

func TestOptions_Validate(t *testing.T) {
	t.Parallel()
	const key = "rx_validate_secret_key_123"
	staging := config.Target{BaseURL: "https://staging.example.test/api/v1", APIKey: key}
	prod := config.Target{BaseURL: "https://crm.rentix.md/api/v1", APIKey: key}
	for _, tc := range []struct {
		name string
		o    Options
		want []string // substrings of the error; none means valid
	}{
		{"embedded defaults", Options{}, nil},
		{"remote with key", Options{Target: staging}, nil},
		{"remote without key", Options{Target: config.Target{BaseURL: "https://staging.example.test/api/v1"}},
			[]string{"--api-key"}},
		{"bad base URL", Options{Target: config.Target{BaseURL: "ftp://x/api/v1", APIKey: key}}, []string{"scheme"}},
		{"unknown inferred mode", Options{Inferred: "maybe"}, []string{`--inferred "maybe"`}},
		{"negative concurrency", Options{Concurrency: -1}, []string{"--concurrency"}},
		{"negative deadline", Options{RunDeadline: -1}, []string{"--run-deadline"}},
		{"empty tag term", Options{Tags: "@a && "}, []string{"bad term"}},
		{"not keyword", Options{Tags: "not @destructive"}, []string{"bad term"}},
		{"production, all tags", Options{Target: prod}, []string{"refusing", "~@destructive"}},
		{"production, one alternative lets destructive in", Options{Target: prod, Tags: "~@destructive,@smoke"},
			[]string{"refusing"}},
		{"production, destructive excluded", Options{Target: prod, Tags: "@smoke && ~@destructive, ~@destructive"}, nil},
		{"production, allowed", func() Options { p := prod; p.AllowProduction = true; return Options{Target: p} }(), nil},
		{"comma in report dir", Options{ReportDir: "a,b"}, []string{"comma"}},
		{"bad run id", Options{RunID: "../x"}, []string{"run id"}},
		{"regressions without baseline", Options{FailOnlyOnRegressions: true}, []string{"--baseline"}},
		{"several problems at once", Options{Inferred: "x", Concurrency: -2, Target: config.Target{BaseURL: "https://h/api/v1"}},
			[]string{"--inferred", "--concurrency", "--api-key"}},
	} {
		err := tc.o.withDefaults().validate()
		if len(tc.want) == 0 {
			if err != nil {
				t.Errorf("%s: validate() = %v, want nil", tc.name, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: validate() = nil, want an error mentioning %q", tc.name, tc.want)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: validate() = %q, want it to mention %q", tc.name, err, w)
			}
		}
		if strings.Contains(err.Error(), key) {
			t.Errorf("%s: the error shows the API key: %q", tc.name, err)
		}
	}
}

func TestExcludesTag(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		expr string
		want bool
	}{
		{"", false},
		{"~@destructive", true},
		{"~destructive", true},
		{"@a && ~@destructive", true},
		{"~@destructive,@a", false},
		{"@a && ~@destructive, @b && ~@destructive", true},
		{"@destructive", false},
		{"~@destructive-ish", false},
	} {
		if got := excludesTag(tc.expr, "destructive"); got != tc.want {
			t.Errorf("excludesTag(%q) = %v, want %v", tc.expr, got, tc.want)
		}
	}
}

package conform

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const undefinedFeature = `Feature: A typo
  Scenario: the second step has a typo
    Given "setup" passes
    When I ask for the agnecy
    Then it answers 200

  Scenario Outline: rows repeat an undefined step
    Then "<x>" passes
    And nobody defined this

    Examples:
      | x |
      | a |
      | b |
`

// TestRun_UndefinedStepIsAConfigurationError: a step no definition matches
// stops the run before it touches the target, naming the step and where it
// is; the steps that exist are not run.
func TestRun_UndefinedStepIsAConfigurationError(t *testing.T) {
	dir := t.TempDir()
	fk := newFakeSteps()
	_, err := run(context.Background(), Options{ReportDir: dir},
		fakeSuite(map[string]string{"typo.feature": undefinedFeature}, fk))
	want := `feature files: 2 undefined steps (no step definition of the harness matches): ` +
		`typo.feature:4 "I ask for the agnecy", typo.feature:9 "nobody defined this"`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v\nwant    %s", err, want)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the check left files in the report dir: %v", entries)
	}
}

// TestRun_UndefinedStepOnlyInUnselectedScenarios: the check looks at what
// the tags select.
func TestRun_UndefinedStepOnlyInUnselectedScenarios(t *testing.T) {
	feature := "Feature: F\n  @ok\n  Scenario: fine\n    Given \"a\" passes\n\n  Scenario: typo\n    Given nobody defined this\n"
	res, out := runFake(t, context.Background(), Options{Tags: "@ok"},
		fakeSuite(map[string]string{"f.feature": feature}, newFakeSteps()))
	if res.Passed != 1 || !res.Verdict.Passed() {
		t.Errorf("passed %d passed %v, want the selected scenario to pass\n%s", res.Passed, res.Verdict.Passed(), out)
	}
}

// TestRun_FeaturesDir runs .feature files from a directory with the real
// steps, and reports a bad directory as a configuration error.
func TestRun_FeaturesDir(t *testing.T) {
	dir := t.TempDir()
	feature := "Feature: Mine\n  Scenario: a missing file is not found\n" +
		"    Given a file \"Z\" that does not exist\n    When I get \"Z\" by id\n    Then the response status is 404\n"
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sub", "mine.feature"), []byte(feature), 0o644); err != nil {
		t.Fatal(err)
	}
	o := Options{FeaturesDir: dir}
	res, out := runFake(t, context.Background(), o, suiteFor(o.FeaturesDir))
	if res.Passed != 1 || !res.Verdict.Passed() {
		t.Errorf("passed %d failed %d passed %v, want the one scenario passed\n%s", res.Passed, res.Failed, res.Verdict.Passed(), out)
	}

	for _, tc := range []struct{ dir, want string }{
		{filepath.Join(dir, "nope"), "no such file or directory"},
		{filepath.Join(dir, "sub", "mine.feature"), "not a directory"},
		{t.TempDir(), "no scenario in its .feature files"},
	} {
		_, err := run(context.Background(), Options{FeaturesDir: tc.dir, ReportDir: t.TempDir()}, suiteFor(tc.dir))
		if err == nil || !strings.Contains(err.Error(), "--features") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("--features %s: error = %v, want --features and %q", tc.dir, err, tc.want)
		}
	}
}

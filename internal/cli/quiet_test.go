package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// phaseLines are the lines of out that say what a run is doing rather than
// what it found: "· " lines and lines of progress marks.
func phaseLines(out string) []string {
	var found []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "· ") || progressMarks.MatchString(l) {
			found = append(found, l)
		}
	}
	return found
}

// -q and --quiet leave the verdict block, warnings and errors: no phase or
// progress line of conform, explore, load or capacity.
func TestQuiet_OnlyTheVerdict(t *testing.T) {
	t.Parallel()
	slo := filepath.Join(t.TempDir(), "slo.yaml")
	if err := os.WriteFile(slo, []byte(looseSLO), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args    []string
		verdict string
		phases  bool // prints phase lines without -q
	}{
		{[]string{"conform", "--features", shortFeatures(t)}, "PASS  3 scenarios", true},
		{[]string{"explore", "--budget", "30", "--no-sequences"}, "PASS  explore seed 1", true},
		{[]string{"load", "--rate", "20/s", "--duration", "1s", "--pool-size", "2", "--slo", slo}, "Thresholds", true},
		{[]string{"capacity", "--start", "20/s", "--step", "1s", "--max-steps", "1", "--pool-size", "2", "--slo", slo}, "Capacity:", true},
	} {
		loud := invoke(t, append(tc.args, "--report-dir", t.TempDir())...)
		if tc.phases && len(phaseLines(loud.stdout+loud.stderr)) == 0 {
			t.Errorf("%s without -q printed no phase line: the test proves nothing\n%s", tc.args[0], loud)
		}
		for _, flag := range []string{"-q", "--quiet"} {
			out := invoke(t, append(tc.args, flag, "--report-dir", t.TempDir())...)
			if out.code != ExitOK || !strings.Contains(out.stdout, tc.verdict) {
				t.Errorf("%s %s: want exit 0 and the verdict %q\n%s", tc.args[0], flag, tc.verdict, out)
			}
			if lines := phaseLines(out.stdout + out.stderr); len(lines) > 0 {
				t.Errorf("%s %s printed phase or progress lines %q", tc.args[0], flag, lines)
			}
		}
	}
}

func TestQuietWriter_KeepsWhatIsNotProgress(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	w, flush := quietOutput(&b, true)
	for _, chunk := range []string{"· running", " the scenarios\n..F", "- 4\n", "\n✗ FAIL  2 scenarios\n", "- a list item\n",
		"· cleanup: 3 deleted\n", "reports: x/index.html"} {
		if _, err := w.Write([]byte(chunk)); err != nil {
			t.Fatal(err)
		}
	}
	flush()
	if got, want := b.String(), "\n✗ FAIL  2 scenarios\n- a list item\nreports: x/index.html"; got != want {
		t.Errorf("quiet output %q, want %q", got, want)
	}
}

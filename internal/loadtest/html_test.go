package loadtest

import (
	"bytes"
	"github.com/rentix/mediaharness/internal/report/reportcheck"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// plot.html says the verdict first, and no series is drawn in a colour
// that vanishes on the plot's dark theme.
func TestWriteHTML_VerdictFirstAndReadableSeries(t *testing.T) {
	t.Parallel()
	html := samplePlotPage(t)
	for _, dark := range []string{"#171738", "#39393A", "#593C8F", "#881618", "#6F050E"} {
		if strings.Contains(html, `"`+dark+`"`) {
			t.Errorf("plot.html draws a series in %s, unreadable on its dark theme", dark)
		}
	}
	banner, plot := strings.Index(html, "FAIL ·"), strings.Index(html, "uPlot(")
	if banner < 0 || plot >= 0 && banner > plot || !strings.Contains(html, `href="index.html"`) {
		t.Errorf("the verdict is not first (banner at %d, plot at %d) or the full report is not linked", banner, plot)
	}
}

// Not parallel: Chromium takes the CPU the package's timed attacks need.
func TestWriteHTML_RendersInChromium(t *testing.T) {
	img := reportcheck.Shoot(t, "plot", []byte(samplePlotPage(t)), 900)
	if !reportcheck.Near(img, 30, 30, "#b3261e", 40) {
		t.Error("the top of plot.html is not the red FAIL banner")
	}
}

// samplePlotPage is the plot.html of a failed mixed run whose series use
// the whole palette: operations, OK and ERROR.
func samplePlotPage(t *testing.T) string {
	t.Helper()
	pl := newPlot("mixed", nil)
	at := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	// Enough labels to use the whole palette: operations, OK and ERROR.
	for i, path := range []string{"/media/1", "/media/external/a", "/media/1/link", "/job/status?id=1", "/agency", "/media/upload-from-url"} {
		for j, code := range []uint16{200, 500} {
			for _, m := range []string{"GET", "DELETE", "POST"} {
				r := &vegeta.Result{Method: m, URL: "http://h/api/v1" + path, Code: code, Timestamp: at.Add(time.Duration(i*10+j) * time.Millisecond), Latency: time.Millisecond}
				if err := pl.Add(r); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	r := &Report{Scenario: "mixed", Aborted: "the target kept failing"}
	var b bytes.Buffer
	if err := r.writeHTML(&b, pl); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

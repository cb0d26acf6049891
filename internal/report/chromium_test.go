package report

import (
	"bytes"
	"image/png"
	"os"
	"testing"

	"github.com/rentix/mediaharness/internal/report/reportcheck"
)

// TestHTML_RendersInChromium renders a sample report in headless Chromium
// and checks the screenshot: a real PNG of the window size whose top rows
// show the red FAIL banner, and the light-blue box of a reproduction.
// Set REPORT_SCREENSHOT=/path/x.png (or REPORT_SCREENSHOT_DIR) to keep it.
// `make report-check` installs Chromium and sets REPORT_REQUIRE_CHROMIUM, so
// there a missing browser is a failure, not a skip.
func TestHTML_RendersInChromium(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTML(&buf, sampleSummary()); err != nil {
		t.Fatal(err)
	}
	img := reportcheck.Shoot(t, "conformance", buf.Bytes(), reportcheck.Height)
	// The banner of a failed run is #cf222e; a blank or unstyled page is not.
	if !reportcheck.Near(img, 8, 8, "#cf222e", 40) {
		r, g, b, _ := img.At(8, 8).RGBA()
		t.Errorf("pixel (8,8) = #%02x%02x%02x, want the red FAIL banner (about #cf222e)", r>>8, g>>8, b>>8)
	}
	if n := reportcheck.Count(img, "#f0f6ff", 3); n < 2000 {
		t.Errorf("%d pixels of the reproduction box's background: the curl reproduction is not on the first screen", n)
	}
	if keep := os.Getenv("REPORT_SCREENSHOT"); keep != "" {
		f, err := os.Create(keep)
		if err != nil {
			t.Fatalf("keep screenshot: %v", err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			t.Errorf("keep screenshot: %v", err)
		}
	}
}

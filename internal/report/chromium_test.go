package report

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

const chromiumPath = "/usr/bin/chromium"

// TestHTML_RendersInChromium renders a sample report in headless Chromium
// and checks the screenshot: a real PNG of the window size whose top rows
// show the red FAIL banner. Set REPORT_SCREENSHOT=/path/x.png to keep it.
// `make report-check` installs Chromium and sets REPORT_REQUIRE_CHROMIUM, so
// there a missing browser is a failure, not a skip.
func TestHTML_RendersInChromium(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("REPORT_REQUIRE_CHROMIUM") != "" {
			t.Fatalf("%s not installed: %v", chromiumPath, err)
		}
		t.Skipf("%s not installed (apt-get install chromium): skipping the render check", chromiumPath)
	}
	tmp := t.TempDir()
	page := filepath.Join(tmp, "index.html")
	var buf bytes.Buffer
	if err := WriteHTML(&buf, sampleSummary()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(tmp, "shot.png")
	if err := screenshot(t, page, shot, tmp); err != nil {
		t.Fatal(err)
	}
	checkScreenshot(t, shot)
	if keep := os.Getenv("REPORT_SCREENSHOT"); keep != "" {
		data, _ := os.ReadFile(shot)
		if err := os.WriteFile(keep, data, 0o644); err != nil {
			t.Errorf("keep screenshot: %v", err)
		}
	}
}

func screenshot(t *testing.T, page, out, profile string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromiumPath, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-quic", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir="+profile, "--window-size=1200,900",
		"--screenshot="+out, "file://"+page)
	// Keep Chromium's config and cache out of $HOME.
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+profile, "XDG_CACHE_HOME="+profile, "HOME="+profile)
	if output, err := cmd.CombinedOutput(); err != nil {
		t.Logf("chromium output:\n%s", output)
		return err
	}
	return nil
}

func checkScreenshot(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no screenshot written: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 900 {
		t.Errorf("screenshot is %dx%d, want 1200x900", b.Dx(), b.Dy())
	}
	// The banner of a failed run is #cf222e; a blank or unstyled page is not.
	r, g, b, _ := img.At(8, 8).RGBA()
	if r>>8 < 0xb0 || g>>8 > 0x50 || b>>8 > 0x60 {
		t.Errorf("pixel (8,8) = #%02x%02x%02x, want the red FAIL banner (about #cf222e)", r>>8, g>>8, b>>8)
	}
}

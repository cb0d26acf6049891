// Package reportcheck renders the harness's HTML pages in headless
// Chromium for tests: a screenshot, its verdict banner's colour, and
// whether a chart colour shows. Without Chromium the tests skip, unless
// REPORT_REQUIRE_CHROMIUM is set (make report-check), where they fail.
package reportcheck

import (
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// ChromiumPath is where Debian's chromium package puts the browser.
const ChromiumPath = "/usr/bin/chromium"

// Width and Height are the window the pages are shot in.
const Width, Height = 1200, 900

// Shoot writes html to a page, renders it in headless Chromium and
// returns the screenshot. With REPORT_SCREENSHOT_DIR set, the PNG is kept
// there as name.png.
func Shoot(t *testing.T, name string, html []byte, height int) image.Image {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		if os.Getenv("REPORT_REQUIRE_CHROMIUM") != "" {
			t.Fatalf("%s not installed: %v", ChromiumPath, err)
		}
		t.Skipf("%s not installed (apt-get install chromium): skipping the render check", ChromiumPath)
	}
	tmp := t.TempDir()
	page, shot := filepath.Join(tmp, name+".html"), filepath.Join(tmp, name+".png")
	if err := os.WriteFile(page, html, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, ChromiumPath, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-quic", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir="+tmp, "--window-size=1200,"+strconv.Itoa(height),
		"--screenshot="+shot, "file://"+page)
	// Keep Chromium's config and cache out of $HOME.
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+tmp, "XDG_CACHE_HOME="+tmp, "HOME="+tmp)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	data, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("no screenshot written: %v", err)
	}
	if dir := os.Getenv("REPORT_SCREENSHOT_DIR"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err == nil {
			_ = os.WriteFile(filepath.Join(dir, name+".png"), data, 0o644)
		}
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != Width || b.Dy() != height {
		t.Errorf("screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), Width, height)
	}
	return img
}

// Near reports whether the pixel at x, y is within tol of the colour
// "#rrggbb" in every channel.
func Near(img image.Image, x, y int, hex string, tol int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	wr, wg, wb := rgb(hex)
	return abs(int(r>>8)-wr) <= tol && abs(int(g>>8)-wg) <= tol && abs(int(b>>8)-wb) <= tol
}

// Count is how many pixels are within tol of the colour.
func Count(img image.Image, hex string, tol int) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if Near(img, x, y, hex, tol) {
				n++
			}
		}
	}
	return n
}

func rgb(hex string) (int, int, int) {
	v := 0
	for _, c := range hex[1:] {
		v <<= 4
		switch {
		case c >= '0' && c <= '9':
			v |= int(c - '0')
		case c >= 'a' && c <= 'f':
			v |= int(c-'a') + 10
		}
	}
	return v >> 16 & 0xff, v >> 8 & 0xff, v & 0xff
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

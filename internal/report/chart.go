package report

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Chart colours: distinct on white, none of them black, each readable as
// a thin line.
const (
	ColorBlue   = "#0969da"
	ColorOrange = "#bc4c00"
	ColorPurple = "#8250df"
	ColorRed    = "#cf222e"
	ColorGreen  = "#1a7f37"
	ColorAmber  = "#d4a72c"
	ColorGray   = "#8c959f"
)

// Point is one value of a series.
type Point struct{ X, Y float64 }

// Series is one line (or set of dots, or bar layer) of a chart.
type Series struct {
	Name   string
	Color  string
	Points []Point
	Dots   bool // points only, no line: sparse spikes stay visible as dots
}

// Marker is a labelled vertical line.
type Marker struct {
	X     float64
	Label string
	Color string
}

// Chart is an inline SVG chart: lines and dots, or stacked bars. It needs
// no script, so a page that holds it works offline and in any viewer.
type Chart struct {
	Title, XLabel, YLabel string
	LogY                  bool // a log scale keeps rare spikes and the usual latency readable together
	Stacked               bool // bars: each series a layer over the one before
	XFormat, YFormat      func(float64) string
	Series                []Series
	Marks                 []Marker
}

// Chart geometry in SVG units; the SVG scales to the page's width.
const (
	chartW, chartH                     = 1100.0, 250.0
	padLeft, padRight, padTop, padBott = 70.0, 20.0, 16.0, 44.0
)

// SVG renders the chart with its legend.
func (c Chart) SVG() template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<figure class="chart"><figcaption>%s</figcaption>`, template.HTMLEscapeString(c.Title))
	fmt.Fprintf(&b, `<svg viewBox="0 0 %g %g" role="img" aria-label="%s">`, chartW, chartH, template.HTMLEscapeString(c.Title))
	x0, x1, y0, y1, ok := c.bounds()
	if !ok {
		b.WriteString(`<text x="550" y="150" text-anchor="middle" fill="#59636e">no data</text></svg></figure>`)
		return template.HTML(b.String())
	}
	sx := func(x float64) float64 { return padLeft + (x-x0)/(x1-x0)*(chartW-padLeft-padRight) }
	scale := func(y float64) float64 { return y }
	if c.LogY {
		scale = func(y float64) float64 { return math.Log10(math.Max(y, y0)) }
	}
	lo, hi := scale(y0), scale(y1)
	sy := func(y float64) float64 { return chartH - padBott - (scale(y)-lo)/(hi-lo)*(chartH-padTop-padBott) }
	c.axes(&b, x0, x1, y0, y1, sx, sy)
	if c.Stacked {
		c.bars(&b, sx, sy)
	} else {
		c.lines(&b, sx, sy)
	}
	for _, m := range c.Marks {
		x := sx(m.X)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="%s" stroke-width="1.5" stroke-dasharray="5 4"/>`,
			x, padTop, x, chartH-padBott, m.Color)
		fmt.Fprintf(&b, `<text x="%.1f" y="%g" fill="%s" font-size="12" text-anchor="end">%s</text>`,
			x-4, padTop+12, m.Color, template.HTMLEscapeString(m.Label))
	}
	b.WriteString(`</svg>`)
	c.legend(&b)
	b.WriteString(`</figure>`)
	return template.HTML(b.String())
}

// bounds are the data's extent; stacked bars sum their layers.
func (c Chart) bounds() (x0, x1, y0, y1 float64, ok bool) {
	x0, x1, y0, y1 = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	sums := map[float64]float64{}
	for _, s := range c.Series {
		for _, p := range s.Points {
			if c.LogY && p.Y <= 0 {
				continue
			}
			x0, x1 = math.Min(x0, p.X), math.Max(x1, p.X)
			y := p.Y
			if c.Stacked {
				sums[p.X] += p.Y
				y = sums[p.X]
			}
			y0, y1 = math.Min(y0, y), math.Max(y1, y)
			ok = true
		}
	}
	for _, m := range c.Marks {
		x0, x1 = math.Min(x0, m.X), math.Max(x1, m.X)
	}
	if !ok {
		return 0, 0, 0, 0, false
	}
	if c.Stacked {
		x1++ // a bar is one unit wide
	}
	if x1 <= x0 {
		x0, x1 = x0-1, x1+1
	}
	if c.LogY {
		y0 = math.Pow(10, math.Floor(math.Log10(y0*0.9))) // the lowest line clear of the axis
		y1 = math.Pow(10, math.Ceil(math.Log10(y1)+1e-9))
	} else {
		y0 = 0
		y1 = niceCeil(y1 * 1.05) // headroom, so a flat line does not run along the top
	}
	return x0, x1, y0, y1, true
}

func (c Chart) axes(b *strings.Builder, x0, x1, y0, y1 float64, sx, sy func(float64) float64) {
	xf, yf := c.XFormat, c.YFormat
	if xf == nil {
		xf = func(v float64) string { return trimFloat(v) }
	}
	if yf == nil {
		yf = func(v float64) string { return trimFloat(v) }
	}
	for _, y := range yTicks(y0, y1, c.LogY) {
		py := sy(y)
		fmt.Fprintf(b, `<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" stroke="#d1d9e0" stroke-width="1"/>`, padLeft, py, chartW-padRight, py)
		fmt.Fprintf(b, `<text x="%g" y="%.1f" fill="#59636e" font-size="12" text-anchor="end">%s</text>`, padLeft-6, py+4, template.HTMLEscapeString(yf(y)))
	}
	for _, x := range linearTicks(x0, x1, 10) {
		px := sx(x)
		fmt.Fprintf(b, `<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="#8c959f" stroke-width="1"/>`, px, chartH-padBott, px, chartH-padBott+5)
		fmt.Fprintf(b, `<text x="%.1f" y="%g" fill="#59636e" font-size="12" text-anchor="middle">%s</text>`, px, chartH-padBott+19, template.HTMLEscapeString(xf(x)))
	}
	fmt.Fprintf(b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#8c959f" stroke-width="1"/>`, padLeft, chartH-padBott, chartW-padRight, chartH-padBott)
	fmt.Fprintf(b, `<text x="%g" y="%g" fill="#59636e" font-size="12" text-anchor="middle">%s</text>`, (padLeft+chartW-padRight)/2, chartH-6, template.HTMLEscapeString(c.XLabel))
	fmt.Fprintf(b, `<text x="14" y="%g" fill="#59636e" font-size="12" text-anchor="middle" transform="rotate(-90 14 %g)">%s</text>`,
		(padTop+chartH-padBott)/2, (padTop+chartH-padBott)/2, template.HTMLEscapeString(c.YLabel))
}

func (c Chart) lines(b *strings.Builder, sx, sy func(float64) float64) {
	for _, s := range c.Series {
		var pts []string
		for _, p := range s.Points {
			if c.LogY && p.Y <= 0 {
				continue
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", sx(p.X), sy(p.Y)))
		}
		if s.Dots || len(pts) == 1 {
			for _, xy := range pts {
				x, y, _ := strings.Cut(xy, ",")
				fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="3" fill="%s" fill-opacity="0.85"/>`, x, y, s.Color)
			}
			continue
		}
		fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2" stroke-linejoin="round"/>`, strings.Join(pts, " "), s.Color)
	}
}

func (c Chart) bars(b *strings.Builder, sx, sy func(float64) float64) {
	base := map[float64]float64{}
	for _, s := range c.Series {
		for _, p := range s.Points {
			if p.Y <= 0 {
				continue
			}
			lo, hi := base[p.X], base[p.X]+p.Y
			base[p.X] = hi
			x, w := sx(p.X), sx(p.X+1)-sx(p.X)
			gap := math.Min(1, w*0.1)
			fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`, x+gap/2, sy(hi), math.Max(w-gap, 0.5), sy(lo)-sy(hi), s.Color)
		}
	}
}

func (c Chart) legend(b *strings.Builder) {
	b.WriteString(`<div class="legend">`)
	for _, s := range c.Series {
		shape := "line"
		if s.Dots {
			shape = "dot"
		}
		if c.Stacked {
			shape = "box"
		}
		fmt.Fprintf(b, `<span><i class="%s" style="background:%s"></i>%s</span>`, shape, s.Color, template.HTMLEscapeString(s.Name))
	}
	b.WriteString(`</div>`)
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// linearTicks are about n round values from lo to hi.
func linearTicks(lo, hi float64, n int) []float64 {
	step := niceCeil((hi - lo) / float64(n))
	var out []float64
	for v := math.Ceil(lo/step) * step; v <= hi+step*1e-9; v += step {
		out = append(out, v)
	}
	return out
}

// yTicks are decades (with 2 and 5 when the range is short) on a log
// scale, round values on a linear one.
func yTicks(lo, hi float64, log bool) []float64 {
	if !log {
		return linearTicks(lo, hi, 5)
	}
	decades := math.Log10(hi / lo)
	var out []float64
	for d := lo; d <= hi*1.0001; d *= 10 {
		out = append(out, d)
		if decades <= 3 && d*10 <= hi*1.0001 {
			out = append(out, 2*d, 5*d)
		}
	}
	return out
}

func trimFloat(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%.2g", v)
}

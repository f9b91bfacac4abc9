package report

import (
	"bytes"
	"fmt"
	"image/color"
	"math"

	"github.com/paulmach/orb"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Class is one legend entry of a choropleth map.
type Class struct {
	Label string
	Color color.RGBA
}

// Hex is the CSS colour of the class.
func (c Class) Hex() string { return fmt.Sprintf("#%02x%02x%02x", c.Color.R, c.Color.G, c.Color.B) }

func rgb(h uint32) color.RGBA { return color.RGBA{uint8(h >> 16), uint8(h >> 8), uint8(h), 255} }

var noData = Class{"Sans donnée", rgb(0xcfcfcf)}

// PV production classes, kWh/yr (ColorBrewer YlOrRd, as the web map).
var pvBreaks = []float64{5000, 10000, 20000, 40000}
var pvClasses = []Class{
	{"< 5 000 kWh/an", rgb(0xffffb2)}, {"5 000 – 10 000 kWh/an", rgb(0xfecc5c)},
	{"10 000 – 20 000 kWh/an", rgb(0xfd8d3c)}, {"20 000 – 40 000 kWh/an", rgb(0xf03b20)},
	{"≥ 40 000 kWh/an", rgb(0xbd0026)}, noData,
}

func pvClass(p Parcel) int {
	if p.PVKWhYr == nil {
		return len(pvClasses) - 1
	}
	for i, b := range pvBreaks {
		if *p.PVKWhYr < b {
			return i
		}
	}
	return len(pvBreaks)
}

// Heat-pump suitability classes: ground source (at least one borehole
// fits), air source (an outdoor unit can be sited), both, neither.
var hpClasses = []Class{
	{"PAC géothermique et air/eau", rgb(0x2166ac)}, {"PAC géothermique seule", rgb(0x67a9cf)},
	{"PAC air/eau seule", rgb(0x1a9850)}, {"Aucune implantation favorable", rgb(0xfdae61)}, noData,
}

func hpClass(p Parcel) int {
	if p.ASHPSitingOK == nil && p.GSHPBoreholes == nil {
		return 4
	}
	g := p.GSHPBoreholes != nil && *p.GSHPBoreholes > 0
	a := ashpOK(p)
	switch {
	case g && a:
		return 0
	case g:
		return 1
	case a:
		return 2
	}
	return 3
}

// mapImage draws the parcels (filled by fill, or light grey when fill is
// nil) and the commune outline in projected coordinates (metres, equal
// scale on both axes) with a scale bar and a north arrow, as a PNG.
// Hand-written on gonum/plot's vg canvas rather than a plot.Plot with
// plotter.Polygon: a map needs equal x/y scale and no axes, which plot.Plot
// does not give, and one FillPolygon per parcel keeps 15 000 parcels fast.
func mapImage(outline orb.Geometry, ps []Parcel, fill func(Parcel) color.Color, widthCm float64) ([]byte, error) {
	var b orb.Bound
	first := true
	ext := func(g orb.Geometry) {
		if g == nil {
			return
		}
		if first {
			b, first = g.Bound(), false
		} else {
			b = b.Union(g.Bound())
		}
	}
	ext(outline)
	for _, p := range ps {
		ext(p.Geom)
	}
	if first {
		return nil, fmt.Errorf("report: nothing to map")
	}
	pad := 0.03 * math.Max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
	b = b.Pad(math.Max(pad, 10))
	bw, bh := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	w := vg.Length(widthCm) * vg.Centimeter
	h := w * vg.Length(bh/bw)
	h = max(min(h, 20*vg.Centimeter), 6*vg.Centimeter)
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(150))
	c := draw.New(img)
	c.FillPolygon(color.White, []vg.Point{{X: 0, Y: 0}, {X: w, Y: 0}, {X: w, Y: h}, {X: 0, Y: h}})
	s := math.Min(float64(w)/bw, float64(h)/bh)
	ox := (float64(w) - s*bw) / 2
	oy := (float64(h) - s*bh) / 2
	pt := func(p orb.Point) vg.Point {
		return vg.Point{X: vg.Length(ox + (p[0]-b.Min[0])*s), Y: vg.Length(oy + (p[1]-b.Min[1])*s)}
	}
	ring := func(r orb.Ring) []vg.Point {
		out := make([]vg.Point, len(r))
		for i, p := range r {
			out[i] = pt(p)
		}
		return out
	}
	edge := draw.LineStyle{Color: color.Gray{Y: 120}, Width: vg.Points(0.15)}
	stroke := len(ps) < 4000
	grey := color.Gray{Y: 215}
	for _, p := range ps {
		var clr color.Color = grey
		if fill != nil {
			clr = fill(p)
		}
		for _, poly := range polygons(p.Geom) {
			if len(poly) == 0 {
				continue
			}
			outer := ring(poly[0]) // holes are not drawn: parcels rarely have them
			c.FillPolygon(clr, outer)
			if stroke {
				c.StrokeLines(edge, outer)
			}
		}
	}
	border := draw.LineStyle{Color: color.Gray{Y: 40}, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(4), vg.Points(2)}}
	for _, poly := range polygons(outline) {
		for _, r := range poly {
			c.StrokeLines(border, ring(r))
		}
	}
	// Scale bar: a round length close to a fifth of the width.
	target := bw / 5
	step := math.Pow(10, math.Floor(math.Log10(target)))
	for _, m := range []float64{5, 2, 1} {
		if m*step <= target {
			step *= m
			break
		}
	}
	txt := text.Style{Color: color.Black, Font: font.Font{Typeface: "Liberation", Variant: "Sans", Size: vg.Points(8)},
		Handler: plot.DefaultTextHandler, XAlign: draw.XCenter}
	x0, y0 := vg.Length(12), vg.Length(12)
	bar := vg.Length(step * s)
	thick := draw.LineStyle{Color: color.Black, Width: vg.Points(2)}
	c.StrokeLine2(thick, x0, y0, x0+bar, y0)
	label := frNumber(step, 0) + " m"
	if step >= 1000 {
		label = frNumber(step/1000, 1) + " km"
	}
	c.FillText(txt, vg.Point{X: x0 + bar/2, Y: y0 + 4}, label)
	// North arrow (projected north = grid north in Lambert-93, within 1° here).
	nx, ny := w-vg.Length(18), h-vg.Length(30)
	c.FillPolygon(color.Black, []vg.Point{{X: nx, Y: ny + 16}, {X: nx - 5, Y: ny}, {X: nx, Y: ny + 4}, {X: nx + 5, Y: ny}})
	c.FillText(txt, vg.Point{X: nx, Y: ny + 18}, "N")
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("report: encode map: %w", err)
	}
	return buf.Bytes(), nil
}

func polygons(g orb.Geometry) []orb.Polygon {
	switch v := g.(type) {
	case orb.Polygon:
		return []orb.Polygon{v}
	case orb.MultiPolygon:
		return v
	}
	return nil
}

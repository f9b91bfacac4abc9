package report

import (
	"bytes"
	"fmt"
	"image/color"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
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

func noData(lang string) Class { return Class{tr("map.nodata", lang), rgb(0xcfcfcf)} }

// rangeClasses builds the legend of a classed map from its breaks: "< b0",
// "b0 – b1", …, "≥ bn" in unit (a display unit), one colour per class,
// then the no-data class. len(colors) must be len(breaks)+1.
func rangeClasses(breaks []float64, unit string, colors []uint32, lang string) []Class {
	f := func(x float64) string { return numLang(x, 2, lang) }
	sp := " "
	if unit == "" {
		sp = ""
	}
	out := make([]Class, 0, len(colors)+1)
	for i, c := range colors {
		var l string
		switch {
		case i == 0:
			l = "< " + f(breaks[0])
		case i == len(breaks):
			l = "≥ " + f(breaks[i-1])
		default:
			l = f(breaks[i-1]) + " – " + f(breaks[i])
		}
		out = append(out, Class{l + sp + unit, rgb(c)})
	}
	return append(out, noData(lang))
}

// classOf returns the class index of x among breaks (len(breaks)+1 =
// no data for NaN).
func classOf(x float64, breaks []float64) int {
	if math.IsNaN(x) {
		return len(breaks) + 1
	}
	for i, b := range breaks {
		if x < b {
			return i
		}
	}
	return len(breaks)
}

func val(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// ColorBrewer palettes (Brewer, colorbrewer2.org), 5 classes.
var (
	rdYlGn = []uint32{0xd7191c, 0xfdae61, 0xffffbf, 0xa6d96a, 0x1a9641} // bad → good
	ylOrRd = []uint32{0xffffb2, 0xfecc5c, 0xfd8d3c, 0xf03b20, 0xbd0026} // low → high
)

// Classed maps of the annex. Breaks are in the legend's unit.
var (
	// Specific yield relative to the local optimum, %: a roof at ≥ 80 % of
	// the optimum is the usual threshold of a technically suitable roof
	// (Gagnon et al. 2016, NREL/TP-6A20-65298, "Rooftop Solar Photovoltaic
	// Technical Potential in the United States"), 90–95 % is a good roof.
	yieldBreaks = []float64{70, 80, 90, 95}
	// Shading loss of the roofs, %.
	shadeBreaks = []float64{2, 5, 10, 20}
	// Heat demand density on a 1 ha grid, MWh/(ha·yr): 100 MWh/ha is the
	// default cell threshold of the Hotmaps district-heating potential
	// module (Hotmaps project, CM "District heating potential areas").
	heatBreaks = []float64{50, 100, 300, 600}
	// NPV of the rooftop PV project per parcel, k€.
	npvBreaks = []float64{0, 5, 20, 100}
)

// heatCellM is the side of the heat-density grid cells, m (1 ha).
const heatCellM = 100.0

// Heat-pump suitability classes: ground source (at least one borehole
// fits), air source (an outdoor unit can be sited), both, neither.
func hpClasses(lang string) []Class {
	return []Class{
		{tr("hp.both", lang), rgb(0x2166ac)}, {tr("hp.gshp", lang), rgb(0x67a9cf)},
		{tr("hp.ashp", lang), rgb(0x1a9850)}, {tr("hp.none", lang), rgb(0xfdae61)}, noData(lang),
	}
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

// shape is one filled polygon of a map.
type shape struct {
	Geom  orb.Geometry
	Color color.Color
}

// heatCells sums the parcels' heat demand on a grid of heatCellM squares
// aligned on the projected coordinates (a parcel counts in the cell of its
// centroid) and returns the cells with their density in MWh/(ha·yr).
func heatCells(ps []Parcel) (cells []orb.Polygon, mwhHa []float64) {
	type key struct{ i, j int64 }
	sum := map[key]float64{}
	var order []key
	for _, p := range ps {
		if p.HeatDemandKWhYr == nil || *p.HeatDemandKWhYr <= 0 || p.Geom == nil {
			continue
		}
		c, _ := planar.CentroidArea(p.Geom)
		k := key{int64(math.Floor(c[0] / heatCellM)), int64(math.Floor(c[1] / heatCellM))}
		if _, ok := sum[k]; !ok {
			order = append(order, k)
		}
		sum[k] += *p.HeatDemandKWhYr
	}
	ha := heatCellM * heatCellM / 1e4
	for _, k := range order {
		x0, y0 := float64(k.i)*heatCellM, float64(k.j)*heatCellM
		cells = append(cells, orb.Polygon{{{x0, y0}, {x0 + heatCellM, y0}, {x0 + heatCellM, y0 + heatCellM}, {x0, y0 + heatCellM}, {x0, y0}}})
		mwhHa = append(mwhHa, sum[k]/1000/ha)
	}
	return cells, mwhHa
}

// mapImage draws the shapes (parcels or grid cells, in order) and the
// commune outline in projected coordinates (metres, equal
// scale on both axes) with a scale bar and a north arrow, as a PNG.
// Hand-written on gonum/plot's vg canvas rather than a plot.Plot with
// plotter.Polygon: a map needs equal x/y scale and no axes, which plot.Plot
// does not give, and one FillPolygon per parcel keeps 15 000 parcels fast.
func mapImage(outline orb.Geometry, shapes []shape, widthCm, maxHeightCm float64) ([]byte, error) {
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
	for _, p := range shapes {
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
	h = max(min(h, vg.Length(maxHeightCm)*vg.Centimeter), 6*vg.Centimeter)
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
	stroke := len(shapes) < 4000
	for _, p := range shapes {
		clr := p.Color
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

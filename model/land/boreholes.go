package land

import (
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/peterstace/simplefeatures/geom"
)

// toSF converts an orb multipolygon (Lambert-93 m) to a validated
// simplefeatures geometry through WKB.
func toSF(mp orb.MultiPolygon, what string) (geom.Geometry, error) {
	b, err := wkb.Marshal(mp)
	if err != nil {
		return geom.Geometry{}, fmt.Errorf("%w: %s: %v", ErrLandInput, what, err)
	}
	g, err := geom.UnmarshalWKB(b)
	if err != nil {
		return geom.Geometry{}, fmt.Errorf("%w: %s: invalid geometry: %v", ErrLandInput, what, err)
	}
	return g, nil
}

// fromSF converts a polygonal simplefeatures geometry back to orb.
func fromSF(g geom.Geometry) (orb.MultiPolygon, error) {
	if g.IsEmpty() {
		return nil, nil
	}
	og, err := wkb.Unmarshal(g.AsBinary())
	if err != nil {
		return nil, fmt.Errorf("converting free land: %w", err)
	}
	var out orb.MultiPolygon
	var add func(orb.Geometry)
	add = func(x orb.Geometry) {
		switch t := x.(type) {
		case orb.Polygon:
			out = append(out, t)
		case orb.MultiPolygon:
			out = append(out, t...)
		case orb.Collection:
			for _, y := range t {
				add(y)
			}
		}
	}
	add(og)
	return out, nil
}

// freeLand returns the part of the parcel farther than boundaryM from its
// boundary and farther than buildingM from every footprint (outside them),
// using simplefeatures' Buffer (JTS port), UnionMany and Difference.
func freeLand(parcel orb.MultiPolygon, footprints []orb.MultiPolygon, boundaryM, buildingM float64) (geom.Geometry, error) {
	inner, err := innerLand(parcel, boundaryM)
	if err != nil {
		return geom.Geometry{}, err
	}
	return minusFootprints(inner, footprints, buildingM)
}

// innerLand returns the part of the parcel farther than boundaryM from its
// boundary (a negative buffer).
func innerLand(parcel orb.MultiPolygon, boundaryM float64) (geom.Geometry, error) {
	if len(parcel) == 0 {
		return geom.Geometry{}, fmt.Errorf("%w: empty parcel", ErrLandInput)
	}
	pg, err := toSF(parcel, "parcel")
	if err != nil {
		return geom.Geometry{}, err
	}
	if boundaryM <= 0 {
		return pg, nil
	}
	free, err := geom.Buffer(pg, -boundaryM)
	if err != nil {
		return geom.Geometry{}, fmt.Errorf("%w: parcel setback buffer: %v", ErrLandInput, err)
	}
	return free, nil
}

// minusFootprints removes the footprints grown by buildingM from free.
func minusFootprints(free geom.Geometry, footprints []orb.MultiPolygon, buildingM float64) (geom.Geometry, error) {
	if free.IsEmpty() || len(footprints) == 0 {
		return free, nil
	}
	fb := free.Envelope()
	gs := make([]geom.Geometry, 0, len(footprints))
	for i, f := range footprints {
		if len(f) == 0 {
			continue
		}
		// Footprints whose grown bounds miss the free land change nothing.
		b := f.Bound().Pad(buildingM)
		if mn, mx, ok := fb.MinMaxXYs(); ok && (b.Max[0] < mn.X || b.Min[0] > mx.X || b.Max[1] < mn.Y || b.Min[1] > mx.Y) {
			continue
		}
		g, err := toSF(f, fmt.Sprintf("footprint %d", i))
		if err != nil {
			return geom.Geometry{}, err
		}
		if buildingM > 0 {
			if g, err = geom.Buffer(g, buildingM); err != nil {
				return geom.Geometry{}, fmt.Errorf("%w: footprint %d buffer: %v", ErrLandInput, i, err)
			}
		}
		gs = append(gs, g)
	}
	if len(gs) == 0 {
		return free, nil
	}
	bu, err := geom.UnionMany(gs)
	if err != nil {
		return geom.Geometry{}, fmt.Errorf("%w: union of footprints: %v", ErrLandInput, err)
	}
	out, err := geom.Difference(free, bu)
	if err != nil {
		return geom.Geometry{}, fmt.Errorf("%w: parcel minus footprints: %v", ErrLandInput, err)
	}
	return out, nil
}

// SiteHeatPumps checks the outdoor-unit siting and places the borehole field
// of one parcel (geometries in Lambert-93 m) without polygon buffers: the
// siting criteria (some point inside the parcel, ≥ ashpSetbackM from its
// boundary, outside every footprint) are evaluated on the parcel's raster
// (landgrid.go: OK ⇔ some cell centre passes, CandidateAreaM2 = passing
// cells × cell area), the boreholes as PlaceBoreholes. SiteOutdoorUnit is the
// exact (polygon) version of the siting; the two agree except when the
// candidate land is thinner than a raster cell (0.5 m).
func SiteHeatPumps(parcel orb.MultiPolygon, footprints []orb.MultiPolygon, lp Params, probeDepthM float64) (OutdoorUnitSiting, BoreholeField, error) {
	ashpSetbackM, p, spacingM := lp.OutdoorUnitSetbackM.Value, lp.Boreholes, lp.Boreholes.SpacingM(probeDepthM)
	if math.IsNaN(ashpSetbackM) || ashpSetbackM < 0 {
		return OutdoorUnitSiting{}, BoreholeField{}, fmt.Errorf("%w: setback %g m must be ≥ 0", ErrLandInput, ashpSetbackM)
	}
	if err := p.validateLayout(); err != nil {
		return OutdoorUnitSiting{}, BoreholeField{}, err
	}
	sc := scratchPool.Get().(*SiteScratch)
	defer scratchPool.Put(sc)
	site := &sc.site
	if err := site.reset(parcel, footprints, p.BuildingSetbackM.Value); err != nil {
		return OutdoorUnitSiting{}, BoreholeField{SpacingM: spacingM, Layout: p.Layout}, err
	}
	g := &sc.grids[0]
	site.gridInto(g, landGridOptions{unitM: ashpSetbackM, boundaryM: p.BoundarySetbackM.Value, buildingM: p.BuildingSetbackM.Value, bands: true})
	unitN, freeN := g.counts()
	ca := g.cell * g.cell
	st := OutdoorUnitSiting{OK: unitN > 0, CandidateAreaM2: float64(unitN) * ca}
	return st, boreholesOnGrid(g, parcel, p, spacingM, float64(freeN)*ca, &sc.search), nil
}

// boreholesOnGrid places the borehole field with the exact per-point test of
// the raster g (built with bands); freeM2 is the raster's free land; buf
// holds the search's buffers (nil: allocated).
func boreholesOnGrid(g *landGrid, parcel orb.MultiPolygon, p BoreholeParams, spacingM, freeM2 float64, buf *searchBuf) BoreholeField {
	out := BoreholeField{SpacingM: spacingM, Layout: p.Layout, FreeLandM2: freeM2}
	if !g.mayHoldFree() { // exact: no point of the parcel can hold a borehole
		return out
	}
	g.markWide()
	bm, fm := p.BoundarySetbackM.Value, p.BuildingSetbackM.Value
	if buf == nil {
		buf = &searchBuf{}
	}
	buf.open = nil
	if g.restrict { // tight setbacks: free points lie in open cells (mayHoldFree)
		buf.open = g
	}
	out.Points, out.RotationDeg = searchBoreholesBuf(parcel, p, spacingM, func(x, y float64) bool { return g.freeAt(x, y, bm, fm) }, buf)
	return out
}

// BoreholeField is a set of borehole positions on a parcel.
type BoreholeField struct {
	// Points are the borehole positions, Lambert-93 m.
	Points []orb.Point
	// FreeLandM2 is the area where a borehole may be placed, m² (measured on
	// the parcel's 0.5 m raster by PlaceBoreholes/SiteHeatPumps/SiteParcel,
	// see landgrid.go; exact polygon area in the reference implementation).
	FreeLandM2 float64
	// SpacingM is the grid spacing used (VDI 4640 minimum for the depth).
	SpacingM float64
	// RotationDeg is the grid rotation kept (counter-clockwise from the x
	// axis), Layout "square" or "hex".
	RotationDeg float64
	Layout      string
}

// PlaceBoreholes fits boreholes on a parcel's free land: the points of the
// parcel at least p.BoundarySetbackM.Value from its boundary and at least
// p.BuildingSetbackM.Value from every footprint, outside them (geometries in
// Lambert-93 m). Boreholes sit on a square (or hexagonal) grid of spacing
// spacingM (VDI 4640: ≥ 5 m for 40–50 m probes, ≥ 6 m beyond); the grid
// is tried at p.Rotations.Int() rotations over the grid's symmetry period (90°
// square, 60° hex) plus the direction of the parcel's longest edge, and
// p.Offsets.Int() × p.Offsets.Int() offsets ((k + ½)/Offsets of a cell from the minimum
// corner of the parcel's rotated bounds shrunk by the boundary setback, which
// contain the free land), and the placement with the most boreholes is kept
// (first found on ties). Each candidate point is tested exactly against the
// distance criteria (landgrid.go) — no free-land polygon is built; the
// field is a pre-study estimate, not a drilling plan. FreeLandM2 is measured
// on the parcel's raster (landgrid.go).
//
// Cost: one raster of the parcel plus rotations × offsets² × cells raster
// look-ups, the exact test only for points within half a raster cell
// diagonal of a setback line.
func PlaceBoreholes(parcel orb.MultiPolygon, footprints []orb.MultiPolygon, lp Params, probeDepthM float64) (BoreholeField, error) {
	lp.OutdoorUnitSetbackM.Value = lp.Boreholes.BoundarySetbackM.Value
	_, f, err := SiteHeatPumps(parcel, footprints, lp, probeDepthM)
	return f, err
}

// placeBoreholesRef is the reference PlaceBoreholes: the free-land polygon
// from simplefeatures' Buffer/Union/Difference and point-in-polygon tests on
// the same candidate grids.
func placeBoreholesRef(parcel orb.MultiPolygon, footprints []orb.MultiPolygon, p BoreholeParams, spacingM float64) (BoreholeField, error) {
	if err := p.validateLayout(); err != nil {
		return BoreholeField{}, err
	}
	free, err := freeLand(parcel, footprints, p.BoundarySetbackM.Value, p.BuildingSetbackM.Value)
	if err != nil {
		return BoreholeField{SpacingM: spacingM, Layout: p.Layout}, err
	}
	return placeOnRef(free, parcel, p, spacingM)
}

// siteHeatPumpsRef is the reference SiteHeatPumps (polygon buffers; the
// parcel's negative buffer shared when the setbacks agree).
func siteHeatPumpsRef(parcel orb.MultiPolygon, footprints []orb.MultiPolygon, ashpSetbackM float64, p BoreholeParams, spacingM float64) (OutdoorUnitSiting, BoreholeField, error) {
	if ashpSetbackM != p.BoundarySetbackM.Value {
		st, err := SiteOutdoorUnit(parcel, footprints, ashpSetbackM)
		if err != nil {
			return st, BoreholeField{}, err
		}
		f, err := placeBoreholesRef(parcel, footprints, p, spacingM)
		return st, f, err
	}
	if math.IsNaN(ashpSetbackM) || ashpSetbackM < 0 {
		return OutdoorUnitSiting{}, BoreholeField{}, fmt.Errorf("%w: setback %g m must be ≥ 0", ErrLandInput, ashpSetbackM)
	}
	if err := p.validateLayout(); err != nil {
		return OutdoorUnitSiting{}, BoreholeField{}, err
	}
	inner, err := innerLand(parcel, ashpSetbackM)
	if err != nil {
		return OutdoorUnitSiting{}, BoreholeField{}, err
	}
	unit, err := minusFootprints(inner, footprints, 0)
	if err != nil {
		return OutdoorUnitSiting{}, BoreholeField{}, err
	}
	a := unit.Area()
	st := OutdoorUnitSiting{OK: a > 1e-6, CandidateAreaM2: a}
	if !st.OK { // no room at 0 m from buildings: none at BuildingSetbackM either
		return st, BoreholeField{SpacingM: spacingM, Layout: p.Layout}, nil
	}
	free, err := minusFootprints(inner, footprints, p.BuildingSetbackM.Value)
	if err != nil {
		return st, BoreholeField{}, err
	}
	f, err := placeOnRef(free, parcel, p, spacingM)
	return st, f, err
}

// placeOnRef places the borehole grid on the free-land polygon (reference).
func placeOnRef(free geom.Geometry, parcel orb.MultiPolygon, p BoreholeParams, spacingM float64) (BoreholeField, error) {
	out := BoreholeField{SpacingM: spacingM, Layout: p.Layout}
	out.FreeLandM2 = free.Area()
	if out.FreeLandM2 <= 1e-9 {
		return out, nil
	}
	mp, err := fromSF(free)
	if err != nil {
		return out, err
	}
	prep := prepare(mp)
	out.Points, out.RotationDeg = searchBoreholes(parcel, p, spacingM, prep.contains)
	return out, nil
}

// appendBoreholeAngles appends to angles the grid rotations tried
// (radians): p.Rotations.Int() over the symmetry period, then the parcel's
// longest edge direction.
func appendBoreholeAngles(angles []float64, parcel orb.MultiPolygon, p BoreholeParams) []float64 {
	period := math.Pi / 2
	if p.Layout == "hex" {
		period = math.Pi / 3
	}
	for k := 0; k < p.Rotations.Int(); k++ {
		angles = append(angles, period*float64(k)/float64(p.Rotations.Int()))
	}
	return append(angles, math.Mod(longestEdgeAngle(parcel)+2*period, period))
}

// searchBoreholes enumerates the candidate grids of PlaceBoreholes and keeps
// the one with the most points accepted by free (Lambert-93 coordinates).
// It returns the points and the grid rotation, degrees.
func searchBoreholes(parcel orb.MultiPolygon, p BoreholeParams, s float64, free func(x, y float64) bool) ([]orb.Point, float64) {
	return searchBoreholesBuf(parcel, p, s, free, nil)
}

// searchBuf holds searchBoreholesBuf's buffers for reuse across parcels,
// and open, a raster whose open cells hold every point free accepts (nil:
// none known).
type searchBuf struct {
	best, cur []orb.Point
	angles    []float64
	open      *landGrid
}

// searchBoreholesBuf is searchBoreholes with its buffers in buf (nil:
// allocated); the returned points are a fresh slice.
func searchBoreholesBuf(parcel orb.MultiPolygon, p BoreholeParams, s float64, free func(x, y float64) bool, buf *searchBuf) ([]orb.Point, float64) {
	if buf == nil {
		buf = &searchBuf{}
	}
	c := boundOf(parcel).Center()
	dy, shift := s, 0.0
	if p.Layout == "hex" {
		dy, shift = s*math.Sqrt(3)/2, s/2
	}
	d, nOff := p.BoundarySetbackM.Value, p.Offsets.Int()
	best, cur := buf.best[:0], buf.cur[:0]
	bestAngle := 0.0
	buf.angles = appendBoreholeAngles(buf.angles[:0], parcel, p)
	for _, a := range buf.angles {
		// Bounds of the parcel rotated by −a (the grid is axis-aligned in
		// that frame), shrunk by the boundary setback.
		sin, cos := math.Sincos(-a)
		b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
		for _, poly := range parcel {
			if len(poly) > 0 {
				for _, pt := range poly[0] {
					b = extend(b, rotateAbout(pt, c, sin, cos))
				}
			}
		}
		b.Min[0], b.Min[1], b.Max[0], b.Max[1] = b.Min[0]+d, b.Min[1]+d, b.Max[0]-d, b.Max[1]-d
		if b.Min[0] > b.Max[0] || b.Min[1] > b.Max[1] {
			continue
		}
		bs, bc := math.Sin(a), math.Cos(a)
		// Candidates outside the open cells' bounds in this frame are
		// refused without the test (same points, same order).
		ob, prune := orb.Bound{}, false
		if buf.open != nil {
			ob, prune = buf.open.openBound(c, sin, cos)
		}
		for ox := 0; ox < nOff; ox++ {
			for oy := 0; oy < nOff; oy++ {
				x0 := b.Min[0] + (float64(ox)+0.5)/float64(nOff)*s
				y0 := b.Min[1] + (float64(oy)+0.5)/float64(nOff)*dy
				cur = cur[:0]
				// At most nRow rows of nCol points (one more of each for
				// the rounding of the running sums, which cannot reach a
				// spacing): a grid stops once it cannot beat best — only a
				// larger count replaces best.
				nCol, nRow := int((b.Max[0]-x0)/s)+2, int((b.Max[1]-y0)/dy)+2
			grid:
				for row, y := 0, y0; y <= b.Max[1]; row, y = row+1, y+dy {
					if prune && (y < ob.Min[1] || y > ob.Max[1]) {
						continue
					}
					xs := x0
					if row%2 == 1 {
						xs += shift
					}
					for col, x := 0, xs; x <= b.Max[0]; col, x = col+1, x+s {
						if prune {
							if x > ob.Max[0] {
								break // x only grows
							}
							if x < ob.Min[0] {
								continue
							}
						}
						w := rotateAbout(orb.Point{x, y}, c, bs, bc)
						if free(w[0], w[1]) {
							cur = append(cur, w)
						} else if len(cur)+(nCol-col-1)+(nRow-row-1)*nCol <= len(best) {
							cur = cur[:0]
							break grid
						}
					}
				}
				if len(cur) > len(best) {
					best, cur, bestAngle = cur, best, a
				}
			}
		}
	}
	buf.best, buf.cur = best, cur
	if len(best) == 0 {
		return nil, 0
	}
	return slices.Clone(best), bestAngle * 180 / math.Pi
}

func rotateAbout(p, c orb.Point, sin, cos float64) orb.Point {
	x, y := p[0]-c[0], p[1]-c[1]
	return orb.Point{c[0] + x*cos - y*sin, c[1] + x*sin + y*cos}
}

// longestEdgeAngle returns the direction (radians from the x axis) of the
// longest edge of the outer rings.
func longestEdgeAngle(mp orb.MultiPolygon) float64 {
	best, ang := -1.0, 0.0
	for _, poly := range mp {
		if len(poly) == 0 {
			continue
		}
		r := poly[0]
		for i := 1; i < len(r); i++ {
			dx, dy := r[i][0]-r[i-1][0], r[i][1]-r[i-1][1]
			if l := dx*dx + dy*dy; l > best {
				best, ang = l, math.Atan2(dy, dx)
			}
		}
	}
	return ang
}

// prepared is a multipolygon with precomputed ring bounds for repeated
// point-in-polygon tests. Hand-written because orb's planar.PolygonContains
// recomputes every ring's bound on each call, which dominated the borehole
// search (measured: 85 % of PlaceBoreholes' time).
type prepared struct {
	polys [][]preparedRing // [polygon][0 = outer, 1.. = holes]
}

type preparedRing struct {
	ring orb.Ring
	b    orb.Bound
}

func prepare(mp orb.MultiPolygon) prepared {
	p := prepared{polys: make([][]preparedRing, len(mp))}
	for i, poly := range mp {
		rs := make([]preparedRing, len(poly))
		for j, r := range poly {
			rs[j] = preparedRing{r, r.Bound()}
		}
		p.polys[i] = rs
	}
	return p
}

// contains reports whether (x, y) is inside the multipolygon (even-odd
// crossing rule per ring: inside the outer ring and outside every hole).
func (p prepared) contains(x, y float64) bool {
	for _, rs := range p.polys {
		if len(rs) == 0 || !rs[0].in(x, y) {
			continue
		}
		inHole := false
		for _, h := range rs[1:] {
			if h.in(x, y) {
				inHole = true
				break
			}
		}
		if !inHole {
			return true
		}
	}
	return false
}

func (r preparedRing) in(x, y float64) bool {
	if x < r.b.Min[0] || x > r.b.Max[0] || y < r.b.Min[1] || y > r.b.Max[1] {
		return false
	}
	in := false
	pts := r.ring
	for i, j := 0, len(pts)-1; i < len(pts); j, i = i, i+1 {
		xi, yi, xj, yj := pts[i][0], pts[i][1], pts[j][0], pts[j][1]
		if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
			in = !in
		}
	}
	return in
}

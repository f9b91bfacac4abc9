package land

// The SiteParcel of gisement before the landfast pass (commit 47debb7),
// kept verbatim (identifiers prefixed "prev") as the reference the faster
// SiteParcel must match bit for bit (TestSiteParcelMatchesPrevious).

import (
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// prevRingSet is the edges of one multipolygon (all rings) with their bounds.
type prevRingSet struct {
	segs                   []seg
	minX, minY, maxX, maxY float64
}

func prevNewRingSet(mp orb.MultiPolygon, ox, oy float64, what string) (prevRingSet, error) {
	rs := prevRingSet{minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1)}
	for _, poly := range mp {
		for _, r := range poly {
			for k, p := range r {
				x, y := p[0]-ox, p[1]-oy
				if math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) {
					return rs, fmt.Errorf("%w: %s: non-finite coordinate", ErrLandInput, what)
				}
				rs.minX, rs.maxX = math.Min(rs.minX, x), math.Max(rs.maxX, x)
				rs.minY, rs.maxY = math.Min(rs.minY, y), math.Max(rs.maxY, y)
				if k > 0 {
					q := r[k-1]
					rs.segs = append(rs.segs, seg{q[0] - ox, q[1] - oy, x, y})
				}
			}
			// Close unclosed rings (orb rings are normally closed).
			if n := len(r); n > 2 && r[0] != r[n-1] {
				rs.segs = append(rs.segs, seg{r[n-1][0] - ox, r[n-1][1] - oy, r[0][0] - ox, r[0][1] - oy})
			}
		}
	}
	return rs, nil
}

// inside reports whether (x, y) is inside (even-odd crossing rule over all rings).
func (rs *prevRingSet) inside(x, y float64) bool {
	if x < rs.minX || x > rs.maxX || y < rs.minY || y > rs.maxY {
		return false
	}
	in := false
	for _, s := range rs.segs {
		if (s.ay > y) != (s.by > y) && x < (s.bx-s.ax)*(y-s.ay)/(s.by-s.ay)+s.ax {
			in = !in
		}
	}
	return in
}

// near reports whether some edge is closer than d to (x, y).
func (rs *prevRingSet) near(x, y, d float64) bool {
	if d <= 0 || x < rs.minX-d || x > rs.maxX+d || y < rs.minY-d || y > rs.maxY+d {
		return false
	}
	d2 := d * d
	for _, s := range rs.segs {
		if s.dist2(x, y) < d2 {
			return true
		}
	}
	return false
}

// prevLandSite is a parcel prepared for the per-point criteria, in local
// coordinates (origin: the parcel's bounding-box minimum, Lambert-93 m).
type prevLandSite struct {
	ox, oy float64
	parcel prevRingSet
	// fps are the footprints that can matter: bounds padded by the largest
	// building setback meet the parcel's bounds.
	fps []prevRingSet
}

func prevNewLandSite(parcel orb.MultiPolygon, footprints []orb.MultiPolygon, padM float64) (*prevLandSite, error) {
	if len(parcel) == 0 {
		return nil, fmt.Errorf("%w: empty parcel", ErrLandInput)
	}
	b := parcel.Bound()
	s := &prevLandSite{ox: b.Min[0], oy: b.Min[1]}
	var err error
	if s.parcel, err = prevNewRingSet(parcel, s.ox, s.oy, "parcel"); err != nil {
		return nil, err
	}
	if len(s.parcel.segs) < 3 {
		return nil, fmt.Errorf("%w: parcel has fewer than 3 edges", ErrLandInput)
	}
	for i, f := range footprints {
		if len(f) == 0 {
			continue
		}
		fb := f.Bound().Pad(padM)
		if !fb.Intersects(b) {
			continue
		}
		rs, err := prevNewRingSet(f, s.ox, s.oy, fmt.Sprintf("footprint %d", i))
		if err != nil {
			return nil, err
		}
		s.fps = append(s.fps, rs)
	}
	return s, nil
}

// free reports whether the local point (x, y) is inside the parcel, at
// distance ≥ boundaryM from its boundary, outside every footprint and at
// distance ≥ buildingM from each (the exact criteria).
func (s *prevLandSite) free(x, y, boundaryM, buildingM float64) bool {
	if !s.parcel.inside(x, y) || s.parcel.near(x, y, boundaryM) {
		return false
	}
	for i := range s.fps {
		f := &s.fps[i]
		if f.inside(x, y) || f.near(x, y, buildingM) {
			return false
		}
	}
	return true
}

// prevLandGrid is the parcel's raster: cell (i, j) has its centre at local
// ((i + ½)·cell, (j + ½)·cell).
type prevLandGrid struct {
	site   *prevLandSite
	cell   float64
	nx, ny int
	bits   []uint8
	xs     []float64 // scanline scratch
}

func (s *prevLandSite) grid(o landGridOptions) *prevLandGrid {
	w, h := s.parcel.maxX, s.parcel.maxY
	g := &prevLandGrid{site: s, cell: landCellFor(w, h)}
	g.nx, g.ny = max(1, int(math.Ceil(w/g.cell))), max(1, int(math.Ceil(h/g.cell)))
	g.bits = make([]uint8, g.nx*g.ny)
	g.fill(&s.parcel, cellInParcel)
	for i := range s.fps {
		g.fill(&s.fps[i], cellInFoot)
	}
	for i, e := range o.exclusions {
		if len(e) == 0 {
			continue
		}
		rs, err := prevNewRingSet(e, s.ox, s.oy, fmt.Sprintf("exclusion %d", i))
		if err != nil {
			continue // non-finite exclusion: nothing to remove (validated upstream)
		}
		g.fill(&rs, cellExcluded)
	}
	r := g.cell*math.Sqrt2/2 + 1e-6
	for _, e := range s.parcel.segs {
		if o.unitM == o.boundaryM {
			g.capsule(e, o.unitM, cellNearUnit|cellNearFree)
		} else {
			g.capsule(e, o.unitM, cellNearUnit)
			g.capsule(e, o.boundaryM, cellNearFree)
		}
		if o.bands {
			g.capsule(e, o.boundaryM+r, cellWide)
			g.capsule(e, o.boundaryM-r, cellSure)
		}
	}
	for i := range s.fps {
		for _, e := range s.fps[i].segs {
			g.capsule(e, o.buildingM, cellNearFree)
			if o.bands {
				g.capsule(e, o.buildingM+r, cellWide)
				g.capsule(e, o.buildingM-r, cellSure)
			}
		}
	}
	return g
}

// rows returns the rows whose centres lie in [y0, y1].
func (g *prevLandGrid) rows(y0, y1 float64) (int, int) {
	j0 := max(0, int(math.Ceil(y0/g.cell-0.5)))
	j1 := min(g.ny-1, int(math.Floor(y1/g.cell-0.5)))
	return j0, j1
}

// setRun sets flag on the cells of row j whose centres x satisfy lo ≤ x < hi.
func (g *prevLandGrid) setRun(j int, lo, hi float64, flag uint8) {
	i0 := max(0, int(math.Ceil(lo/g.cell-0.5)))
	i1 := min(g.nx-1, int(math.Ceil(hi/g.cell-0.5))-1)
	row := g.bits[j*g.nx : (j+1)*g.nx]
	for i := i0; i <= i1; i++ {
		row[i] |= flag
	}
}

// fill sets flag on the cells whose centre is inside rs (even-odd scanline,
// the same crossing rule as prevRingSet.inside).
func (g *prevLandGrid) fill(rs *prevRingSet, flag uint8) {
	j0, j1 := g.rows(rs.minY, rs.maxY)
	for j := j0; j <= j1; j++ {
		y := (float64(j) + 0.5) * g.cell
		xs := g.xs[:0]
		for _, s := range rs.segs {
			if (s.ay > y) != (s.by > y) {
				xs = append(xs, (s.bx-s.ax)*(y-s.ay)/(s.by-s.ay)+s.ax)
			}
		}
		slices.Sort(xs)
		for k := 0; k+1 < len(xs); k += 2 {
			g.setRun(j, xs[k], xs[k+1], flag)
		}
		g.xs = xs
	}
}

// capsule sets flag on the cells whose centre is closer than rho to edge e:
// per row, the x interval of the capsule (two end discs and the band along
// the edge; their union is convex, hence one interval). Plain comparisons
// rather than math.Min/Max (NaN handling, measured 15 % of the raster).
func (g *prevLandGrid) capsule(e seg, rho float64, flag uint8) {
	if !(rho > 0) {
		return
	}
	ylo, yhi := e.ay, e.by
	if ylo > yhi {
		ylo, yhi = yhi, ylo
	}
	j0, j1 := g.rows(ylo-rho, yhi+rho)
	dx, dy := e.bx-e.ax, e.by-e.ay
	l := math.Hypot(dx, dy)
	r2 := rho * rho
	for j := j0; j <= j1; j++ {
		y := (float64(j) + 0.5) * g.cell
		lo, hi := math.Inf(1), math.Inf(-1)
		if v := y - e.ay; v*v < r2 {
			w := math.Sqrt(r2 - v*v)
			lo, hi = e.ax-w, e.ax+w
		}
		if v := y - e.by; v*v < r2 {
			w := math.Sqrt(r2 - v*v)
			if e.bx-w < lo {
				lo = e.bx - w
			}
			if e.bx+w > hi {
				hi = e.bx + w
			}
		}
		if l > 0 {
			// u = x − ax: projection t = (u·dx + vy·dy)/l² ∈ [0, 1] and
			// perpendicular offset |u·dy − vy·dx|/l < rho.
			vy := y - e.ay
			ulo, uhi := math.Inf(-1), math.Inf(1)
			c := vy * dy
			if dx != 0 {
				ulo, uhi = -c/dx, (l*l-c)/dx
				if ulo > uhi {
					ulo, uhi = uhi, ulo
				}
			} else if c < 0 || c > l*l {
				ulo, uhi = 1, 0
			}
			if dy != 0 {
				a, b := (vy*dx-rho*l)/dy, (vy*dx+rho*l)/dy
				if a > b {
					a, b = b, a
				}
				if a > ulo {
					ulo = a
				}
				if b < uhi {
					uhi = b
				}
			} else if math.Abs(vy*dx) >= rho*l {
				ulo, uhi = 1, 0
			}
			if ulo < uhi {
				if e.ax+ulo < lo {
					lo = e.ax + ulo
				}
				if e.ax+uhi > hi {
					hi = e.ax + uhi
				}
			}
		}
		if lo < hi {
			g.setRun(j, lo, hi, flag)
		}
	}
}

// counts returns the number of cells passing the outdoor-unit criteria and
// the free-land criteria.
func (g *prevLandGrid) counts() (unit, free int) {
	for _, b := range g.bits {
		if b&(cellInParcel|cellInFoot|cellNearUnit) == cellInParcel {
			unit++
		}
		if b&(cellInParcel|cellInFoot|cellNearFree) == cellInParcel {
			free++
		}
	}
	return unit, free
}

// mayHoldFree reports whether some point of the parcel may pass the
// free-land criteria: a cell is free at its centre, or undecided (in the
// band where the exact test is needed). Requires bands. When false, no point
// passes (exact).
func (g *prevLandGrid) mayHoldFree() bool {
	for _, b := range g.bits {
		if b&cellSure != 0 {
			continue
		}
		if b&cellWide != 0 || b&(cellInParcel|cellInFoot) == cellInParcel {
			return true
		}
	}
	return false
}

// freeAt is the exact free-land test at the Lambert-93 point (x, y), using
// the raster to decide cells far from the threshold: a point lies within r
// (half the cell diagonal) of its cell centre, so a centre ≥ setback + r from
// every edge decides the point like the centre, and a centre < setback − r
// from an edge blocks it; other points get the exact test. Requires bands.
func (g *prevLandGrid) freeAt(x, y, boundaryM, buildingM float64) bool {
	lx, ly := x-g.site.ox, y-g.site.oy
	i, j := int(math.Floor(lx/g.cell)), int(math.Floor(ly/g.cell))
	if i < 0 || j < 0 || i >= g.nx || j >= g.ny {
		return g.site.free(lx, ly, boundaryM, buildingM) // at most rounding away from the bounds
	}
	b := g.bits[j*g.nx+i]
	switch {
	case b&cellSure != 0:
		return false
	case b&cellWide == 0:
		return b&(cellInParcel|cellInFoot) == cellInParcel
	}
	return g.site.free(lx, ly, boundaryM, buildingM)
}

// patches measures the free land minus the exclusions as 4-connected
// components of free cells (edge-sharing; two cells touching only at a
// corner are separate, as two polygons touching at a vertex are separate
// parts of the exact free land). It returns the total free area, the area
// in components ≥ minM2 and their number.
func (g *prevLandGrid) patches(minM2 float64) (freeM2, usableM2 float64, n int) {
	const want = cellInParcel
	mask := cellInParcel | cellInFoot | cellNearFree | cellExcluded
	ca := g.cell * g.cell
	var stack []int32
	for k, b := range g.bits {
		if b&(mask|cellSeen) != want {
			continue
		}
		g.bits[k] |= cellSeen
		stack = append(stack[:0], int32(k))
		cells := 0
		nx, last := g.nx, len(g.bits)
		for len(stack) > 0 {
			c := int(stack[len(stack)-1])
			stack = stack[:len(stack)-1]
			cells++
			i := c % nx
			if i > 0 && g.bits[c-1]&(mask|cellSeen) == want {
				g.bits[c-1] |= cellSeen
				stack = append(stack, int32(c-1))
			}
			if i < nx-1 && g.bits[c+1]&(mask|cellSeen) == want {
				g.bits[c+1] |= cellSeen
				stack = append(stack, int32(c+1))
			}
			if c >= nx && g.bits[c-nx]&(mask|cellSeen) == want {
				g.bits[c-nx] |= cellSeen
				stack = append(stack, int32(c-nx))
			}
			if c+nx < last && g.bits[c+nx]&(mask|cellSeen) == want {
				g.bits[c+nx] |= cellSeen
				stack = append(stack, int32(c+nx))
			}
		}
		a := float64(cells) * ca
		freeM2 += a
		if a >= minM2 && a > 0 {
			usableM2 += a
			n++
		}
	}
	return freeM2, usableM2, n
}

// siteParcelPrev is SiteParcel as it was.
func siteParcelPrev(id string, parcel orb.MultiPolygon, footprints []orb.MultiPolygon, p Params, o ParcelSiteOptions) (ParcelSite, error) {
	var out ParcelSite
	g, b := p.Ground, p.Boreholes
	spacing, unitM := b.SpacingM(o.ProbeDepthM), p.OutdoorUnitSetbackM.Value
	if o.Heat {
		if math.IsNaN(unitM) || unitM < 0 {
			return out, fmt.Errorf("%w: setback %g m must be ≥ 0", ErrLandInput, unitM)
		}
		if err := b.validateLayout(); err != nil {
			return out, err
		}
		out.Boreholes = BoreholeField{SpacingM: spacing, Layout: b.Layout}
	}
	if o.Ground {
		if err := p.Validate(); err != nil {
			return out, err
		}
		out.Ground = GroundPV{ParcelID: id, SpecificYieldKWhKWp: o.GroundYieldKWhKWp}
	}
	if !o.Heat && !o.Ground {
		return out, nil
	}
	pad := 0.0
	if o.Heat {
		pad = b.BuildingSetbackM.Value
	}
	if o.Ground {
		pad = math.Max(pad, g.BuildingSetbackM.Value)
	}
	site, err := prevNewLandSite(parcel, footprints, pad)
	if err != nil {
		return out, fmt.Errorf("parcel %s: %w", id, err)
	}
	shared := o.Heat && o.Ground && g.BoundarySetbackM.Value == b.BoundarySetbackM.Value && g.BuildingSetbackM.Value == b.BuildingSetbackM.Value
	if o.Heat {
		gopt := landGridOptions{unitM: unitM, boundaryM: b.BoundarySetbackM.Value, buildingM: b.BuildingSetbackM.Value, bands: true}
		if shared {
			gopt.exclusions = o.Exclusions
		}
		hg := site.grid(gopt)
		unitN, freeN := hg.counts()
		ca := hg.cell * hg.cell
		out.Unit = OutdoorUnitSiting{OK: unitN > 0, CandidateAreaM2: float64(unitN) * ca}
		out.Boreholes = prevBoreholesOnGrid(hg, parcel, b, spacing, float64(freeN)*ca)
		if shared {
			out.Ground = prevGroundOnGrid(id, hg, o.GroundYieldKWhKWp, o.ModulePowerWpM2, g)
			return out, nil
		}
	}
	if o.Ground {
		gg := site.grid(landGridOptions{boundaryM: g.BoundarySetbackM.Value, buildingM: g.BuildingSetbackM.Value, exclusions: o.Exclusions})
		out.Ground = prevGroundOnGrid(id, gg, o.GroundYieldKWhKWp, o.ModulePowerWpM2, g)
	}
	return out, nil
}

// prevGroundOnGrid is the ground-mounted PV of a parcel's raster (see SiteParcel).
func prevGroundOnGrid(id string, lg *prevLandGrid, yieldKWhKWp, modulePowerWpM2 float64, g GroundParams) GroundPV {
	out := GroundPV{ParcelID: id, SpecificYieldKWhKWp: yieldKWhKWp}
	out.FreeLandM2, out.UsableLandM2, out.Patches = lg.patches(g.MinPatchM2.Value)
	out.SmallPatchesM2 = out.FreeLandM2 - out.UsableLandM2
	out.ModuleM2 = out.UsableLandM2 * g.CoverageRatio.Value
	out.KWp = out.ModuleM2 * modulePowerWpM2 / 1000
	out.KWhYr = out.KWp * yieldKWhKWp
	return out
}

// prevBoreholesOnGrid places the borehole field with the exact per-point test of
// the raster g (built with bands); freeM2 is the raster's free land.
func prevBoreholesOnGrid(g *prevLandGrid, parcel orb.MultiPolygon, p BoreholeParams, spacingM, freeM2 float64) BoreholeField {
	out := BoreholeField{SpacingM: spacingM, Layout: p.Layout, FreeLandM2: freeM2}
	if !g.mayHoldFree() { // exact: no point of the parcel can hold a borehole
		return out
	}
	bm, fm := p.BoundarySetbackM.Value, p.BuildingSetbackM.Value
	out.Points, out.RotationDeg = prevSearchBoreholes(parcel, p, spacingM, func(x, y float64) bool { return g.freeAt(x, y, bm, fm) })
	return out
}

// prevBoreholeAngles returns the grid rotations tried (radians): p.Rotations.Int()
// over the symmetry period, then the parcel's longest edge direction.
func prevBoreholeAngles(parcel orb.MultiPolygon, p BoreholeParams) []float64 {
	period := math.Pi / 2
	if p.Layout == "hex" {
		period = math.Pi / 3
	}
	angles := make([]float64, 0, p.Rotations.Int()+1)
	for k := 0; k < p.Rotations.Int(); k++ {
		angles = append(angles, period*float64(k)/float64(p.Rotations.Int()))
	}
	return append(angles, math.Mod(longestEdgeAngle(parcel)+2*period, period))
}

// prevSearchBoreholes enumerates the candidate grids of PlaceBoreholes and keeps
// the one with the most points accepted by free (Lambert-93 coordinates).
// It returns the points and the grid rotation, degrees.
func prevSearchBoreholes(parcel orb.MultiPolygon, p BoreholeParams, s float64, free func(x, y float64) bool) ([]orb.Point, float64) {
	c := parcel.Bound().Center()
	dy, shift := s, 0.0
	if p.Layout == "hex" {
		dy, shift = s*math.Sqrt(3)/2, s/2
	}
	d := p.BoundarySetbackM.Value
	var best, cur []orb.Point
	bestAngle := 0.0
	for _, a := range prevBoreholeAngles(parcel, p) {
		// Bounds of the parcel rotated by −a (the grid is axis-aligned in
		// that frame), shrunk by the boundary setback.
		sin, cos := math.Sincos(-a)
		b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
		for _, poly := range parcel {
			if len(poly) > 0 {
				for _, pt := range poly[0] {
					b = b.Extend(rotateAbout(pt, c, sin, cos))
				}
			}
		}
		b.Min[0], b.Min[1], b.Max[0], b.Max[1] = b.Min[0]+d, b.Min[1]+d, b.Max[0]-d, b.Max[1]-d
		if b.Min[0] > b.Max[0] || b.Min[1] > b.Max[1] {
			continue
		}
		bs, bc := math.Sin(a), math.Cos(a)
		for ox := 0; ox < p.Offsets.Int(); ox++ {
			for oy := 0; oy < p.Offsets.Int(); oy++ {
				x0 := b.Min[0] + (float64(ox)+0.5)/float64(p.Offsets.Int())*s
				y0 := b.Min[1] + (float64(oy)+0.5)/float64(p.Offsets.Int())*dy
				cur = cur[:0]
				for row, y := 0, y0; y <= b.Max[1]; row, y = row+1, y+dy {
					xs := x0
					if row%2 == 1 {
						xs += shift
					}
					for x := xs; x <= b.Max[0]; x += s {
						w := rotateAbout(orb.Point{x, y}, c, bs, bc)
						if free(w[0], w[1]) {
							cur = append(cur, w)
						}
					}
				}
				if len(cur) > len(best) {
					best, cur, bestAngle = cur, best, a
				}
			}
		}
	}
	if len(best) == 0 {
		return nil, 0
	}
	return slices.Clone(best), bestAngle * 180 / math.Pi
}

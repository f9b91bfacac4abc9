package geo

import (
	"cmp"
	"context"
	"math"
	"slices"
	"sync"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo/crs"
)

// HorizonOptions control the neighbour-shading horizon.
type HorizonOptions struct {
	// Sectors is the number of azimuth sectors (default 48, 7.5° each, as
	// PVGIS's horizon profile).
	Sectors int
	// RadiusM is the neighbour search radius. Default 100 m: beyond it a
	// neighbour must rise more than 17.6 m above the observer to lift the
	// horizon over 10°, which in Périgueux (max BDNB height 32.9 m) almost
	// never happens; PVGIS's own terrain horizon covers the far field.
	RadiusM float64
	// IgnoreGroundAltitude compares heights above ground only. By default,
	// when both buildings carry a ground altitude (BDNB altitude_s), the
	// obstacle and observer altitudes include it (hillside towns).
	IgnoreGroundAltitude bool
	// MinDistanceM floors the observer–obstacle distance (default 0.5 m) so a
	// wall touching the plane gives a finite angle.
	MinDistanceM float64
	// Terrain, when set, returns the terrain horizon (Sectors values, same
	// sector convention) at a Lambert-93 point; it is called once per
	// TerrainCellM × TerrainCellM cell (at the cell centre) and cached, since
	// a DEM horizon is expensive and varies little within a cell. The result
	// is combined with the building horizon by maximum per sector.
	Terrain func(x, y float64) []float64
	// TerrainCellM is the terrain cache cell (default 250 m).
	TerrainCellM float64
}

// DefaultHorizonOptions returns the documented defaults.
func DefaultHorizonOptions() HorizonOptions {
	return HorizonOptions{Sectors: 48, RadiusM: 100, MinDistanceM: 0.5, TerrainCellM: 250}
}

func (o HorizonOptions) withDefaults() HorizonOptions {
	d := DefaultHorizonOptions()
	if o.Sectors <= 0 {
		o.Sectors = d.Sectors
	}
	if o.RadiusM <= 0 {
		o.RadiusM = d.RadiusM
	}
	if o.MinDistanceM <= 0 {
		o.MinDistanceM = d.MinDistanceM
	}
	if o.TerrainCellM <= 0 {
		o.TerrainCellM = d.TerrainCellM
	}
	return o
}

// NeighbourHorizon computes the horizon seen from roof plane pl of building
// self (index into bs) caused by the other buildings within o.RadiusM.
//
// Sector azimuths are relative to true north (grid azimuths corrected by
// crs.Lambert93ConvergenceDeg). Obstacles are the neighbours' footprint edges at the
// neighbour's top (ground altitude + HeightM, the eaves of a pitched
// roof) and, within ComputePlanes, the ridges of pitched neighbours at
// ridge height (roofsurface.go); this single-point function, without the
// roof tops, takes pitched neighbours at their eaves. For every edge the elevation
// atan(Δh/d) is evaluated at its two vertices (into the sectors containing
// them) and at its intersection with the centre ray of every sector whose
// centre it crosses, so a long wall is never missed between vertices whatever
// the distance. Δh ≤ 0 contributes nothing (elevation 0). Cost per plane is
// proportional to the edges within the radius, so total cost is linear in the
// number of buildings at constant density.
func NeighbourHorizon(bs []Building, bix *Index, self int, pl *RoofPlane, o HorizonOptions) []float64 {
	o = o.withDefaults()
	n := o.Sectors
	h := make([]float64, n)
	var w horizonWork
	w.gather(bs, nil, bix, self, pl.Centroid, pl.Centroid, o)
	w.pointInto(h, bs, pl.Centroid, pl.HeightM, o)
	return h
}

// horizonWork is the per-worker memory of the horizon computation: the
// candidate obstacles of the current plane, gathered once for all its
// sample points, the per-sector maximum of tan(elevation) of the current
// point, and its table of sector-centre rays.
//
// Speed (issue 16): the elevation of an edge is kept as tan = Δh/d and
// converted once per sector at the end, since atan is increasing and Go's
// Atan2(Δh, d) for d > 0 is Atan(Δh/d); each vertex's distance and
// azimuth are computed once and shared by its two edges; the sector-centre
// rays are tabulated per point (a rotation of one table by the point's
// convergence); the R-tree is searched once per building, and each sample
// point keeps exactly the neighbours whose bounds meet its own search
// square (the former per-point search); a ridge is walked once for both
// directions; obstacles, or a pitched neighbour's eaves behind its ridge,
// that cannot raise any sector are skipped (hidden, exact:
// TestHorizonCullsExact). Against the direct evaluation (one R-tree search
// per point, math.Hypot, a sine and cosine per ray) the horizons of the
// 20,363 Périgueux planes differ by at most 3.2e-13° (rounding).
type horizonWork struct {
	obs, sorted []obstacle
	ord         []obKey
	// building: the building whose planes' obstacles obs holds (−1: none)
	building int
	// exhaustive disables the culls (hidden), for the tests that check
	// they change no value.
	exhaustive bool
	// g0: the observer building's ground altitude used by gather (m; 0
	// when heights are compared above ground).
	g0  float64
	tan []float64
	// rays: sector-centre unit vectors (grid) by sector number kk + rayOff,
	// valid where rayGen equals gen.
	rayX, rayY []float64
	rayGen     []uint32
	// baseSin, baseCos: sin and cos of the sector-centre azimuths kk·step
	// (true north), rotated by the point's convergence into rayX, rayY.
	baseSin, baseCos []float64
	gen              uint32
	verts            []vertex
}

// obstacle is a neighbour of the current plane: its indexed bounds, its top
// altitude (m, with ground altitude when the plane's building has one)
// and its ridge rise above that top (m, 0 without ridge).
type obstacle struct {
	j int
	// box: the indexed bounds (footprint); ext: with the ridge ends too
	box, ext orb.Bound
	// rad: ext's half-diagonal, boxRad: box's (m)
	rad, boxRad float64
	zt, rise    float64
	ridge       bool
	ridgeA, rb  orb.Point
}

// vertex is one obstacle vertex relative to the observer: offsets (m,
// grid), distance (m) and, once computed, grid azimuth (degrees).
type vertex struct {
	x, y, d, az float64
	azOK        bool
}

// hidden reports whether an obstacle whose vertices and edges lie in the
// circle of centre c and radius rad, seen from P, cannot raise tan in any
// sector it can reach, so that skipping it changes nothing: its elevation
// is at most dhMax over its distance (d2: squared distance from P to its
// bounds), which cannot exceed tanMin (the lowest sector) or, else, the
// sectors its azimuths can reach; these span azc ± asin(rad/distance) and
// a vertex counts in the sector whose centre is within half a sector of
// it and a crossing in a sector whose centre ray it meets, so the sectors
// with centres in that span widened by half a sector (and 1e-6° for
// rounding) are all it can reach. The obstacles are visited nearest first
// (gather sorts them), so the far ones behind taller near ones are skipped.
func hidden(tan []float64, tanMin float64, c orb.Point, rad float64, P orb.Point, conv, dhMax, d2, minD, step float64) bool {
	eMax := dhMax / math.Max(math.Sqrt(d2)*(1-1e-9), minD)
	if eMax <= tanMin {
		return true // no sector can be raised, wherever it lies
	}
	cx, cy := c[0]-P[0], c[1]-P[1]
	dc2, r2 := cx*cx+cy*cy, rad*rad
	if dc2 <= r2*(1+1e-8) {
		return false // P inside the circle (or nearly): every direction reachable
	}
	const deg = 180 / math.Pi
	// The span is only a cull: bounds wider than the exact one keep it
	// exact and spare the inverse trigonometric calls per obstacle:
	// asin(r/d) ≤ tan(asin(r/d)) = r/√(d²−r²), and ≤ π/2; the azimuth of
	// the centre within atanErrDeg (approxAtan2Deg); one sector more at
	// the end against the rounding of the division.
	half := min(rad/math.Sqrt(dc2-r2), math.Pi/2)*deg + step/2 + atanErrDeg + 1e-6
	azc := approxAtan2Deg(cx, cy) + conv
	n := len(tan)
	k0, k1 := int(math.Ceil((azc-half)/step)), int(math.Floor((azc+half)/step))+1
	k := wrap(k0, n)
	for kk := k0; kk <= k1; kk++ {
		if tan[k] < eMax {
			return false
		}
		if k++; k == n {
			k = 0
		}
	}
	return true
}

// atanErrDeg bounds the error of approxAtan2Deg (degrees): 0.0015 rad
// (0.086°) from Rajan et al., with margin; TestApproxAtan2Deg checks it.
const atanErrDeg = 0.1

// approxAtan2Deg is math.Atan2(y, x) in degrees within atanErrDeg, by
// octant reduction and the polynomial atan r ≈ π/4·r − r(r−1)(0.2447 +
// 0.0663 r) on [0, 1] (max error 0.0015 rad; S. Rajan, S. Wang, R. Inkol,
// A. Joyal, "Efficient approximations for the arctangent function", IEEE
// Signal Processing Magazine 23(3):108–111, 2006,
// doi:10.1109/MSP.2006.1628884). Hand-written: only the horizon cull uses
// it, where a bounded error suffices and math.Atan2 is the cost.
func approxAtan2Deg(y, x float64) float64 {
	ay, ax := math.Abs(y), math.Abs(x)
	if ax == 0 && ay == 0 {
		return 0
	}
	swap := ay > ax
	r := ay / ax
	if swap {
		r = ax / ay
	}
	a := math.Pi/4*r - r*(r-1)*(0.2447+0.0663*r)
	if swap {
		a = math.Pi/2 - a
	}
	if x < 0 {
		a = math.Pi - a
	}
	if y < 0 {
		a = -a
	}
	return a * 180 / math.Pi
}

// wrap returns kk modulo n in [0, n) for kk in [−2n, 3n) (sector numbers
// of azimuths within two turns), without an integer division.
func wrap(kk, n int) int {
	for kk < 0 {
		kk += n
	}
	for kk >= n {
		kk -= n
	}
	return kk
}

// boundDist2 is the squared distance (m²) from p to the nearest point of
// b (0 inside).
func boundDist2(b orb.Bound, p orb.Point) float64 {
	dx, dy := max(b.Min[0]-p[0], 0, p[0]-b.Max[0]), max(b.Min[1]-p[1], 0, p[1]-b.Max[1])
	return dx*dx + dy*dy
}

// gather collects the neighbours of self whose bounds meet the search
// square of some point in the box [lo, hi] (the sample points of one plane
// or of all the planes of self), nearest first from the box centre: near
// obstacles raise the horizon before the far ones are tested (hidden); the
// order changes no value (each sector keeps a maximum).
func (w *horizonWork) gather(bs []Building, tops []roofTop, bix *Index, self int, lo, hi orb.Point, o HorizonOptions) {
	w.obs = w.obs[:0]
	R := o.RadiusM
	box := orb.Bound{Min: orb.Point{lo[0] - R, lo[1] - R}, Max: orb.Point{hi[0] + R, hi[1] + R}}
	ctr := orb.Point{(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2}
	g0 := 0.0
	useGround := !o.IgnoreGroundAltitude && !math.IsNaN(bs[self].GroundAltM)
	if useGround {
		g0 = bs[self].GroundAltM
	}
	w.g0 = g0
	bix.SearchBounds(box, func(j int, b orb.Bound) bool {
		if j == self {
			return true
		}
		nb := &bs[j]
		zt := nb.HeightM
		if useGround && !math.IsNaN(nb.GroundAltM) {
			zt += nb.GroundAltM
		} else {
			zt += g0
		}
		ob := obstacle{j: j, box: b, ext: b, zt: zt}
		ob.boxRad = math.Hypot(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]) / 2
		ob.rad = ob.boxRad
		if tops != nil && tops[j].pitched {
			ob.ridge, ob.rise, ob.ridgeA, ob.rb = true, tops[j].rise, tops[j].a, tops[j].b
			ob.ext = ob.ext.Extend(ob.ridgeA).Extend(ob.rb)
			ob.rad = math.Hypot(ob.ext.Max[0]-ob.ext.Min[0], ob.ext.Max[1]-ob.ext.Min[1]) / 2
		}
		w.obs = append(w.obs, ob)
		return true
	})
	// Sort keys, then move each obstacle once (an obstacle is ~20 words:
	// sorting them in place moved each log n times).
	w.ord = w.ord[:0]
	for i := range w.obs {
		w.ord = append(w.ord, obKey{near: boundDist2(w.obs[i].ext, ctr), i: int32(i)})
	}
	slices.SortFunc(w.ord, func(a, b obKey) int { return cmp.Compare(a.near, b.near) })
	w.sorted = w.sorted[:0]
	for _, k := range w.ord {
		w.sorted = append(w.sorted, w.obs[k.i])
	}
	w.obs, w.sorted = w.sorted, w.obs
}

// obKey orders the gathered obstacles by squared distance (m²).
type obKey struct {
	near float64
	i    int32
}

// pointInto sets h (len = sectors) to the horizon (degrees) seen from the
// point P at height hAbove above the ground of the building whose
// obstacles were gathered last.
func (w *horizonWork) pointInto(h []float64, bs []Building, P orb.Point, hAbove float64, o HorizonOptions) {
	n := len(h)
	if cap(w.tan) < n {
		w.tan = make([]float64, n)
	}
	tan := w.tan[:n]
	for k := range tan {
		tan[k] = 0
	}
	tanMin, minK := 0.0, 0 // the lowest sector's tan, and its sector
	// The rays: kk spans the sector numbers of azimuths in [−360, 360] ±
	// the convergence (lo and hi below), with margin.
	rayOff := 2*n + 2
	if len(w.rayGen) != 2*rayOff+1 {
		w.rayX, w.rayY, w.rayGen = make([]float64, 2*rayOff+1), make([]float64, 2*rayOff+1), make([]uint32, 2*rayOff+1)
		w.baseSin, w.baseCos = make([]float64, 2*rayOff+1), make([]float64, 2*rayOff+1)
		for ri := range w.baseSin {
			w.baseSin[ri], w.baseCos[ri] = math.Sincos(float64(ri-rayOff) * (360.0 / float64(n)) * math.Pi / 180)
		}
		w.gen = 0
	}
	w.gen++
	if w.gen == 0 { // wrapped: forget every ray
		clear(w.rayGen)
		w.gen = 1
	}
	step := 360.0 / float64(n)
	z0 := w.g0 + hAbove
	R := o.RadiusM
	minD := o.MinDistanceM
	farR2 := R * R * (1 + 1e-9)
	sq := orb.Bound{Min: orb.Point{P[0] - R, P[1] - R}, Max: orb.Point{P[0] + R, P[1] + R}}
	const deg = 180 / math.Pi
	// Azimuths below are measured from Lambert-93 grid north and converted
	// to true north (the Horizon convention) by adding the convergence.
	conv := crs.Lambert93ConvergenceDeg(P)
	sc, cc := math.Sincos(conv * math.Pi / 180)
	// vertexAt raises the sector of vertex a (at height difference dh).
	vertexAt := func(a *vertex, dh float64) {
		if a.d > R {
			return
		}
		if !a.azOK {
			a.az, a.azOK = math.Atan2(a.x, a.y)*deg, true
		}
		e := dh / math.Max(a.d, minD)
		k := wrap(int(math.Floor((a.az+conv)/step+0.5)), n)
		if e > tan[k] {
			tan[k] = e
		}
	}
	// cross raises the sectors whose centre ray crosses the edge (a, b);
	// both, when the edge is also walked from b to a (a ridge seen both
	// ways), takes the larger elevation of the two walks.
	cross := func(a, b *vertex, dh float64, both bool) {
		ax, ay := a.x, a.y
		bx, by := b.x, b.y
		if a.d > R && b.d > R && distSegOrigin(ax, ay, bx, by) > R {
			return
		}
		if !a.azOK {
			a.az, a.azOK = math.Atan2(ax, ay)*deg, true
		}
		if !b.azOK {
			b.az, b.azOK = math.Atan2(bx, by)*deg, true
		}
		aza := a.az + conv // true azimuths
		azb := b.az + conv
		span := azb - aza
		if span > 180 {
			span -= 360
		} else if span < -180 {
			span += 360
		}
		if math.Abs(span) >= 179.999 {
			return // edge passes through the observer
		}
		lo, hi := aza, aza+span
		if lo > hi {
			lo, hi = hi, lo
		}
		ex, ey := bx-ax, by-ay
		for kk := int(math.Ceil(lo / step)); float64(kk)*step <= hi; kk++ {
			ri := kk + rayOff
			if w.rayGen[ri] != w.gen {
				// grid direction of the sector centre, θ − conv, by rotation
				sa, ca := w.baseSin[ri], w.baseCos[ri]
				w.rayX[ri], w.rayY[ri], w.rayGen[ri] = sa*cc-ca*sc, ca*cc+sa*sc, w.gen
			}
			ux, uy := w.rayX[ri], w.rayY[ri]
			den := ux*ey - uy*ex
			if den == 0 {
				continue
			}
			k := wrap(kk, n)
			if t := (ax*ey - ay*ex) / den; t > 0 && t <= R {
				if e := dh / math.Max(t, minD); e > tan[k] {
					tan[k] = e
				}
			}
			if both {
				// the walk from b (edge −e): t = (b×(−e))/(u×(−e)), the same
				// bits as (b×e)/(u×e) since negation is exact
				if t := (bx*ey - by*ex) / den; t > 0 && t <= R {
					if e := dh / math.Max(t, minD); e > tan[k] {
						tan[k] = e
					}
				}
			}
		}
	}
	// ring raises every vertex and edge of the closed ring r.
	ring := func(r orb.Ring, dh float64) {
		if len(r) < 2 {
			return
		}
		vs := w.verts[:0]
		for _, p := range r {
			x, y := p[0]-P[0], p[1]-P[1]
			vs = append(vs, vertex{x: x, y: y, d: norm(x, y)})
		}
		w.verts = vs
		for i := 0; i+1 < len(vs); i++ {
			vertexAt(&vs[i], dh)
			cross(&vs[i], &vs[i+1], dh, false)
		}
	}
	for oi := range w.obs {
		ob := &w.obs[oi]
		// The former per-point R-tree search: bounds meeting the square.
		if ob.box.Min[0] > sq.Max[0] || ob.box.Max[0] < sq.Min[0] || ob.box.Min[1] > sq.Max[1] || ob.box.Max[1] < sq.Min[1] {
			continue
		}
		// Every vertex and edge lies in ext: beyond R from P, none counts
		// (a relative margin of 1e-9 keeps the borderline ones, whatever the
		// rounding of the squares).
		d2 := boundDist2(ob.ext, P)
		if d2 > farR2 {
			continue
		}
		dh := ob.zt - z0
		dhRidge := 0.0
		if ob.ridge {
			dhRidge = dh + ob.rise
		}
		if dh <= 0 && dhRidge <= 0 {
			continue
		}
		if !w.exhaustive && hidden(tan, tanMin, ob.ext.Center(), ob.rad, P, conv, max(dh, dhRidge), d2, minD, step) {
			continue
		}
		// The ridge first (higher, it often hides the eaves), as the ring
		// A→B→A did: vertex A, vertex B, and the crossings of both walks.
		if dhRidge > 0 {
			va := vertex{x: ob.ridgeA[0] - P[0], y: ob.ridgeA[1] - P[1]}
			vb := vertex{x: ob.rb[0] - P[0], y: ob.rb[1] - P[1]}
			va.d, vb.d = norm(va.x, va.y), norm(vb.x, vb.y)
			vertexAt(&va, dhRidge)
			vertexAt(&vb, dhRidge)
			cross(&va, &vb, dhRidge, true)
		}
		// Then the footprint at eaves height, unless the ridge (or nearer
		// obstacles) left it nothing to raise in the sectors it can reach.
		if dh > 0 && !(ob.ridge && !w.exhaustive && hidden(tan, tanMin, ob.box.Center(), ob.boxRad, P, conv, dh, boundDist2(ob.box, P), minD, step)) {
			for _, pg := range bs[ob.j].Footprint {
				for _, r := range pg {
					ring(r, dh)
				}
			}
		}
		// The heights only rise: while the lowest sector was not raised
		// the minimum stands.
		if tan[minK] != tanMin {
			minK = 0
			for k, v := range tan {
				if v < tan[minK] {
					minK = k
				}
			}
			tanMin = tan[minK]
		}
	}
	for k, t := range tan {
		if t == 0 {
			h[k] = 0 // atan(0), the sky free down to the horizontal
			continue
		}
		h[k] = math.Atan(t) * deg
	}
}

// distSegOrigin is the distance from the origin to segment (a, b).
func distSegOrigin(ax, ay, bx, by float64) float64 {
	ex, ey := bx-ax, by-ay
	l2 := ex*ex + ey*ey
	t := 0.0
	if l2 > 0 {
		t = math.Max(0, math.Min(1, -(ax*ex+ay*ey)/l2))
	}
	return norm(ax+t*ex, ay+t*ey)
}

// norm is √(x² + y²) (m) for offsets within a territory (|x|, |y| <
// 10⁷ m, far from overflow and underflow), without math.Hypot's scaling:
// the same value to within an ulp, at a fraction of the cost in the
// horizon's inner loop.
func norm(x, y float64) float64 { return math.Sqrt(x*x + y*y) }

// ComputePlanes is ComputePlanesContext without cancellation, on
// GOMAXPROCS workers.
func (t *Territory) ComputePlanes(ro RoofOptions, ho HorizonOptions) {
	_ = t.ComputePlanesContext(context.Background(), ro, ho, 0) // only ctx errors
}

// planeChunk is the number of buildings or planes per task of the worker
// pool: large enough to amortise scheduling, small enough to balance the
// load (horizon costs vary by building density).
const planeChunk = 512

// ComputePlanesContext derives the roof planes of every building and their
// horizons (neighbours + optional terrain) on at most workers goroutines
// (≤ 0: GOMAXPROCS); it fills t.Planes and t.PlaneStart. t.BuildingIndex is
// built if nil. When ctx is done it stops and returns ctx.Err(), leaving
// t.Planes incomplete.
func (t *Territory) ComputePlanesContext(ctx context.Context, ro RoofOptions, ho HorizonOptions, workers int) error {
	return t.ComputePlanesFor(ctx, ro, ho, workers, nil)
}

// ComputePlanesFor is ComputePlanesContext computing the horizons of the
// planes of the buildings in need only (nil: all): the other buildings
// still get their roof planes and are obstacles to the others, but their
// planes' horizons stay empty. A chunk of the streaming study needs the
// horizons of its own buildings, not of its halo's (issue 16).
func (t *Territory) ComputePlanesFor(ctx context.Context, ro RoofOptions, ho HorizonOptions, workers int, need []bool) error {
	ho = ho.withDefaults()
	if t.BuildingIndex == nil {
		t.BuildingIndex = IndexBuildings(t.Buildings)
	}
	bs := t.Buildings
	// Roof planes per building, then laid out in building order.
	per := make([][]RoofPlane, len(bs))
	err := forChunks(ctx, len(bs), planeChunk, workers, func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			per[i] = RoofPlanes(&bs[i], i, ro)
		}
		return nil
	})
	if err != nil {
		return err
	}
	t.PlaneStart = make([]int, len(bs)+1)
	total := 0
	for i, p := range per {
		t.PlaneStart[i] = total
		total += len(p)
	}
	t.PlaneStart[len(bs)] = total
	t.Planes = make([]RoofPlane, 0, total)
	for _, p := range per {
		t.Planes = append(t.Planes, p...)
	}
	per = nil
	// Roof tops (ridges and plane frames) of every building, for the
	// neighbours at their roof surface and the sample points.
	tops := make([]roofTop, len(bs))
	if err := forChunks(ctx, len(bs), planeChunk, workers, func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			tops[i] = roofTopOf(&bs[i], ro)
		}
		return nil
	}); err != nil {
		return err
	}
	// One backing array for all horizons (fewer allocations): the mean
	// and the minimum over the sample points.
	n := ho.Sectors
	store := make([]float64, n*len(t.Planes))
	storeMin := make([]float64, n*len(t.Planes))
	var tc *terrainCache
	if ho.Terrain != nil {
		tc = &terrainCache{f: ho.Terrain, cell: ho.TerrainCellM, m: map[[2]int64]*terrainEntry{}}
	}
	return forChunks(ctx, len(t.Planes), planeChunk, workers, func(lo, hi int) error {
		scratch := make([]float64, n)
		w := horizonWork{building: -1}
		for i := lo; i < hi; i++ {
			pl := &t.Planes[i]
			if need != nil && !need[pl.BuildingIdx] {
				continue // an obstacle only: no horizon
			}
			h := store[i*n : (i+1)*n : (i+1)*n]
			hmin := storeMin[i*n : (i+1)*n : (i+1)*n]
			b := pl.BuildingIdx
			w.planeHorizons(h, hmin, scratch, bs, tops, t.BuildingIndex, t.Planes[t.PlaneStart[b]:t.PlaneStart[b+1]], pl, ho)
			if tc != nil {
				if th := tc.get(pl.Centroid); len(th) == n {
					for k := range h {
						h[k] = math.Max(h[k], th[k])
						hmin[k] = math.Max(hmin[k], th[k])
					}
				}
			}
			pl.Horizon, pl.HorizonMin = Horizon{ElevationDeg: h}, Horizon{ElevationDeg: hmin}
		}
		return nil
	})
}

type terrainCache struct {
	f    func(x, y float64) []float64
	cell float64
	mu   sync.Mutex
	m    map[[2]int64]*terrainEntry
}

type terrainEntry struct {
	once sync.Once
	h    []float64
}

// get returns the terrain horizon of p's cell, computing it once per cell
// even when several workers ask at the same time.
func (c *terrainCache) get(p orb.Point) []float64 {
	k := [2]int64{int64(math.Floor(p[0] / c.cell)), int64(math.Floor(p[1] / c.cell))}
	c.mu.Lock()
	e, ok := c.m[k]
	if !ok {
		e = &terrainEntry{}
		c.m[k] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.h = c.f((float64(k[0])+0.5)*c.cell, (float64(k[1])+0.5)*c.cell) })
	return e.h
}

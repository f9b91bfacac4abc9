package surface

import (
	"gonum.org/v1/gonum/stat"
	"math"
	"sort"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo/crs"
	"github.com/gisement/gisement/geo/raster"
)

// Footprint is one building outline to analyse.
type Footprint struct {
	ID string
	// Geometry in Lambert-93 metres.
	Geometry orb.MultiPolygon
	// GroundAltM is the ground altitude (NGF m) from the building source,
	// NaN when unknown; used for heights only when no DTM is given.
	GroundAltM float64
}

// Exclusion reasons (Facet.Excluded); "" = usable.
const (
	ExcludedSteep          = "steep"
	ExcludedRough          = "rough"
	ExcludedSuperstructure = "superstructure"
	ExcludedSmall          = "small"
)

// Height bases (Roof.HeightBasis).
const (
	HeightFromDTM    = "dsm-dtm"        // median(DSM − DTM) inside the footprint
	HeightFromGround = "dsm-ground-alt" // median DSM − the footprint's GroundAltM
)

// Facet is one planar roof facet segmented from the DSM.
type Facet struct {
	// TiltDeg from horizontal; AzimuthDeg of the downslope direction,
	// clockwise from true north (180 = south; meridian convergence applied).
	TiltDeg, AzimuthDeg float64
	// HorizontalM2 = pixels × cell area; SlopedM2 = HorizontalM2 / cos(tilt);
	// UsableM2 = sloped area of the pixels at least SetbackM inside the facet,
	// 0 when Excluded.
	HorizontalM2, SlopedM2, UsableM2 float64
	// MeanZM: mean surface altitude of the facet (NGF m); MeanHeightM the
	// same above the building's ground (NaN when the ground is unknown).
	MeanZM, MeanHeightM float64
	// RMSM: orthogonal RMS residual of the least-squares plane (m).
	RMSM float64
	// Centroid of the facet's pixels (Lambert-93).
	Centroid orb.Point
	Pixels   int
	// Flat: tilt below Options.FlatMaxTiltDeg.
	Flat bool
	// Excluded is "" for a usable facet, else one of the Excluded* reasons.
	Excluded string
	// Samples are the horizon observer points (Lambert-93, a regular grid
	// of the facet's usable pixels — all its pixels when none is usable —,
	// see Options.SampleSpacingM); Horizon the
	// per-sector mean horizon elevation (degrees) over them, sector i centred
	// on i·360/len(Horizon) clockwise from true north. HorizonProfiles are
	// equal-weight horizon profiles (same sectors) whose mean irradiation is
	// the mean irradiation of the sample points (horizonProfiles): the
	// facet's irradiation is the mean over the profiles, not the irradiation
	// under Horizon. HorizonMin is the per-sector minimum over the sample
	// points (partial shading: pv.RoofPVOf's mismatch loss). Nil for
	// excluded facets.
	Samples         []orb.Point
	Horizon         []float64
	HorizonMin      []float64
	HorizonProfiles [][]float64

	a, b, c float64 // plane z = a·x + b·y + c in the building's local frame
	px      []int   // local pixel indexes
	upx     []int   // the usable ones (SetbackM inside the facet)
}

// Roof is the analysis of one footprint.
type Roof struct {
	ID string
	// Observed is false when the DSM does not cover MinCoverage of the
	// footprint (then Reason says why and the roof must stay modelled).
	Observed bool
	Reason   string
	// Coverage: share of footprint pixels with a valid DSM value.
	Coverage float64
	// Flat: flat facets cover at least FlatRoofShare of the segmented area.
	Flat bool
	// HeightM: median height of the DSM above ground inside the footprint
	// (HeightBasis says which ground); GroundM the ground altitude used.
	// NaN when unknown.
	HeightM, GroundM float64
	HeightBasis      string
	// FootprintM2: pixels inside the footprint × cell area; UnsegmentedM2
	// the part in no facet (ridges, edges, chimneys, clutter).
	FootprintM2, UnsegmentedM2 float64
	Facets                     []Facet

	labels *labelGrid // kept only with Options.keepLabels (tests)
}

// labelGrid maps the footprint's cells to facet indexes (−1: none).
type labelGrid struct {
	x0, y0, p float64
	w, h      int
	l         []int
}

// facetAt returns the index in Roof.Facets of the facet holding the cell at
// (x, y), −1 when none (needs Options.keepLabels).
func (r *Roof) facetAt(x, y float64) int {
	g := r.labels
	if g == nil {
		return -1
	}
	i, j := int(math.Floor((x-g.x0)/g.p)), int(math.Floor((g.y0-y)/g.p))
	if i < 0 || j < 0 || i >= g.w || j >= g.h {
		return -1
	}
	return g.l[j*g.w+i]
}

// UsableM2 sums the facets' usable areas.
func (r *Roof) UsableM2() float64 {
	s := 0.0
	for _, f := range r.Facets {
		s += f.UsableM2
	}
	return s
}

// planeAcc accumulates least-squares sums for z = a·x + b·y + c.
type planeAcc struct{ n, sx, sy, sz, sxx, sxy, syy, sxz, syz, szz float64 }

func (p *planeAcc) add(x, y, z float64) {
	p.n++
	p.sx += x
	p.sy += y
	p.sz += z
	p.sxx += x * x
	p.sxy += x * y
	p.syy += y * y
	p.sxz += x * z
	p.syz += y * z
	p.szz += z * z
}

// solve returns the least-squares plane and its vertical RMS residual, from
// the centred normal equations (residual variance = Czz − a·Cxz − b·Cyz).
func (p *planeAcc) solve() (a, b, c, rms float64, ok bool) {
	if p.n < 3 {
		return 0, 0, 0, 0, false
	}
	n := p.n
	mx, my, mz := p.sx/n, p.sy/n, p.sz/n
	cxx, cxy, cyy := p.sxx/n-mx*mx, p.sxy/n-mx*my, p.syy/n-my*my
	cxz, cyz, czz := p.sxz/n-mx*mz, p.syz/n-my*mz, p.szz/n-mz*mz
	det := cxx*cyy - cxy*cxy
	if det <= 1e-12*(cxx+cyy)*(cxx+cyy) || cxx+cyy <= 0 {
		return 0, 0, 0, 0, false
	}
	a = (cxz*cyy - cyz*cxy) / det
	b = (cyz*cxx - cxz*cxy) / det
	c = mz - a*mx - b*my
	v := czz - a*cxz - b*cyz
	return a, b, c, math.Sqrt(math.Max(0, v)), true
}

// unitNormal of z = a·x + b·y + c, pointing up.
func unitNormal(a, b float64) [3]float64 {
	l := math.Sqrt(a*a + b*b + 1)
	return [3]float64{-a / l, -b / l, 1 / l}
}

// segmentRoof analyses one footprint on a DSM window (and optional DTM
// window); with horizons, the usable facets' horizons are computed on the
// same DSM window (horizon.go), which must extend HorizonRadiusM around the
// footprint for complete horizons.
func segmentRoof(dsm, dtm *raster.Grid, fp Footprint, o Options, horizons bool) Roof {
	r := Roof{ID: fp.ID, HeightM: math.NaN(), GroundM: math.NaN()}
	p := dsm.PixelSizeX
	bd := fp.Geometry.Bound()
	c0 := int(math.Floor((bd.Min[0] - dsm.OriginX) / p))
	c1 := int(math.Ceil((bd.Max[0] - dsm.OriginX) / p))
	r0 := int(math.Floor((dsm.OriginY - bd.Max[1]) / p))
	r1 := int(math.Ceil((dsm.OriginY - bd.Min[1]) / p))
	w, h := c1-c0, r1-r0
	if w <= 0 || h <= 0 {
		r.Reason = "empty footprint"
		return r
	}
	// Local frame: pixel (i, j) of the bounding box has its centre at
	// x = (i+0.5)·p, y = −(j+0.5)·p relative to the box's top-left corner.
	x0, y0 := dsm.OriginX+float64(c0)*p, dsm.OriginY-float64(r0)*p
	n := w * h
	in := make([]bool, n)
	z := make([]float64, n)
	inside, valid := 0, 0
	var zs, hs, gs []float64
	for k := range z {
		z[k] = math.NaN()
	}
	xs := make([]float64, 0, 16)
	for j := 0; j < h; j++ {
		Y := y0 - (float64(j)+0.5)*p
		xs = rowCrossings(fp.Geometry, Y, xs[:0])
		for q := 0; q+1 < len(xs); q += 2 {
			// cells whose centre x lies in [xs[q], xs[q+1])
			i0 := max(0, int(math.Ceil((xs[q]-x0)/p-0.5)))
			i1 := min(w, int(math.Ceil((xs[q+1]-x0)/p-0.5)))
			for i := i0; i < i1; i++ {
				X := x0 + (float64(i)+0.5)*p
				k := j*w + i
				inside++
				v, ok := dsm.At(c0+i, r0+j)
				if !ok {
					continue
				}
				in[k] = true
				z[k] = v
				valid++
				zs = append(zs, v)
				if dtm != nil {
					if g, ok := dtm.Nearest(X, Y); ok {
						gs = append(gs, g)
						hs = append(hs, v-g)
					}
				}
			}
		}
	}
	r.FootprintM2 = float64(inside) * p * p
	if inside == 0 {
		r.Reason = "footprint smaller than a DSM cell"
		return r
	}
	r.Coverage = float64(valid) / float64(inside)
	switch {
	case len(hs) > 0:
		r.HeightM, r.GroundM, r.HeightBasis = median(hs), median(gs), HeightFromDTM
	case !math.IsNaN(fp.GroundAltM) && len(zs) > 0:
		r.GroundM = fp.GroundAltM
		r.HeightM, r.HeightBasis = median(zs)-fp.GroundAltM, HeightFromGround
	}
	if r.Coverage < o.MinCoverage {
		r.Reason = "DSM covers too little of the footprint"
		return r
	}
	r.Observed = true

	// Local 3×3 planes: normal and RMS per pixel.
	nrm := make([][3]float64, n)
	res := make([]float64, n)
	for k := range res {
		res[k] = math.Inf(1)
	}
	for j := 0; j < h; j++ {
		for i := 0; i < w; i++ {
			k := j*w + i
			if !in[k] {
				continue
			}
			var acc planeAcc
			for dj := -1; dj <= 1; dj++ {
				for di := -1; di <= 1; di++ {
					ii, jj := i+di, j+dj
					if ii < 0 || jj < 0 || ii >= w || jj >= h || !in[jj*w+ii] {
						continue
					}
					acc.add(float64(di)*p, -float64(dj)*p, z[jj*w+ii])
				}
			}
			if acc.n < 6 {
				continue
			}
			if a, b, _, rms, ok := acc.solve(); ok {
				nrm[k] = unitNormal(a, b)
				res[k] = rms
			}
		}
	}
	// Region growing (Rabbani et al. 2006) with the facet's running plane.
	label := make([]int, n)
	for k := range label {
		label[k] = -1
	}
	order := make([]int, 0, valid)
	for k := range in {
		if in[k] && res[k] <= o.SeedMaxRMSM {
			order = append(order, k)
		}
	}
	sort.SliceStable(order, func(x, y int) bool { return res[order[x]] < res[order[y]] })
	cosMax := math.Cos(o.NormalAngleDeg * math.Pi / 180)
	lx := func(k int) float64 { return (float64(k%w) + 0.5) * p }
	ly := func(k int) float64 { return -(float64(k/w) + 0.5) * p }
	var facets []Facet
	queue := make([]int, 0, 64)
	for _, s := range order {
		if label[s] >= 0 {
			continue
		}
		id := len(facets)
		var acc planeAcc
		nv := nrm[s]
		// Seed plane through the seed with its local normal.
		a, b := -nv[0]/nv[2], -nv[1]/nv[2]
		c := z[s] - a*lx(s) - b*ly(s)
		label[s] = id
		acc.add(lx(s), ly(s), z[s])
		px := []int{s}
		queue = append(queue[:0], s)
		next := 8.0
		for len(queue) > 0 {
			q := queue[0]
			queue = queue[1:]
			qi, qj := q%w, q/w
			for dj := -1; dj <= 1; dj++ {
				for di := -1; di <= 1; di++ {
					ii, jj := qi+di, qj+dj
					if ii < 0 || jj < 0 || ii >= w || jj >= h {
						continue
					}
					k := jj*w + ii
					if !in[k] || label[k] >= 0 || math.IsInf(res[k], 1) {
						continue
					}
					nk := nrm[k]
					pn := unitNormal(a, b)
					if nk[0]*pn[0]+nk[1]*pn[1]+nk[2]*pn[2] < cosMax {
						continue
					}
					if math.Abs(z[k]-(a*lx(k)+b*ly(k)+c)) > o.PlaneDistM {
						continue
					}
					label[k] = id
					acc.add(lx(k), ly(k), z[k])
					px = append(px, k)
					queue = append(queue, k)
					if acc.n >= next {
						if na, nb, nc, _, ok := acc.solve(); ok {
							a, b, c = na, nb, nc
						}
						next = acc.n * 1.25
					}
				}
			}
		}
		if len(px) < 4 { // under 1 m² at 0.5 m: noise, chimney tops
			for _, k := range px {
				label[k] = -2 // tried; may still join a facet below
			}
			continue
		}
		facets = append(facets, Facet{a: a, b: b, c: c, px: px})
	}
	// Pixels left out (ridges and hips, whose 3×3 normal mixes two faces,
	// and tried micro-regions) join the adjacent facet whose plane they fit
	// best within PlaneDistM; two passes reach two pixels deep.
	for pass := 0; pass < 2; pass++ {
		var add [][2]int
		for k := range in {
			if !in[k] || label[k] >= 0 {
				continue
			}
			ki, kj := k%w, k/w
			best, bestD := -1, o.PlaneDistM
			for dj := -1; dj <= 1; dj++ {
				for di := -1; di <= 1; di++ {
					ii, jj := ki+di, kj+dj
					if ii < 0 || jj < 0 || ii >= w || jj >= h {
						continue
					}
					l := label[jj*w+ii]
					if l < 0 {
						continue
					}
					f := &facets[l]
					if d := math.Abs(z[k] - (f.a*lx(k) + f.b*ly(k) + f.c)); d <= bestD {
						best, bestD = l, d
					}
				}
			}
			if best >= 0 {
				add = append(add, [2]int{k, best})
			}
		}
		for _, kv := range add {
			label[kv[0]] = kv[1]
			facets[kv[1]].px = append(facets[kv[1]].px, kv[0])
		}
	}
	// Final fit and attributes.
	finish := func(f Facet) (Facet, bool) {
		var acc planeAcc
		for _, k := range f.px {
			acc.add(lx(k), ly(k), z[k])
		}
		a, b, c, vrms, ok := acc.solve()
		if !ok {
			return f, false
		}
		f.a, f.b, f.c = a, b, c
		slope := math.Hypot(a, b)
		f.TiltDeg = math.Atan(slope) * 180 / math.Pi
		cosT := 1 / math.Sqrt(1+slope*slope)
		f.RMSM = vrms * cosT
		f.Pixels = len(f.px)
		f.HorizontalM2 = float64(f.Pixels) * p * p
		f.SlopedM2 = f.HorizontalM2 / cosT
		mx, my := acc.sx/acc.n, acc.sy/acc.n
		f.Centroid = orb.Point{x0 + mx, y0 + my}
		f.MeanZM = acc.sz / acc.n
		f.MeanHeightM = f.MeanZM - r.GroundM // NaN when the ground is unknown
		if slope > 1e-9 {
			// Downslope direction (−a, −b) in grid axes, then true north.
			gridAz := math.Atan2(-a, -b) * 180 / math.Pi
			f.AzimuthDeg = math.Mod(gridAz+crs.Lambert93ConvergenceDeg(orb.Point{f.Centroid[0], f.Centroid[1]})+720, 360)
		} else {
			f.AzimuthDeg = 180
		}
		f.Flat = f.TiltDeg < o.FlatMaxTiltDeg
		return f, true
	}
	relabel := func() {
		for k := range label {
			label[k] = -1
		}
		for l := range facets {
			for _, k := range facets[l].px {
				label[k] = l
			}
		}
	}
	kept := facets[:0]
	for _, f := range facets {
		if f, ok := finish(f); ok {
			kept = append(kept, f)
		}
	}
	facets = kept
	relabel()
	facets = mergeCoplanar(facets, label, w, h, lx, ly, o, finish)
	relabel()
	segmented := 0
	for _, f := range facets {
		segmented += f.Pixels
	}
	r.UnsegmentedM2 = float64(valid-segmented) * p * p
	// Exclusion rules, in order.
	for l := range facets {
		f := &facets[l]
		switch {
		case f.TiltDeg > o.MaxRoofTiltDeg:
			f.Excluded = ExcludedSteep
		case f.RMSM > o.MaxRMSM:
			f.Excluded = ExcludedRough
		case f.HorizontalM2 < o.SuperstructureMaxM2 && risesAbove(f, facets, label, z, w, h, lx, ly) > o.SuperstructureRiseM:
			f.Excluded = ExcludedSuperstructure
		case f.HorizontalM2 < o.MinUsableM2:
			f.Excluded = ExcludedSmall
		}
	}
	// Usable area: facet pixels with the whole (2s+1)² neighbourhood in
	// the same facet, s = ceil(SetbackM / cell).
	s := int(math.Ceil(o.SetbackM/p - 1e-9))
	flatH, allH := 0.0, 0.0
	for l := range facets {
		f := &facets[l]
		if f.Excluded == "" || f.Excluded == ExcludedSmall {
			allH += f.HorizontalM2
			if f.Flat {
				flatH += f.HorizontalM2
			}
		}
		if f.Excluded != "" {
			continue
		}
		cnt := 0
		for _, k := range f.px {
			ki, kj := k%w, k/w
			ok := true
			for dj := -s; dj <= s && ok; dj++ {
				for di := -s; di <= s; di++ {
					ii, jj := ki+di, kj+dj
					if ii < 0 || jj < 0 || ii >= w || jj >= h || label[jj*w+ii] != l {
						ok = false
						break
					}
				}
			}
			if ok {
				cnt++
				f.upx = append(f.upx, k)
			}
		}
		f.UsableM2 = float64(cnt) * p * p * math.Sqrt(1+f.a*f.a+f.b*f.b)
	}
	r.Flat = allH > 0 && flatH/allH >= o.FlatRoofShare
	sort.SliceStable(facets, func(i, j int) bool { return facets[i].HorizontalM2 > facets[j].HorizontalM2 })
	if o.keepLabels {
		lg := &labelGrid{x0: x0, y0: y0, p: p, w: w, h: h, l: make([]int, n)}
		for k := range lg.l {
			lg.l[k] = -1
		}
		for l := range facets {
			for _, k := range facets[l].px {
				lg.l[k] = l
			}
		}
		r.labels = lg
	}
	// Translate the local planes to absolute coordinates for the horizons:
	// z = a·(X − x0) + b·(Y − y0) + c.
	for l := range facets {
		f := &facets[l]
		f.c -= f.a*x0 + f.b*y0
		if horizons && f.Excluded == "" {
			// Sample the usable pixels (where modules go; the setback
			// border along eaves, ridges and walls carries none), all the
			// facet's pixels when the setback leaves none.
			src := f.upx
			if len(src) == 0 {
				src = f.px
			}
			pts := make([]orb.Point, len(src))
			px := make([][2]int, len(src))
			for i, k := range src {
				pts[i] = orb.Point{x0 + lx(k), y0 + ly(k)}
				px[i] = [2]int{c0 + k%w, r0 + k/w}
			}
			facetHorizon(dsm, f, pts, px, o)
		}
		f.px, f.upx = nil, nil
	}
	r.Facets = facets
	return r
}

// mergeCoplanar merges facets lying within two cells of each other whose
// planes agree (normals within NormalAngleDeg/3 and each facet's mean height
// within PlaneDistM/2 of the other's plane at its centroid): region growing
// splits one roof face where a row of vents, a skylight or a ridge-tile line
// interrupts it, and a roof face is what modules are laid on. Merging
// adjacent coplanar segments is the usual second step of segmentation
// (e.g. Vosselman & Dijkman 2001, "3D building model reconstruction from
// point clouds and ground plans", IAPRS 34(3/W4):37–43).
func mergeCoplanar(facets []Facet, label []int, w, h int, lx, ly func(int) float64, o Options, finish func(Facet) (Facet, bool)) []Facet {
	n := len(facets)
	if n < 2 {
		return facets
	}
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	cosMax := math.Cos(o.NormalAngleDeg / 3 * math.Pi / 180)
	agree := func(f, g *Facet) bool {
		nf, ng := unitNormal(f.a, f.b), unitNormal(g.a, g.b)
		if nf[0]*ng[0]+nf[1]*ng[1]+nf[2]*ng[2] < cosMax {
			return false
		}
		// Centroids are absolute; planes are still in the local frame here.
		fx, fy := f.Centroid[0]-g.Centroid[0], f.Centroid[1]-g.Centroid[1]
		// Height of g's plane at f's centroid minus f's mean height, using
		// g's plane through g's mean height at g's centroid.
		dg := g.MeanZM + g.a*fx + g.b*fy - f.MeanZM
		df := f.MeanZM - f.a*fx - f.b*fy - g.MeanZM
		return math.Abs(dg) <= o.PlaneDistM/2 && math.Abs(df) <= o.PlaneDistM/2
	}
	seen := map[[2]int]bool{}
	for k, l := range label {
		if l < 0 {
			continue
		}
		ki, kj := k%w, k/w
		for dj := -2; dj <= 2; dj++ {
			for di := -2; di <= 2; di++ {
				ii, jj := ki+di, kj+dj
				if ii < 0 || jj < 0 || ii >= w || jj >= h {
					continue
				}
				m := label[jj*w+ii]
				if m <= l {
					continue
				}
				pr := [2]int{l, m}
				if seen[pr] {
					continue
				}
				seen[pr] = true
				if agree(&facets[l], &facets[m]) {
					parent[find(m)] = find(l)
				}
			}
		}
	}
	groups := map[int][]int{}
	for i := range facets {
		groups[find(i)] = append(groups[find(i)], i)
	}
	if len(groups) == n {
		return facets
	}
	out := make([]Facet, 0, len(groups))
	for i := range facets {
		g := groups[i]
		if len(g) == 0 {
			continue
		}
		if len(g) == 1 {
			out = append(out, facets[i])
			continue
		}
		var px []int
		for _, j := range g {
			px = append(px, facets[j].px...)
		}
		if f, ok := finish(Facet{px: px}); ok {
			out = append(out, f)
		}
	}
	return out
}

// risesAbove returns the mean height of facet f's pixels above the plane of
// the largest other facet adjacent to it (−Inf when none is larger).
func risesAbove(f *Facet, facets []Facet, label []int, z []float64, w, h int, lx, ly func(int) float64) float64 {
	best := -1
	for _, k := range f.px {
		ki, kj := k%w, k/w
		for dj := -2; dj <= 2; dj++ {
			for di := -2; di <= 2; di++ {
				ii, jj := ki+di, kj+dj
				if ii < 0 || jj < 0 || ii >= w || jj >= h {
					continue
				}
				l := label[jj*w+ii]
				if l < 0 || &facets[l] == f || facets[l].Pixels <= f.Pixels {
					continue
				}
				if best < 0 || facets[l].Pixels > facets[best].Pixels {
					best = l
				}
			}
		}
	}
	if best < 0 {
		return math.Inf(-1)
	}
	g := &facets[best]
	s := 0.0
	for _, k := range f.px {
		s += z[k] - (g.a*lx(k) + g.b*ly(k) + g.c)
	}
	return s / float64(len(f.px))
}

// rowCrossings appends to xs the sorted x coordinates where the horizontal
// line at y crosses the edges of mp (all rings: even-odd rule, so holes and
// multi-part footprints are handled), for scanline filling: the cells whose
// centres lie between crossings 2k and 2k+1 are inside. A vertex exactly on
// the line is counted once by the half-open rule.
// (Scanline filling is hand-written because orb/planar offers only a
// per-point containment test, which recomputes each ring's bound per call
// and took 80 % of the run time.)
func rowCrossings(mp orb.MultiPolygon, y float64, xs []float64) []float64 {
	for _, pg := range mp {
		for _, r := range pg {
			for i := range r { // the closing edge too, if the ring is left open
				a, b := r[i], r[(i+1)%len(r)]
				if (a[1] <= y) == (b[1] <= y) {
					continue
				}
				xs = append(xs, a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]))
			}
		}
	}
	sort.Float64s(xs)
	return xs
}

// median of v (v is reordered): the project's one quantile definition,
// gonum's stat.Quantile with stat.LinInterp (Hyndman & Fan 1996, type 4),
// as model/uncertainty.Quantile.
func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	sort.Float64s(v)
	return stat.Quantile(0.5, stat.LinInterp, v, nil)
}

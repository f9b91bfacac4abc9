package geo

import (
	"context"
	"math"
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
	neighbourHorizonInto(h, bs, nil, bix, self, pl, o)
	return h
}

// neighbourHorizonInto raises h to the horizon of the neighbours of pl;
// tops (nil: none) adds the ridges of pitched neighbours.
func neighbourHorizonInto(h []float64, bs []Building, tops []roofTop, bix *Index, self int, pl *RoofPlane, o HorizonOptions) {
	n := len(h)
	step := 360.0 / float64(n)
	P := pl.Centroid
	g0 := 0.0
	useGround := !o.IgnoreGroundAltitude && !math.IsNaN(bs[self].GroundAltM)
	if useGround {
		g0 = bs[self].GroundAltM
	}
	z0 := g0 + pl.HeightM
	R := o.RadiusM
	box := orb.Bound{Min: orb.Point{P[0] - R, P[1] - R}, Max: orb.Point{P[0] + R, P[1] + R}}
	const deg = 180 / math.Pi
	// Azimuths below are measured from Lambert-93 grid north and converted
	// to true north (the Horizon convention) by adding the convergence.
	conv := crs.Lambert93ConvergenceDeg(P)
	sectorOf := func(gridAz float64) int {
		k := int(math.Floor((gridAz+conv)/step + 0.5))
		return ((k % n) + n) % n
	}
	bix.Search(box, func(j int) bool {
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
		dh := zt - z0
		var ridge [][2]orb.Point
		dhRidge := 0.0
		if tops != nil && tops[j].pitched {
			ridge = [][2]orb.Point{{tops[j].a, tops[j].b}}
			dhRidge = dh + tops[j].rise
		}
		if dh <= 0 && dhRidge <= 0 {
			return true
		}
		edges := func(yield func(a, b orb.Point, dh float64)) {
			if dh > 0 {
				for _, pg := range nb.Footprint {
					for _, r := range pg {
						for i := 0; i+1 < len(r); i++ {
							yield(r[i], r[i+1], dh)
						}
					}
				}
			}
			if dhRidge > 0 {
				for _, e := range ridge {
					yield(e[0], e[1], dhRidge)
					yield(e[1], e[0], dhRidge) // its second vertex
				}
			}
		}
		edges(func(a, b orb.Point, dh float64) {
			{
				{
					ax, ay := a[0]-P[0], a[1]-P[1]
					bx, by := b[0]-P[0], b[1]-P[1]
					da, db := math.Hypot(ax, ay), math.Hypot(bx, by)
					// vertex a (b is the next edge's a)
					if da <= R {
						e := math.Atan2(dh, math.Max(da, o.MinDistanceM)) * deg
						k := sectorOf(math.Atan2(ax, ay) * deg)
						if e > h[k] {
							h[k] = e
						}
					}
					if da > R && db > R && distSegOrigin(ax, ay, bx, by) > R {
						return
					}
					// sector centre rays crossing the edge
					aza := math.Atan2(ax, ay)*deg + conv // true azimuths
					azb := math.Atan2(bx, by)*deg + conv
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
						th := (float64(kk)*step - conv) / deg // grid direction of the sector centre
						ux, uy := math.Sin(th), math.Cos(th)
						den := ux*ey - uy*ex
						if den == 0 {
							continue
						}
						t := (ax*ey - ay*ex) / den
						if t <= 0 || t > R {
							continue
						}
						e := math.Atan2(dh, math.Max(t, o.MinDistanceM)) * deg
						k := ((kk % n) + n) % n
						if e > h[k] {
							h[k] = e
						}
					}
				}
			}
		})
		return true
	})
}

// distSegOrigin is the distance from the origin to segment (a, b).
func distSegOrigin(ax, ay, bx, by float64) float64 {
	ex, ey := bx-ax, by-ay
	l2 := ex*ex + ey*ey
	t := 0.0
	if l2 > 0 {
		t = math.Max(0, math.Min(1, -(ax*ex+ay*ey)/l2))
	}
	return math.Hypot(ax+t*ex, ay+t*ey)
}

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
		for i := lo; i < hi; i++ {
			pl := &t.Planes[i]
			h := store[i*n : (i+1)*n : (i+1)*n]
			hmin := storeMin[i*n : (i+1)*n : (i+1)*n]
			planeHorizons(h, hmin, scratch, bs, tops, t.BuildingIndex, pl, ho)
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

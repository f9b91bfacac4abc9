package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// Neighbours at their roof surface and several sample points per plane
// (issue 12): a pitched neighbour is an obstacle at its eaves height along
// its footprint edges AND at its ridge height along its ridge (the gable
// model of RoofPlanes: ridge along the long axis of the minimum-area
// rectangle, HeightM + (W/2)·tan(pitch)); the observer of a plane is not
// one point but SamplePoints points spread over the plane (along the fall
// line and across it, each at its own height on the roof surface). The
// plane's Horizon is the per-sector mean of the points' horizons (the
// sky blocked on average over the plane, to first order in the shaded
// time) and HorizonMin the per-sector minimum (the sky blocked at every
// point: uniform shading); the difference measures partial shading, the
// input of the mismatch loss (pv.RoofPVOf).

// SamplePoints is the number of observer points per roof plane: the
// centre, two along the fall line (a quarter of the slope length up and
// down) and two across (a quarter of the plane's length each side).
const SamplePoints = 5

// roofTop is a building's ridge for the neighbours' horizon, and its plane
// frame for the sample points.
type roofTop struct {
	pitched bool
	// ridge endpoints (Lambert-93) and height above ground, m.
	a, b   orb.Point
	ridgeH float64
	// axis unit vector (grid), rectangle length and width, roof rise.
	ux, uy, length, width, rise float64
}

// roofTopOf derives the roof top of b (RoofType already set by RoofPlanes).
func roofTopOf(b *Building, o RoofOptions) roofTop {
	rect, ok := MinAreaRectangle(b.Footprint)
	if !ok {
		rect = Rectangle{Center: b.Centroid, LengthM: math.Sqrt(b.FootprintM2), WidthM: math.Sqrt(b.FootprintM2)}
	}
	rad := math.Pi / 180
	t := roofTop{ux: math.Sin(rect.AxisAzimuthDeg * rad), uy: math.Cos(rect.AxisAzimuthDeg * rad),
		length: rect.LengthM, width: rect.WidthM}
	if b.RoofType == RoofFlat {
		t.ridgeH = b.HeightM
		return t
	}
	t.pitched = true
	pitch, _ := b.ModelledPitch(o)
	t.rise = rect.WidthM / 2 * math.Tan(pitch*rad)
	t.ridgeH = b.HeightM + t.rise
	h := rect.LengthM / 2
	c := rect.Center
	t.a = orb.Point{c[0] - h*t.ux, c[1] - h*t.uy}
	t.b = orb.Point{c[0] + h*t.ux, c[1] + h*t.uy}
	return t
}

// samplePoints returns the observer points of plane pl (of building top
// tp): Lambert-93 positions and heights above ground on the roof surface.
func samplePoints(pl *RoofPlane, tp *roofTop) (pts [SamplePoints]orb.Point, hs [SamplePoints]float64) {
	c := pl.Centroid
	across := tp.length / 4
	pts[0], hs[0] = c, pl.HeightM
	pts[1], hs[1] = orb.Point{c[0] + across*tp.ux, c[1] + across*tp.uy}, pl.HeightM
	pts[2], hs[2] = orb.Point{c[0] - across*tp.ux, c[1] - across*tp.uy}, pl.HeightM
	// Down-slope direction: perpendicular to the axis, away from the ridge
	// (flat roofs: across the rectangle, same height).
	dx, dy := tp.uy, -tp.ux
	if tp.pitched {
		// the plane's centroid lies W/4 from the ridge line on its side
		mx, my := c[0]-(tp.a[0]+tp.b[0])/2, c[1]-(tp.a[1]+tp.b[1])/2
		if mx*dx+my*dy < 0 {
			dx, dy = -dx, -dy
		}
	}
	f := tp.width / 8 // a quarter of the half-width: mid-way to eaves / ridge
	dh := 0.0
	if tp.pitched {
		dh = tp.rise / 4
	}
	pts[3], hs[3] = orb.Point{c[0] + f*dx, c[1] + f*dy}, pl.HeightM-dh // towards the eaves, lower
	pts[4], hs[4] = orb.Point{c[0] - f*dx, c[1] - f*dy}, pl.HeightM+dh // towards the ridge, higher
	return pts, hs
}

// planeHorizons computes the mean and minimum horizons of pl over its
// sample points into mean and lo (len = sectors); scratch holds one point's
// horizon. The neighbours are gathered once for all the planes of pl's
// building (planes[first:last] of bs[pl.BuildingIdx], gatherBuilding) and
// kept while the next plane is of the same building.
func (w *horizonWork) planeHorizons(mean, lo, scratch []float64, bs []Building, tops []roofTop, bix *Index, planes []RoofPlane, pl *RoofPlane, o HorizonOptions) {
	if w.building != pl.BuildingIdx {
		w.gatherBuilding(bs, tops, bix, planes, pl.BuildingIdx, o)
	}
	pts, hs := samplePoints(pl, &tops[pl.BuildingIdx])
	for k := range mean {
		mean[k], lo[k] = 0, math.Inf(1)
	}
	for i := range pts {
		w.pointInto(scratch, bs, pts[i], hs[i], o)
		for k, v := range scratch {
			mean[k] += v / SamplePoints
			lo[k] = math.Min(lo[k], v)
		}
	}
}

// gatherBuilding gathers the neighbours of building b for the sample
// points of all its planes (planes: that building's planes). Each point
// keeps exactly the neighbours meeting its own search square (pointInto),
// so a wider gathering changes no value.
func (w *horizonWork) gatherBuilding(bs []Building, tops []roofTop, bix *Index, planes []RoofPlane, b int, o HorizonOptions) {
	var bmin, bmax orb.Point
	first := true
	for i := range planes {
		pts, _ := samplePoints(&planes[i], &tops[b])
		for _, p := range pts {
			if first {
				bmin, bmax, first = p, p, false
				continue
			}
			bmin = orb.Point{math.Min(bmin[0], p[0]), math.Min(bmin[1], p[1])}
			bmax = orb.Point{math.Max(bmax[0], p[0]), math.Max(bmax[1], p[1])}
		}
	}
	w.gather(bs, tops, bix, b, bmin, bmax, o)
	w.building = b
}

package geo

import (
	"math"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo/crs"
)

// PlaneFootprint returns the part of building b's footprint (Lambert-93)
// that roof plane p covers, as RoofPlanes models it: the whole footprint
// for a flat roof (one plane); for a pitched roof (a gable whose ridge runs
// along the long axis of the minimum-area rectangle, through its centre)
// the half of the footprint on the side the plane faces. The plane's grid
// azimuth is its true azimuth minus the meridian convergence at the
// rectangle's centre (crs.Lambert93ConvergenceDeg), as in RoofPlanes.
//
// The half-plane clip is hand-written (Sutherland & Hodgman 1974, one
// clipping edge) rather than simplefeatures' general overlay: a half-plane
// is convex, so one pass per ring is exact in area for convex or concave
// rings (a concave ring may keep zero-width "bridge" edges, which add no
// area), at O(n) per ring instead of ≈150 µs per overlay.
func PlaneFootprint(b *Building, p RoofPlane) orb.MultiPolygon {
	if b.RoofType == RoofFlat || len(b.Footprint) == 0 {
		return b.Footprint
	}
	rect, ok := MinAreaRectangle(b.Footprint)
	if !ok {
		return b.Footprint
	}
	rad := math.Pi / 180
	gridAz := (p.AzimuthDeg - crs.Lambert93ConvergenceDeg(rect.Center)) * rad
	// Keep the points x with (x − centre)·n ≥ 0, n the plane's horizontal
	// facing direction (east = sin az, north = cos az).
	n := orb.Point{math.Sin(gridAz), math.Cos(gridAz)}
	side := func(q orb.Point) float64 { return (q[0]-rect.Center[0])*n[0] + (q[1]-rect.Center[1])*n[1] }
	var out orb.MultiPolygon
	for _, pg := range b.Footprint {
		var cp orb.Polygon
		for ri, r := range pg {
			c := clipRingHalfPlane(r, side)
			if len(c) < 4 {
				if ri == 0 {
					break // outer ring gone: so is the polygon
				}
				continue
			}
			cp = append(cp, c)
		}
		if len(cp) > 0 {
			out = append(out, cp)
		}
	}
	return out
}

// clipRingHalfPlane keeps the part of a closed ring where side ≥ 0.
func clipRingHalfPlane(r orb.Ring, side func(orb.Point) float64) orb.Ring {
	n := len(r)
	if n > 1 && r[0] == r[n-1] {
		n--
	}
	var out orb.Ring
	for i := range n {
		a, b := r[i], r[(i+1)%n]
		sa, sb := side(a), side(b)
		if sa >= 0 {
			out = append(out, a)
		}
		if (sa >= 0) != (sb >= 0) {
			t := sa / (sa - sb)
			out = append(out, orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])})
		}
	}
	if len(out) > 0 {
		out = append(out, out[0])
	}
	return out
}

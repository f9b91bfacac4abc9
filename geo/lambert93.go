package geo

import (
	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo/vector"
)

// projectPolygonal projects a Polygon/MultiPolygon in place-free fashion
// (returns a copy) with proj.
func projectPolygonal(g orb.Geometry, proj func(orb.Point) orb.Point) orb.Geometry {
	ring := func(r orb.Ring) orb.Ring {
		out := make(orb.Ring, len(r))
		for i, p := range r {
			out[i] = proj(p)
		}
		return out
	}
	poly := func(pg orb.Polygon) orb.Polygon {
		out := make(orb.Polygon, len(pg))
		for i, r := range pg {
			out[i] = ring(r)
		}
		return out
	}
	switch g := g.(type) {
	case orb.Polygon:
		return poly(g)
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(g))
		for i, pg := range g {
			out[i] = poly(pg)
		}
		return out
	}
	return g
}

// ConvergenceDeg is the Lambert-93 meridian convergence at a Lambert-93
// point: the angle γ = n·(λ − 3°) between grid north and true north, so that
// trueAzimuth = gridAzimuth + γ. It is about −1.7° at Périgueux, −5.4° in
// western Brittany and +3.4° in Alsace; roof azimuths and horizon sectors are
// corrected by it (solar azimuths are relative to true north). Formula: with
// E − E0 = r·sin θ and N0 + r0 − N = r·cos θ (EPSG GN 7-2 §3.2.1.1),
// γ = θ = atan2(E − E0, N0 + r0 − N).
func ConvergenceDeg(p orb.Point) float64 {
	return vector.Lambert93ConvergenceDeg(p)
}

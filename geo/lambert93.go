package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// Fast geographic (RGF93 ≈ WGS84 lon/lat degrees) → Lambert-93 projection.
//
// Hand-written rather than calling vector.ToLambert93 (github.com/wroge/wgs84)
// for speed only: wroge/wgs84 recomputes the projection constants on every
// point (≈5 µs/point, 1.3 s of the 3 s Périgueux budget); this closed form
// precomputes them (≈0.1 µs/point). Formulas: Lambert conformal conic with two
// standard parallels, EPSG Guidance Note 7-2 §3.2.1.1 (method 9802), GRS80
// ellipsoid, EPSG:2154 parameters (φ1 = 49°, φ2 = 44°, φ0 = 46.5°, λ0 = 3°,
// E0 = 700 000 m, N0 = 6 600 000 m). TestLambert93MatchesVector checks it
// against vector.ToLambert93 to < 1 mm.
var l93 = func() (c struct{ e, n, aF, r0 float64 }) {
	const a, invF = 6378137.0, 298.257222101
	f := 1 / invF
	c.e = math.Sqrt(2*f - f*f)
	rad := math.Pi / 180
	m := func(phi float64) float64 { s := math.Sin(phi); return math.Cos(phi) / math.Sqrt(1-c.e*c.e*s*s) }
	t := func(phi float64) float64 {
		s := math.Sin(phi)
		return math.Tan(math.Pi/4-phi/2) / math.Pow((1-c.e*s)/(1+c.e*s), c.e/2)
	}
	p1, p2, p0 := 49*rad, 44*rad, 46.5*rad
	c.n = (math.Log(m(p1)) - math.Log(m(p2))) / (math.Log(t(p1)) - math.Log(t(p2)))
	F := m(p1) / (c.n * math.Pow(t(p1), c.n))
	c.aF = a * F
	c.r0 = c.aF * math.Pow(t(p0), c.n)
	return c
}()

// lonLatToL93 projects [lon, lat] degrees to Lambert-93 [E, N] metres.
func lonLatToL93(p orb.Point) orb.Point {
	const rad = math.Pi / 180
	phi := p[1] * rad
	s := math.Sin(phi)
	t := math.Tan(math.Pi/4-phi/2) / math.Pow((1-l93.e*s)/(1+l93.e*s), l93.e/2)
	r := l93.aF * math.Pow(t, l93.n)
	th := l93.n * (p[0] - 3) * rad
	return orb.Point{700000 + r*math.Sin(th), 6600000 + l93.r0 - r*math.Cos(th)}
}

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
	return math.Atan2(p[0]-700000, 6600000+l93.r0-p[1]) * 180 / math.Pi
}

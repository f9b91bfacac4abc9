package api

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"github.com/gisement/gisement/data"
)

// Fast Lambert-93 (EPSG:2154) → lon/lat (EPSG:4326) for vector tiles, bbox
// listings and lookups.
//
// Hand-written rather than data.ToWGS84 (github.com/wroge/wgs84) for speed
// only: wroge/wgs84 recomputes the projection constants at every point
// (≈ 55 % of an uncached tile's CPU, measured with pprof); this inverse
// precomputes them. Formulas: Lambert conformal conic with two standard
// parallels, inverse, EPSG Guidance Note 7-2 §3.2.1.1 (method 9802), GRS80,
// EPSG:2154 parameters (φ1 = 49°, φ2 = 44°, φF = 46.5°, λF = 3°,
// EF = 700 000 m, NF = 6 600 000 m); latitude by fixed-point iteration to
// 1e-12 rad. TestAPILambert93MatchesData checks it against data.ToWGS84 to
// 1e-9° (≈ 0.1 mm).
var inv93 = func() (c struct{ a, e, n, aF, rhoF, lam0 float64 }) {
	const a, invF = 6378137.0, 298.257222101
	f := 1 / invF
	c.a = a
	c.e = math.Sqrt(2*f - f*f)
	rad := math.Pi / 180
	m := func(phi float64) float64 { s := math.Sin(phi); return math.Cos(phi) / math.Sqrt(1-c.e*c.e*s*s) }
	t := func(phi float64) float64 {
		s := math.Sin(phi)
		return math.Tan(math.Pi/4-phi/2) / math.Pow((1-c.e*s)/(1+c.e*s), c.e/2)
	}
	p1, p2, pF := 49*rad, 44*rad, 46.5*rad
	c.n = (math.Log(m(p1)) - math.Log(m(p2))) / (math.Log(t(p1)) - math.Log(t(p2)))
	F := m(p1) / (c.n * math.Pow(t(p1), c.n))
	c.aF = a * F
	c.rhoF = c.aF * math.Pow(t(pF), c.n)
	c.lam0 = 3 * rad
	return c
}()

// l93ToLonLat inverts Lambert-93 (metres) to lon/lat degrees.
func l93ToLonLat(p orb.Point) orb.Point {
	c := &inv93
	dx, dy := p[0]-700000, c.rhoF-(p[1]-6600000)
	rho := math.Copysign(math.Hypot(dx, dy), c.n)
	t := math.Pow(rho/c.aF, 1/c.n)
	theta := math.Atan2(dx, dy)
	lam := theta/c.n + c.lam0
	phi := math.Pi/2 - 2*math.Atan(t)
	for range 15 {
		s := c.e * math.Sin(phi)
		next := math.Pi/2 - 2*math.Atan(t*math.Pow((1-s)/(1+s), c.e/2))
		if math.Abs(next-phi) < 1e-12 {
			phi = next
			break
		}
		phi = next
	}
	return orb.Point{lam * 180 / math.Pi, phi * 180 / math.Pi}
}

// toWGS84 returns g (in EPSG:srid) in lon/lat: the fast path for
// Lambert-93, data.ToWGS84 otherwise. g is not modified.
func toWGS84(g orb.Geometry, srid int) (orb.Geometry, error) {
	if srid != data.SRIDLambert93 {
		return data.ToWGS84(g, srid)
	}
	return project.Geometry(orb.Clone(g), l93ToLonLat), nil
}

package crs

import (
	"math"

	"github.com/paulmach/orb"
)

// Closed-form Lambert-93 (EPSG:2154) ↔ geographic RGF93/WGS84 (EPSG:4171,
// EPSG:4326; the two datums coincide at this projection's accuracy).
//
// Hand-written rather than github.com/wroge/wgs84 for speed only: that
// library recomputes the projection constants and goes through geocentric
// coordinates at every point (≈ 15–17 µs per point, measured by
// BenchmarkToLambert93), which dominated territory loading, vector tiles and
// bbox queries; this form precomputes the constants (≈ 0.1 µs per point).
// Transform uses it between EPSG:4326/4171 and EPSG:2154;
// TestLambert93MatchesLibrary checks it against wroge/wgs84 to 0.1 mm
// (forward) and 1e-9° (inverse), and TestToLambert93KnownPoints against
// PROJ.
//
// Formulas: Lambert conformal conic with two standard parallels, EPSG
// Guidance Note 7-2 §3.2.1.1 (method 9802), forward and inverse (latitude by
// fixed-point iteration to 1e-12 rad); GRS80 ellipsoid (a = 6,378,137 m,
// 1/f = 298.257222101); EPSG:2154 parameters: φ1 = 49°, φ2 = 44°,
// φF = 46.5°, λF = 3° E, EF = 700,000 m, NF = 6,600,000 m.
var l93 = func() (c struct{ e, n, aF, rhoF float64 }) {
	const a, invF = 6378137.0, 298.257222101
	f := 1 / invF
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
	return c
}()

// LonLatToLambert93 projects [lon, lat] degrees to Lambert-93 [E, N] metres.
func LonLatToLambert93(p orb.Point) orb.Point {
	const rad = math.Pi / 180
	phi := p[1] * rad
	s := math.Sin(phi)
	t := math.Tan(math.Pi/4-phi/2) / math.Pow((1-l93.e*s)/(1+l93.e*s), l93.e/2)
	r := l93.aF * math.Pow(t, l93.n)
	th := l93.n * (p[0] - 3) * rad
	return orb.Point{700000 + r*math.Sin(th), 6600000 + l93.rhoF - r*math.Cos(th)}
}

// Lambert93ToLonLat inverts Lambert-93 [E, N] metres to [lon, lat] degrees.
func Lambert93ToLonLat(p orb.Point) orb.Point {
	dx, dy := p[0]-700000, l93.rhoF-(p[1]-6600000)
	rho := math.Copysign(math.Hypot(dx, dy), l93.n)
	t := math.Pow(rho/l93.aF, 1/l93.n)
	lam := math.Atan2(dx, dy)/l93.n + 3*math.Pi/180
	phi := math.Pi/2 - 2*math.Atan(t)
	for range 15 {
		s := l93.e * math.Sin(phi)
		next := math.Pi/2 - 2*math.Atan(t*math.Pow((1-s)/(1+s), l93.e/2))
		if math.Abs(next-phi) < 1e-12 {
			phi = next
			break
		}
		phi = next
	}
	return orb.Point{lam * 180 / math.Pi, phi * 180 / math.Pi}
}

// Lambert93ConvergenceDeg is the meridian convergence at a Lambert-93 point
// [E, N] (metres): the angle γ between grid north and true north, degrees,
// positive east of the central meridian (3° E), so that true azimuth =
// grid azimuth + γ. It is about −1.7° at Périgueux, −5.4° in western
// Brittany and +3.4° in Alsace; roof azimuths and horizon sectors are
// corrected by it (solar azimuths are relative to true north). With
// E − EF = r·sin θ and NF + rF − N = r·cos θ (EPSG Guidance Note 7-2
// §3.2.1.1), γ = θ = n·(λ − λF) = atan2(E − EF, NF + rF − N).
func Lambert93ConvergenceDeg(p orb.Point) float64 {
	return math.Atan2(p[0]-700000, 6600000+l93.rhoF-p[1]) * 180 / math.Pi
}

package solar

import (
	"math"
	"time"
)

const (
	deg2rad = math.Pi / 180
	rad2deg = 180 / math.Pi

	// SolarConstantWm2 is the solar constant used by Spencer's formula in
	// pvlib (get_extra_radiation, default 1366.1 W/m²).
	SolarConstantWm2 = 1366.1
)

// ExtraRadiation returns the extraterrestrial normal irradiance (W/m²) on
// day-of-year doy (1 = 1 January; fractional days accepted) with Spencer's
// Fourier series: Spencer, J.W. (1971) "Fourier series representation of the
// position of the sun", Search 2(5):172. Matches pvlib
// irradiance.get_extra_radiation(method='spencer'), solar constant 1366.1 W/m².
func ExtraRadiation(doy float64) float64 {
	b := 2 * math.Pi * (doy - 1) / 365
	r := 1.00011 + 0.034221*math.Cos(b) + 0.00128*math.Sin(b) +
		0.000719*math.Cos(2*b) + 0.000077*math.Sin(2*b)
	return SolarConstantWm2 * r
}

// ExtraRadiationAt returns ExtraRadiation for the UTC calendar day of t.
func ExtraRadiationAt(t time.Time) float64 {
	return ExtraRadiation(float64(t.UTC().YearDay()))
}

// RelativeAirmass returns the relative optical airmass (dimensionless) for a
// zenith angle in degrees (apparent zenith recommended), Kasten & Young 1989,
// "Revised optical air mass tables and approximation formula", Applied Optics
// 28(22):4735, doi:10.1364/AO.28.004735 (pvlib model 'kastenyoung1989').
// NaN when the sun is below the horizon (zenith > 90°).
func RelativeAirmass(zenithDeg float64) float64 {
	if !(zenithDeg <= 90) {
		return math.NaN()
	}
	return 1 / (math.Cos(zenithDeg*deg2rad) + 0.50572*math.Pow(6.07995+(90-zenithDeg), -1.6364))
}

// AbsoluteAirmass scales the relative airmass by station pressure (hPa):
// AM_abs = AM_rel · p / 1013.25 (pvlib atmosphere.get_absolute_airmass).
func AbsoluteAirmass(relAirmass, pressureHPa float64) float64 {
	return relAirmass * pressureHPa / 1013.25
}

// PressureFromAltitude returns the standard-atmosphere pressure (hPa) at an
// altitude in metres (pvlib atmosphere.alt2pres): 1013.25·(1−2.25577e−5·h)^5.25588.
func PressureFromAltitude(altitudeM float64) float64 {
	return 1013.25 * math.Pow(1-2.25577e-5*altitudeM, 5.25588)
}

// CosAOI returns the cosine of the angle of incidence between the sun beam
// and the normal of a plane (tilt from horizontal, azimuth clockwise from
// north), from the sun zenith and azimuth, all in degrees (pvlib
// irradiance.aoi_projection). Clipped to [−1, 1]; negative means the sun is
// behind the plane.
func CosAOI(tiltDeg, surfAzDeg, zenithDeg, sunAzDeg float64) float64 {
	t, z := tiltDeg*deg2rad, zenithDeg*deg2rad
	c := math.Cos(t)*math.Cos(z) + math.Sin(t)*math.Sin(z)*math.Cos((sunAzDeg-surfAzDeg)*deg2rad)
	return math.Max(-1, math.Min(1, c))
}

// AOI returns the angle of incidence in degrees (0–180), see CosAOI.
func AOI(tiltDeg, surfAzDeg, zenithDeg, sunAzDeg float64) float64 {
	return math.Acos(CosAOI(tiltDeg, surfAzDeg, zenithDeg, sunAzDeg)) * rad2deg
}

// unitVector returns the (east, north, up) unit vector pointing at zenith z
// and azimuth az (degrees, clockwise from north). It is also the normal of a
// plane of tilt z and azimuth az.
func unitVector(zenithDeg, azDeg float64) (e, n, u float64) {
	sz, cz := math.Sincos(zenithDeg * deg2rad)
	sa, ca := math.Sincos(azDeg * deg2rad)
	return sz * sa, sz * ca, cz
}

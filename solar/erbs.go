package solar

import "math"

// ClearnessIndex returns the hourly clearness index kt = GHI/(E0·cos z) with
// cos z bounded below by minCosZenith (pvlib default 0.065) and kt clipped to
// [0, maxKt] (pvlib default 1). pvlib irradiance.clearness_index.
func ClearnessIndex(ghiWm2, zenithDeg, dniExtraWm2, minCosZenith, maxKt float64) float64 {
	cz := math.Max(math.Cos(zenithDeg*deg2rad), minCosZenith)
	kt := ghiWm2 / (dniExtraWm2 * cz)
	return math.Min(math.Max(kt, 0), maxKt)
}

// Erbs splits global horizontal irradiance into diffuse horizontal and direct
// normal irradiance (W/m²) with the Erbs, Klein & Duffie 1982 diffuse-fraction
// correlation ("Estimation of the diffuse radiation fraction for hourly,
// daily and monthly-average global radiation", Solar Energy 28(4):293–302,
// doi:10.1016/0038-092X(82)90302-4), as pvlib irradiance.erbs: kt from
// ClearnessIndex (min cos z 0.065, kt ≤ 1); DF = 1−0.09kt (kt ≤ 0.22),
// 0.9511−0.1604kt+4.388kt²−16.638kt³+12.336kt⁴ (0.22 < kt ≤ 0.8), 0.165 above;
// DNI = (GHI−DHI)/cos z; for zenith > 87°, GHI < 0 or DNI < 0: DNI = 0 and
// DHI = GHI.
func Erbs(ghiWm2, zenithDeg, dniExtraWm2 float64) (dniWm2, dhiWm2, kt float64) {
	kt = ClearnessIndex(ghiWm2, zenithDeg, dniExtraWm2, 0.065, 1)
	var df float64
	switch {
	case kt <= 0.22:
		df = 1 - 0.09*kt
	case kt <= 0.8:
		df = 0.9511 - 0.1604*kt + 4.388*kt*kt - 16.638*kt*kt*kt + 12.336*kt*kt*kt*kt
	default:
		df = 0.165
	}
	dhiWm2 = df * ghiWm2
	dniWm2 = (ghiWm2 - dhiWm2) / math.Cos(zenithDeg*deg2rad)
	if zenithDeg > 87 || ghiWm2 < 0 || dniWm2 < 0 || math.IsNaN(dniWm2) {
		dniWm2 = 0
		dhiWm2 = ghiWm2
	}
	return dniWm2, dhiWm2, kt
}

// completeComponents derives the missing irradiance components of one record
// from the sun's zenith (degrees): with two of three present the closure
// GHI = DNI·cos z + DHI gives the third (DNI from GHI and DHI only while
// cos z > 0.065, else 0); with GHI alone, Erbs. Negative results are clipped
// to 0. Returns ok=false when GHI and DNI/DHI are all missing.
func completeComponents(ghi, dni, dhi, zenithDeg, dniExtra float64) (float64, float64, float64, bool) {
	cz := math.Cos(zenithDeg * deg2rad)
	hasG, hasB, hasD := !math.IsNaN(ghi), !math.IsNaN(dni), !math.IsNaN(dhi)
	switch {
	case hasG && hasB && hasD:
	case hasB && hasD:
		ghi = math.Max(dni*math.Max(cz, 0)+dhi, 0)
	case hasG && hasD:
		if cz > 0.065 {
			dni = math.Max((ghi-dhi)/cz, 0)
		} else {
			dni = 0
		}
	case hasG && hasB:
		dhi = math.Max(ghi-dni*math.Max(cz, 0), 0)
	case hasG:
		dni, dhi, _ = Erbs(ghi, zenithDeg, dniExtra)
	default:
		return ghi, dni, dhi, false
	}
	return ghi, dni, dhi, true
}

package heat

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// ErrFieldInput marks invalid input to the field-grade heat functions of
// this package (unknown département, out-of-range temperature, bad file).
var ErrFieldInput = errors.New("invalid heat input")

// climateZoneByDept is the French climate zone (H1a … H3) of each
// metropolitan département, from the arrêté du 26 octobre 2010 relatif aux
// caractéristiques thermiques et aux exigences de performance énergétique
// des bâtiments nouveaux (RT 2012), Annexe I "Zones climatiques" (JORF
// n°0250 du 27 octobre 2010; Légifrance LEGIARTI000026910138). Entries 01 to
// 73 were checked against the Légifrance text on 2026-12-03; 74 to 95 are
// transcribed from the same annex (the consulted copy was cut at 74; the
// H1a list 75, 76, 77, 78, 80, 91–95 was checked against a second copy).
var climateZoneByDept = map[string]string{
	"01": "H1c", "02": "H1a", "03": "H1c", "04": "H2d", "05": "H1c", "06": "H3", "07": "H2d",
	"08": "H1b", "09": "H2c", "10": "H1b", "11": "H3", "12": "H2c", "13": "H3", "14": "H1a",
	"15": "H1c", "16": "H2b", "17": "H2b", "18": "H2b", "19": "H1c", "2A": "H3", "2B": "H3",
	"21": "H1c", "22": "H2a", "23": "H1c", "24": "H2c", "25": "H1c", "26": "H2d", "27": "H1a",
	"28": "H1a", "29": "H2a", "30": "H3", "31": "H2c", "32": "H2c", "33": "H2c", "34": "H3",
	"35": "H2a", "36": "H2b", "37": "H2b", "38": "H1c", "39": "H1c", "40": "H2c", "41": "H2b",
	"42": "H1c", "43": "H1c", "44": "H2b", "45": "H1b", "46": "H2c", "47": "H2c", "48": "H2d",
	"49": "H2b", "50": "H2a", "51": "H1b", "52": "H1b", "53": "H2b", "54": "H1b", "55": "H1b",
	"56": "H2a", "57": "H1b", "58": "H1b", "59": "H1a", "60": "H1a", "61": "H1a", "62": "H1a",
	"63": "H1c", "64": "H2c", "65": "H2c", "66": "H3", "67": "H1b", "68": "H1b", "69": "H1c",
	"70": "H1b", "71": "H1c", "72": "H2b", "73": "H1c", "74": "H1c", "75": "H1a", "76": "H1a",
	"77": "H1a", "78": "H1a", "79": "H2b", "80": "H1a", "81": "H2c", "82": "H2c", "83": "H3",
	"84": "H2d", "85": "H2b", "86": "H2b", "87": "H1c", "88": "H1b", "89": "H1b", "90": "H1b",
	"91": "H1a", "92": "H1a", "93": "H1a", "94": "H1a", "95": "H1a",
}

// ClimateZone returns the RT 2012 climate zone ("H1a" … "H3") of a
// metropolitan département code ("01" … "95", "2A", "2B"; a commune INSEE
// code is accepted: its département prefix is used).
func ClimateZone(dept string) (string, error) {
	d := strings.ToUpper(strings.TrimSpace(dept))
	if len(d) == 5 { // commune INSEE code
		d = d[:2]
	}
	if len(d) == 1 {
		d = "0" + d
	}
	z, ok := climateZoneByDept[d]
	if !ok {
		return "", fmt.Errorf("%w: département %q: not a metropolitan département code", ErrFieldInput, dept)
	}
	return z, nil
}

// baseTempTable is the outdoor base temperature, °C, of the DPE method
// 3CL-DPE 2021 (arrêté du 31 mars 2021 relatif aux méthodes et procédures
// applicables au diagnostic de performance énergétique, annexe 1, §18.1
// "Tbase : température extérieure de base selon la zone climatique et
// l'altitude", as implemented by the open-source Open3CL engine, file
// src/utils.js): rows H1, H2, H3; columns altitude < 400 m, 400–800 m,
// > 800 m.
//
// NF EN 12831-1 with its French national annex (and NF DTU 65.16 P1-1 annex
// A, table A.1) give finer zones A–I and 200 m altitude steps; that table is
// published as an image we could not transcribe, so the regulatory 3CL table
// is the default and a site value can always be given instead.
var baseTempTable = map[byte][3]float64{
	'1': {-9.5, -11.5, -13.5},
	'2': {-6.5, -8.5, -10.5},
	'3': {-3.5, -5.5, -7.5},
}

// BaseTemperatureC returns the design (base) outdoor temperature, °C, of a
// site in département dept at altitude altitudeM (m above sea level, NGF)
// from the 3CL-DPE 2021 table (see baseTempTable): the climate zone's
// H1/H2/H3 row and the altitude class < 400, 400–800, > 800 m. A NaN
// altitude is an error (the altitude class changes the value by 2–4 K).
func BaseTemperatureC(dept string, altitudeM float64) (float64, error) {
	z, err := ClimateZone(dept)
	if err != nil {
		return math.NaN(), err
	}
	if math.IsNaN(altitudeM) || altitudeM < -200 || altitudeM > 5000 {
		return math.NaN(), fmt.Errorf("%w: altitude %g m out of range", ErrFieldInput, altitudeM)
	}
	row := baseTempTable[z[1]]
	switch {
	case altitudeM < 400:
		return row[0], nil
	case altitudeM <= 800:
		return row[1], nil
	default:
		return row[2], nil
	}
}

// DefaultLapseRateKPerM is the decrease of near-surface air temperature with
// altitude used to move a weather station's temperatures to a territory,
// K/m. 0.005 K/m (0.5 K per 100 m): the step of the 3CL base-temperature
// table (2 K per 400 m), inside the annual-mean range 0.45–0.65 K/100 m
// measured in the Alps (Rolland 2003, "Spatial and seasonal variations of
// air temperature lapse rates in Alpine regions", J. Climate 16(7),
// doi:10.1175/1520-0442(2003)016<1032:SASVOA>2.0.CO;2; winter rates are at
// the low end).
const DefaultLapseRateKPerM = 0.005

// ShiftTemperatures returns tempC shifted by deltaK (°C; new slice). Use it
// to move a station series to a territory: deltaK = −lapse × (territory
// altitude − station altitude) (TerritoryShiftK), or the difference of the
// territory's and the station's mean temperature read from a temperature
// field (gridded climatology), which also carries latitude and urban
// effects.
func ShiftTemperatures(tempC []float64, deltaK float64) []float64 {
	out := make([]float64, len(tempC))
	for i, t := range tempC {
		out[i] = t + deltaK
	}
	return out
}

// TerritoryShiftK returns the temperature shift, K, from a station at
// stationAltM to a territory whose heated buildings sit at a mean
// territoryAltM (both m), for a lapse rate lapseKPerM (K/m, > 0): −lapse ×
// (territory − station). Errors on NaN altitudes: an unknown altitude must
// not silently mean "same as the station".
func TerritoryShiftK(stationAltM, territoryAltM, lapseKPerM float64) (float64, error) {
	if math.IsNaN(stationAltM) || math.IsNaN(territoryAltM) {
		return 0, fmt.Errorf("%w: station or territory altitude unknown", ErrFieldInput)
	}
	if !(lapseKPerM > 0 && lapseKPerM < 0.02) {
		return 0, fmt.Errorf("%w: lapse rate %g K/m out of (0, 0.02)", ErrFieldInput, lapseKPerM)
	}
	return -lapseKPerM * (territoryAltM - stationAltM), nil
}

// DegreeHours returns Σ max(0, base − T)·Δt over the series, K·h, scaled
// to a 365-day year (8,760 h / (n·Δt)); divide by 24 for degree-days. tempC
// are interval means at step stepH hours.
func DegreeHours(tempC []float64, stepH, baseC float64) (float64, error) {
	if len(tempC) == 0 || !(stepH > 0 && stepH <= 24) {
		return 0, fmt.Errorf("%w: empty series or step %g h", ErrFieldInput, stepH)
	}
	s := 0.0
	for i, t := range tempC {
		if math.IsNaN(t) || t < -80 || t > 70 {
			return 0, fmt.Errorf("%w: temperature[%d] = %g °C missing or out of range", ErrFieldInput, i, t)
		}
		if t < baseC {
			s += baseC - t
		}
	}
	return s * stepH * 8760 / (float64(len(tempC)) * stepH), nil
}

// TerritoryAltitudeM returns the footprint-weighted median ground altitude
// of the heated buildings (m), the altitude at which the territory's
// degree-days and base temperature are read, and how many buildings had no
// altitude (NaN, skipped and counted, never taken as 0). altM and weights
// are parallel; weights ≤ 0 are skipped. Errors when no building has an
// altitude.
func TerritoryAltitudeM(altM, weights []float64) (float64, int, error) {
	if len(altM) != len(weights) {
		return math.NaN(), 0, fmt.Errorf("%w: %d altitudes for %d weights", ErrFieldInput, len(altM), len(weights))
	}
	type aw struct{ a, w float64 }
	var xs []aw
	missing := 0
	total := 0.0
	for i, a := range altM {
		if !(weights[i] > 0) {
			continue
		}
		if math.IsNaN(a) || a < -200 || a > 5000 {
			missing++
			continue
		}
		xs = append(xs, aw{a, weights[i]})
		total += weights[i]
	}
	if len(xs) == 0 {
		return math.NaN(), missing, fmt.Errorf("%w: no building with a known altitude", ErrFieldInput)
	}
	slices.SortFunc(xs, func(p, q aw) int { return cmp.Compare(p.a, q.a) })
	acc := 0.0
	for _, x := range xs {
		acc += x.w
		if acc >= total/2 {
			return x.a, missing, nil
		}
	}
	return xs[len(xs)-1].a, missing, nil
}

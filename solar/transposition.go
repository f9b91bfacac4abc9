package solar

import (
	"fmt"
	"math"
)

// Transposition selects the sky-diffuse transposition model.
type Transposition int

const (
	// Perez is Perez et al. 1990 with the all-sites composite coefficients
	// (the default, as PVWatts and pvlib's perez()).
	Perez Transposition = iota
	// HayDavies is Hay & Davies 1980 (isotropic + circumsolar).
	HayDavies
	// Isotropic is Liu & Jordan 1963 (isotropic sky).
	Isotropic
)

func (t Transposition) String() string {
	switch t {
	case Perez:
		return "perez"
	case HayDavies:
		return "haydavies"
	case Isotropic:
		return "isotropic"
	}
	return fmt.Sprintf("Transposition(%d)", int(t))
}

// ParseTransposition parses "perez", "haydavies" or "isotropic".
func ParseTransposition(s string) (Transposition, error) {
	switch s {
	case "perez", "":
		return Perez, nil
	case "haydavies", "hay-davies", "hay_davies":
		return HayDavies, nil
	case "isotropic":
		return Isotropic, nil
	}
	return 0, fmt.Errorf("unknown transposition model %q (want perez, haydavies or isotropic)", s)
}

// DefaultAlbedo is the ground reflectance used by PVWatts and PVGIS (0.2).
const DefaultAlbedo = 0.2

// IsotropicSky returns the sky-diffuse irradiance on a tilted plane (W/m²)
// for an isotropic sky (Liu & Jordan 1963): DHI·(1+cos β)/2 (pvlib
// irradiance.isotropic).
func IsotropicSky(tiltDeg, dhiWm2 float64) float64 {
	return dhiWm2 * (1 + math.Cos(tiltDeg*deg2rad)) / 2
}

// GroundDiffuse returns the ground-reflected irradiance on a tilted plane
// (W/m²): GHI·albedo·(1−cos β)/2 (pvlib irradiance.get_ground_diffuse).
func GroundDiffuse(tiltDeg, ghiWm2, albedo float64) float64 {
	return ghiWm2 * albedo * (1 - math.Cos(tiltDeg*deg2rad)) / 2
}

// BeamPOA returns the beam irradiance on the plane (W/m²): DNI·max(cos AOI, 0).
func BeamPOA(tiltDeg, surfAzDeg, zenithDeg, sunAzDeg, dniWm2 float64) float64 {
	return dniWm2 * math.Max(CosAOI(tiltDeg, surfAzDeg, zenithDeg, sunAzDeg), 0)
}

// HayDaviesSky returns the sky-diffuse irradiance on a tilted plane (W/m²),
// Hay & Davies 1980 ("Calculation of the solar radiation incident on an
// inclined surface", Proc. First Canadian Solar Radiation Data Workshop):
// anisotropy index AI = DNI/DNI_extra splits DHI into a circumsolar part
// (projected like beam, Rb = cos AOI / max(cos z, cos 89°)) and an isotropic
// part. Matches pvlib irradiance.haydavies (zenith: pvlib tests use the
// apparent zenith).
func HayDaviesSky(tiltDeg, surfAzDeg, dhiWm2, dniWm2, dniExtraWm2, zenithDeg, sunAzDeg float64) float64 {
	cosTT := math.Max(CosAOI(tiltDeg, surfAzDeg, zenithDeg, sunAzDeg), 0)
	rb := cosTT / math.Max(math.Cos(zenithDeg*deg2rad), 0.01745)
	ai := dniWm2 / dniExtraWm2
	iso := math.Max(dhiWm2*(1-ai)*0.5*(1+math.Cos(tiltDeg*deg2rad)), 0)
	circ := math.Max(dhiWm2*ai*rb, 0)
	return iso + circ
}

// perezBins are the upper bounds of the Perez sky-clearness (ε) bins 1–7;
// bin 8 is ε ≥ 6.2 (Perez et al. 1990, Table 1).
var perezBins = [7]float64{1.065, 1.23, 1.5, 1.95, 2.8, 4.5, 6.2}

// perezF1, perezF2: all-sites composite coefficients (f11 f12 f13; f21 f22
// f23) per clearness bin, Perez et al. 1990 Table 6, as pvlib
// 'allsitescomposite1990' (the PVWatts/SAM default set).
var perezF1 = [8][3]float64{
	{-0.0080, 0.5880, -0.0620},
	{0.1300, 0.6830, -0.1510},
	{0.3300, 0.4870, -0.2210},
	{0.5680, 0.1870, -0.2950},
	{0.8730, -0.3920, -0.3620},
	{1.1320, -1.2370, -0.4120},
	{1.0600, -1.6000, -0.3590},
	{0.6780, -0.3270, -0.2500},
}
var perezF2 = [8][3]float64{
	{-0.0600, 0.0720, -0.0220},
	{-0.0190, 0.0660, -0.0290},
	{0.0550, -0.0640, -0.0260},
	{0.1090, -0.1520, -0.0140},
	{0.2260, -0.4620, 0.0010},
	{0.2880, -0.8230, 0.0560},
	{0.2640, -1.1270, 0.1310},
	{0.1560, -1.3770, 0.2510},
}

// PerezCoefficients returns the plane-independent Perez brightness
// coefficients F1 (circumsolar, clipped at 0) and F2 (horizon brightening)
// for one sky state: Perez, Ineichen, Seals, Michalsky & Stewart 1990,
// "Modeling daylight availability and irradiance components from direct and
// global irradiance", Solar Energy 44(5):271–289,
// doi:10.1016/0038-092X(90)90055-H, all-sites composite coefficients.
// Clearness ε = ((DHI+DNI)/DHI + κ z³)/(1 + κ z³), κ = 1.041, z in radians;
// brightness Δ = DHI·AM/DNI_extra (AM relative airmass). ok is false when
// DHI ≤ 0 or the inputs are not finite (the sky diffuse is then 0).
func PerezCoefficients(dhiWm2, dniWm2, dniExtraWm2, zenithDeg, airmass float64) (f1, f2 float64, ok bool) {
	if !(dhiWm2 > 0) || math.IsNaN(dniWm2) || math.IsNaN(airmass) || math.IsNaN(zenithDeg) {
		return 0, 0, false
	}
	const kappa = 1.041
	z := zenithDeg * deg2rad
	kz3 := kappa * z * z * z
	eps := ((dhiWm2+dniWm2)/dhiWm2 + kz3) / (1 + kz3)
	if !(eps >= 0) {
		return 0, 0, false
	}
	bin := 7
	for i, ub := range perezBins {
		if eps < ub {
			bin = i
			break
		}
	}
	delta := dhiWm2 * airmass / dniExtraWm2
	c1, c2 := perezF1[bin], perezF2[bin]
	f1 = math.Max(c1[0]+c1[1]*delta+c1[2]*z, 0)
	f2 = c2[0] + c2[1]*delta + c2[2]*z
	return f1, f2, true
}

// cos85 is the lower bound on cos z in the Perez circumsolar ratio (pvlib).
var cos85 = math.Cos(85 * deg2rad)

// PerezSky returns the sky-diffuse irradiance on a tilted plane (W/m²) with
// the Perez 1990 model (see PerezCoefficients):
// DHI·max(0, (1−F1)(1+cos β)/2 + F1·max(cos AOI,0)/max(cos z, cos 85°) + F2 sin β).
// Matches pvlib irradiance.perez(model='allsitescomposite1990'); airmass is
// the relative airmass (pvlib tests use Kasten–Young on the apparent zenith).
func PerezSky(tiltDeg, surfAzDeg, dhiWm2, dniWm2, dniExtraWm2, zenithDeg, sunAzDeg, airmass float64) float64 {
	f1, f2, ok := PerezCoefficients(dhiWm2, dniWm2, dniExtraWm2, zenithDeg, airmass)
	if !ok {
		return 0
	}
	a := math.Max(CosAOI(tiltDeg, surfAzDeg, zenithDeg, sunAzDeg), 0)
	b := math.Max(math.Cos(zenithDeg*deg2rad), cos85)
	st, ct := math.Sincos(tiltDeg * deg2rad)
	return math.Max(dhiWm2*(0.5*(1-f1)*(1+ct)+f1*a/b+f2*st), 0)
}

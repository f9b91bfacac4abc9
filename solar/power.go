package solar

import "math"

// PVWattsDCOptions are the optional PVWatts v8 DC adjustments (pvlib
// pvsystem.pvwatts_dc): K is Marion's low-light relative efficiency
// coefficient (0 = off); CapAdjustment applies the K adjustment only at and
// below 1000 W/m².
type PVWattsDCOptions struct {
	K             float64
	CapAdjustment bool
}

// PVWattsDC returns the DC power (W, same unit as pdc0) of the PVWatts model
// (Dobos 2014, NREL/TP-6A20-62641, eq. 4; pvlib pvsystem.pvwatts_dc):
// P = G/1000 · P0 · (1 + γ(Tcell − 25)), γ in 1/°C (PVWatts v5 standard
// module −0.0047, v8 −0.0037), G the POA irradiance transmitted through the
// cover (W/m²). With o.K > 0 Marion's low-light loss is subtracted:
// P0·K·(1−(1−G/200)⁴) below 200 W/m², P0·K·(1000−G)/800 above, and the
// result is clipped at 0.
func PVWattsDC(gEffWm2, tempCellC, pdc0, gammaPerC float64, o PVWattsDCOptions) float64 {
	p := gEffWm2 * 0.001 * pdc0 * (1 + gammaPerC*(tempCellC-25))
	if o.K != 0 {
		var e float64
		if gEffWm2 <= 200 {
			x := 1 - gEffWm2/200
			e = o.K * (1 - x*x*x*x)
		} else {
			e = o.K * (1000 - gEffWm2) / 800
		}
		if o.CapAdjustment && gEffWm2 > 1000 {
			e = 0
		}
		p = math.Max(p-pdc0*e, 0)
	}
	return p
}

// PVWattsInverterEtaRef is the reference efficiency of the PVWatts inverter
// part-load curve (Dobos 2014 eq. 5; pvlib default eta_inv_ref 0.9637).
const PVWattsInverterEtaRef = 0.9637

// PVWattsInverter returns the AC power (W) of the PVWatts inverter model
// (Dobos 2014 §4, eq. 5–6; ssc cmod_pvwattsv5; pvlib inverter.pvwatts):
// with ζ = Pdc/Pdc0 and Pdc0 = Pac0/η_nom the DC input limit,
// η = η_nom/0.9637·(−0.0162ζ − 0.0059/ζ + 0.9858), Pac = η·Pdc clipped to
// [0, η_nom·Pdc0]. pdc0Limit is Pdc0 (W), etaNom the nominal efficiency
// (fraction, PVWatts default 0.96).
func PVWattsInverter(pdcW, pdc0Limit, etaNom float64) float64 {
	if !(pdcW > 0) {
		return 0
	}
	z := pdcW / pdc0Limit
	eta := etaNom / PVWattsInverterEtaRef * (-0.0162*z - 0.0059/z + 0.9858)
	ac := eta * pdcW
	return math.Max(math.Min(ac, etaNom*pdc0Limit), 0)
}

// PVWattsLossesPct is the PVWatts default loss breakdown (Dobos 2014 Table 4;
// PVWatts web calculator): soiling 2, shading 3, snow 0, mismatch 2, wiring 2,
// connections 0.5, light-induced degradation 1.5, nameplate 1, age 0,
// availability 3 (%).
var PVWattsLossesPct = map[string]float64{
	"soiling": 2, "shading": 3, "snow": 0, "mismatch": 2, "wiring": 2,
	"connections": 0.5, "lid": 1.5, "nameplate_rating": 1, "age": 0, "availability": 3,
}

// CombineLossesPct combines independent losses (%) multiplicatively:
// 100·(1 − Π(1 − l_i/100)) (Dobos 2014 eq. 2; pvlib pvsystem.pvwatts_losses).
// The PVWatts defaults give 14.0757 %.
func CombineLossesPct(lossesPct ...float64) float64 {
	k := 1.0
	for _, l := range lossesPct {
		k *= 1 - l/100
	}
	return 100 * (1 - k)
}

// HuldCoefficients are the k1..k6 of the Huld et al. 2011 PV power model.
type HuldCoefficients [6]float64

// HuldCSi are the crystalline-silicon coefficients used by PVGIS 5 (Huld et
// al. 2011 as updated for PVGIS 5, EU JRC PVGIS documentation).
var HuldCSi = HuldCoefficients{-0.017237, -0.040465, -0.004702, 0.000149, 0.000170, 0.000005}

// HuldPower returns the DC power (W, same unit as p0) of the PVGIS power model
// of Huld et al. 2011 (Solar Energy 85(5), doi:10.1016/j.solener.2011.02.013):
// P = G′·P0·(1 + k1 ln G′ + k2 ln²G′ + k3 T′ + k4 T′ ln G′ + k5 T′ ln²G′ + k6 T′²),
// G′ = G/1000 (G in-plane irradiance after reflection losses, W/m²),
// T′ = Tmodule − 25 °C. 0 for G ≤ 0; clipped at 0.
func HuldPower(gEffWm2, tempModuleC, p0 float64, k HuldCoefficients) float64 {
	if !(gEffWm2 > 0) {
		return 0
	}
	g := gEffWm2 / 1000
	lg := math.Log(g)
	t := tempModuleC - 25
	eff := 1 + k[0]*lg + k[1]*lg*lg + k[2]*t + k[3]*t*lg + k[4]*t*lg*lg + k[5]*t*t
	return math.Max(g*p0*eff, 0)
}

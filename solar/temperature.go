package solar

import "math"

// Faiman returns the module temperature (°C) with the Faiman 2008 model
// ("Assessing the outdoor operating temperature of photovoltaic modules",
// Progress in Photovoltaics 16(4):307–315, doi:10.1002/pip.813), adopted by
// IEC 61853 and PVGIS: T = Tair + G/(u0 + u1·ws), G plane-of-array W/m²,
// u0 in W/m²K, u1 in W·s/m³K, ws wind m/s (pvlib temperature.faiman).
func Faiman(poaWm2, tempAirC, windMS, u0, u1 float64) float64 {
	return tempAirC + poaWm2/(u0+u1*math.Max(windMS, 0))
}

// Faiman coefficients.
const (
	// FaimanU0Free, FaimanU1Free: Faiman's fit for 7 c-Si modules on an open
	// rack (pvlib defaults, u0 25 W/m²K, u1 6.84 W·s/m³K), used here for
	// free-standing PVGIS systems as the brief asks.
	FaimanU0Free = 25.0
	FaimanU1Free = 6.84
	// FaimanU0Roof, FaimanU1Roof: building-integrated / roof values.
	// PVGIS 5 documents lower heat-loss coefficients for building-integrated
	// c-Si; the values here (u0 20 W/m²K, u1 0) are recalled from the PVGIS 5
	// "PV performance" methods page and could NOT be verified with the search
	// tool in this session — treat them as provisional and override with
	// System.FaimanU0/U1 when a checked value is available.
	FaimanU0Roof = 20.0
	FaimanU1Roof = 0.0
)

// SAPMParams are the Sandia Array Performance Model temperature coefficients
// (King, Boyson & Kratochvil 2004, SAND2004-3535): a (dimensionless),
// b (s/m), ΔT (°C, cell minus back-of-module at 1000 W/m²).
type SAPMParams struct{ A, B, DeltaT float64 }

// SAPM coefficient sets (pvlib TEMPERATURE_MODEL_PARAMETERS['sapm']).
var (
	SAPMOpenRackGlassGlass     = SAPMParams{-3.47, -0.0594, 3}
	SAPMCloseMountGlassGlass   = SAPMParams{-2.98, -0.0471, 1}
	SAPMOpenRackGlassPolymer   = SAPMParams{-3.56, -0.0750, 3}
	SAPMInsulatedBackGlassPoly = SAPMParams{-2.81, -0.0455, 0}
)

// SAPMModule returns the back-of-module temperature (°C):
// Tm = G·exp(a + b·ws) + Tair (pvlib temperature.sapm_module).
func SAPMModule(poaWm2, tempAirC, windMS float64, p SAPMParams) float64 {
	return poaWm2*math.Exp(p.A+p.B*windMS) + tempAirC
}

// SAPMCell returns the cell temperature (°C): Tc = Tm + G/1000·ΔT
// (pvlib temperature.sapm_cell).
func SAPMCell(poaWm2, tempAirC, windMS float64, p SAPMParams) float64 {
	return SAPMModule(poaWm2, tempAirC, windMS, p) + poaWm2/1000*p.DeltaT
}

// NOCTSAM returns the cell temperature (°C) of SAM's "NOCT cell temperature
// model" (Gilman et al. 2018, SAM Photovoltaic Model Technical Reference
// Update, NREL/TP-6A20-67399, eq. 10.37; pvlib temperature.noct_sam) for a
// module with nominal operating cell temperature noctC, efficiency eta
// (fraction), τα = 0.9, array height 1 storey (wind factor 0.51) and a
// stand-off ≥ 3.5 in (no NOCT adjustment):
// T = Tair + G/800·(NOCT−20)·(1 − η/τα)·9.5/(5.7 + 3.8·0.51·ws).
func NOCTSAM(poaWm2, tempAirC, windMS, noctC, eta float64) float64 {
	const tauAlpha = 0.9
	init := poaWm2 / 800 * (noctC - 20)
	return tempAirC + init*(1-eta/tauAlpha)*9.5/(5.7+3.8*0.51*windMS)
}

// PVWatts installed nominal operating cell temperatures (Dobos 2014,
// NREL/TP-6A20-62641, and ssc cmod_pvwattsv5: inoct 45 °C open rack, 49 °C
// roof mount).
const (
	PVWattsINOCTOpenRackC  = 45.0
	PVWattsINOCTRoofMountC = 49.0
)

// FuentesPVWatts is the dynamic cell-temperature model used by PVWatts v5
// (Dobos 2014 §2.3: "the PVWatts cell temperature model ... Fuentes 1987,
// SAND85-0330"), transcribed from ssc lib_pvwatts.cpp pvwatts_celltemp:
// an energy balance of a module of installed NOCT inoct with convection
// (free + forced, wind scaled from 9.144 m to the 5 m array height by the
// 1/5 power law), radiation to sky and ground and thermal capacitance
// (11000 J/m²K, increased above INOCT 48 °C), integrated over the time step
// with an exponential solution and 10 fixed-point iterations. It carries
// state: call Step for consecutive sun-up steps in order.
type FuentesPVWatts struct {
	inoctK, height, dtimeH float64
	cap, convrt, tgrat     float64
	tmodo, suno            float64
}

// NewFuentesPVWatts prepares the model for an installed NOCT in °C and a
// time step in hours (1 for hourly data); array height 5 m as PVWatts.
func NewFuentesPVWatts(inoctC, dtimeH float64) *FuentesPVWatts {
	f := &FuentesPVWatts{}
	f.Reset(inoctC, dtimeH)
	return f
}

const (
	fuBoltz  = 0.00000005669
	fuAbsorb = 0.83
	fuEmmis  = 0.84
	fuXlen   = 0.5
)

// Reset re-initialises the model (state: module at 20 °C, no previous sun).
func (f *FuentesPVWatts) Reset(inoctC, dtimeH float64) {
	inoct := inoctC + 273.15
	*f = FuentesPVWatts{inoctK: inoct, height: 5, dtimeH: dtimeH, tmodo: 293.15}
	windmd := 1.0
	tave := (inoct + 293.15) / 2
	denair := 0.003484 * 101325.0 / tave
	visair := 0.24237e-6 * math.Pow(tave, 0.76) / denair
	conair := 2.1695e-4 * math.Pow(tave, 0.84)
	reynld := windmd * fuXlen / visair
	hforce := 0.8600 / math.Sqrt(reynld) * denair * windmd * 1007.0 / math.Pow(0.71, 0.67)
	grashf := 9.8 / tave * (inoct - 293.15) * fuXlen * fuXlen * fuXlen / (visair * visair) * 0.5
	hfree := 0.21 * math.Pow(grashf*0.71, 0.32) * conair / fuXlen
	hconv := math.Cbrt(hfree*hfree*hfree + hforce*hforce*hforce)
	hgrnd := fuEmmis * fuBoltz * (inoct*inoct + 293.15*293.15) * (inoct + 293.15)
	i4, a4, s4 := math.Pow(inoct, 4), math.Pow(293.15, 4), math.Pow(282.21, 4)
	backrt := (fuAbsorb*800.0 - fuEmmis*fuBoltz*(i4-s4) - hconv*(inoct-293.15)) / ((hgrnd + hconv) * (inoct - 293.15))
	tgrnd := math.Pow(i4-backrt*(i4-a4), 0.25)
	tgrnd = math.Min(math.Max(tgrnd, 293.15), inoct)
	f.tgrat = (tgrnd - 293.15) / (inoct - 293.15)
	f.convrt = (fuAbsorb*800.0 - fuEmmis*fuBoltz*(2.0*i4-s4-math.Pow(tgrnd, 4))) / (hconv * (inoct - 293.15))
	f.cap = 11000.0
	if inoct > 321.15 {
		f.cap *= 1.0 + (inoct-321.15)/12.0
	}
}

// Step returns the cell temperature (°C) for one sun-up step with plane-of-
// array irradiance poa (W/m², before the cover's reflection losses, as
// PVWatts), wind (m/s at 10 m; negative treated as 0) and air temperature.
// With poa ≤ 0 it returns the air temperature and resets the state to it.
func (f *FuentesPVWatts) Step(poaWm2, windMS, tempAirC float64) float64 {
	if !(poaWm2 > 0) {
		f.tmodo = tempAirC + 273.15
		f.suno = 0
		return tempAirC
	}
	if windMS < 0 {
		windMS = 0
	}
	tamb := tempAirC + 273.15
	suun := poaWm2 * fuAbsorb
	tsky := 0.68*(0.0552*math.Pow(tamb, 1.5)) + 0.32*tamb
	windmd := windMS*math.Pow(f.height/9.144, 0.2) + 0.0001
	tmod := f.tmodo
	for j := 0; j < 10; j++ {
		tave := (tmod + tamb) / 2
		denair := 0.003484 * 101325.0 / tave
		visair := 0.24237e-6 * math.Pow(tave, 0.76) / denair
		conair := 2.1695e-4 * math.Pow(tave, 0.84)
		reynld := windmd * fuXlen / visair
		var hforce float64
		if reynld > 1.2e5 {
			hforce = 0.0282 / math.Pow(reynld, 0.2) * denair * windmd * 1007.0 / math.Pow(0.71, 0.4)
		} else {
			hforce = 0.8600 / math.Sqrt(reynld) * denair * windmd * 1007.0 / math.Pow(0.71, 0.67)
		}
		grashf := 9.8 / tave * math.Abs(tmod-tamb) * fuXlen * fuXlen * fuXlen / (visair * visair) * 0.5
		hfree := 0.21 * math.Pow(grashf*0.71, 0.32) * conair / fuXlen
		hconv := f.convrt * math.Cbrt(hfree*hfree*hfree+hforce*hforce*hforce)
		hsky := fuEmmis * fuBoltz * (tmod*tmod + tsky*tsky) * (tmod + tsky)
		tgrnd := tamb + f.tgrat*(tmod-tamb)
		hgrnd := fuEmmis * fuBoltz * (tmod*tmod + tgrnd*tgrnd) * (tmod + tgrnd)
		eigen := -(hconv + hsky + hgrnd) / f.cap * f.dtimeH * 3600.0
		ex := 0.0
		if eigen > -10.0 {
			ex = math.Exp(eigen)
		}
		tmod = f.tmodo*ex + ((1.0-ex)*(hconv*tamb+hsky*tsky+hgrnd*tgrnd+f.suno+(suun-f.suno)/eigen)+suun-f.suno)/(hconv+hsky+hgrnd)
	}
	f.tmodo = tmod
	f.suno = suun
	return tmod - 273.15
}

package solar

import (
	"fmt"
	"math"
	"time"
)

// Plane is a roof or module plane: tilt from horizontal and azimuth
// clockwise from north (180 = south), degrees.
type Plane struct {
	TiltDeg, AzimuthDeg float64
}

// Model selects the PV power model.
type Model int

const (
	// ModelPVGIS: Martin–Ruiz reflection losses (beam and diffuse), Faiman
	// module temperature, Huld 2011 c-Si power, one system loss (default
	// 14 %) that includes the inverter, no clipping (as PVGIS PVcalc).
	ModelPVGIS Model = iota
	// ModelPVWatts: PVWatts v5 (Dobos 2014): physical-glass beam IAM,
	// dynamic (Fuentes) cell temperature with installed NOCT 45/49 °C,
	// PVWatts DC with γ, multiplicative system losses (default 14.08 %),
	// PVWatts inverter part-load curve and DC/AC clipping.
	ModelPVWatts
)

func (m Model) String() string {
	switch m {
	case ModelPVGIS:
		return "pvgis"
	case ModelPVWatts:
		return "pvwatts"
	}
	return fmt.Sprintf("Model(%d)", int(m))
}

// ParseModel parses "pvgis" or "pvwatts".
func ParseModel(s string) (Model, error) {
	switch s {
	case "pvgis", "":
		return ModelPVGIS, nil
	case "pvwatts":
		return ModelPVWatts, nil
	}
	return 0, fmt.Errorf("unknown PV model %q (want pvgis or pvwatts)", s)
}

// Mounting is the module mounting, which sets the thermal model's
// coefficients.
type Mounting int

const (
	// MountFree: free-standing / open rack.
	MountFree Mounting = iota
	// MountRoof: roof mount / building-integrated (less ventilated).
	MountRoof
)

func (m Mounting) String() string {
	if m == MountRoof {
		return "roof"
	}
	return "free"
}

// ParseMounting parses "free" (also "open-rack") or "roof".
func ParseMounting(s string) (Mounting, error) {
	switch s {
	case "free", "open-rack", "openrack", "":
		return MountFree, nil
	case "roof", "roof-mount", "building":
		return MountRoof, nil
	}
	return 0, fmt.Errorf("unknown mounting %q (want free or roof)", s)
}

// TempModel selects the cell/module temperature model.
type TempModel int

const (
	// TempDefault: Faiman for PVGIS, Fuentes (PVWatts v5) for PVWatts.
	TempDefault TempModel = iota
	TempFaiman
	TempSAPM
	TempFuentes
)

// System describes the PV system on a plane. Use DefaultSystem for the
// defaults of a model; fields are used as given.
type System struct {
	PeakPowerKW float64 // DC nameplate at STC, kWp
	Model       Model
	Mounting    Mounting
	// LossPct is the system loss in % (PVGIS: everything incl. inverter,
	// default 14; PVWatts: DC losses, default 14.08 = PVWattsLossesPct combined).
	LossPct float64
	// DCACRatio is DC nameplate / AC nameplate (PVWatts only, default 1.2).
	DCACRatio float64
	// InverterEffPct is the nominal inverter efficiency (PVWatts only, 96 %).
	InverterEffPct float64
	// GammaPerC is the PVWatts power temperature coefficient (1/°C), default
	// −0.0047 (PVWatts v5 standard module, which the NREL 8760 reference
	// output follows; PVWatts v8 uses −0.0037).
	GammaPerC float64
	TempModel TempModel
	// FaimanU0, FaimanU1 override the Faiman coefficients when > 0 / ≥ 0 and
	// FaimanSet is true.
	FaimanU0, FaimanU1 float64
	FaimanSet          bool
	// MartinRuizAr is the Martin–Ruiz a_r (PVGIS), default 0.16.
	MartinRuizAr float64
	// Hourly asks Annual for the per-step output in Result.Hourly.
	Hourly bool
}

// DefaultPVWattsLossPct is the PVWatts default system loss (14.08 % as the
// web calculator rounds CombineLossesPct of PVWattsLossesPct).
const DefaultPVWattsLossPct = 14.08

// DefaultPVGISLossPct is PVGIS's default system loss (14 %).
const DefaultPVGISLossPct = 14.0

// DefaultSystem returns a 1 kWp system with the defaults of model m.
func DefaultSystem(m Model, mount Mounting) System {
	s := System{PeakPowerKW: 1, Model: m, Mounting: mount, DCACRatio: 1.2, InverterEffPct: 96,
		GammaPerC: -0.0047, MartinRuizAr: MartinRuizAr}
	if m == ModelPVWatts {
		s.LossPct = DefaultPVWattsLossPct
	} else {
		s.LossPct = DefaultPVGISLossPct
	}
	return s
}

// Validate checks the system's values.
func (s System) Validate() error {
	switch {
	case !(s.PeakPowerKW > 0) || math.IsInf(s.PeakPowerKW, 0):
		return fmt.Errorf("peak power %g kW must be > 0", s.PeakPowerKW)
	case !(s.LossPct >= 0 && s.LossPct < 100):
		return fmt.Errorf("loss %g %% not in [0, 100)", s.LossPct)
	case s.Model == ModelPVWatts && !(s.DCACRatio > 0 && s.DCACRatio <= 10):
		return fmt.Errorf("DC/AC ratio %g not in (0, 10]", s.DCACRatio)
	case s.Model == ModelPVWatts && !(s.InverterEffPct > 50 && s.InverterEffPct <= 100):
		return fmt.Errorf("inverter efficiency %g %% not in (50, 100]", s.InverterEffPct)
	case s.Model != ModelPVGIS && s.Model != ModelPVWatts:
		return fmt.Errorf("unknown model %v", s.Model)
	}
	return nil
}

// Losses is the loss chain of a simulation, each step in % of the energy
// entering that step: horizon shading (of in-plane irradiation), IAM
// (reflection), spectral (not modelled: 0), temperature and low irradiance
// (DC vs. STC efficiency), system losses, inverter (conversion), clipping.
type Losses struct {
	HorizonPct     float64 `json:"horizon_shading_pct"`
	IAMPct         float64 `json:"iam_pct"`
	SpectralPct    float64 `json:"spectral_pct"`
	TemperaturePct float64 `json:"temperature_pct"`
	SystemPct      float64 `json:"system_pct"`
	InverterPct    float64 `json:"inverter_pct"`
	ClippingPct    float64 `json:"clipping_pct"`
}

// Monthly holds one calendar month's totals.
type Monthly struct {
	Month     int     `json:"month"`
	POAKWhM2  float64 `json:"poa_kwh_m2"`
	EnergyKWh float64 `json:"energy_kwh"`
}

// Step is one sun-up step of hourly output.
type Step struct {
	Start     time.Time // interval start, UTC
	Record    int       // index in the weather series
	POAWm2    float64   // in-plane irradiance after horizon shading
	EffWm2    float64   // after reflection (IAM)
	CellTempC float64
	DCW, ACW  float64
}

// Result is an annual simulation of one plane.
type Result struct {
	POAKWhM2            float64 // annual in-plane irradiation (after horizon shading, before IAM), kWh/m²
	POAUnshadedKWhM2    float64 // same without the horizon
	DCKWh               float64 // DC energy after system losses (PVWatts) / before (PVGIS: = AC)
	EnergyKWh           float64 // AC energy, kWh
	SpecificYieldKWhKWp float64
	Monthly             [12]Monthly
	Losses              Losses
	Hourly              []Step // only when System.Hourly
}

// POA is the plane-of-array irradiance of one step (W/m²).
type POA struct {
	Beam, SkyDiffuse, Ground, Global float64
}

// planeGeom holds the per-plane constants of the hot loop.
type planeGeom struct {
	nx, ny, nz float64
	iso, sinT  float64
	gnd        float64 // albedo·(1−cos β)/2
	svf        float64 // isotropic sky-view reduction by the horizon
	hasHorizon bool
}

func (k *Sky) geom(p Plane, h *Horizon) planeGeom {
	nx, ny, nz := unitVector(p.TiltDeg, p.AzimuthDeg)
	st, ct := math.Sincos(p.TiltDeg * deg2rad)
	g := planeGeom{nx: nx, ny: ny, nz: nz, iso: (1 + ct) / 2, sinT: st, gnd: k.Albedo * (1 - ct) / 2, svf: 1}
	if h != nil && len(h.ElevationDeg) > 0 {
		g.hasHorizon = true
		g.svf = h.SkyViewReduction(p.TiltDeg, p.AzimuthDeg)
	}
	return g
}

// poaAt returns beam, sky diffuse, ground and the unshaded total for step i.
func (k *Sky) poaAt(i int, g *planeGeom, h *Horizon) (beam, sky, gnd, unshaded float64) {
	c := g.nx*k.sx[i] + g.ny*k.sy[i] + g.nz*k.sz[i]
	if c < 0 {
		c = 0
	}
	dhi := k.dhi[i]
	f1 := k.f1[i]
	beam = k.dni[i] * c
	isoT := (1 - f1) * g.iso
	circ := f1 * c * k.invB[i]
	hor := k.f2[i] * g.sinT
	gnd = k.ghi[i] * g.gnd
	sky = dhi * (isoT + circ + hor)
	if sky < 0 {
		sky = 0
	}
	unshaded = beam + sky + gnd
	if g.hasHorizon {
		shade := 1.0
		if h.Blocked(k.azDeg[i], k.elDeg[i]) {
			shade = 0
		}
		beam *= shade
		sky = dhi * (isoT*g.svf + circ*shade + hor)
		if sky < 0 {
			sky = 0
		}
	}
	return beam, sky, gnd, unshaded
}

// PlaneIrradiance fills out (len ≥ k.Len()) with the plane-of-array
// irradiance of every sun-up step and returns the number written. Beam and
// the Perez/Hay–Davies circumsolar part are shaded when the sun is below the
// horizon h (nil: none); the isotropic part of the sky diffuse is reduced by
// h.SkyViewReduction.
func (k *Sky) PlaneIrradiance(p Plane, h *Horizon, out []POA) int {
	g := k.geom(p, h)
	n := min(len(out), k.Len())
	for i := 0; i < n; i++ {
		b, s, gr, _ := k.poaAt(i, &g, h)
		out[i] = POA{Beam: b, SkyDiffuse: s, Ground: gr, Global: b + s + gr}
	}
	return n
}

// AnnualPOA returns the annual in-plane irradiation (kWh/m²) with horizon
// shading, the cheapest per-plane summary (no allocation).
func (k *Sky) AnnualPOA(p Plane, h *Horizon) float64 {
	g := k.geom(p, h)
	sum := 0.0
	for i := range k.rec {
		b, s, gr, _ := k.poaAt(i, &g, h)
		sum += b + s + gr
	}
	return sum * k.StepH / 1000
}

// Annual simulates one plane for the whole series: POA (with horizon),
// reflection losses, temperature, DC, system losses, inverter and clipping
// according to sys.Model, and aggregates annual, monthly and loss figures.
// It allocates only when sys.Hourly is set. Call sys.Validate first for
// user-supplied systems (Annual returns a zero Result for invalid ones).
func (k *Sky) Annual(p Plane, h *Horizon, sys System) Result {
	var res Result
	for m := range res.Monthly {
		res.Monthly[m].Month = m + 1
	}
	if sys.Validate() != nil {
		return res
	}
	g := k.geom(p, h)
	p0 := sys.PeakPowerKW * 1000
	lossF := 1 - sys.LossPct/100
	dt := k.StepH

	// Reflection model.
	var tab *iamTable
	iamSky, iamGnd := 1.0, 1.0
	switch sys.Model {
	case ModelPVWatts:
		tab = pvwattsIAMTable()
	default:
		ar := sys.MartinRuizAr
		if !(ar > 0) {
			ar = MartinRuizAr
		}
		tab = martinRuizTable(ar)
		iamSky, iamGnd = MartinRuizDiffuse(p.TiltDeg, ar)
	}
	// Temperature model.
	tm := sys.TempModel
	if tm == TempDefault {
		if sys.Model == ModelPVWatts {
			tm = TempFuentes
		} else {
			tm = TempFaiman
		}
	}
	u0, u1 := FaimanU0Free, FaimanU1Free
	sapm := SAPMOpenRackGlassPolymer
	inoct := PVWattsINOCTOpenRackC
	if sys.Mounting == MountRoof {
		u0, u1 = FaimanU0Roof, FaimanU1Roof
		sapm = SAPMCloseMountGlassGlass
		inoct = PVWattsINOCTRoofMountC
	}
	if sys.FaimanSet {
		u0, u1 = sys.FaimanU0, sys.FaimanU1
	}
	var fu FuentesPVWatts
	if tm == TempFuentes {
		fu.Reset(inoct, dt)
	}
	// Inverter.
	acMax := p0 / sys.DCACRatio
	etaNom := sys.InverterEffPct / 100
	pdc0Inv := acMax / etaNom
	gamma := sys.GammaPerC
	if gamma == 0 {
		gamma = -0.0047
	}
	if sys.Hourly {
		res.Hourly = make([]Step, 0, k.Len())
	}

	var sPOA, sUnsh, sEff, sDCIdeal, sDCTemp, sDCNet, sACUnclip, sAC float64
	for i := range k.rec {
		beam, sky, gnd, unsh := k.poaAt(i, &g, h)
		poa := beam + sky + gnd
		c := g.nx*k.sx[i] + g.ny*k.sy[i] + g.nz*k.sz[i]
		var eff float64
		if sys.Model == ModelPVWatts {
			eff = poa
			if beam > 0 {
				eff = poa - (1-tab.at(c))*beam
				eff = math.Min(math.Max(eff, 0), poa)
			}
		} else {
			eff = beam*tab.at(c) + sky*iamSky + gnd*iamGnd
		}
		var tc float64
		switch tm {
		case TempFuentes:
			tc = fu.Step(poa, k.wind[i], k.tempC[i])
		case TempSAPM:
			tc = SAPMCell(poa, k.tempC[i], k.wind[i], sapm)
		default:
			tc = Faiman(poa, k.tempC[i], k.wind[i], u0, u1)
		}
		dcIdeal := p0 * eff / 1000
		var dcTemp, dcNet, acUn, ac float64
		if sys.Model == ModelPVWatts {
			dcTemp = dcIdeal * (1 + gamma*(tc-25))
			dcNet = dcTemp * lossF
			if dcNet > 0 {
				z := dcNet / pdc0Inv
				acUn = math.Max(etaNom/PVWattsInverterEtaRef*(-0.0162*z-0.0059/z+0.9858)*dcNet, 0)
			}
			ac = math.Min(acUn, acMax)
		} else {
			dcTemp = HuldPower(eff, tc, p0, HuldCSi)
			dcNet = dcTemp * lossF
			acUn, ac = dcNet, dcNet
		}
		sPOA += poa
		sUnsh += unsh
		sEff += eff
		sDCIdeal += dcIdeal
		sDCTemp += dcTemp
		sDCNet += dcNet
		sACUnclip += acUn
		sAC += ac
		m := k.month[i]
		res.Monthly[m].POAKWhM2 += poa
		res.Monthly[m].EnergyKWh += ac
		if sys.Hourly {
			res.Hourly = append(res.Hourly, Step{Start: k.start[i], Record: int(k.rec[i]), POAWm2: poa, EffWm2: eff, CellTempC: tc, DCW: dcNet, ACW: ac})
		}
	}
	res.POAKWhM2 = sPOA * dt / 1000
	res.POAUnshadedKWhM2 = sUnsh * dt / 1000
	res.DCKWh = sDCNet * dt / 1000
	res.EnergyKWh = sAC * dt / 1000
	res.SpecificYieldKWhKWp = res.EnergyKWh / sys.PeakPowerKW
	for m := range res.Monthly {
		res.Monthly[m].POAKWhM2 *= dt / 1000
		res.Monthly[m].EnergyKWh *= dt / 1000
	}
	lossPct := func(in, out float64) float64 {
		if in <= 0 {
			return 0
		}
		return 100 * (1 - out/in)
	}
	res.Losses = Losses{
		HorizonPct:     lossPct(sUnsh, sPOA),
		IAMPct:         lossPct(sPOA, sEff),
		TemperaturePct: lossPct(sDCIdeal, sDCTemp),
		SystemPct:      sys.LossPct,
		InverterPct:    lossPct(sDCNet, sACUnclip),
		ClippingPct:    lossPct(sACUnclip, sAC),
	}
	return res
}

// IAM tables are built once per model (and a_r) and shared read-only.
var (
	pvwTab  *iamTable
	mrTabs  = map[float64]*iamTable{}
	tabOnce = make(chan struct{}, 1)
)

func pvwattsIAMTable() *iamTable {
	tabOnce <- struct{}{}
	defer func() { <-tabOnce }()
	if pvwTab == nil {
		pvwTab = newIAMTable(IAMPVWatts)
	}
	return pvwTab
}

func martinRuizTable(ar float64) *iamTable {
	tabOnce <- struct{}{}
	defer func() { <-tabOnce }()
	t := mrTabs[ar]
	if t == nil {
		t = newIAMTable(func(a float64) float64 { return IAMMartinRuiz(a, ar) })
		mrTabs[ar] = t
	}
	return t
}

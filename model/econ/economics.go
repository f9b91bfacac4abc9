package econ

import (
	"errors"
	"fmt"
	"math"
)

// Economics is the financial and CO₂ summary of one installation over its
// lifetime, in nominal euros (prices escalate, tariffs are fixed nominal),
// discounted at the scenario's discount rate.
type Economics struct {
	// InvestmentEUR: up-front cost at t = 0, €.
	InvestmentEUR float64
	// AnnualSavingsEUR: avoided energy purchases in year 1, € (PV:
	// self-consumed kWh × retail price; heat pump: fuel bill avoided minus
	// electricity bought, maintenance difference included).
	AnnualSavingsEUR float64
	// AnnualRevenueEUR: energy sold in year 1, € (premiums excluded).
	AnnualRevenueEUR float64
	// SubsidyEUR: total self-consumption premium (S21), undiscounted, €.
	SubsidyEUR float64
	// AnnualOpexEUR: yearly operating cost, €.
	AnnualOpexEUR float64
	NPVEUR        float64
	// IRRPct: internal rate of return, %/yr; NaN when there is none.
	IRRPct float64
	// LCOEEURPerKWh: levelised cost of the energy produced (PV: electricity;
	// heat pump: delivered heat at year-1 electricity price), €/kWh; NaN
	// without energy.
	LCOEEURPerKWh float64
	// Paybacks, yr; +Inf when never paid back.
	SimplePaybackYr, DiscountedPaybackYr float64
	// CO2AvoidedKgYr: emissions avoided in year 1, kgCO₂e/yr.
	CO2AvoidedKgYr float64
	// Scheme names the support scheme / valuation applied.
	Scheme string
	// APERObligation is passed through from the options (car parks).
	APERObligation bool
}

// ErrEconomics marks invalid economics input.
var ErrEconomics = errors.New("invalid economics input")

// PVKind is the kind of PV installation.
type PVKind string

const (
	PVRooftop PVKind = "rooftop"
	PVGround  PVKind = "ground"
	PVCarport PVKind = "carport" // car-park canopy ("ombrière")
)

// Segment is the consumer segment: it selects the electricity price and
// the default self-consumption share.
type Segment string

const (
	SegmentResidential  Segment = "residential"
	SegmentTertiary     Segment = "tertiary"
	SegmentIndustrial   Segment = "industrial"
	SegmentAgricultural Segment = "agricultural"
)

// SaleMode selects how PV production is valued.
type SaleMode string

const (
	// SaleAuto: surplus sale with self-consumption where the S21 class
	// offers it (≤ 100 kWp), full sale otherwise (100–500 kWp S21 tariff,
	// above: tender price; ground-mounted: tender price).
	SaleAuto SaleMode = ""
	// SaleSurplus: self-consumption, surplus sold at the S21 surplus tariff
	// with the premium; where the class has no surplus tariff, the surplus
	// is valued at tariffs.post_contract_eur_per_kwh (market value).
	SaleSurplus SaleMode = "surplus"
	// SaleFull: all production sold at the full-sale tariff (S21 class) or
	// the tender price.
	SaleFull SaleMode = "full"
)

// PVEconomicsOptions describe one PV installation.
type PVEconomicsOptions struct {
	Kind    PVKind  // default rooftop
	Segment Segment // default residential
	// KWp: installed peak power, kWp; YieldKWhYr1: production of year 1, kWh.
	KWp, YieldKWhYr1 float64
	// SelfConsumptionShare: share (0–1) of production consumed on site; nil
	// = the scenario's default for the segment.
	SelfConsumptionShare *float64
	Sale                 SaleMode
	// APERObligation marks a car park subject to the APER law (passed
	// through to the result).
	APERObligation bool
}

// PVTerms are the resolved prices of one PV installation.
type PVTerms struct {
	capexPerKWp   float64 // €/kWp
	opexFrac      float64 // fraction of CAPEX per year
	selfShare     float64 // share valued at the retail price
	retail        float64 // €/kWh, year 1, escalating
	tariff        float64 // €/kWh on the non-self-consumed share, during the contract
	post          float64 // €/kWh after the contract
	premiumPerKWp float64 // €/kWp, total
	premiumYears  int
	scheme        string
}

// ResolvePV applies the scenario's rules to an installation of kWp. It does
// not allocate (called per Monte Carlo draw).
//
// Simplifications (documented for reports): S21 tariffs are taken as fixed
// nominal for the contract (the real contracts are indexed); the premium is
// paid in equal yearly parts (≤ 9 kWp: once, 9–100 kWp: over 5 years);
// the 100–500 kWp class is valued at its last open-window full-sale tariff
// (since 1 July 2025 it goes through simplified tenders); above 500 kWp,
// tender prices are scenario assumptions; VAT and income tax are ignored
// (CAPEX ≤ 9 kWp is TTC, larger HT).
func ResolvePV(sc *Params, o *PVEconomicsOptions, kWp float64) (PVTerms, error) {
	var t PVTerms
	pv, tf := &sc.PV, &sc.Tariffs
	t.post = tf.PostContractEURPerKWh.Value
	switch o.Segment {
	// Residential and industrial rooftops have no flat share: their
	// self-consumption comes from an hourly load (OwnerEconomics), passed
	// here as SelfConsumptionShare; without it, nothing is self-consumed.
	case SegmentResidential, "":
		t.retail = sc.Prices.ElectricityResidential.Value
	case SegmentTertiary:
		t.retail = sc.Prices.ElectricityNonResidential.Value
		t.selfShare = pv.SelfConsumption.Tertiary.Value
	case SegmentIndustrial:
		t.retail = sc.Prices.ElectricityNonResidential.Value
	case SegmentAgricultural:
		t.retail = sc.Prices.ElectricityNonResidential.Value
		t.selfShare = pv.SelfConsumption.Agricultural.Value
	default:
		return t, fmt.Errorf("%w: segment %q: want residential, tertiary, industrial or agricultural", ErrEconomics, o.Segment)
	}
	if o.SelfConsumptionShare != nil {
		t.selfShare = *o.SelfConsumptionShare
	}
	if o.Sale != SaleAuto && o.Sale != SaleSurplus && o.Sale != SaleFull {
		return t, fmt.Errorf("%w: sale mode %q: want surplus or full", ErrEconomics, o.Sale)
	}
	t.premiumYears = 1
	switch o.Kind {
	case PVGround:
		t.capexPerKWp = pv.CapexGround.Value
		t.opexFrac = pv.OpexGroundPctCapexYr.Value / 100
		if o.Sale == SaleSurplus {
			t.tariff, t.scheme = t.post, "ground: self-consumption, surplus at market value"
		} else {
			t.selfShare, t.tariff, t.scheme = 0, tf.TenderGroundEURPerKWh.Value, "ground: tender price, full sale"
		}
		return t, nil
	case PVRooftop, "":
		t.capexPerKWp = rooftopCapexPerKWp(pv.CapexRooftopPoints, kWp)
	case PVCarport:
		t.capexPerKWp = pv.CapexCarport.Value
	default:
		return t, fmt.Errorf("%w: PV kind %q: want rooftop, ground or carport", ErrEconomics, o.Kind)
	}
	t.opexFrac = pv.OpexPctCapexYr.Value / 100
	cls, ok := s21For(tf.S21, kWp)
	switch {
	case !ok: // above a bounded last class: no support, surplus at market value
		t.tariff, t.scheme = t.post, "above S21: self-consumption, surplus at market value"
	case o.Sale == SaleFull || (o.Sale == SaleAuto && cls.SurplusEURPerKWh == 0):
		t.selfShare, t.tariff, t.scheme = 0, cls.FullSaleEURPerKWh, "S21 full sale"
	case cls.SurplusEURPerKWh == 0: // surplus asked, class has none
		t.tariff, t.scheme = t.post, "S21 class without surplus tariff: self-consumption, surplus at market value"
	default:
		t.tariff, t.scheme = cls.SurplusEURPerKWh, "S21 self-consumption + surplus sale + premium"
		t.premiumPerKWp, t.premiumYears = cls.PremiumEURPerKWp, cls.PremiumYears
	}
	return t, nil
}

// rooftopCapexPerKWp returns the €/kWp HT of a kWp rooftop system on the
// power law fitted through the price points (FitCapexCurve; cached per
// point list): continuous in kWp.
func rooftopCapexPerKWp(pts []CapexPricePoint, kWp float64) float64 {
	c, err := cachedCapexCurve(pts)
	if err != nil { // validated by the scenario; keep a finite value
		return math.NaN()
	}
	return 1000 * c.EURPerWpHT(kWp)
}

func s21For(classes []S21Class, kWp float64) (S21Class, bool) {
	for _, c := range classes {
		if c.MaxKWp == 0 || kWp <= c.MaxKWp {
			return c, true
		}
	}
	return S21Class{}, false
}

// PVAnnuities are the discounted sums that make the PV NPV a closed form,
// with v = 1/(1+d), δ the degradation, e the retail escalation, L the
// lifetime, C the contract length, R the inverter-replacement year:
//
//	Ae = Σ_{t=1..L} ((1−δ)(1+e))^(t−1) v^t   (self-consumption savings)
//	Ac = Σ_{t=1..min(C,L)} (1−δ)^(t−1) v^t     (tariff during the contract)
//	Ap = Σ_{t=C+1..L} (1−δ)^(t−1) v^t          (after the contract)
//	A1 = Σ_{t=1..L} v^t                         (flat opex)
//	VR = v^R if 0 < R < L, else 0               (inverter replacement)
type PVAnnuities struct {
	Ae, Ac, Ap, A1, VR float64
	v                  float64
	L                  int
}

func NewPVAnnuities(sc *Params, escalationPct float64) PVAnnuities {
	v := 1 / (1 + sc.Finance.DiscountRatePct.Value/100)
	deg := 1 - sc.PV.DegradationPctYr.Value/100
	ge := deg * (1 + escalationPct/100)
	L := int(sc.PV.LifetimeYr.Value)
	C := int(sc.Tariffs.ContractYears.Value)
	R := int(sc.PV.InverterReplacementYr.Value)
	a := PVAnnuities{v: v, L: L}
	vt, gd, g := 1.0, 1.0, 1.0
	for t := 1; t <= L; t++ {
		vt *= v
		a.Ae += g * vt
		if t <= C {
			a.Ac += gd * vt
		} else {
			a.Ap += gd * vt
		}
		a.A1 += vt
		if t == R && R < L {
			a.VR = vt
		}
		g *= ge
		gd *= deg
	}
	return a
}

// PremiumAnnuity is (1/n) Σ_{t=1..min(n,L)} v^t.
func (a *PVAnnuities) PremiumAnnuity(n int) float64 {
	s, vt := 0.0, 1.0
	for t := 1; t <= n && t <= a.L; t++ {
		vt *= a.v
		s += vt
	}
	return s / float64(n)
}

// npv is the closed-form PV NPV (equal to NPV of pvCashFlows; tested).
func (t *PVTerms) npv(a *PVAnnuities, sc *Params, kWp, yieldKWh float64) float64 {
	capex := t.capexPerKWp * kWp
	return -capex +
		yieldKWh*(t.selfShare*t.retail*a.Ae+(1-t.selfShare)*(t.tariff*a.Ac+t.post*a.Ap)) +
		t.premiumPerKWp*kWp*a.PremiumAnnuity(t.premiumYears) -
		t.opexFrac*capex*a.A1 -
		t.inverterPerKWp(sc)*kWp*a.VR
}

// inverterPerKWp is the inverter replacement cost, €/kWp: the scenario's
// share of the capex.
func (t *PVTerms) inverterPerKWp(sc *Params) float64 {
	return sc.PV.InverterCostPctCapex.Value / 100 * t.capexPerKWp
}

// InverterPerKWp is the inverter replacement cost of these terms, €/kWp.
func (t *PVTerms) InverterPerKWp(sc *Params) float64 { return t.inverterPerKWp(sc) }

// pvCashFlows returns the yearly cash flows (cf[0] = −CAPEX):
//
//	cf[t] = s·E_t·p·(1+e)^(t−1) + (1−s)·E_t·(tariff if t ≤ C else post)
//	        + premium·kWp/n (t ≤ n) − opex − inverter (t = R)
//
// with E_t = E1·(1−δ)^(t−1).
func pvCashFlows(sc *Params, t *PVTerms, kWp, yieldKWh float64) []float64 {
	L := int(sc.PV.LifetimeYr.Value)
	C := int(sc.Tariffs.ContractYears.Value)
	R := int(sc.PV.InverterReplacementYr.Value)
	deg := 1 - sc.PV.DegradationPctYr.Value/100
	esc := 1 + sc.Prices.ElectricityEscalationPct.Value/100
	capex := t.capexPerKWp * kWp
	cf := make([]float64, L+1)
	cf[0] = -capex
	e, p := yieldKWh, t.retail
	for y := 1; y <= L; y++ {
		sale := t.post
		if y <= C {
			sale = t.tariff
		}
		c := t.selfShare*e*p + (1-t.selfShare)*e*sale - t.opexFrac*capex
		if y <= t.premiumYears {
			c += t.premiumPerKWp * kWp / float64(t.premiumYears)
		}
		if y == R && R < L {
			c -= t.inverterPerKWp(sc) * kWp
		}
		cf[y] = c
		e *= deg
		p *= esc
	}
	return cf
}

// PVEconomics returns the economics of a PV installation (rooftop,
// ground-mounted or car-park canopy) under the scenario: CAPEX by size
// class, OPEX, inverter replacement, S21 tariff/premium or tender price
// (see ResolvePV for the rules and simplifications), degradation, retail
// price escalation; NPV, IRR and paybacks through finance.go.
func PVEconomics(sc *Params, o PVEconomicsOptions) (Economics, error) {
	if !(o.KWp >= 0) || math.IsInf(o.KWp, 0) || !(o.YieldKWhYr1 >= 0) || math.IsInf(o.YieldKWhYr1, 0) {
		return Economics{}, fmt.Errorf("%w: kWp %g and yield %g kWh/yr must be finite and ≥ 0", ErrEconomics, o.KWp, o.YieldKWhYr1)
	}
	if s := o.SelfConsumptionShare; s != nil && !(*s >= 0 && *s <= 1) {
		return Economics{}, fmt.Errorf("%w: self-consumption share %g must be in [0, 1]", ErrEconomics, *s)
	}
	if sc.PV.LifetimeYr.Value < 1 {
		return Economics{}, fmt.Errorf("%w: pv.lifetime_yr %g must be ≥ 1", ErrEconomics, sc.PV.LifetimeYr.Value)
	}
	t, err := ResolvePV(sc, &o, o.KWp)
	if err != nil {
		return Economics{}, err
	}
	cf := pvCashFlows(sc, &t, o.KWp, o.YieldKWhYr1)
	d := sc.Finance.DiscountRatePct.Value / 100
	capex := t.capexPerKWp * o.KWp
	e := Economics{
		InvestmentEUR:    capex,
		AnnualSavingsEUR: t.selfShare * o.YieldKWhYr1 * t.retail,
		AnnualRevenueEUR: (1 - t.selfShare) * o.YieldKWhYr1 * t.tariff,
		SubsidyEUR:       t.premiumPerKWp * o.KWp,
		AnnualOpexEUR:    t.opexFrac * capex,
		NPVEUR:           NPV(d, cf),
		CO2AvoidedKgYr:   o.YieldKWhYr1 * sc.CO2.ElectricityOtherUses.Value,
		Scheme:           t.scheme,
		APERObligation:   o.APERObligation,
	}
	if int(sc.Tariffs.ContractYears.Value) == 0 {
		e.AnnualRevenueEUR = (1 - t.selfShare) * o.YieldKWhYr1 * t.post
	}
	e.IRRPct = irrPct(cf)
	e.SimplePaybackYr, e.DiscountedPaybackYr = Payback(cf, d)
	a := NewPVAnnuities(sc, sc.Prices.ElectricityEscalationPct.Value)
	e.LCOEEURPerKWh = LCOE(LCOEOptions{
		InvestmentEUR:   capex + t.inverterPerKWp(sc)*o.KWp*a.VR,
		OpexEURPerYr:    e.AnnualOpexEUR,
		EnergyKWhYr1:    o.YieldKWhYr1,
		DegradationPct:  sc.PV.DegradationPctYr.Value,
		DiscountRatePct: sc.Finance.DiscountRatePct.Value,
		LifetimeYr:      int(sc.PV.LifetimeYr.Value),
	})
	return e, nil
}

func irrPct(cf []float64) float64 {
	r, err := IRR(cf)
	if err != nil || math.IsNaN(r) {
		return math.NaN()
	}
	return 100 * r
}

// HeatPumpKind is air-source or ground-source.
type HeatPumpKind string

const (
	HeatPumpAir    HeatPumpKind = "ashp"
	HeatPumpGround HeatPumpKind = "gshp"
)

// HeatPumpEconomicsOptions describe a heat pump replacing a fossil boiler.
type HeatPumpEconomicsOptions struct {
	Kind HeatPumpKind
	// HeatKWhYr: heat delivered per year (space + DHW), kWh.
	HeatKWhYr float64
	// ElecKWhYr: electricity used, kWh/yr (ASHPResult/GSHPResult.ElecKWh);
	// when 0, HeatKWhYr / SCOP.
	ElecKWhYr, SCOP float64
	// CapacityKW: thermal capacity, kW (DesignCapacityKW).
	CapacityKW float64
	// Boreholes × BoreholeDepthM (the heat model's probe depth; required with boreholes): drilled metres
	// of a ground-source system.
	Boreholes      int
	BoreholeDepthM float64
	// Baseline: fuel replaced ("" = scenario baseline).
	Baseline Fuel
	// Segment selects the electricity price (default residential).
	Segment Segment
}

// HeatPumpEconomics returns the economics of a heat pump against the
// fossil boiler it replaces:
//
//	investment = fixed + €/kW × capacity (+ €/m × boreholes × depth, GSHP)
//	savings_t  = (heat/η_boiler)·p_fuel·(1+e_f)^(t−1) − elec·p_el·(1+e_el)^(t−1)
//	             + boiler maintenance − heat-pump maintenance
//	CO₂ avoided = heat/η_boiler · f_fuel − elec · f_el,heating
//
// No boiler replacement cost is avoided and no subsidy (MaPrimeRénov',
// CEE) is counted. LCOEEURPerKWh is the levelised cost of delivered heat
// with electricity at its year-1 price.
func HeatPumpEconomics(sc *Params, o HeatPumpEconomicsOptions) (Economics, error) {
	fin := func(x float64) bool { return x >= 0 && !math.IsInf(x, 0) }
	if !fin(o.HeatKWhYr) || !fin(o.ElecKWhYr) || !fin(o.SCOP) || !fin(o.CapacityKW) || !fin(o.BoreholeDepthM) || o.Boreholes < 0 {
		return Economics{}, fmt.Errorf("%w: heat %g kWh, electricity %g kWh, SCOP %g, capacity %g kW, boreholes %d × %g m must be finite and ≥ 0",
			ErrEconomics, o.HeatKWhYr, o.ElecKWhYr, o.SCOP, o.CapacityKW, o.Boreholes, o.BoreholeDepthM)
	}
	elec := o.ElecKWhYr
	if elec == 0 && o.HeatKWhYr > 0 {
		if o.SCOP <= 0 {
			return Economics{}, fmt.Errorf("%w: give ElecKWhYr or a positive SCOP", ErrEconomics)
		}
		elec = o.HeatKWhYr / o.SCOP
	}
	hp := &sc.HeatPumps
	var inv float64
	switch o.Kind {
	case HeatPumpAir:
		inv = hp.ASHPFixedEUR.Value + hp.ASHPEURPerKW.Value*o.CapacityKW
	case HeatPumpGround:
		if o.Boreholes > 0 && o.BoreholeDepthM == 0 {
			return Economics{}, fmt.Errorf("%w: %d boreholes without a depth (BoreholeDepthM, the heat model's probe depth)", ErrEconomics, o.Boreholes)
		}
		inv = hp.GSHPFixedEUR.Value + hp.GSHPEURPerKW.Value*o.CapacityKW + hp.DrillingEURPerM.Value*float64(o.Boreholes)*o.BoreholeDepthM
	default:
		return Economics{}, fmt.Errorf("%w: heat-pump kind %q: want ashp or gshp", ErrEconomics, o.Kind)
	}
	if o.HeatKWhYr == 0 && o.CapacityKW == 0 {
		inv = 0 // nothing to install
	}
	base := o.Baseline
	if base == "" {
		base = hp.Baseline
	}
	var eff, fuelPrice, fuelEsc, fuelCO2 float64
	switch base {
	case FuelGas:
		eff, fuelPrice, fuelEsc, fuelCO2 = hp.GasBoilerEfficiency.Value, sc.Prices.Gas.Value, sc.Prices.GasEscalationPct.Value, sc.CO2.Gas.Value
	case FuelOil:
		eff, fuelPrice, fuelEsc, fuelCO2 = hp.OilBoilerEfficiency.Value, sc.Prices.FuelOil.Value, sc.Prices.FuelOilEscalationPct.Value, sc.CO2.FuelOil.Value
	default:
		return Economics{}, fmt.Errorf("%w: baseline fuel %q: want gas or fuel_oil", ErrEconomics, base)
	}
	elPrice := sc.Prices.ElectricityResidential.Value
	if o.Segment != "" && o.Segment != SegmentResidential {
		elPrice = sc.Prices.ElectricityNonResidential.Value
	}
	fuelKWh := o.HeatKWhYr / eff
	maintDiff := hp.BoilerMaintEURYr.Value - hp.HPMaintenanceEURYr.Value
	if inv == 0 {
		maintDiff = 0
	}
	L := int(hp.LifetimeYr.Value)
	if L < 1 {
		return Economics{}, fmt.Errorf("%w: heat_pumps.lifetime_yr %d must be ≥ 1", ErrEconomics, L)
	}
	cf := make([]float64, L+1)
	cf[0] = -inv
	pf, pe := fuelPrice, elPrice
	for t := 1; t <= L; t++ {
		cf[t] = fuelKWh*pf - elec*pe + maintDiff
		pf *= 1 + fuelEsc/100
		pe *= 1 + sc.Prices.ElectricityEscalationPct.Value/100
	}
	d := sc.Finance.DiscountRatePct.Value / 100
	e := Economics{
		InvestmentEUR:    inv,
		AnnualSavingsEUR: cf[1],
		AnnualOpexEUR:    hp.HPMaintenanceEURYr.Value,
		NPVEUR:           NPV(d, cf),
		IRRPct:           irrPct(cf),
		CO2AvoidedKgYr:   fuelKWh*fuelCO2 - elec*sc.CO2.ElectricityHeating.Value,
		Scheme:           fmt.Sprintf("%s replacing a %s boiler", o.Kind, base),
	}
	e.SimplePaybackYr, e.DiscountedPaybackYr = Payback(cf, d)
	e.LCOEEURPerKWh = LCOE(LCOEOptions{
		InvestmentEUR:   inv,
		OpexEURPerYr:    elec*elPrice + hp.HPMaintenanceEURYr.Value,
		EnergyKWhYr1:    o.HeatKWhYr,
		DiscountRatePct: sc.Finance.DiscountRatePct.Value,
		LifetimeYr:      L,
	})
	return e, nil
}

// ClassBounds returns the interval (lo, hi] of installed powers sharing the
// S21 class of kWp, so that the Monte Carlo re-resolves the
// terms only for draws whose area moves the system to another class.
func ClassBounds(sc *Params, kWp float64) (lo, hi float64) {
	lo, hi = math.Inf(-1), math.Inf(1)
	narrow := func(maxKWp float64, prevMax float64) {
		lo, hi = math.Max(lo, prevMax), math.Min(hi, maxKWp)
	}
	// The rooftop capex is a continuous curve (no class): within an S21
	// class the Monte Carlo keeps the deterministic size's €/kWp (the
	// curve's elasticity −0.2 moves it by 2.4 % for a 12 % size change).
	prev := math.Inf(-1)
	found := false
	for _, c := range sc.Tariffs.S21 {
		if c.MaxKWp == 0 || kWp <= c.MaxKWp {
			narrow(orInf(c.MaxKWp), prev)
			found = true
			break
		}
		prev = c.MaxKWp
	}
	if !found {
		lo = math.Max(lo, prev)
	}
	return lo, hi
}

func orInf(maxKWp float64) float64 {
	if maxKWp == 0 {
		return math.Inf(1)
	}
	return maxKWp
}

// PremiumYears is the number of years the self-consumption premium is
// paid over.
func (t *PVTerms) PremiumYears() int { return t.premiumYears }

// NPVWith is the NPV (€) of the installation with the annuities a of one
// price-escalation draw, premiumAnn the premium annuity for PremiumYears
// (cached by the caller), the inverter replacement cost invPerKWp (€/kWp)
// and the installed power kWp and year-1 yield yieldKWh of the draw: the
// closed form of PVTerms.npv used per Monte Carlo draw.
func (t *PVTerms) NPVWith(a *PVAnnuities, premiumAnn, invPerKWp, kWp, yieldKWh float64) float64 {
	capex := t.capexPerKWp * kWp
	return -capex +
		yieldKWh*(t.selfShare*t.retail*a.Ae+(1-t.selfShare)*(t.tariff*a.Ac+t.post*a.Ap)) +
		t.premiumPerKWp*kWp*premiumAnn -
		t.opexFrac*capex*a.A1 -
		invPerKWp*kWp*a.VR
}

// Owner economics of one rooftop PV installation (system.go, owner.go,
// capexcurve.go, selfconsumption.go, loadprofile.go, systemparams.go):
//
// An owner (household, business, community, farm) builds one installation
// per building. Its investment follows a continuous capex curve in kWp (a
// power law fitted through cited French prices) plus the VAT the owner
// cannot recover; its yearly value is the self-consumed energy — found by
// matching an hourly PV profile against a BDEW 2025 standard load profile
// scaled to the building's electricity use — at the retail price, plus the
// injected energy at the S21 tariff of the current CRE quarter (or the
// simplified-tender price above 100 kWc), plus the S21 self-consumption
// premium; minus O&M and an inverter replacement. NPV, IRR, LCOE and
// paybacks are continuous in kWp except at the cited tariff and VAT
// boundaries (9, 36, 100 kWc; 3 kWc for VAT when the 5.5 % conditions are
// not met).
package econ

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"
)

// SystemInput describes one installation for EvaluateSystem.
type SystemInput struct {
	Owner OwnerType
	// KWp: installed peak power, kWp (> 0).
	KWp float64
	// SpecificYield: AC production of year 1 per kWp, kWh/kWp (≥ 0).
	SpecificYield float64
	// Self-consumption, one of:
	//  - SelfConsumptionShare != nil: that fixed share (0–1) of production;
	//  - PVProfile and Load (same length, hourly): hourly matching; the PV
	//    profile's shape is rescaled to SpecificYield, Load is in kWh;
	//  - Curve: the same matching, precomputed (NewSelfConsumptionCurve of
	//    the PV shape and the load), for sizing loops.
	SelfConsumptionShare *float64
	PVProfile, Load      []float64
	Curve                *SelfConsumptionCurve
	// CapexEURPerKWpHT > 0 replaces the fitted capex curve (€ HT/kWp).
	CapexEURPerKWpHT float64
}

// OptionResult is the NPV of one way of selling the energy.
type OptionResult struct {
	Option string  `json:"option"` // "surplus" or "full_sale"
	NPVEUR float64 `json:"npv_eur"`
}

// SystemResult is the owner economics of one installation. Money in
// nominal euros; the investment is what the owner pays (TTC for households,
// HT for VAT-recovering owners).
type SystemResult struct {
	Owner         OwnerType `json:"owner"`
	KWp           float64   `json:"kwp"`
	SpecificYield float64   `json:"specific_yield_kwh_kwp"`

	ProductionKWhYr1     float64 `json:"production_kwh_yr1"`
	LoadKWhYr            float64 `json:"load_kwh_yr"` // NaN when self-consumption was given as a share
	SelfConsumedKWhYr1   float64 `json:"self_consumed_kwh_yr1"`
	ExportedKWhYr1       float64 `json:"exported_kwh_yr1"`
	SelfConsumptionShare float64 `json:"self_consumption_share"`
	// SelfConsumptionMethod: "hourly" (load profile) or "given".
	SelfConsumptionMethod string `json:"self_consumption_method"`

	CapexEURPerWpHT float64 `json:"capex_eur_per_wp_ht"`
	CapexHTEUR      float64 `json:"capex_ht_eur"`
	VATPct          float64 `json:"vat_pct"`
	VATRecovered    bool    `json:"vat_recovered"`
	InvestmentEUR   float64 `json:"investment_eur"`

	// Support scheme.
	Band            string  `json:"band"`
	Option          string  `json:"option"` // chosen: surplus or full_sale
	TariffEURPerKWh float64 `json:"tariff_eur_per_kwh"`
	PremiumEUR      float64 `json:"premium_eur"`
	PremiumYears    int     `json:"premium_years"`
	TariffSource    string  `json:"tariff_source"`
	TariffDate      string  `json:"tariff_date"`

	// Year-1 flows and costs.
	AnnualSavingsEUR       float64 `json:"annual_savings_eur"`
	AnnualRevenueEUR       float64 `json:"annual_revenue_eur"`
	AnnualOMEUR            float64 `json:"annual_om_eur"`
	InverterReplacementEUR float64 `json:"inverter_replacement_eur"`
	InverterYears          []int   `json:"inverter_years"`

	LifetimeYr      int     `json:"lifetime_yr"`
	DiscountRatePct float64 `json:"discount_rate_pct"`

	NPVEUR              float64 `json:"npv_eur"`
	NPVPerKWp           float64 `json:"npv_eur_per_kwp"`
	IRRPct              float64 `json:"irr_pct"`          // NaN when none
	LCOEEURPerKWh       float64 `json:"lcoe_eur_per_kwh"` // NaN without production
	SimplePaybackYr     float64 `json:"simple_payback_yr"`
	DiscountedPaybackYr float64 `json:"discounted_payback_yr"`

	Options []OptionResult `json:"options"`
}

// ErrSystemInput marks an invalid SystemInput.
var ErrSystemInput = errors.New("invalid PV system input")

// OwnerEconomics evaluates installations under one parameter set; build it
// once (it fits the capex curve) and call Evaluate per system.
type OwnerEconomics struct {
	P     SystemParams
	Curve CapexCurve
}

// NewOwnerEconomics validates p and fits its capex curve.
func NewOwnerEconomics(p SystemParams) (*OwnerEconomics, error) {
	if err := p.CheckSystem(); err != nil {
		return nil, err
	}
	c, err := FitCapexCurve(p.CapexPoints)
	if err != nil {
		return nil, err
	}
	return &OwnerEconomics{P: p, Curve: c}, nil
}

// Evaluate returns the owner economics of one installation.
//
// Cash flows, year t = 1..L (L = lifetime), E_t = kWp·Y·(1−δ)^(t−1):
//
//	cf_0 = −I,  I = capex_HT(kWp)·(1 + VAT) (VAT = 0 when recovered)
//	cf_t = s·E_t·p·(1+e)^(t−1)                      self-consumption savings
//	     + (1−s)·E_t·(T if t ≤ C else T_post)       injected energy
//	     + premium·kWp/n  (t ≤ n)                   S21 premium
//	     − o·I − (t = kR < L ? r·capex_HT·(1+VAT_inv) : 0)
//
// s: self-consumption share (hourly matching, constant over the years);
// p: retail price; e: escalation; T: tariff of the band and option; C:
// contract years; o: O&M share; r: inverter share of capex, replaced every
// R years (VAT_inv: standard VAT for households, 0 otherwise). Where a band
// offers both surplus sale (with premium) and full sale, both are computed
// and the owner takes the higher NPV (a maximum of continuous functions
// stays continuous). Income tax is ignored.
//
// NPV at the owner's discount rate; IRR by bracketing; LCOE = (I + Σ
// costs_t v^t) / Σ E_t v^t (€/kWh, in the owner's currency TTC/HT);
// paybacks interpolated within the year (continuous in kWp).
func (m *OwnerEconomics) Evaluate(in SystemInput) (SystemResult, error) {
	return m.evaluate(in, true)
}

// EvaluateNPV is Evaluate without the internal rate of return (IRRPct is
// NaN, "not computed"): for loops that need the NPV only (sizing scans,
// sensitivity differences), where the IRR root search was most of the cost.
// NPVOf gives its NPV alone, bit for bit, without building the result.
func (m *OwnerEconomics) EvaluateNPV(in SystemInput) (SystemResult, error) {
	return m.evaluate(in, false)
}

func (m *OwnerEconomics) evaluate(in SystemInput, withIRR bool) (SystemResult, error) {
	p := &m.P
	var r SystemResult
	o, err := ParseOwnerType(string(in.Owner))
	if err != nil {
		return r, fmt.Errorf("%w: %v", ErrSystemInput, err)
	}
	if err := checkSystemInput(&in); err != nil {
		return r, err
	}
	r.Owner, r.KWp, r.SpecificYield = o, in.KWp, in.SpecificYield
	r.ProductionKWhYr1 = in.KWp * in.SpecificYield
	r.LoadKWhYr = math.NaN()

	// Self-consumption.
	switch {
	case in.SelfConsumptionShare != nil:
		s := *in.SelfConsumptionShare
		if !(s >= 0 && s <= 1) {
			return r, fmt.Errorf("%w: self-consumption share %g must be in [0, 1]", ErrSystemInput, s)
		}
		r.SelfConsumptionShare, r.SelfConsumptionMethod = s, "given"
		r.SelfConsumedKWhYr1 = s * r.ProductionKWhYr1
	case in.Curve != nil:
		if !(in.Curve.ProductionPerKWp() > 0) {
			return r, fmt.Errorf("%w: the self-consumption curve's PV shape has no production", ErrSystemInput)
		}
		k := in.KWp * in.SpecificYield / in.Curve.ProductionPerKWp()
		r.LoadKWhYr, r.SelfConsumedKWhYr1, r.SelfConsumptionMethod = in.Curve.LoadKWh(), in.Curve.SelfConsumed(k), "hourly"
		r.SelfConsumptionShare = 0
		if r.ProductionKWhYr1 > 0 {
			r.SelfConsumptionShare = r.SelfConsumedKWhYr1 / r.ProductionKWhYr1
		}
	case in.PVProfile != nil && in.Load != nil:
		sum := 0.0
		for _, v := range in.PVProfile {
			sum += v
		}
		if !(sum > 0) || math.IsInf(sum, 0) {
			return r, fmt.Errorf("%w: PV profile sums to %g: need a positive production shape", ErrSystemInput, sum)
		}
		sc, err := MatchHourly(in.PVProfile, in.Load, in.KWp*in.SpecificYield/sum)
		if err != nil {
			return r, fmt.Errorf("%w: %v", ErrSystemInput, err)
		}
		r.LoadKWhYr, r.SelfConsumedKWhYr1, r.SelfConsumptionMethod = sc.LoadKWh, sc.SelfConsumedKWh, "hourly"
		r.SelfConsumptionShare = 0
		if r.ProductionKWhYr1 > 0 {
			r.SelfConsumptionShare = r.SelfConsumedKWhYr1 / r.ProductionKWhYr1
		}
	default:
		return r, fmt.Errorf("%w: give a self-consumption share, an hourly PV profile and load, or a self-consumption curve", ErrSystemInput)
	}
	r.ExportedKWhYr1 = r.ProductionKWhYr1 - r.SelfConsumedKWhYr1

	// Investment.
	ol := m.outlayOf(o, &in)
	r.CapexHTEUR = ol.capexHT
	r.CapexEURPerWpHT = r.CapexHTEUR / (1000 * in.KWp)
	r.VATPct, r.VATRecovered = ol.vatPct, ol.vatRecovered
	r.InvestmentEUR, r.InverterReplacementEUR, r.AnnualOMEUR = ol.inv, ol.repl, ol.om
	r.LifetimeYr = int(p.LifetimeYr.Value)
	if R := int(p.InverterLifeYr.Value); R > 0 {
		for t := R; t < r.LifetimeYr; t += R {
			r.InverterYears = append(r.InverterYears, t)
		}
	}
	r.DiscountRatePct = o.DiscountRatePct(p)

	band, ok := p.BandFor(in.KWp)
	if !ok {
		return r, fmt.Errorf("%w: %g kWp is above the last tariff band", ErrSystemInput, in.KWp)
	}
	r.Band = fmt.Sprintf("%g–%g kWc", band.MinKWp, band.MaxKWp)
	if math.IsInf(band.MaxKWp, 1) {
		r.Band = fmt.Sprintf("> %g kWc", band.MinKWp)
	}
	r.TariffSource, r.TariffDate = band.Source, band.Date
	retail := o.RetailPrice(p)
	d := r.DiscountRatePct / 100

	type opt struct {
		name          string
		self, tariff  float64
		premium       float64
		premiumYears  int
		cf            []float64
		npv           float64
		savings, sale float64
	}
	var opts []opt
	if band.SurplusEURPerKWh > 0 {
		opts = append(opts, opt{name: "surplus", self: r.SelfConsumptionShare, tariff: band.SurplusEURPerKWh,
			premium: band.PremiumEURPerKWp * in.KWp, premiumYears: band.PremiumYears})
	}
	if band.FullSaleEURPerKWh > 0 && band.FullSaleEURPerKWh != band.SurplusEURPerKWh {
		opts = append(opts, opt{name: "full_sale", self: 0, tariff: band.FullSaleEURPerKWh, premiumYears: 1})
	}
	best := -1
	for i := range opts {
		op := &opts[i]
		op.cf = m.cashFlows(&r, op.self, retail, op.tariff, op.premium, op.premiumYears)
		op.npv = systemNPV(d, op.cf)
		r.Options = append(r.Options, OptionResult{Option: op.name, NPVEUR: op.npv})
		if best < 0 || op.npv > opts[best].npv {
			best = i
		}
	}
	b := &opts[best]
	r.Option, r.TariffEURPerKWh, r.PremiumEUR, r.PremiumYears = b.name, b.tariff, b.premium, b.premiumYears
	if b.name == "full_sale" {
		r.SelfConsumedKWhYr1, r.ExportedKWhYr1, r.SelfConsumptionShare = 0, r.ProductionKWhYr1, 0
	}
	r.AnnualSavingsEUR = r.SelfConsumedKWhYr1 * retail
	r.AnnualRevenueEUR = r.ExportedKWhYr1 * b.tariff
	if int(p.ContractYears.Value) == 0 {
		r.AnnualRevenueEUR = r.ExportedKWhYr1 * p.PostContractEURPerKWh.Value
	}
	r.NPVEUR = b.npv
	r.NPVPerKWp = b.npv / in.KWp
	r.IRRPct = math.NaN()
	if withIRR {
		r.IRRPct = 100 * systemIRR(b.cf)
	}
	r.SimplePaybackYr = systemPayback(b.cf, 0)
	r.DiscountedPaybackYr = systemPayback(b.cf, d)
	r.LCOEEURPerKWh = m.lcoe(&r, d)
	return r, nil
}

// checkSystemInput checks the size, yield and capex of in (the errors of
// Evaluate).
func checkSystemInput(in *SystemInput) error {
	if !(in.KWp > 0) || math.IsInf(in.KWp, 0) {
		return fmt.Errorf("%w: kWp %g must be finite and > 0", ErrSystemInput, in.KWp)
	}
	if !(in.SpecificYield >= 0) || math.IsInf(in.SpecificYield, 0) || in.SpecificYield > 3000 {
		return fmt.Errorf("%w: specific yield %g kWh/kWp must be in [0, 3000]", ErrSystemInput, in.SpecificYield)
	}
	if in.CapexEURPerKWpHT < 0 || math.IsInf(in.CapexEURPerKWpHT, 0) || math.IsNaN(in.CapexEURPerKWpHT) {
		return fmt.Errorf("%w: capex %g €/kWp must be finite and ≥ 0", ErrSystemInput, in.CapexEURPerKWpHT)
	}
	return nil
}

// outlay is what a system costs its owner (€, see Evaluate): the capex
// excluding VAT, the VAT rate (%) and whether the owner recovers it, the
// investment including VAT, an inverter replacement and the annual O&M.
type outlay struct {
	capexHT, vatPct float64
	vatRecovered    bool
	inv, repl, om   float64
}

// outlayOf computes the outlay of in (checked) for owner o.
func (m *OwnerEconomics) outlayOf(o OwnerType, in *SystemInput) outlay {
	p := &m.P
	var ol outlay
	if in.CapexEURPerKWpHT > 0 {
		ol.capexHT = in.CapexEURPerKWpHT * in.KWp
	} else {
		ol.capexHT = m.Curve.CapexHT(in.KWp)
	}
	ol.vatPct, ol.vatRecovered = o.VATPct(p, in.KWp)
	ol.inv = ol.capexHT * (1 + ol.vatPct/100)
	invVAT := 0.0
	if !ol.vatRecovered {
		invVAT = p.VATStandardPct.Value
	}
	ol.repl = p.InverterCostPctCapex.Value / 100 * ol.capexHT * (1 + invVAT/100)
	ol.om = p.OMPctCapexYr.Value / 100 * ol.inv
	return ol
}

// flowRule is the yearly cash flow of one sale option (see Evaluate), the
// one rule of cashFlows (whole series) and npvTables.flowsNPV (its NPV
// streamed): self the self-consumed share, sale at tariff during the C
// contract years and at post after, the premium paid in premiumYears equal
// parts of premYr (premium / premiumYears, divided once), the O&M every
// year and the inverter replaced in its years.
type flowRule struct {
	C, premiumYears    int
	self, tariff, post float64
	premYr, om, repl   float64
}

// at is the cash flow (€) of year y ≥ 1 with production e (kWh) at the
// retail price (€/kWh), the inverter replaced that year or not.
func (f *flowRule) at(y int, e, price float64, inverter bool) float64 {
	sale := f.post
	if y <= f.C {
		sale = f.tariff
	}
	c := f.self*e*price + (1-f.self)*e*sale - f.om
	if y <= f.premiumYears {
		c += f.premYr
	}
	if inverter {
		c -= f.repl
	}
	return c
}

// cashFlows builds cf[0..L] for one sale option (see Evaluate).
func (m *OwnerEconomics) cashFlows(r *SystemResult, self, retail, tariff, premium float64, premiumYears int) []float64 {
	p := &m.P
	L := r.LifetimeYr
	fr := flowRule{C: int(p.ContractYears.Value), premiumYears: premiumYears, self: self, tariff: tariff,
		post: p.PostContractEURPerKWh.Value, premYr: premium / float64(premiumYears), om: r.AnnualOMEUR, repl: r.InverterReplacementEUR}
	deg := 1 - p.DegradationPctYr.Value/100
	esc := 1 + p.PriceEscalationPct.Value/100
	cf := make([]float64, L+1)
	cf[0] = -r.InvestmentEUR
	e, price := r.ProductionKWhYr1, retail
	for t := 1; t <= L; t++ {
		cf[t] = fr.at(t, e, price, slices.Contains(r.InverterYears, t))
		e *= deg
		price *= esc
	}
	return cf
}

// lcoe is the levelised cost of the electricity produced, €/kWh.
func (m *OwnerEconomics) lcoe(r *SystemResult, d float64) float64 {
	deg := 1 - m.P.DegradationPctYr.Value/100
	cost, energy := r.InvestmentEUR, 0.0
	v, e := 1.0, r.ProductionKWhYr1
	for t := 1; t <= r.LifetimeYr; t++ {
		v /= 1 + d
		c := r.AnnualOMEUR
		for _, y := range r.InverterYears {
			if y == t {
				c += r.InverterReplacementEUR
			}
		}
		cost += c * v
		energy += e * v
		e *= deg
	}
	if !(energy > 0) {
		return math.NaN()
	}
	return cost / energy
}

// systemNPV is Σ cf[t]/(1+d)^t, cf[0] undiscounted (numpy-financial npv
// convention).
func systemNPV(d float64, cf []float64) float64 {
	s, v := 0.0, 1.0
	for _, c := range cf {
		s += c * v
		v /= 1 + d
	}
	return s
}

// systemIRR returns the internal rate of return (fraction/yr) of cf, or
// NaN. The NPV is sampled at the rates −0.95 + 0.01·i (i = 0 … 195, −0.95
// … 1.0); every interval whose ends change sign (or end on a zero) is
// refined by bisection to 1e-10, and the root closest to 0 is returned (the
// first in rate order on a tie). Hand-written because gonum v0.17 has no
// scalar root finder; the scan (rather than a single bracket) copes with
// the extra sign changes an inverter replacement creates.
//
// The intervals are visited by increasing distance from rate 0 and the
// visit stops once no interval left can hold a root closer than the best,
// which gives exactly the root of a full scan for a few tens of NPV
// evaluations instead of ~230 (issue 16: the IRR was the main cost of the
// economics stage).
//
// Speed without changing a bit (TestSystemIRRMatchesFullScan): the grid
// NPVs read the discount factors of the grid rates from a table built once
// by systemNPV's own recurrence (v /= 1 + rate), and the bisection
// evaluates each midpoint together with both possible next midpoints
// (three independent division chains in one loop, which the processor
// overlaps): BenchmarkSystemIRR 6.4–8.5 → 4.8–5.5 µs on the shared 2-core
// test machine.
func systemIRR(cf []float64) float64 {
	const nGrid = irrGridN
	rate := func(i int) float64 { return -0.95 + 0.01*float64(i) }
	var f [nGrid]float64
	var have [nGrid]bool
	var grid *irrTable
	if len(cf) <= irrTableYears {
		grid = irrGrid()
	}
	npvAt := func(i int) float64 {
		if !have[i] {
			if grid != nil {
				s, row := 0.0, &grid[i]
				for t, c := range cf {
					s += c * row[t]
				}
				f[i] = s
			} else {
				f[i] = systemNPV(rate(i), cf)
			}
			have[i] = true
		}
		return f[i]
	}
	// root refines interval i (between grid points i−1 and i), or NaN.
	root := func(i int) float64 {
		prevR, prevF := rate(i-1), npvAt(i-1)
		r, fr := rate(i), npvAt(i)
		if (fr > 0) == (prevF > 0) && fr != 0 {
			return math.NaN()
		}
		// Bisection: lo, hi, flo; for k < 100 while hi − lo > 1e-10, mid
		// = ½(lo + hi) replaces lo when NPV(mid) has the sign of NPV(lo),
		// hi otherwise. Two steps per round: the second step's midpoint
		// is ½(lo + mid) or ½(mid + hi), both evaluated with mid.
		lo, hi, flo := prevR, r, prevF
		for k := 0; k < 100 && hi-lo > 1e-10; {
			mid := 0.5 * (lo + hi)
			left, right := 0.5*(lo+mid), 0.5*(mid+hi)
			fm, fl, fr := systemNPV3(mid, left, right, cf)
			next, fnext := left, fl
			if (fm > 0) == (flo > 0) {
				lo, flo = mid, fm
				next, fnext = right, fr
			} else {
				hi = mid
			}
			k++
			if !(k < 100 && hi-lo > 1e-10) {
				break
			}
			if (fnext > 0) == (flo > 0) { // next = ½(lo + hi) now
				lo, flo = next, fnext
			} else {
				hi = next
			}
			k++
		}
		return 0.5 * (lo + hi)
	}
	// near is the smallest |rate| in interval i: a root there is no closer.
	near := func(i int) float64 {
		a, b := rate(i-1), rate(i)
		if a <= 0 && b >= 0 {
			return 0
		}
		return math.Min(math.Abs(a), math.Abs(b))
	}
	// The interval holding rate 0, then outwards one interval each side.
	z := 1
	for z < nGrid-1 && rate(z) < 0 {
		z++
	}
	best, bestI := math.NaN(), -1
	for d := 0; z-d >= 1 || z+d+1 < nGrid; d++ {
		for _, i := range [2]int{z - d, z + d + 1} {
			if i < 1 || i >= nGrid {
				continue
			}
			if !math.IsNaN(best) && near(i) > math.Abs(best) {
				continue
			}
			x := root(i)
			if math.IsNaN(x) {
				continue
			}
			if ax, ab := math.Abs(x), math.Abs(best); math.IsNaN(best) || ax < ab || (ax == ab && i < bestI) {
				best, bestI = x, i
			}
		}
		// Stop when every interval not yet visited lies farther than best.
		if !math.IsNaN(best) {
			l, r := z-d-1, z+d+2
			if (l < 1 || near(l) > math.Abs(best)) && (r >= nGrid || near(r) > math.Abs(best)) {
				break
			}
		}
	}
	return best
}

// irrGridN is the number of rates of systemIRR's grid (−0.95 … 1.0 by
// 0.01); irrTableYears the longest cash flow its table holds (longer
// ones are discounted directly).
const (
	irrGridN      = 196
	irrTableYears = 64
)

// irrTable holds, per grid rate r_i = −0.95 + 0.01·i, the discount
// factors v_t of systemNPV (v_0 = 1, v_t = v_{t−1}/(1 + r_i)).
type irrTable [irrGridN][irrTableYears]float64

var irrGrid = sync.OnceValue(func() *irrTable {
	var t irrTable
	for i := range t {
		r := -0.95 + 0.01*float64(i)
		v := 1.0
		for y := range t[i] {
			t[i][y] = v
			v /= 1 + r
		}
	}
	return &t
})

// systemNPV3 is systemNPV at three rates in one loop (the same operations
// per rate, so the same bits). Not inlined: on its own it keeps its six
// accumulators in registers.
//
//go:noinline
func systemNPV3(d1, d2, d3 float64, cf []float64) (s1, s2, s3 float64) {
	v1, v2, v3 := 1.0, 1.0, 1.0
	q1, q2, q3 := 1+d1, 1+d2, 1+d3
	for _, c := range cf {
		s1 += c * v1
		s2 += c * v2
		s3 += c * v3
		v1 /= q1
		v2 /= q2
		v3 /= q3
	}
	return s1, s2, s3
}

// systemPayback returns the first time (yr) at which the cumulative cash
// flow discounted at d reaches 0, interpolated linearly within the year;
// +Inf when it never does.
func systemPayback(cf []float64, d float64) float64 {
	cum := cf[0]
	if cum >= 0 {
		return 0
	}
	v := 1.0
	for t := 1; t < len(cf); t++ {
		v /= 1 + d
		c := cf[t] * v
		if cum+c >= 0 && c > 0 {
			return float64(t-1) + (-cum)/c
		}
		cum += c
	}
	return math.Inf(1)
}

// BestSize returns the economics of the size in [minKWp, maxKWp] (sizes
// minKWp, minKWp+step, …, and maxKWp itself) with the highest NPV: the size
// an owner would build. in.KWp is ignored. Use a Curve in the input for
// speed. When maxKWp < minKWp (a roof too small for the smallest offer),
// maxKWp alone is evaluated.
func (m *OwnerEconomics) BestSize(in SystemInput, minKWp, maxKWp, stepKWp float64) (SystemResult, error) {
	y := in.SpecificYield
	return m.bestSize(in, minKWp, maxKWp, stepKWp, func(float64) (float64, error) { return y, nil })
}

// bestSize scans the sizes with a size-dependent specific yield.
func (m *OwnerEconomics) bestSize(in SystemInput, minKWp, maxKWp, stepKWp float64, yieldAt func(kWp float64) (float64, error)) (SystemResult, error) {
	if !(maxKWp > 0) || math.IsInf(maxKWp, 0) || !(stepKWp > 0) || !(minKWp >= 0) {
		return SystemResult{}, fmt.Errorf("%w: sizing range %g–%g kWp by %g: need 0 ≤ min, 0 < max, step > 0", ErrSystemInput, minKWp, maxKWp, stepKWp)
	}
	lo := math.Max(minKWp, stepKWp)
	if maxKWp < lo {
		lo = maxKWp
	}
	// The scan needs the NPV only (npv: no allocation, the same bits as
	// EvaluateNPV, which gives the error where npv does not apply); the
	// chosen size is evaluated in full (IRR included) at the end.
	var tab npvTables
	m.initNPVTables(&tab, in.Owner)
	var bestNPV float64
	bestIn := in
	found := false
	for i := 0; ; i++ {
		k := lo + float64(i)*stepKWp
		last := k >= maxKWp-1e-9
		if last {
			k = maxKWp
		}
		y, err := yieldAt(k)
		if err != nil {
			return SystemResult{}, err
		}
		in.KWp, in.SpecificYield = k, y
		v, ok := m.npv(&tab, &in)
		if !ok {
			r, err := m.EvaluateNPV(in)
			if err != nil {
				return SystemResult{}, err
			}
			v = r.NPVEUR
		}
		if !found || v > bestNPV {
			bestNPV, bestIn, found = v, in, true
		}
		if last {
			break
		}
	}
	return m.Evaluate(bestIn)
}

// PlaneCapacity is the PV capacity (kWp) a roof plane can hold and its
// specific yield (kWh/kWp, year 1).
type PlaneCapacity struct {
	KWp           float64 `json:"kwp"`
	SpecificYield float64 `json:"specific_yield_kwh_kwp"`
}

// FilledYield returns the specific yield of a kWp system that fills the
// planes best-yield first (planes sorted by descending yield, ties in the
// given order): the capacity-weighted yield of the filled part, continuous
// in kWp. kWp above the total capacity is an error.
func FilledYield(planes []PlaneCapacity, kWp float64) (float64, error) {
	idx := make([]int, len(planes))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return planes[idx[a]].SpecificYield > planes[idx[b]].SpecificYield })
	left, e := kWp, 0.0
	for _, i := range idx {
		p := planes[i]
		if !(p.KWp >= 0) || !(p.SpecificYield >= 0) || math.IsInf(p.KWp, 0) || math.IsInf(p.SpecificYield, 0) {
			return math.NaN(), fmt.Errorf("%w: plane %d: %g kWp at %g kWh/kWp must be finite and ≥ 0", ErrSystemInput, i, p.KWp, p.SpecificYield)
		}
		take := math.Min(left, p.KWp)
		e += take * p.SpecificYield
		left -= take
		if left <= 0 {
			break
		}
	}
	if left > 1e-9*math.Max(1, kWp) {
		return math.NaN(), fmt.Errorf("%w: %g kWp exceeds the planes' capacity by %g kWp", ErrSystemInput, kWp, left)
	}
	if kWp == 0 {
		return math.NaN(), fmt.Errorf("%w: 0 kWp has no yield", ErrSystemInput)
	}
	return e / kWp, nil
}

// BestSizeOnPlanes is BestSize where the system fills the building's planes
// best-yield first, so that its specific yield depends on its size
// (FilledYield); maxKWp is capped at the planes' total capacity.
func (m *OwnerEconomics) BestSizeOnPlanes(in SystemInput, planes []PlaneCapacity, minKWp, maxKWp, stepKWp float64) (SystemResult, error) {
	total := 0.0
	for _, p := range planes {
		total += p.KWp
	}
	if !(total > 0) {
		return SystemResult{}, fmt.Errorf("%w: the planes hold %g kWp", ErrSystemInput, total)
	}
	// The planes sorted once (FilledYield sorts them per call); FilledYield
	// itself where the fill fails, for its error.
	fill := newPlaneFill(planes)
	return m.bestSize(in, minKWp, math.Min(maxKWp, total), stepKWp, func(k float64) (float64, error) {
		if fill.valid {
			if y, ok := fill.yield(k); ok {
				return y, nil
			}
		}
		return FilledYield(planes, k)
	})
}

package study

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/model/econ"
	"github.com/gisement/gisement/model/heat"
	"github.com/gisement/gisement/model/pv"
	"github.com/gisement/gisement/model/uncertainty"
	"github.com/gisement/gisement/solar"
)

// Economic potential ("potentiel économique") of rooftop PV: per building,
// the system its owner would build under the scenario (econ.OwnerEconomics:
// continuous capex, VAT by owner, S21 bands, hourly self-consumption
// against a BDEW load profile scaled to the building's electricity use,
// 30-year life), sized on the building's technical-potential planes
// best-yield first (econ.BestSizeOnPlanes), counted when its NPV is ≥ 0.
//
// Owners (our assumption, after econ.OwnerForUse): residential buildings →
// households, one installation per building: a single house (TABULA
// SFH/TH, heat.GuessKind) is one dwelling, a multi-family building holds
// floor area / econ.pv.flat_floor_area_m2 dwellings and is treated as one self-consumption operation whose load is
// the dwellings' use, sized up to econ.pv.residential_max_kwp per dwelling;
// other uses → business or community owners with
// econ.pv.non_residential_elec_kwh_m2 × floor area of use (BDEW G25
// profile); farms → their flat self-consumption share (no load known).
// Unheated annexes (MinHeatedFootprintM2) have no load of their own: their
// economics are not computed (NULL), their technical potential counts.

// loadProfileYear is the calendar year of the load profiles (the BDEW 2025
// profiles; weekdays, French holidays and summer time of that year).
const loadProfileYear = 2025

// sizeSteps is the number of sizes scanned between the smallest and the
// largest system (at least 0.5 kWp apart): 0.5 kWp steps for households
// (3–9 kWp); NPV is continuous in size, so the best of ≈ 13–40 sizes is
// within a step of the optimum.
const sizeSteps = 40

// BuildingPVEcon is the owner economics of one building's rooftop system.
type BuildingPVEcon struct {
	// OK is false when not computed (Reason says why): then every economic
	// field is NULL in the outputs, never 0.
	OK     bool
	Reason string
	Owner  econ.OwnerType
	// Dwellings (households) and AnnualUseKWh, the building's electricity
	// use matched hour by hour (NaN for a flat share).
	Dwellings    int
	AnnualUseKWh float64
	// Best is the size with the highest NPV on the technical planes.
	Best econ.SystemResult
	// Economic is true when Best's NPV ≥ 0: Best then counts in the
	// economic potential.
	Economic bool
	// NPVP90EUR, NPVP10EUR: P90/P10 of Best's NPV (first-order: see
	// pvEconomics.npvQuantiles).
	NPVP90EUR, NPVP10EUR float64
}

// EconKWp and EconKWhYr are the building's economic potential (0 when the
// best system does not pay back, NaN when not computed).
func (b *BuildingPVEcon) EconKWp() float64 {
	switch {
	case !b.OK:
		return math.NaN()
	case !b.Economic:
		return 0
	}
	return b.Best.KWp
}

// EconKWhYr: see EconKWp.
func (b *BuildingPVEcon) EconKWhYr() float64 {
	switch {
	case !b.OK:
		return math.NaN()
	case !b.Economic:
		return 0
	}
	return b.Best.ProductionKWhYr1
}

// pvEconomics holds the study-wide state of the owner economics: the
// model, the weather year's sky (PV shapes) and the cached
// self-consumption curves per (orientation bin, load profile).
type pvEconomics struct {
	m *econ.OwnerEconomics
	// escLo, escHi: the model with the price escalation at ∓1σ
	// (uncertainty.escalation_sigma_pct); spread the yield's.
	escLo, escHi *econ.OwnerEconomics
	spread       uncertainty.YieldSpread
	sc           *econ.Params
	sky          *solar.Sky
	sys          solar.System
	mu           sync.Mutex
	crv          map[curveKey]*curveEntry
	prof         map[econ.ProfileKind][]float64 // unit-annual-use hourly loads
}

type curveKey struct {
	tilt, az int // bin centres, degrees
	kind     econ.ProfileKind
}

type curveEntry struct {
	once sync.Once
	c    *econ.SelfConsumptionCurve
	err  error
}

func newPVEconomics(sc *econ.Params, u *uncertainty.Params, spread uncertainty.YieldSpread, sky *solar.Sky, sys solar.System) (*pvEconomics, error) {
	sp := sc.SystemParams()
	m, err := econ.NewOwnerEconomics(sp)
	if err != nil {
		return nil, err
	}
	p := &pvEconomics{m: m, sc: sc, sky: sky, sys: sys, spread: spread, crv: map[curveKey]*curveEntry{}, prof: map[econ.ProfileKind][]float64{}}
	for i, d := range []float64{-1, 1} {
		q := sp
		q.PriceEscalationPct.Value += d * u.EscalationSigmaPct.Value
		e, err := econ.NewOwnerEconomics(q)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			p.escLo = e
		} else {
			p.escHi = e
		}
	}
	return p, nil
}

// npvQuantiles returns P90 and P10 of the NPV of the system in (size and
// yield of res) by the first-order (delta) method: NPV ≈ NPV₀ + a·ε_y +
// b·ε_e with ε_y the relative yield error (σ = spread.SigmaPct: weather
// year, model, resource bias) and ε_e the escalation error (σ =
// uncertainty.escalation_sigma_pct), independent; a and b by central
// differences of the owner model itself, so the quantiles follow its
// tariffs, VAT and self-consumption. σ_NPV = √((a·σ_y)² + (b·σ_e)²),
// P90 = NPV₀ − 1.2816·σ_NPV, P10 = NPV₀ + 1.2816·σ_NPV.
func (p *pvEconomics) npvQuantiles(in econ.SystemInput, res econ.SystemResult) (p90, p10 float64) {
	const h = 0.01
	in.KWp = res.KWp
	y0 := res.SpecificYield
	// NPVOf: EvaluateNPV's NPV bit for bit, without building the result.
	at := func(m *econ.OwnerEconomics, f float64) float64 {
		in.SpecificYield = y0 * f
		v, err := m.NPVOf(in)
		if err != nil {
			return math.NaN()
		}
		return v
	}
	a := (at(p.m, 1+h) - at(p.m, 1-h)) / (2 * h) // € per unit relative yield
	b := (at(p.escHi, 1) - at(p.escLo, 1)) / 2   // € per 1σ of escalation
	sy := p.spread.SigmaPct / 100
	s := math.Sqrt(a*a*sy*sy + b*b)
	const z = 1.2815515655446004
	return res.NPVEUR - z*s, res.NPVEUR + z*s
}

// curve returns the unit-load self-consumption curve of the orientation bin
// of (tilt, az): tilt to 5°, azimuth to 22.5° (the PV shape changes little
// within a bin; its level is rescaled to the building's yield by
// OwnerEconomics.Evaluate).
func (p *pvEconomics) curve(tiltDeg, azDeg float64, kind econ.ProfileKind) (*econ.SelfConsumptionCurve, error) {
	k := curveKey{tilt: int(5 * math.Round(tiltDeg/5)), az: int(22.5*math.Round(math.Mod(azDeg+360, 360)/22.5)) % 360, kind: kind}
	p.mu.Lock()
	e, ok := p.crv[k]
	if !ok {
		e = &curveEntry{}
		p.crv[k] = e
	}
	p.mu.Unlock()
	e.once.Do(func() {
		load, err := p.unitLoad(kind)
		if err != nil {
			e.err = err
			return
		}
		shape, err := pv.HourlyProfileCET(p.sky, p.sys, float64(k.tilt), float64(k.az))
		if err != nil {
			e.err = err
			return
		}
		e.c, e.err = econ.NewSelfConsumptionCurve(shape, load)
	})
	return e.c, e.err
}

func (p *pvEconomics) unitLoad(kind econ.ProfileKind) ([]float64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if l, ok := p.prof[kind]; ok {
		return l, nil
	}
	bp, err := econ.EmbeddedBDEWProfile(kind)
	if err != nil {
		return nil, err
	}
	l, err := bp.HourlyLoad(loadProfileYear, 1)
	if err != nil {
		return nil, err
	}
	if len(l) > 8760 {
		l = l[:8760]
	}
	p.prof[kind] = l
	return l, nil
}

// ownerOf returns the owner of building b (segment from useOf).
func ownerOf(b *geo.Building, seg econ.Segment) econ.OwnerType {
	switch seg {
	case econ.SegmentResidential:
		return econ.OwnerHousehold
	case econ.SegmentAgricultural:
		return econ.OwnerFarm
	}
	o := econ.OwnerForUse(b.Use)
	if o == econ.OwnerHousehold {
		o = econ.OwnerBusiness
	}
	// BD TOPO / BDNB public uses spelled in lower case.
	u := strings.ToLower(b.Use)
	for _, w := range []string{"enseignement", "administratif", "sportif", "santé", "public", "education"} {
		if strings.Contains(u, w) {
			return econ.OwnerCommunity
		}
	}
	return o
}

// building evaluates the owner economics of building i (its roofs are
// roofs, its heat result br).
func (p *pvEconomics) building(b *geo.Building, br *BuildingResult, roofs []pv.RoofPV) BuildingPVEcon {
	var out BuildingPVEcon
	planes := make([]econ.PlaneCapacity, 0, len(roofs))
	best := -1
	for k := range roofs {
		r := &roofs[k]
		if !r.Kept || r.KWp <= 0 {
			continue
		}
		planes = append(planes, econ.PlaneCapacity{KWp: r.KWp, SpecificYield: r.SpecificYieldKWhKWp})
		if best < 0 || r.SpecificYieldKWhKWp > roofs[best].SpecificYieldKWhKWp {
			best = k
		}
	}
	if best < 0 {
		out.Reason = "no technical potential"
		return out
	}
	sc := &p.sc.PV
	out.Owner = ownerOf(b, br.Segment)
	floor := br.Heat.FloorAreaM2
	if !(floor > 0) {
		floor = b.FootprintM2 * math.Max(1, float64(b.Levels))
	}
	in := econ.SystemInput{Owner: out.Owner}
	minKWp, maxKWp := sc.ResidentialMinKWp.Value, math.Inf(1)
	switch out.Owner {
	case econ.OwnerHousehold:
		if !br.Heated {
			out.Reason = "unheated annex: no electricity use of its own"
			return out
		}
		out.Dwellings = 1
		if br.Heat.Kind == heat.MultiFamily { // TABULA MFH/AB: flats
			out.Dwellings = max(1, int(math.Round(floor/sc.FlatFloorAreaM2.Value)))
		}
		out.AnnualUseKWh = float64(out.Dwellings) * sc.HouseholdAnnualUseKWh.Value
		maxKWp = float64(out.Dwellings) * sc.ResidentialMaxKWp.Value
	case econ.OwnerFarm:
		share := p.sc.PV.SelfConsumption.Agricultural.Value
		in.SelfConsumptionShare = &share
		out.AnnualUseKWh = math.NaN()
	default:
		out.AnnualUseKWh = sc.NonResidentialElecKWhM2.Value * floor
	}
	if in.SelfConsumptionShare == nil {
		if !(out.AnnualUseKWh > 0) {
			out.Reason = "no electricity use"
			return out
		}
		c, err := p.curve(roofs[best].TiltDeg, roofs[best].AzimuthDeg, out.Owner.LoadProfileKind())
		if err != nil {
			out.Reason = "self-consumption curve: " + err.Error()
			return out
		}
		in.Curve = c.WithLoadScale(out.AnnualUseKWh)
	}
	total := 0.0
	for _, pl := range planes {
		total += pl.KWp
	}
	hi := math.Min(maxKWp, total)
	step := math.Max(0.5, (hi-minKWp)/sizeSteps)
	res, err := p.m.BestSizeOnPlanes(in, planes, minKWp, hi, step)
	if err != nil {
		out.Reason = fmt.Sprintf("sizing: %v", err)
		return out
	}
	out.OK, out.Best, out.Economic = true, res, res.NPVEUR >= 0
	out.NPVP90EUR, out.NPVP10EUR = p.npvQuantiles(in, res)
	return out
}

// planeEconKWp distributes a building's economic system over its kept
// planes best-yield first (the fill of econ.FilledYield): the capacity of
// each plane used by the economic potential, NaN when not computed.
func planeEconKWp(e *BuildingPVEcon, roofs []pv.RoofPV) []float64 {
	out := make([]float64, len(roofs))
	if !e.OK {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	left := e.EconKWp()
	idx := make([]int, 0, len(roofs))
	for k := range roofs {
		if roofs[k].Kept && roofs[k].KWp > 0 {
			idx = append(idx, k)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return roofs[idx[a]].SpecificYieldKWhKWp > roofs[idx[b]].SpecificYieldKWhKWp })
	for _, k := range idx {
		take := math.Min(left, roofs[k].KWp)
		out[k] = take
		left -= take
	}
	return out
}

// ParcelPVEcon sums the owner economics of a parcel's buildings.
type ParcelPVEcon struct {
	// Systems: buildings whose economics were computed; Economic: those
	// with NPV ≥ 0 (counted in the economic potential).
	Systems, Economic int
	// EconKWp, EconKWhYr, SelfConsumedKWhYr: economic potential (systems
	// with NPV ≥ 0).
	EconKWp, EconKWhYr, SelfConsumedKWhYr float64
	// NPVEUR, NPVP90EUR, NPVP10EUR, InvestmentEUR: sums over every computed
	// system (the best size of each owner, built or not: a negative sum
	// says the parcel's roofs do not pay). Quantiles add as bounds (the
	// yield errors of one territory are fully correlated).
	NPVEUR, NPVP90EUR, NPVP10EUR, InvestmentEUR float64
	// Single is the system when the parcel has exactly one computed
	// system (SingleOK; its IRR, payback and LCOE are then the parcel's).
	Single   econ.SystemResult
	SingleOK bool
}

func (p *ParcelPVEcon) add(b *BuildingPVEcon) {
	if !b.OK {
		return
	}
	p.Systems++
	p.SingleOK = p.Systems == 1
	if p.SingleOK {
		p.Single = b.Best
	} else {
		p.Single = econ.SystemResult{}
	}
	p.NPVEUR += b.Best.NPVEUR
	p.NPVP90EUR += b.NPVP90EUR
	p.NPVP10EUR += b.NPVP10EUR
	p.InvestmentEUR += b.Best.InvestmentEUR
	if !b.Economic {
		return
	}
	p.Economic++
	p.EconKWp += b.Best.KWp
	p.EconKWhYr += b.Best.ProductionKWhYr1
	p.SelfConsumedKWhYr += b.Best.SelfConsumedKWhYr1
}

// parcelPV sums the owner economics of the parcel's buildings into pr and
// runs the Monte Carlo of the yield of the parcel's technical potential
// (weather year, model error with the resource bias, roof pitch; the
// usable area is a separate range, not a draw: FixedArea).
func (e *evaluator) parcelPV(p *geo.Parcel, bres []BuildingResult, pr *ParcelResult, s *scratch, s1w, s2w, w float64) {
	o := &pr.PVOwner
	for _, bi := range p.BuildingIdx {
		o.add(&bres[bi].PVEcon)
	}
	if o.Systems > 0 {
		nan := math.NaN()
		pr.PVEcon = econ.Economics{InvestmentEUR: o.InvestmentEUR, NPVEUR: o.NPVEUR, IRRPct: nan, LCOEEURPerKWh: nan,
			SimplePaybackYr: nan, DiscountedPaybackYr: nan,
			CO2AvoidedKgYr: o.EconKWhYr * e.o.Scenario.Econ.CO2.ElectricityOtherUses.Value}
		if o.SingleOK {
			r := &o.Single
			pr.PVEcon.IRRPct, pr.PVEcon.LCOEEURPerKWh = r.IRRPct, r.LCOEEURPerKWh
			pr.PVEcon.SimplePaybackYr, pr.PVEcon.DiscountedPaybackYr = r.SimplePaybackYr, r.DiscountedPaybackYr
		}
		pr.PVEconOK = true
	}
	if pr.PV.KWp <= 0 {
		return
	}
	in := uncertainty.PVUncertaintyInput{Econ: econ.PVEconomicsOptions{Kind: econ.PVRooftop, Segment: pr.RooftopSegment,
		KWp: pr.PV.KWp, YieldKWhYr1: pr.PV.KWhYr, SelfConsumptionShare: new(float64)}, FixedArea: true}
	if w > 0 {
		in.PitchSensitivityPerDeg, in.PitchCurvaturePerDeg2 = s1w/w, s2w/w
	}
	if len(s.mcBuf) < 2*e.mc.N() {
		s.mcBuf = make([]float64, 2*e.mc.N())
	}
	if q, err := e.mc.PV(in, s.mcBuf); err == nil {
		// NPV quantiles of the owners' systems (the Monte Carlo's NPV is
		// that of the whole technical potential as one system: not kept).
		q.NPVP90EUR, q.NPVP50EUR, q.NPVP10EUR = math.NaN(), math.NaN(), math.NaN()
		if o.Systems > 0 {
			q.NPVP90EUR, q.NPVP50EUR, q.NPVP10EUR = o.NPVP90EUR, o.NPVEUR, o.NPVP10EUR
		}
		pr.PVQuantiles, pr.PVQuantilesOK = q, true
	}
}

// planeEconAll returns, parallel to Territory.Planes, each plane's
// capacity in its building's economic potential (NaN: not computed).
func planeEconAll(r *Result) []float64 {
	t := r.Territory
	out := make([]float64, len(t.Planes))
	for i := range t.Buildings {
		lo, hi := t.PlaneStart[i], t.PlaneStart[i+1]
		var e *BuildingPVEcon
		if i < len(r.Buildings) {
			e = &r.Buildings[i].PVEcon
		} else {
			e = &BuildingPVEcon{}
		}
		copy(out[lo:hi], planeEconKWp(e, r.PV.Roofs[lo:hi]))
	}
	return out
}

func pvOwner(b *BuildingResult) string {
	if !b.PVEcon.OK {
		return ""
	}
	return string(b.PVEcon.Owner)
}

func vatPaid(e *BuildingPVEcon) float64 {
	if e.Best.VATRecovered {
		return 0
	}
	return e.Best.VATPct
}

func pvBand(e *BuildingPVEcon) string {
	if !e.OK {
		return ""
	}
	return e.Best.Band + " / " + e.Best.Option
}

func psVal(s *PlaneStats, f func(*PlaneStats) float64) float64 {
	if s == nil {
		return math.NaN()
	}
	return f(s)
}

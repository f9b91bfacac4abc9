package econ

import (
	"math"
	"sort"
)

// Fast NPV for the sizing scans (issue 16: the owner economics of a
// million buildings). A sizing scan evaluates 13–40 sizes of one building
// and needs only their NPV; Evaluate builds a whole SystemResult per size
// (band labels by fmt.Sprintf, option and cash-flow slices, LCOE,
// paybacks). OwnerEconomics.npv computes the same NPV — the same operations in the
// same order, so the same bits (TestNPVFastMatchesEvaluate) — with no
// allocation, from tables built once per scan: the discount factors
// v_t = (…(1/(1+d))…)/(1+d) and the retail prices p_t = (…(p·(1+e))…)·(1+e)
// of evaluate's recurrences (cashFlows, systemNPV), which do not depend on
// the size. It shares evaluate's input checks (checkSystemInput), outlay
// (outlayOf) and yearly cash-flow rule (flowRule); only the discounting
// is streamed. Anything the fast path does not cover (an hourly PV profile
// instead of a curve, invalid input, a lifetime above maxTableYears) goes
// through evaluate, so errors are evaluate's own.

// maxTableYears bounds the lifetimes the tables hold (30 years by
// default); longer lifetimes take evaluate's path.
const maxTableYears = 100

// npvTables are the size-independent factors of one owner's cash flows
// under m.P: v[t] the discount factor of year t (v[0] = 1), price[t] the
// retail price (€/kWh) in year t (t = 1..L).
type npvTables struct {
	ok           bool
	owner        OwnerType // parsed
	L, C, R      int
	d, deg       float64
	retail, post float64
	v, price     [maxTableYears + 1]float64
}

// initNPVTables fills t with the tables of owner o under m.P (t.ok false
// when the fast path cannot be used: an unknown owner, a lifetime out of
// range). t is the caller's (on its stack: no allocation).
func (m *OwnerEconomics) initNPVTables(t *npvTables, owner OwnerType) {
	p := &m.P
	t.ok = false
	o, err := ParseOwnerType(string(owner))
	if err != nil {
		return
	}
	t.owner = o
	L := int(p.LifetimeYr.Value)
	if L < 0 || L > maxTableYears {
		return
	}
	t.L, t.C, t.R = L, int(p.ContractYears.Value), int(p.InverterLifeYr.Value)
	t.d = o.DiscountRatePct(p) / 100
	t.deg = 1 - p.DegradationPctYr.Value/100
	t.retail, t.post = o.RetailPrice(p), p.PostContractEURPerKWh.Value
	// The same recurrences as systemNPV (v /= 1+d) and cashFlows (price
	// *= esc), evaluated once.
	esc := 1 + p.PriceEscalationPct.Value/100
	v, price := 1.0, t.retail
	for y := 0; y <= L; y++ {
		t.v[y] = v
		v /= 1 + t.d
		if y >= 1 {
			t.price[y] = price
			price *= esc
		}
	}
	t.ok = true
}

// flowsNPV is systemNPV(d, cashFlows(…)) of one sale option (fr: its
// rule), streamed: the same terms in the same order (see Evaluate for the
// cash flows).
func (t *npvTables) flowsNPV(inv, prod float64, fr *flowRule) float64 {
	s := 0.0
	s += -inv * t.v[0]
	e := prod
	nextInv := t.L // r.InverterYears: R, 2R, … < L
	if t.R > 0 {
		nextInv = t.R
	}
	for y := 1; y <= t.L; y++ {
		inverter := y == nextInv && y < t.L
		if inverter {
			nextInv += t.R
		}
		s += fr.at(y, e, t.price[y], inverter) * t.v[y]
		e *= t.deg
	}
	return s
}

// npv returns evaluate(in, false).NPVEUR, or ok = false when the fast
// path does not apply (the caller then calls evaluate).
func (m *OwnerEconomics) npv(t *npvTables, in *SystemInput) (npv float64, ok bool) {
	if !t.ok {
		return 0, false
	}
	p := &m.P
	if checkSystemInput(in) != nil { // evaluate's error
		return 0, false
	}
	o := t.owner
	prod := in.KWp * in.SpecificYield
	var share float64
	switch {
	case in.SelfConsumptionShare != nil:
		s := *in.SelfConsumptionShare
		if !(s >= 0 && s <= 1) {
			return 0, false
		}
		share = s
	case in.Curve != nil:
		if !(in.Curve.ProductionPerKWp() > 0) {
			return 0, false
		}
		k := in.KWp * in.SpecificYield / in.Curve.ProductionPerKWp()
		self := in.Curve.SelfConsumed(k)
		if prod > 0 {
			share = self / prod
		}
	default: // hourly profile and load, or nothing: evaluate's path
		return 0, false
	}
	ol := m.outlayOf(o, in)
	band, found := p.BandFor(in.KWp)
	if !found {
		return 0, false
	}
	best, have := 0.0, false
	if band.SurplusEURPerKWh > 0 {
		fr := flowRule{C: t.C, post: t.post, premiumYears: band.PremiumYears, self: share, tariff: band.SurplusEURPerKWh,
			premYr: band.PremiumEURPerKWp * in.KWp / float64(band.PremiumYears), om: ol.om, repl: ol.repl}
		best, have = t.flowsNPV(ol.inv, prod, &fr), true
	}
	if band.FullSaleEURPerKWh > 0 && band.FullSaleEURPerKWh != band.SurplusEURPerKWh {
		fr := flowRule{C: t.C, post: t.post, premiumYears: 1, tariff: band.FullSaleEURPerKWh, om: ol.om, repl: ol.repl}
		if f := t.flowsNPV(ol.inv, prod, &fr); !have || f > best {
			best, have = f, true
		}
	}
	if !have { // no option: evaluate's behaviour
		return 0, false
	}
	return best, true
}

// NPVOf returns EvaluateNPV(in).NPVEUR and its error, bit for bit, without
// building the SystemResult (no allocation when in has a Curve or a
// SelfConsumptionShare): for sensitivity differences and sizing loops.
func (m *OwnerEconomics) NPVOf(in SystemInput) (float64, error) {
	var t npvTables
	m.initNPVTables(&t, in.Owner)
	if v, ok := m.npv(&t, &in); ok {
		return v, nil
	}
	r, err := m.evaluate(in, false)
	return r.NPVEUR, err
}

// planeFill is FilledYield with the planes sorted once (sizing scans call
// it per size): the same fill, the same operations.
type planeFill struct {
	sorted []PlaneCapacity
	valid  bool // every plane finite and ≥ 0: FilledYield cannot fail on a plane
}

func newPlaneFill(planes []PlaneCapacity) planeFill {
	idx := make([]int, len(planes))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return planes[idx[a]].SpecificYield > planes[idx[b]].SpecificYield })
	f := planeFill{sorted: make([]PlaneCapacity, len(planes)), valid: true}
	for k, i := range idx {
		p := planes[i]
		f.sorted[k] = p
		if !(p.KWp >= 0) || !(p.SpecificYield >= 0) || math.IsInf(p.KWp, 0) || math.IsInf(p.SpecificYield, 0) {
			f.valid = false
		}
	}
	return f
}

// yield is FilledYield(planes, kWp) for valid planes (ok false: the caller
// calls FilledYield for its error).
func (f *planeFill) yield(kWp float64) (float64, bool) {
	left, e := kWp, 0.0
	for _, p := range f.sorted {
		take := math.Min(left, p.KWp)
		e += take * p.SpecificYield
		left -= take
		if left <= 0 {
			break
		}
	}
	if left > 1e-9*math.Max(1, kWp) || kWp == 0 {
		return math.NaN(), false
	}
	return e / kWp, true
}

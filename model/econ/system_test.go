package econ

import (
	"errors"
	"math"
	"testing"
)

type sweepCase struct {
	owner OwnerType
	load  []float64
	label string
}

func sweepCases(t *testing.T) []sweepCase {
	return []sweepCase{
		{OwnerHousehold, mustLoad(t, ProfileH25, 4700), "household, H25 4.7 MWh/yr"},
		{OwnerBusiness, mustLoad(t, ProfileG25, 50000), "business, G25 50 MWh/yr"},
		{OwnerCommunity, mustLoad(t, ProfileG25, 30000), "community, G25 30 MWh/yr"},
		{OwnerFarm, mustLoad(t, ProfileL25, 20000), "farm, L25 20 MWh/yr"},
	}
}

// npvStep is the change of NPV per kWp between two neighbouring sizes,
// relative to the larger of |NPV per kWp| (both sides) and the investment
// per kWp. Relative to |NPV/kWp| alone the ratio is unbounded wherever the
// NPV crosses zero (a smooth slope of 20 €/kWp per 0.1 kWp is "20 %" of an
// NPV of −100 €/kWp); the investment per kWp is the scale of the money at
// stake, so a 5 % step is 5 % of it or of the NPV, whichever is larger.
func npvStep(a, b SystemResult) float64 {
	den := math.Max(math.Max(math.Abs(a.NPVPerKWp), math.Abs(b.NPVPerKWp)), a.InvestmentEUR/a.KWp)
	return math.Abs(b.NPVPerKWp-a.NPVPerKWp) / den
}

// npvStepRaw is the change relative to the larger |NPV per kWp| alone
// (reported where that NPV is at least 20 % of the investment per kWp).
func npvStepRaw(a, b SystemResult) (float64, bool) {
	den := math.Max(math.Abs(a.NPVPerKWp), math.Abs(b.NPVPerKWp))
	return math.Abs(b.NPVPerKWp-a.NPVPerKWp) / den, den >= 0.2*a.InvestmentEUR/a.KWp
}

func crossesBoundary(lo, hi float64, bounds []float64) (float64, bool) {
	for _, x := range bounds {
		if lo <= x && x < hi {
			return x, true
		}
	}
	return 0, false
}

// Issue 12 "must show": sweeping 2–120 kWp in 0.1 kWp steps at a fixed
// specific yield, no step in NPV per kWp above 5 % between neighbours except
// across a cited tariff/VAT boundary, and self-consumed energy never above
// the load.
func TestSweepContinuousExceptAtCitedBoundaries(t *testing.T) {
	m := mustEcon(t)
	pv := samplePVShape(t)
	bounds := m.P.TariffBoundariesKWp()
	t.Logf("cited boundaries (kWp): %v", bounds)
	for _, c := range sweepCases(t) {
		var prev SystemResult
		maxStep, maxAt, maxRaw, maxRawAt := 0.0, 0.0, 0.0, 0.0
		jumps := map[float64]float64{}
		for i := 20; i <= 1200; i++ {
			kwp := float64(i) / 10
			r, err := m.Evaluate(SystemInput{Owner: c.owner, KWp: kwp, SpecificYield: 1200, PVProfile: pv, Load: c.load})
			if err != nil {
				t.Fatal(err)
			}
			if r.SelfConsumedKWhYr1 > r.LoadKWhYr+1e-9 {
				t.Fatalf("%s %g kWp: self-consumed %g kWh above the load %g", c.label, kwp, r.SelfConsumedKWhYr1, r.LoadKWhYr)
			}
			if r.SelfConsumedKWhYr1 > r.ProductionKWhYr1+1e-9 {
				t.Fatalf("%s %g kWp: self-consumed %g kWh above production %g", c.label, kwp, r.SelfConsumedKWhYr1, r.ProductionKWhYr1)
			}
			if i > 20 {
				s := npvStep(prev, r)
				if b, ok := crossesBoundary(prev.KWp, r.KWp, bounds); ok {
					jumps[b] = r.NPVPerKWp - prev.NPVPerKWp
				} else {
					if s > maxStep {
						maxStep, maxAt = s, kwp
					}
					if raw, ok := npvStepRaw(prev, r); ok && raw > maxRaw {
						maxRaw, maxRawAt = raw, kwp
					}
					if s > 0.05 {
						t.Errorf("%s: NPV/kWp step %.1f %% between %.1f and %.1f kWp (%.0f → %.0f €/kWp), no cited boundary there",
							c.label, 100*s, prev.KWp, kwp, prev.NPVPerKWp, r.NPVPerKWp)
					}
				}
			}
			prev = r
		}
		t.Logf("%s: largest step off boundaries %.2f %% (at %.1f kWp); relative to |NPV/kWp| alone, where |NPV| ≥ 20 %% of the investment: %.2f %% (at %.1f kWp); jumps at boundaries (€/kWp): %v",
			c.label, 100*maxStep, maxAt, 100*maxRaw, maxRawAt, jumps)
	}
}

// With the support scheme made uniform (one band, one VAT rate), the same
// sweep has no step above 5 % anywhere: the remaining steps come only from
// the cited boundaries, none from the capex or the self-consumption.
func TestSweepUniformSchemeHasNoStep(t *testing.T) {
	p := DefaultSystemParams()
	b := p.S21[1] // 9–36 kWc band, both options
	b.MinKWp, b.MaxKWp = 0, math.Inf(1)
	p.S21 = []S21Band{b}
	p.HouseholdReducedVATEligible.Value = 0
	p.VATIntermMaxKWp.Value, p.VATReducedMaxKWp.Value = 0, 0 // 20 % everywhere for households
	m, err := NewOwnerEconomics(p)
	if err != nil {
		t.Fatal(err)
	}
	pv := samplePVShape(t)
	for _, c := range sweepCases(t) {
		var prev SystemResult
		worst := 0.0
		for i := 20; i <= 1200; i++ {
			r, err := m.Evaluate(SystemInput{Owner: c.owner, KWp: float64(i) / 10, SpecificYield: 1200, PVProfile: pv, Load: c.load})
			if err != nil {
				t.Fatal(err)
			}
			if i > 20 {
				worst = math.Max(worst, npvStep(prev, r))
			}
			prev = r
		}
		t.Logf("%s, uniform scheme: largest NPV/kWp step %.2f %%", c.label, 100*worst)
		if worst > 0.05 {
			t.Errorf("%s: uniform scheme still has a %.1f %% step", c.label, 100*worst)
		}
	}
}

// The 9 kWp and 36 kWp cliffs of issue 12 (NPV −7,552 € at 9.0 kWp vs
// +4,300 € at 9.1 kWp; +4,404 € at 36.0 vs +17,926 € at 36.1, same yield)
// came from capex size classes. Now the NPV change across 9.0→9.1 and
// 36.0→36.1 is the change obtained by switching only the tariff band and
// VAT rate at a fixed size, plus the ordinary growth of 0.1 kWp (equal,
// within 0.5 % of the investment, to the 8.9→9.0 or 35.9→36.0 step).
func TestNoCapexCliffsAt9And36(t *testing.T) {
	m := mustEcon(t)
	pv := samplePVShape(t)
	for _, c := range sweepCases(t) {
		for _, edge := range []float64{9, 36} {
			lo, err := m.Evaluate(SystemInput{Owner: c.owner, KWp: edge, SpecificYield: 1200, PVProfile: pv, Load: c.load})
			if err != nil {
				t.Fatal(err)
			}
			hi, err := m.Evaluate(SystemInput{Owner: c.owner, KWp: edge + 0.1, SpecificYield: 1200, PVProfile: pv, Load: c.load})
			if err != nil {
				t.Fatal(err)
			}
			// Same band and VAT as edge+0.1, evaluated at edge: move the
			// boundary just below edge.
			p := m.P
			p.S21 = append([]S21Band(nil), m.P.S21...)
			for i := range p.S21 {
				if p.S21[i].MaxKWp == edge {
					p.S21[i].MaxKWp = edge - 0.05
				}
				if p.S21[i].MinKWp == edge {
					p.S21[i].MinKWp = edge - 0.05
				}
			}
			if p.VATReducedMaxKWp.Value == edge {
				p.VATReducedMaxKWp.Value = edge - 0.05
			}
			m2 := &OwnerEconomics{P: p, Curve: m.Curve}
			if err := p.CheckSystem(); err != nil {
				t.Fatal(err)
			}
			loHiScheme, err := m2.Evaluate(SystemInput{Owner: c.owner, KWp: edge, SpecificYield: 1200, PVProfile: pv, Load: c.load})
			if err != nil {
				t.Fatal(err)
			}
			below, err := m.Evaluate(SystemInput{Owner: c.owner, KWp: edge - 0.1, SpecificYield: 1200, PVProfile: pv, Load: c.load})
			if err != nil {
				t.Fatal(err)
			}
			tariffPart := loHiScheme.NPVEUR - lo.NPVEUR
			rest := (hi.NPVEUR - lo.NPVEUR) - tariffPart // the 0.1 kWp growth itself
			smooth := lo.NPVEUR - below.NPVEUR           // the same growth one step earlier, same band
			t.Logf("%s: NPV %.1f kWp %.0f €, %.1f kWp %.0f € (Δ %.0f € = tariff/VAT %.0f € + size %.0f €; size step just below: %.0f €)",
				c.label, edge, lo.NPVEUR, edge+0.1, hi.NPVEUR, hi.NPVEUR-lo.NPVEUR, tariffPart, rest, smooth)
			if math.Abs(rest-smooth) > 0.005*lo.InvestmentEUR {
				t.Errorf("%s at %g kWp: the size part of the NPV change (%.0f €) differs from the in-band step below (%.0f €) by more than 0.5 %% of the %.0f € investment",
					c.label, edge, rest, smooth, lo.InvestmentEUR)
			}
		}
	}
}

func TestSystemFinanceHelpers(t *testing.T) {
	if r := systemIRR([]float64{-100, 110}); math.Abs(r-0.10) > 1e-9 {
		t.Errorf("IRR = %g, want 0.10", r)
	}
	cf := []float64{-1000, 300, 300, 300, 300, 300}
	r := systemIRR(cf)
	if v := systemNPV(r, cf); math.Abs(v) > 1e-6 {
		t.Errorf("NPV at IRR %g = %g, want 0", r, v)
	}
	if r := systemIRR([]float64{-100, -5}); !math.IsNaN(r) {
		t.Errorf("IRR without sign change = %g, want NaN", r)
	}
	if p := systemPayback([]float64{-100, 50, 50, 50}, 0); p != 2 {
		t.Errorf("payback = %g, want 2", p)
	}
	if p := systemPayback([]float64{-100, 40, 40, 40}, 0); math.Abs(p-2.5) > 1e-12 {
		t.Errorf("payback = %g, want 2.5", p)
	}
	if p := systemPayback([]float64{-100, 10, 10}, 0); !math.IsInf(p, 1) {
		t.Errorf("payback = %g, want +Inf", p)
	}
	if v := systemNPV(0.1, []float64{-100, 110}); math.Abs(v) > 1e-12 {
		t.Errorf("NPV = %g, want 0", v)
	}
}

// Cash flows, NPV and LCOE by hand for a simple case: one year of life, no
// degradation, no escalation, no O&M, no inverter, fixed self-consumption.
func TestEvaluateByHand(t *testing.T) {
	p := DefaultSystemParams()
	p.LifetimeYr.Value, p.DegradationPctYr.Value, p.PriceEscalationPct.Value = 1, 0, 0
	p.OMPctCapexYr.Value, p.InverterLifeYr.Value = 0, 0
	p.DiscountRateBusiness.Value = 5
	m, err := NewOwnerEconomics(p)
	if err != nil {
		t.Fatal(err)
	}
	s := 0.6
	r, err := m.Evaluate(SystemInput{Owner: OwnerBusiness, KWp: 20, SpecificYield: 1000, SelfConsumptionShare: &s, CapexEURPerKWpHT: 1000})
	if err != nil {
		t.Fatal(err)
	}
	// 20,000 kWh: 12,000 × 0.168 + 8,000 × 0.0536 + premium 140 × 20 / 5.
	cf1 := 12000*0.168 + 8000*0.0536 + 140*20.0/5
	want := -20000 + cf1/1.05
	if r.Option != "surplus" || math.Abs(r.NPVEUR-want) > 1e-6 {
		t.Errorf("NPV %g (%s), want %g (surplus)", r.NPVEUR, r.Option, want)
	}
	if math.Abs(r.LCOEEURPerKWh-20000/(20000/1.05)) > 1e-12 {
		t.Errorf("LCOE %g, want %g", r.LCOEEURPerKWh, 1.05)
	}
	if r.VATPct != 0 || !r.VATRecovered || r.InvestmentEUR != 20000 {
		t.Errorf("business VAT %g recovered %v investment %g: want HT", r.VATPct, r.VATRecovered, r.InvestmentEUR)
	}
}

func TestVATPerOwner(t *testing.T) {
	p := DefaultSystemParams()
	for _, c := range []struct {
		owner    OwnerType
		eligible float64
		kwp      float64
		want     float64
	}{
		{OwnerHousehold, 1, 3, 5.5}, {OwnerHousehold, 1, 9, 5.5}, {OwnerHousehold, 1, 9.1, 20},
		{OwnerHousehold, 0, 3, 10}, {OwnerHousehold, 0, 3.1, 20}, {OwnerHousehold, 0, 9, 20},
		{OwnerBusiness, 1, 6, 0}, {OwnerCommunity, 1, 6, 0}, {OwnerFarm, 1, 60, 0},
	} {
		p.HouseholdReducedVATEligible.Value = c.eligible
		if got, _ := c.owner.VATPct(&p, c.kwp); got != c.want {
			t.Errorf("%s, eligible %g, %g kWp: VAT %g %%, want %g %%", c.owner, c.eligible, c.kwp, got, c.want)
		}
	}
}

func TestEvaluateRejectsBadInput(t *testing.T) {
	m := mustEcon(t)
	s := 0.5
	bad := 1.5
	for name, in := range map[string]SystemInput{
		"zero kWp":       {Owner: OwnerHousehold, KWp: 0, SpecificYield: 1000, SelfConsumptionShare: &s},
		"NaN yield":      {Owner: OwnerHousehold, KWp: 3, SpecificYield: math.NaN(), SelfConsumptionShare: &s},
		"share > 1":      {Owner: OwnerHousehold, KWp: 3, SpecificYield: 1000, SelfConsumptionShare: &bad},
		"no self-cons.":  {Owner: OwnerHousehold, KWp: 3, SpecificYield: 1000},
		"unknown owner":  {Owner: "landlord", KWp: 3, SpecificYield: 1000, SelfConsumptionShare: &s},
		"negative capex": {Owner: OwnerHousehold, KWp: 3, SpecificYield: 1000, SelfConsumptionShare: &s, CapexEURPerKWpHT: -1},
	} {
		if _, err := m.Evaluate(in); !errors.Is(err, ErrSystemInput) {
			t.Errorf("%s: error %v, want ErrSystemInput", name, err)
		}
	}
	p := DefaultSystemParams()
	p.S21[1].MinKWp = 10
	if err := p.CheckSystem(); !errors.Is(err, ErrSystemParams) {
		t.Errorf("gap between bands accepted: %v", err)
	}
}

// Plausibility against outside references (residential 3–6 kWp, 1,200
// kWh/kWp, 4.7 MWh/yr household, default assumptions):
//   - LCOE within 0.08–0.15 €/kWh, the 2025 range of photovoltaique.blog
//     ("Rentabilité panneau solaire 2025": coût de revient du kWh entre
//     0,08 € et 0,15 €);
//   - self-consumption of 3–4.5 kWp within 30–50 %, the range without
//     battery given by rayonvertenergies.fr (2025) and insunwetrust.solar
//     (25–50 %).
func TestPlausibilityResidential(t *testing.T) {
	m := mustEcon(t)
	pv := samplePVShape(t)
	load := mustLoad(t, ProfileH25, 4700)
	for _, kwp := range []float64{3, 4.5, 6} {
		r, err := m.Evaluate(SystemInput{Owner: OwnerHousehold, KWp: kwp, SpecificYield: 1200, PVProfile: pv, Load: load})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%g kWp: investment %.0f € TTC, self-consumption %.1f %%, NPV %.0f €, IRR %.1f %%, LCOE %.3f €/kWh, payback %.1f yr",
			kwp, r.InvestmentEUR, 100*r.SelfConsumptionShare, r.NPVEUR, r.IRRPct, r.LCOEEURPerKWh, r.SimplePaybackYr)
		if r.LCOEEURPerKWh < 0.08 || r.LCOEEURPerKWh > 0.15 {
			t.Errorf("%g kWp: LCOE %.3f €/kWh outside the published 0.08–0.15", kwp, r.LCOEEURPerKWh)
		}
		if kwp <= 4.5 && (r.SelfConsumptionShare < 0.30 || r.SelfConsumptionShare > 0.50) {
			t.Errorf("%g kWp: self-consumption %.2f outside the published 0.30–0.50", kwp, r.SelfConsumptionShare)
		}
	}
}

func TestSensitivityRows(t *testing.T) {
	m := mustEcon(t)
	pv := samplePVShape(t)
	load := mustLoad(t, ProfileH25, 4700)
	rows, err := m.Sensitivity(SystemInput{Owner: OwnerHousehold, KWp: 4.5, SpecificYield: 1200, PVProfile: pv, Load: load})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	base := rows[0]
	for _, r := range rows {
		seen[r.Factor] = true
		t.Logf("%-16s %-48s NPV %7.0f € IRR %5.1f %% LCOE %.3f payback %5.1f", r.Factor, r.Case, r.NPVEUR, r.IRRPct, r.LCOEEURPerKWh, r.SimplePaybackYr)
	}
	for _, f := range []string{"base", "lifetime", "om", "vat", "self_consumption", "escalation", "discount_rate", "capex"} {
		if !seen[f] {
			t.Errorf("sensitivity lacks %s", f)
		}
	}
	// Directions that must hold.
	for _, r := range rows {
		switch r.Case {
		case "durée de vie 20 ans", "exploitation-maintenance 2 %/an", "TVA 10 %/20 % (conditions 5,5 % non remplies)", "investissement +20 %":
			if !(r.NPVEUR < base.NPVEUR) {
				t.Errorf("%s: NPV %.0f not below base %.0f", r.Case, r.NPVEUR, base.NPVEUR)
			}
		case "hausse du prix de l'électricité 4 %/an", "investissement −20 %":
			if !(r.NPVEUR > base.NPVEUR) {
				t.Errorf("%s: NPV %.0f not above base %.0f", r.Case, r.NPVEUR, base.NPVEUR)
			}
		}
	}
}

func TestBestSizeHousehold(t *testing.T) {
	m := mustEcon(t)
	pv := samplePVShape(t)
	load := mustLoad(t, ProfileH25, 4700)
	curve, err := NewSelfConsumptionCurve(pv, load)
	if err != nil {
		t.Fatal(err)
	}
	in := SystemInput{Owner: OwnerHousehold, SpecificYield: 1200, Curve: curve}
	best, err := m.BestSize(in, m.P.ResidentialMinKWp.Value, 9, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	// Brute force with the direct hourly matching.
	bf := math.Inf(-1)
	for k := 30; k <= 90; k++ {
		r, err := m.Evaluate(SystemInput{Owner: OwnerHousehold, KWp: float64(k) / 10, SpecificYield: 1200, PVProfile: pv, Load: load})
		if err != nil {
			t.Fatal(err)
		}
		bf = math.Max(bf, r.NPVEUR)
	}
	if math.Abs(best.NPVEUR-bf) > 1e-6*math.Max(1, math.Abs(bf)) {
		t.Errorf("BestSize NPV %.3f at %g kWp, brute force %.3f", best.NPVEUR, best.KWp, bf)
	}
	t.Logf("household 4.7 MWh/yr, 1,200 kWh/kWp: best size %.1f kWp, NPV %.0f €, self-consumption %.1f %%", best.KWp, best.NPVEUR, 100*best.SelfConsumptionShare)
	// Roof smaller than the smallest offer: the roof's capacity.
	small, err := m.BestSize(in, 3, 2.2, 0.1)
	if err != nil || small.KWp != 2.2 {
		t.Errorf("2.2 kWp roof: sized %g kWp (%v), want 2.2", small.KWp, err)
	}
}

func TestOwnerForUseAndProfiles(t *testing.T) {
	for use, want := range map[string]OwnerType{"Résidentiel": OwnerHousehold, "Agricole": OwnerFarm, "Sportif": OwnerCommunity,
		"Commercial et services": OwnerBusiness, "Industriel": OwnerBusiness, "": OwnerBusiness} {
		if got := OwnerForUse(use); got != want {
			t.Errorf("OwnerForUse(%q) = %s, want %s", use, got, want)
		}
	}
	for o, want := range map[OwnerType]ProfileKind{OwnerHousehold: ProfileH25, OwnerBusiness: ProfileG25, OwnerCommunity: ProfileG25, OwnerFarm: ProfileL25} {
		if got := o.LoadProfileKind(); got != want {
			t.Errorf("%s: profile %s, want %s", o, got, want)
		}
	}
}

func TestFilledYieldAndBestSizeOnPlanes(t *testing.T) {
	planes := []PlaneCapacity{{KWp: 4, SpecificYield: 900}, {KWp: 5, SpecificYield: 1250}}
	for _, c := range []struct{ kwp, want float64 }{{2, 1250}, {5, 1250}, {7, (5*1250 + 2*900) / 7.0}, {9, (5*1250 + 4*900) / 9.0}} {
		if got, err := FilledYield(planes, c.kwp); err != nil || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("FilledYield(%g) = %g, %v; want %g", c.kwp, got, err, c.want)
		}
	}
	if _, err := FilledYield(planes, 9.5); !errors.Is(err, ErrSystemInput) {
		t.Errorf("9.5 kWp on 9 kWp of planes: %v, want ErrSystemInput", err)
	}
	m := mustEcon(t)
	curve, err := NewSelfConsumptionCurve(samplePVShape(t), mustLoad(t, ProfileG25, 20000))
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.BestSizeOnPlanes(SystemInput{Owner: OwnerBusiness, Curve: curve}, planes, 2, 100, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	if r.KWp > 9 || r.KWp < 2 {
		t.Errorf("sized %g kWp on 9 kWp of planes", r.KWp)
	}
	if y, _ := FilledYield(planes, r.KWp); math.Abs(r.SpecificYield-y) > 1e-9 {
		t.Errorf("chosen size's yield %g, want the filled yield %g", r.SpecificYield, y)
	}
	t.Logf("business 20 MWh/yr on 5 kWp south + 4 kWp north: best %.1f kWp at %.0f kWh/kWp, NPV %.0f €", r.KWp, r.SpecificYield, r.NPVEUR)
}

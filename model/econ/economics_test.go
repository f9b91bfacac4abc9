package econ

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

func approx(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.6f, want %.6f ± %g", name, got, want, tol)
	}
}

// flatScenario has no discounting, no escalation, no degradation, no OPEX
// and no inverter replacement: cash flows can be summed by hand.
func flatScenario() *Params {
	sc := defaults()
	sc.Finance.DiscountRatePct.Value = 0
	sc.Prices.ElectricityEscalationPct.Value = 0
	sc.Prices.GasEscalationPct.Value = 0
	sc.Prices.FuelOilEscalationPct.Value = 0
	sc.PV.DegradationPctYr.Value = 0
	sc.PV.OpexPctCapexYr.Value = 0
	sc.PV.OpexGroundPctCapexYr.Value = 0
	sc.PV.InverterCostPctCapex.Value = 0
	// Test fixture (not the defaults): the hand-worked cases below use a
	// 20-year life, the capex of the former size classes and the S21
	// classes of quarter T13 (1 Apr–30 Jun 2025) with a last unbounded
	// full-sale class.
	sc.PV.LifetimeYr.Value = 20
	sc.PV.CapexRooftopPoints = fixtureCapex
	sc.Tariffs.S21 = fixtureS21
	return sc
}

// fixtureCapex: flat 2,250 €/kWp below 9 kWp is not a power law; the fit
// of two equal prices is the constant 2.25 €/Wp (exponent 0).
var fixtureCapex = []CapexPricePoint{{KWp: 1, EURPerWpHT: 2.25, Source: "test fixture", Date: "2025"}, {KWp: 1000, EURPerWpHT: 2.25, Source: "test fixture", Date: "2025"}}

var fixtureS21 = []S21Class{
	{MaxKWp: 9, SurplusEURPerKWh: 0.04, PremiumEURPerKWp: 80, PremiumYears: 1, Source: "test fixture (T13)", Date: "2025-04"},
	{MaxKWp: 36, SurplusEURPerKWh: 0.0761, PremiumEURPerKWp: 190, PremiumYears: 5, FullSaleEURPerKWh: 0.1295, Source: "test fixture (T13)", Date: "2025-04"},
	{MaxKWp: 100, SurplusEURPerKWh: 0.0761, PremiumEURPerKWp: 100, PremiumYears: 5, FullSaleEURPerKWh: 0.1126, Source: "test fixture (T13)", Date: "2025-04"},
	{MaxKWp: 0, PremiumYears: 1, FullSaleEURPerKWh: 0.095, Source: "test fixture (T13)", Date: "2025-04"},
}

func share(x float64) *float64 { return &x }

func TestEconPVHandWorkedResidential(t *testing.T) {
	sc := flatScenario()
	e, err := PVEconomics(sc, PVEconomicsOptions{KWp: 6, YieldKWhYr1: 7200, SelfConsumptionShare: share(0.5)})
	if err != nil {
		t.Fatal(err)
	}
	// 6 kWp falls in the ≤ 9 kWp classes: CAPEX 2,250 €/kWp × 6 = 13,500 €.
	approx(t, "investment", e.InvestmentEUR, 13500, 1e-9)
	// Savings: 0.5 × 7,200 kWh × 0.2016 €/kWh = 725.76 €/yr.
	approx(t, "savings", e.AnnualSavingsEUR, 725.76, 1e-9)
	// Surplus: 0.5 × 7,200 × 0.04 €/kWh = 144 €/yr; premium 80 €/kWp × 6 = 480 € in year 1.
	approx(t, "revenue", e.AnnualRevenueEUR, 144, 1e-9)
	approx(t, "subsidy", e.SubsidyEUR, 480, 1e-9)
	// NPV at 0 %: −13,500 + 20 × (725.76 + 144) + 480 = 4,375.2 €.
	approx(t, "NPV", e.NPVEUR, 4375.2, 1e-6)
	// Payback: year 1 brings 1,349.76 €, then 869.76 €/yr: 1 + (13,500 − 1,349.76)/869.76 = 14.9697 yr.
	approx(t, "simple payback", e.SimplePaybackYr, 1+(13500-1349.76)/869.76, 1e-9)
	approx(t, "discounted payback (0 %)", e.DiscountedPaybackYr, e.SimplePaybackYr, 1e-9)
	// LCOE: 13,500 € / (20 × 7,200 kWh) = 0.09375 €/kWh.
	approx(t, "LCOE", e.LCOEEURPerKWh, 0.09375, 1e-12)
	// CO₂: 7,200 kWh × 0.064 kg/kWh = 460.8 kg/yr.
	approx(t, "CO2", e.CO2AvoidedKgYr, 460.8, 1e-9)
	if math.IsNaN(e.IRRPct) || e.IRRPct <= 0 {
		t.Errorf("IRR %g %%, want positive (NPV > 0 at 0 %%)", e.IRRPct)
	}
	// At the IRR the NPV vanishes (checked through NPV of the cash flows).
	tm, _ := ResolvePV(sc, &PVEconomicsOptions{KWp: 6, SelfConsumptionShare: share(0.5)}, 6)
	approx(t, "NPV at IRR", NPV(e.IRRPct/100, pvCashFlows(sc, &tm, 6, 7200)), 0, 1e-6)
}

func TestEconPVSchemes(t *testing.T) {
	sc := flatScenario()
	cases := []struct {
		o         PVEconomicsOptions
		capex     float64 // €/kWp
		tariff    float64 // €/kWh on the sold share
		self      float64
		premium   float64 // €/kWp
		schemeSub string
	}{
		// 50 kWp tertiary, auto: S21 surplus 0.0761 €/kWh, premium 100 €/kWp over 5 yr, 70 % self-consumed.
		{PVEconomicsOptions{KWp: 50, Segment: SegmentTertiary}, 2250, 0.0761, 0.70, 100, "surplus"},
		// 50 kWp, full sale: 0.1126 €/kWh on everything.
		{PVEconomicsOptions{KWp: 50, Sale: SaleFull}, 2250, 0.1126, 0, 0, "full sale"},
		// 200 kWp, auto: no surplus tariff in the last class: full sale 0.095 €/kWh.
		{PVEconomicsOptions{KWp: 200, Segment: SegmentIndustrial}, 2250, 0.095, 0, 0, "full sale"},
		// 1 MWp rooftop: the last, unbounded class (tenders) → full sale 0.095.
		{PVEconomicsOptions{KWp: 1000}, 2250, 0.095, 0, 0, "full sale"},
		// Ground-mounted 5 MWp: tender 0.08, CAPEX 700.
		{PVEconomicsOptions{Kind: PVGround, KWp: 5000}, 700, 0.08, 0, 0, "tender"},
		// Car-park canopy 300 kWp: S21 class 100–500 full sale, CAPEX 1,300; APER flag passes.
		{PVEconomicsOptions{Kind: PVCarport, KWp: 300, APERObligation: true}, 1300, 0.095, 0, 0, "full sale"},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s-%gkWp-%s", c.o.Kind, c.o.KWp, c.o.Sale), func(t *testing.T) {
			c.o.YieldKWhYr1 = 1200 * c.o.KWp // 1,200 kWh/kWp
			e, err := PVEconomics(sc, c.o)
			if err != nil {
				t.Fatal(err)
			}
			approx(t, "investment", e.InvestmentEUR, c.capex*c.o.KWp, 1e-6)
			approx(t, "revenue", e.AnnualRevenueEUR, (1-c.self)*c.o.YieldKWhYr1*c.tariff, 1e-6)
			approx(t, "subsidy", e.SubsidyEUR, c.premium*c.o.KWp, 1e-9)
			if !contains(e.Scheme, c.schemeSub) {
				t.Errorf("scheme %q, want %q", e.Scheme, c.schemeSub)
			}
			if e.APERObligation != c.o.APERObligation {
				t.Error("APER flag not passed through")
			}
		})
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && (s[:len(sub)] == sub || contains(s[1:], sub)))
}

// TestEconPVClosedForm checks the closed-form NPV used by the Monte Carlo
// against NPV(cash flows) with discounting, escalation, degradation,
// OPEX, inverter replacement and a contract shorter than the lifetime.
func TestEconPVClosedForm(t *testing.T) {
	sc := defaults()
	sc.PV.LifetimeYr.Value = 30
	sc.Tariffs.ContractYears.Value = 20
	for _, o := range []PVEconomicsOptions{
		{KWp: 3, YieldKWhYr1: 3600},
		{KWp: 30, YieldKWhYr1: 33000, Segment: SegmentTertiary},
		{KWp: 30, YieldKWhYr1: 33000, Sale: SaleFull},
		{KWp: 250, YieldKWhYr1: 280000, Sale: SaleSurplus, SelfConsumptionShare: share(0.9)},
		{KWp: 2000, YieldKWhYr1: 2.4e6, Kind: PVGround},
	} {
		e, err := PVEconomics(sc, o)
		if err != nil {
			t.Fatal(err)
		}
		tm, _ := ResolvePV(sc, &o, o.KWp)
		a := NewPVAnnuities(sc, sc.Prices.ElectricityEscalationPct.Value)
		got := tm.npv(&a, sc, o.KWp, o.YieldKWhYr1)
		approx(t, fmt.Sprintf("closed-form NPV %g kWp", o.KWp), got, e.NPVEUR, 1e-6*math.Max(1, math.Abs(e.NPVEUR)))
	}
}

func TestEconPVMonotoneInYield(t *testing.T) {
	sc := defaults()
	for _, kind := range []PVKind{PVRooftop, PVGround, PVCarport} {
		prev := math.Inf(-1)
		for y := 0.0; y <= 20000; y += 1000 {
			e, err := PVEconomics(sc, PVEconomicsOptions{Kind: kind, KWp: 9, YieldKWhYr1: y})
			if err != nil {
				t.Fatal(err)
			}
			if !(e.NPVEUR > prev) {
				t.Fatalf("%s: NPV %g at %g kWh not above %g", kind, e.NPVEUR, y, prev)
			}
			prev = e.NPVEUR
		}
	}
}

func TestEconPVZeroYield(t *testing.T) {
	// Without OPEX, inverter replacement or premium (full sale), a roof that
	// produces nothing loses exactly its investment.
	sc := flatScenario()
	sc.Finance.DiscountRatePct.Value = 4
	e, err := PVEconomics(sc, PVEconomicsOptions{KWp: 36, YieldKWhYr1: 0, Sale: SaleFull})
	if err != nil {
		t.Fatal(err)
	}
	approx(t, "NPV", e.NPVEUR, -e.InvestmentEUR, 1e-9)
	if e.InvestmentEUR != 2250*36 {
		t.Errorf("investment %g", e.InvestmentEUR)
	}
	if !math.IsNaN(e.IRRPct) || !math.IsInf(e.SimplePaybackYr, 1) || !math.IsInf(e.DiscountedPaybackYr, 1) || !math.IsNaN(e.LCOEEURPerKWh) {
		t.Errorf("IRR %g, paybacks %g %g, LCOE %g: want NaN, +Inf, +Inf, NaN", e.IRRPct, e.SimplePaybackYr, e.DiscountedPaybackYr, e.LCOEEURPerKWh)
	}
	// With the default OPEX and inverter replacement it loses more, still no IRR.
	d, err := PVEconomics(defaults(), PVEconomicsOptions{KWp: 36, YieldKWhYr1: 0, Sale: SaleFull})
	if err != nil {
		t.Fatal(err)
	}
	if !(d.NPVEUR < -d.InvestmentEUR) || !math.IsNaN(d.IRRPct) {
		t.Errorf("default zero-yield: NPV %g, investment %g, IRR %g", d.NPVEUR, d.InvestmentEUR, d.IRRPct)
	}
}

func TestEconRejectsBadInput(t *testing.T) {
	sc := defaults()
	for _, o := range []PVEconomicsOptions{
		{KWp: -1, YieldKWhYr1: 100},
		{KWp: 1, YieldKWhYr1: math.NaN()},
		{KWp: 1, YieldKWhYr1: 100, SelfConsumptionShare: share(1.5)},
		{KWp: 1, YieldKWhYr1: 100, Segment: "hospital"},
		{KWp: 1, YieldKWhYr1: 100, Kind: "floating"},
		{KWp: 1, YieldKWhYr1: 100, Sale: "barter"},
	} {
		if _, err := PVEconomics(sc, o); !errors.Is(err, ErrEconomics) {
			t.Errorf("%+v: error %v, want ErrEconomics", o, err)
		}
	}
	for _, o := range []HeatPumpEconomicsOptions{
		{Kind: HeatPumpAir, HeatKWhYr: -1, SCOP: 3},
		{Kind: HeatPumpAir, HeatKWhYr: 1000},
		{Kind: "solar", HeatKWhYr: 1000, SCOP: 3},
		{Kind: HeatPumpAir, HeatKWhYr: 1000, SCOP: 3, Baseline: "coal"},
	} {
		if _, err := HeatPumpEconomics(sc, o); !errors.Is(err, ErrEconomics) {
			t.Errorf("%+v: error %v, want ErrEconomics", o, err)
		}
	}
}

func TestEconHeatPumpHandWorked(t *testing.T) {
	sc := flatScenario()
	e, err := HeatPumpEconomics(sc, HeatPumpEconomicsOptions{Kind: HeatPumpAir, HeatKWhYr: 12000, SCOP: 3, CapacityKW: 8})
	if err != nil {
		t.Fatal(err)
	}
	// Investment: 4,000 + 700 €/kW × 8 kW = 9,600 €.
	approx(t, "investment", e.InvestmentEUR, 9600, 1e-9)
	// Gas avoided: 12,000/0.90 = 13,333.33 kWh × 0.1028 = 1,370.667 €;
	// electricity: 12,000/3 = 4,000 kWh × 0.2016 = 806.4 €; maintenance 150 − 200 = −50 €.
	sav := 12000/0.9*0.1028 - 4000*0.2016 - 50
	approx(t, "savings", e.AnnualSavingsEUR, sav, 1e-9) // 514.267 €
	// NPV at 0 %, 20 yr: −9,600 + 20 × 514.267 = 685.33 €.
	approx(t, "NPV", e.NPVEUR, -9600+20*sav, 1e-6)
	approx(t, "simple payback", e.SimplePaybackYr, 9600/sav, 1e-9) // 18.67 yr
	// CO₂: 13,333.33 × 0.227 − 4,000 × 0.079 = 3,026.67 − 316 = 2,710.67 kg/yr.
	approx(t, "CO2", e.CO2AvoidedKgYr, 12000/0.9*0.227-4000*0.079, 1e-9)
	// LCOE of heat at 0 %: (9,600 + 20 × (806.4 + 200)) / (20 × 12,000) = 0.12387 €/kWh.
	approx(t, "LCOE", e.LCOEEURPerKWh, (9600+20*(806.4+200))/(20*12000), 1e-12)

	// Ground source: 6,000 + 800 × 10 + 60 €/m × 2 × 100 m = 26,000 €.
	g, err := HeatPumpEconomics(sc, HeatPumpEconomicsOptions{Kind: HeatPumpGround, HeatKWhYr: 15000, ElecKWhYr: 3750, CapacityKW: 10, Boreholes: 2, BoreholeDepthM: 100})
	if err != nil {
		t.Fatal(err)
	}
	approx(t, "GSHP investment", g.InvestmentEUR, 26000, 1e-9)
	approx(t, "GSHP savings", g.AnnualSavingsEUR, 15000/0.9*0.1028-3750*0.2016-50, 1e-9)

	// Fuel-oil baseline: 12,000/0.85 × 0.1183 − 806.4 − 50, and more CO₂ avoided.
	o, err := HeatPumpEconomics(sc, HeatPumpEconomicsOptions{Kind: HeatPumpAir, HeatKWhYr: 12000, SCOP: 3, CapacityKW: 8, Baseline: FuelOil})
	if err != nil {
		t.Fatal(err)
	}
	approx(t, "oil savings", o.AnnualSavingsEUR, 12000/0.85*0.1183-806.4-50, 1e-9)
	if !(o.CO2AvoidedKgYr > e.CO2AvoidedKgYr) {
		t.Errorf("oil CO2 avoided %g not above gas %g", o.CO2AvoidedKgYr, e.CO2AvoidedKgYr)
	}
}

func TestEconHeatPumpMonotone(t *testing.T) {
	sc := defaults()
	prev := math.Inf(-1)
	for h := 0.0; h <= 40000; h += 2000 {
		e, err := HeatPumpEconomics(sc, HeatPumpEconomicsOptions{Kind: HeatPumpGround, HeatKWhYr: h, SCOP: 4, CapacityKW: 8, Boreholes: 2, BoreholeDepthM: 100})
		if err != nil {
			t.Fatal(err)
		}
		if !(e.NPVEUR > prev) {
			t.Fatalf("NPV %g at %g kWh not above %g", e.NPVEUR, h, prev)
		}
		prev = e.NPVEUR
	}
}

func ExamplePVEconomics() {
	sc := defaults()
	e, _ := PVEconomics(sc, PVEconomicsOptions{KWp: 6, YieldKWhYr1: 7200, SelfConsumptionShare: share(0.35)})
	fmt.Printf("investment %.0f €, year-1 savings %.0f €, surplus sale %.0f €, NPV %.0f €, IRR %.1f %%/yr, LCOE %.3f €/kWh\n",
		e.InvestmentEUR, e.AnnualSavingsEUR, e.AnnualRevenueEUR, e.NPVEUR, e.IRRPct, e.LCOEEURPerKWh)
	// Output:
	// investment 10792 €, year-1 savings 508 €, surplus sale 187 €, NPV 1042 €, IRR 4.8 %/yr, LCOE 0.113 €/kWh
}

func BenchmarkPVEconomics(b *testing.B) {
	sc := defaults()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := PVEconomics(sc, PVEconomicsOptions{KWp: 3 + float64(i%50), YieldKWhYr1: 1150 * (3 + float64(i%50))}); err != nil {
			b.Fatal(err)
		}
	}
}

func defaults() *Params {
	p := Defaults()
	return &p
}

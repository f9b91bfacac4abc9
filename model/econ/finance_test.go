package econ

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

// Expected values are from numpy-financial's documentation and Excel's
// documented examples, as named per case; tolerances are absolute.
func TestNPV(t *testing.T) {
	cases := []struct {
		name string
		rate float64
		cf   []float64
		want float64
		tol  float64
	}{
		// numpy-financial npv docstring: npf.npv(0.08, [-40_000, 5_000, 8_000, 12_000, 30_000]) = 3065.22267
		{"numpy-financial npv docstring", 0.08, []float64{-40000, 5000, 8000, 12000, 30000}, 3065.22267, 1e-4},
		// Hand-worked: -100 + 110/1.1 = 0.
		{"hand: one period at its own rate", 0.10, []float64{-100, 110}, 0, 1e-12},
		{"zero rate is the plain sum", 0, []float64{-5, 1, 2, 3}, 1, 1e-12},
	}
	for _, c := range cases {
		if got := NPV(c.rate, c.cf); math.Abs(got-c.want) > c.tol {
			t.Errorf("%s: NPV = %.6f, want %.6f ± %g", c.name, got, c.want, c.tol)
		}
	}
}

func TestIRR(t *testing.T) {
	cases := []struct {
		name string
		cf   []float64
		want float64
		tol  float64
	}{
		// numpy-financial irr docstring examples.
		{"numpy-financial irr [-100,39,59,55,20]", []float64{-100, 39, 59, 55, 20}, 0.28095, 1e-5},
		{"numpy-financial irr [-100,0,0,74]", []float64{-100, 0, 0, 74}, -0.0955, 1e-4},
		{"numpy-financial irr [-100,100,0,-7]", []float64{-100, 100, 0, -7}, -0.0833, 1e-4},
		{"numpy-financial irr [-100,100,0,7]", []float64{-100, 100, 0, 7}, 0.06206, 1e-5},
		{"numpy-financial irr [-5,10.5,1,-8,1]", []float64{-5, 10.5, 1, -8, 1}, 0.0886, 1e-4},
		// Excel IRR documentation: -70000, 12000, 15000, 18000, 21000, 26000 → 8.66 %.
		{"Excel IRR doc, 5 years", []float64{-70000, 12000, 15000, 18000, 21000, 26000}, 0.0866, 5e-5},
	}
	for _, c := range cases {
		got, err := IRR(c.cf)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if math.Abs(got-c.want) > c.tol {
			t.Errorf("%s: IRR = %.6f, want %.6f ± %g", c.name, got, c.want, c.tol)
		}
		if npv := NPV(got, c.cf); math.Abs(npv) > 1e-6*sumAbs(c.cf) {
			t.Errorf("%s: NPV at IRR = %g, want 0", c.name, npv)
		}
	}
	if _, err := IRR([]float64{100, 20, 30}); !errors.Is(err, ErrNoIRR) {
		t.Errorf("all-positive flows: err = %v, want ErrNoIRR", err)
	}
}

// The bracketed solver and the gonum companion-matrix solver agree on
// conventional cash flows (20-year PV-like series).
func TestIRRMethodsAgree(t *testing.T) {
	for _, inv := range []float64{1000, 5000, 12000, 40000} {
		cf := make([]float64, 21)
		cf[0] = -inv
		for y := 1; y <= 20; y++ {
			cf[y] = 900 * math.Pow(0.995, float64(y-1))
		}
		a, err1 := irrBracketed(cf)
		b, err2 := irrCompanion(cf)
		if err1 != nil || err2 != nil {
			if inv < 18000 {
				t.Fatalf("investment %g: %v / %v", inv, err1, err2)
			}
			continue
		}
		if math.Abs(a-b) > 1e-9 {
			t.Errorf("investment %g: bracketed %.12f vs companion %.12f", inv, a, b)
		}
	}
}

func TestLCOE(t *testing.T) {
	// Hand-worked: no discounting, no degradation, no opex: I / (N·E).
	got := LCOE(LCOEOptions{InvestmentEUR: 10000, EnergyKWhYr1: 1000, LifetimeYr: 20})
	if math.Abs(got-0.5) > 1e-12 {
		t.Errorf("LCOE undiscounted = %v, want 0.5 €/kWh", got)
	}
	// Hand-worked with discounting: annuity factor at 4 % over 20 years is
	// (1 − 1.04^−20)/0.04 = 13.590326; LCOE = I/(E·AF) + O/E.
	got = LCOE(LCOEOptions{InvestmentEUR: 10000, OpexEURPerYr: 100, EnergyKWhYr1: 1000, DiscountRatePct: 4, LifetimeYr: 20})
	want := 10000/(1000*13.590326) + 0.1
	if math.Abs(got-want) > 1e-6 {
		t.Errorf("LCOE at 4 %% = %.8f, want %.8f", got, want)
	}
	if !math.IsNaN(LCOE(LCOEOptions{InvestmentEUR: 1, LifetimeYr: 20})) {
		t.Error("LCOE with no energy should be NaN")
	}
}

func TestPayback(t *testing.T) {
	cf := []float64{-1000, 300, 300, 300, 300, 300}
	s, d := Payback(cf, 0.05)
	if math.Abs(s-1000.0/300) > 1e-12 {
		t.Errorf("simple payback = %v, want 3.333 yr", s)
	}
	// Discounted at 5 %: cumulative after 3 years = -1000 + 300·(0.95238+0.90703+0.86384) = -183.03;
	// year 4 brings 300/1.05^4 = 246.81 → 3 + 183.03/246.81 = 3.7416 yr.
	if math.Abs(d-3.7416) > 1e-3 {
		t.Errorf("discounted payback = %v, want 3.7416 yr", d)
	}
	if s, _ := Payback([]float64{-1000, 10, 10}, 0); !math.IsInf(s, 1) {
		t.Errorf("never paid back: %v, want +Inf", s)
	}
}

func sumAbs(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += math.Abs(x)
	}
	return s
}

func BenchmarkIRR20Years(b *testing.B) {
	cf := make([]float64, 21)
	cf[0] = -9000
	for y := 1; y <= 20; y++ {
		cf[y] = 900 * math.Pow(0.995, float64(y-1))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := IRR(cf); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleIRR() {
	// A 3 kWp rooftop system: 6,000 € up front, 650 € of savings a year for 20 years.
	cf := []float64{-6000}
	for y := 1; y <= 20; y++ {
		cf = append(cf, 650)
	}
	r, _ := IRR(cf)
	fmt.Printf("IRR %.2f %%/yr, NPV at 4 %%: %.0f €\n", 100*r, NPV(0.04, cf))
	// Output: IRR 8.84 %/yr, NPV at 4 %: 2834 €
}

// With several sign changes the scan path and the companion-matrix path
// agree when the root is unique (a PV series with an inverter replacement).
func TestIRRScanAgreesWithCompanion(t *testing.T) {
	cf := make([]float64, 21)
	cf[0] = -10000
	for y := 1; y <= 20; y++ {
		cf[y] = 1100
	}
	cf[12] -= 1500 // inverter replacement in year 12
	a, ok := irrScan(cf)
	b, err := irrCompanion(cf)
	if !ok || err != nil {
		t.Fatalf("scan ok=%v, companion err=%v", ok, err)
	}
	if math.Abs(a-b) > 1e-9 {
		t.Errorf("scan %.12f vs companion %.12f", a, b)
	}
	got, err := IRR(cf)
	if err != nil || math.Abs(got-b) > 1e-9 {
		t.Errorf("IRR = %v, %v; want %v", got, err, b)
	}
}

package heat

import (
	"math"
	"testing"
)

// TestPreboundAnchors: Sunikka-Blank & Galvin 2012 (via Delghust 2015):
// prebound 17 % at 150 and 60 % at 500 kWh/m²·yr (ratio 0.83 and 0.40,
// fitted) and a crossing to rebound near 100 kWh/m²·yr (not fitted: the
// ratio there must be within 0.95–1.05).
func TestPreboundAnchors(t *testing.T) {
	for _, c := range []struct{ q, want, tol float64 }{{150, 0.83, 0.001}, {500, 0.40, 0.001}, {100, 1.0, 0.05}} {
		got, err := PreboundRatio(c.q)
		if err != nil || math.Abs(got-c.want) > c.tol {
			t.Errorf("PreboundRatio(%g) = %.4f, %v; want %.2f ± %.3f", c.q, got, err, c.want, c.tol)
		}
	}
	prev := math.Inf(1)
	for q := 20.0; q < 2000; q *= 1.2 {
		r, _ := PreboundRatio(q)
		if r > prev || r < PreboundRatioMin || r > PreboundRatioMax {
			t.Fatalf("ratio %.3f at %g not non-increasing within bounds", r, q)
		}
		prev = r
	}
	if _, err := PreboundRatio(0); err == nil {
		t.Fatal("zero rating accepted")
	}
}

// TestConsumptionLikeDemand: a pre-1914 single house (TABULA FR.N.SFH.01,
// 313.8 kWh/m²·yr standard need, 10 kWh/m²·yr hot water) keeps about 60 %
// of its standard space need; a new house (FR.10, 54.4) about its standard
// need (rebound side, ≥ 1).
func TestConsumptionLikeDemand(t *testing.T) {
	old, err := ConsumptionLikeDemand(313.8, 10)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(old.RatingKWhM2-404.75) > 0.01 || old.Ratio < 0.45 || old.Ratio > 0.55 || math.Abs(old.SpaceKWhM2-313.8*old.Ratio) > 1e-9 {
		t.Fatalf("old house: %+v", old)
	}
	nw, _ := ConsumptionLikeDemand(54.4, 10)
	if nw.Ratio < 1 || nw.Ratio > PreboundRatioMax {
		t.Fatalf("new house ratio %.3f", nw.Ratio)
	}
	z, _ := ConsumptionLikeDemand(0, 10)
	if z.SpaceKWhM2 != 0 {
		t.Fatalf("zero need: %+v", z)
	}
	if _, err := ConsumptionLikeDemand(math.NaN(), 10); err == nil {
		t.Fatal("NaN need accepted")
	}
	t.Logf("ratio: FR.01 SFH %.3f, FR.10 SFH %.3f", old.Ratio, nw.Ratio)
}

func TestScaleToObserved(t *testing.T) {
	s, err := ScaleToObserved(80e6, 100e6, 0.8)
	if err != nil || !s.Applied || math.Abs(s.Scale-1) > 1e-12 {
		t.Fatalf("80 GWh observed for 100 GWh modelled, 80 %% coverage: %+v %v", s, err)
	}
	s, _ = ScaleToObserved(10e6, 100e6, 1)
	if s.Applied || s.Reason == "" {
		t.Fatalf("scale 0.1 must be flagged, not applied: %+v", s)
	}
	s, _ = ScaleToObserved(math.NaN(), 100e6, 1)
	if s.Applied || s.Scale != 1 {
		t.Fatalf("unknown observed heat: %+v", s)
	}
	if _, err := ScaleToObserved(1, 1, 0); err == nil {
		t.Fatal("zero coverage accepted")
	}
}

// TestOccupiedSharePerigueux: INSEE RP2022, Périgueux: 17,357 main
// residences of 20,766 dwellings.
func TestOccupiedSharePerigueux(t *testing.T) {
	s, err := OccupiedShare(17357, 20766)
	if err != nil || math.Abs(s-0.8358) > 1e-4 {
		t.Fatalf("share %.4f, %v", s, err)
	}
	if _, err := OccupiedShare(5, 4); err == nil {
		t.Fatal("more main residences than dwellings accepted")
	}
}

func TestCalibrationParamsWired(t *testing.T) {
	p := DefaultCalibrationParams()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	a, _ := p.ConsumptionLike(200, 10)
	p.RatingEfficiency = 0.9 // lower rating → higher ratio
	b, _ := p.ConsumptionLike(200, 10)
	if !(b.Ratio > a.Ratio) {
		t.Fatalf("rating efficiency not wired: %.3f vs %.3f", b.Ratio, a.Ratio)
	}
	p = DefaultCalibrationParams()
	p.ScaleMax = 5
	if s, _ := p.ScaleToObserved(300, 100, 1); !s.Applied {
		t.Fatalf("scale max not wired: %+v", s)
	}
	p.GasHeatShare = 2
	if p.Validate() == nil {
		t.Fatal("gas heat share 2 accepted")
	}
}

package econ

import (
	"math"
	"math/rand/v2"
	"testing"
)

// fullScanIRR is the direct evaluation systemIRR must reproduce: every one
// of the 195 intervals of the rate grid scanned in order, each sign change
// bisected, the root closest to 0 kept (the first on a tie).
func fullScanIRR(cf []float64) float64 {
	best := math.NaN()
	prevR := -0.95
	prevF := systemNPV(prevR, cf)
	for i := 1; i <= 195; i++ {
		r := -0.95 + 0.01*float64(i)
		f := systemNPV(r, cf)
		if (f > 0) != (prevF > 0) || f == 0 {
			lo, hi, flo := prevR, r, prevF
			for k := 0; k < 100 && hi-lo > 1e-10; k++ {
				mid := 0.5 * (lo + hi)
				if fm := systemNPV(mid, cf); (fm > 0) == (flo > 0) {
					lo, flo = mid, fm
				} else {
					hi = mid
				}
			}
			if x := 0.5 * (lo + hi); math.IsNaN(best) || math.Abs(x) < math.Abs(best) {
				best = x
			}
		}
		prevR, prevF = r, f
	}
	return best
}

// TestSystemIRRMatchesFullScan: the outward scan of systemIRR returns
// bit for bit the root of the full scan, on 20,000 random 30-year cash
// flows (fixed seed): PV-like (investment, then income), with inverter
// replacements (extra sign changes), loss-making ones (no root, NaN) and
// ones with roots on both sides of 0.
func TestSystemIRRMatchesFullScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 2026))
	roots, multi := 0, 0
	for n := 0; n < 20000; n++ {
		cf := make([]float64, 31)
		cf[0] = -(1000 + 20000*rng.Float64())
		income := -cf[0] * (0.01 + 0.2*rng.Float64())
		for y := 1; y < len(cf); y++ {
			cf[y] = income * math.Pow(1+0.04*(rng.Float64()-0.5), float64(y))
		}
		switch n % 4 {
		case 1: // inverter replacements
			for y := 10; y < len(cf); y += 10 + rng.IntN(5) {
				cf[y] -= -cf[0] * (0.1 + 0.9*rng.Float64())
			}
		case 2: // decommissioning cost at the end: a second sign change
			cf[len(cf)-1] -= -cf[0] * (1 + 5*rng.Float64())
		case 3: // random signs
			for y := range cf {
				cf[y] = 1000 * (rng.Float64() - 0.5)
			}
		}
		got, want := systemIRR(cf), fullScanIRR(cf)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("cash flow %d %v: IRR %v, full scan %v", n, cf, got, want)
		}
		if !math.IsNaN(want) {
			roots++
			if n%4 == 3 {
				multi++
			}
		}
	}
	if roots < 5000 || multi < 500 {
		t.Fatalf("only %d cash flows with a root (%d random-sign): the test is too easy", roots, multi)
	}
	t.Logf("%d cash flows with a root (%d random-sign), all identical", roots, multi)
}

// BenchmarkSystemIRR: one PV-like 30-year cash flow.
func BenchmarkSystemIRR(b *testing.B) {
	cf := make([]float64, 31)
	cf[0] = -10000
	for y := 1; y < len(cf); y++ {
		cf[y] = 900
	}
	cf[15] -= 1500
	for b.Loop() {
		systemIRR(cf)
	}
}

package uncertainty

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gisement/gisement/model/econ"
)

// testScenario is the part of a scenario the Monte Carlo reads.
type testScenario struct {
	Uncertainty Params
	Econ        econ.Params
}

func defaultScenario() *testScenario {
	return &testScenario{Uncertainty: Defaults(), Econ: econ.Defaults()}
}

func newMC(sc *testScenario, n int, seed uint64) *MonteCarlo {
	return NewMonteCarlo(&sc.Uncertainty, &sc.Econ, n, seed)
}

// zeroSigma returns the default scenario with every uncertainty switched off.
func zeroSigma() *testScenario {
	sc := defaultScenario()
	u := &sc.Uncertainty
	u.UsableAreaRelSigma.Value = 0
	u.PitchSigmaDeg.Value = 0
	u.WeatherSigmaPct.Value = 0
	u.PerformanceSigmaPct.Value = 0
	u.EscalationSigmaPct.Value = 0
	return sc
}

var mcShare = 0.35 // a household's self-consumption (hourly model in the study), given as a share

var mcInput = PVUncertaintyInput{
	Econ:                   econ.PVEconomicsOptions{KWp: 6, YieldKWhYr1: 7200, SelfConsumptionShare: &mcShare},
	PitchSensitivityPerDeg: 0.002, PitchCurvaturePerDeg2: -0.0002,
}

func TestMonteCarloReproducible(t *testing.T) {
	sc := defaultScenario()
	a, err := newMC(sc, 500, 42).PV(mcInput, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := newMC(sc, 500, 42).PV(mcInput, make([]float64, 1000))
	if a != b {
		t.Fatalf("same seed, different results:\n%+v\n%+v", a, b)
	}
	c, _ := newMC(sc, 500, 43).PV(mcInput, nil)
	if a == c {
		t.Fatal("different seeds gave identical results")
	}
}

func TestMonteCarloOrderingP90(t *testing.T) {
	m := newMC(defaultScenario(), 500, 1)
	buf := make([]float64, 2*m.N())
	for _, in := range []PVUncertaintyInput{
		mcInput,
		{Econ: econ.PVEconomicsOptions{KWp: 80, YieldKWhYr1: 90000, Segment: econ.SegmentTertiary}},
		{Econ: econ.PVEconomicsOptions{Kind: econ.PVGround, KWp: 3000, YieldKWhYr1: 3.6e6}, FixedArea: true},
	} {
		q, err := m.PV(in, buf)
		if err != nil {
			t.Fatal(err)
		}
		// P90 (exceeded with 90 % probability) is the LOW value.
		if !(q.YieldP90KWh < q.YieldP50KWh && q.YieldP50KWh < q.YieldP10KWh) {
			t.Errorf("yield P90 %g, P50 %g, P10 %g: want P90 < P50 < P10", q.YieldP90KWh, q.YieldP50KWh, q.YieldP10KWh)
		}
		if !(q.NPVP90EUR < q.NPVP50EUR && q.NPVP50EUR < q.NPVP10EUR) {
			t.Errorf("NPV P90 %g, P50 %g, P10 %g: want P90 < P50 < P10", q.NPVP90EUR, q.NPVP50EUR, q.NPVP10EUR)
		}
		// Exceedance check: about 90 % of the draws' yields are ≥ P90.
		// (Recomputed here from the draws: the buffer holds the sorted yields.)
		ys := buf[:m.N()]
		n := 0
		for _, y := range ys {
			if y >= q.YieldP90KWh {
				n++
			}
		}
		if f := float64(n) / float64(len(ys)); math.Abs(f-0.9) > 0.005 {
			t.Errorf("share of draws ≥ P90 = %.3f, want 0.90", f)
		}
	}
}

func TestMonteCarloDegenerate(t *testing.T) {
	sc := zeroSigma()
	m := newMC(sc, 200, 7)
	for _, in := range []PVUncertaintyInput{
		mcInput,
		{Econ: econ.PVEconomicsOptions{KWp: 250, YieldKWhYr1: 280000, Segment: econ.SegmentIndustrial}},
	} {
		q, err := m.PV(in, nil)
		if err != nil {
			t.Fatal(err)
		}
		e, _ := econ.PVEconomics(&sc.Econ, in.Econ)
		y := in.Econ.YieldKWhYr1
		if q.YieldP90KWh != y || q.YieldP50KWh != y || q.YieldP10KWh != y || q.YieldStdKWh != 0 {
			t.Errorf("yield quantiles %+v, want all %g", q, y)
		}
		for _, v := range []float64{q.NPVP90EUR, q.NPVP50EUR, q.NPVP10EUR} {
			approx(t, "NPV quantile vs deterministic NPV", v, e.NPVEUR, 1e-6*math.Abs(e.NPVEUR))
		}
	}
}

// TestMonteCarloAnalyticSpread compares the sampled spread with the
// analytic σ of a product of independent normal factors with mean 1:
// Var(XY) = σx² + σy² + σx²σy² (Goodman 1960). With N = 20,000 draws the
// standard error of a sample σ is σ/√(2N) ≈ 0.5 % of σ (normal data), and
// that of the 10th percentile ≈ √(p(1−p)/N)/φ(z₀.₁) σ ≈ 0.012 σ; the
// tolerances (3 % of σ, 0.05 σ) are about six standard errors, and cover
// the small skew of the product (≈ 2.1 σ_factor ≈ 0.1, which moves the
// 10th percentile by ≈ 0.01 σ, Cornish–Fisher).
func TestMonteCarloAnalyticSpread(t *testing.T) {
	sc := zeroSigma()
	sc.Uncertainty.WeatherSigmaPct.Value = 5
	sc.Uncertainty.PerformanceSigmaPct.Value = 5
	const n = 20000
	m := newMC(sc, n, 11)
	sh := 0.35 // a household's hourly self-consumption is given to the Monte Carlo as a share
	in := PVUncertaintyInput{Econ: econ.PVEconomicsOptions{KWp: 6, YieldKWhYr1: 7200, SelfConsumptionShare: &sh}}
	q, err := m.PV(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	sw, sm := 0.05, 0.05
	sigma := 7200 * math.Sqrt(sw*sw+sm*sm+sw*sw*sm*sm) // 509.4 kWh
	approx(t, "σ of yield", q.YieldStdKWh, sigma, 0.03*sigma)
	approx(t, "mean yield", q.YieldMeanKWh, 7200, 3*sigma/math.Sqrt(n))
	approx(t, "P90 yield", q.YieldP90KWh, 7200-1.2816*sigma, 0.05*sigma)
	approx(t, "P10 yield", q.YieldP10KWh, 7200+1.2816*sigma, 0.05*sigma)

	// Pitch alone, linear sensitivity S1: σ = Y·|S1|·σβ.
	sc = zeroSigma()
	sc.Uncertainty.PitchSigmaDeg.Value = 10
	m = newMC(sc, n, 12)
	q, _ = m.PV(PVUncertaintyInput{Econ: in.Econ, PitchSensitivityPerDeg: 0.004}, nil)
	sigma = 7200 * 0.004 * 10 // 288 kWh
	approx(t, "σ of yield (pitch)", q.YieldStdKWh, sigma, 0.03*sigma)

	// Area alone: kWp and yield scale together; σ = Y·σa.
	sc = zeroSigma()
	sc.Uncertainty.UsableAreaRelSigma.Value = 0.12
	m = newMC(sc, n, 13)
	q, _ = m.PV(PVUncertaintyInput{Econ: in.Econ}, nil)
	approx(t, "σ of yield (area)", q.YieldStdKWh, 7200*0.12, 0.03*7200*0.12)
	q2, _ := m.PV(PVUncertaintyInput{Econ: in.Econ, FixedArea: true}, nil)
	if q2.YieldStdKWh != 0 {
		t.Errorf("FixedArea still uncertain: σ %g", q2.YieldStdKWh)
	}
}

func TestMonteCarloEscalationOnlyMovesNPV(t *testing.T) {
	sc := zeroSigma()
	sc.Uncertainty.EscalationSigmaPct.Value = 1
	q, _ := newMC(sc, 2000, 5).PV(mcInput, nil)
	if q.YieldStdKWh != 0 || !(q.NPVP10EUR-q.NPVP90EUR > 100) {
		t.Errorf("escalation uncertainty: yield σ %g, NPV spread %g", q.YieldStdKWh, q.NPVP10EUR-q.NPVP90EUR)
	}
}

func TestUncertaintyPitchSensitivity(t *testing.T) {
	// f(β) = 1 + 0.01(β−30) − 0.001(β−30)²: S1 = 0.01/f(30) = 0.01, S2 = −0.002.
	f := func(b float64) float64 { return 1 + 0.01*(b-30) - 0.001*(b-30)*(b-30) }
	s1, s2 := PitchSensitivity(f, 30, 2)
	approx(t, "S1", s1, 0.01, 1e-12)
	approx(t, "S2", s2, -0.002, 1e-12)
	// One-sided near 0°: f quadratic, forward differences exact for S2; S1 off by h·S2.
	s1, s2 = PitchSensitivity(f, 0.5, 2)
	f0 := f(0.5)
	approx(t, "S2 one-sided", s2, -0.002/f0, 1e-12)
	approx(t, "S1 one-sided", s1, (0.01-0.002*(0.5-30)-0.001*2)/f0, 1e-12)
	if a, b := PitchSensitivity(func(float64) float64 { return 0 }, 30, 1); a != 0 || b != 0 {
		t.Error("zero yield: want zero sensitivities")
	}
}

func TestUncertaintyRejectsBadInput(t *testing.T) {
	m := newMC(defaultScenario(), 50, 1)
	if _, err := m.PV(PVUncertaintyInput{Econ: econ.PVEconomicsOptions{KWp: math.Inf(1), YieldKWhYr1: 1}}, nil); err == nil {
		t.Error("infinite kWp accepted")
	}
	if _, err := m.PV(PVUncertaintyInput{Econ: econ.PVEconomicsOptions{KWp: 1, YieldKWhYr1: 1, Segment: "x"}}, nil); err == nil {
		t.Error("bad segment accepted")
	}
}

func TestMonteCarloNoAllocPerParcel(t *testing.T) {
	m := newMC(defaultScenario(), 500, 1)
	buf := make([]float64, 2*m.N())
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := m.PV(mcInput, buf); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%g allocations per parcel, want 0", allocs)
	}
}

// TestMonteCarloCommuneBudget times 15,000 parcels × 500 draws on at most
// 2 cores (the brief's commune: must fit, with everything else, in < 5 s on
// 2 cores). The time is logged; it is asserted (≤ 2.5 s, half the budget)
// only with GISEMENT_TIMING=1, on an otherwise idle machine, since wall
// time on a shared machine says little.
func TestMonteCarloCommuneBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	m := newMC(defaultScenario(), 500, 1)
	const parcels = 15000
	workers := min(runtime.GOMAXPROCS(0), 2)
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			buf := make([]float64, 2*m.N())
			for i := w; i < parcels; i += workers {
				kwp := 3 + float64(i%200)
				if _, err := m.PV(PVUncertaintyInput{Econ: econ.PVEconomicsOptions{KWp: kwp, YieldKWhYr1: 1150 * kwp}, PitchSensitivityPerDeg: 0.002}, buf); err != nil {
					t.Error(err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	el := time.Since(start)
	t.Logf("15,000 parcels × 500 draws on %d workers: %v", workers, el)
	if os.Getenv("GISEMENT_TIMING") == "1" && el > 2500*time.Millisecond {
		t.Errorf("too slow: %v", el)
	}
}

func ExampleMonteCarlo_PV() {
	m := newMC(defaultScenario(), 500, 1)
	q, _ := m.PV(PVUncertaintyInput{Econ: econ.PVEconomicsOptions{KWp: 6, YieldKWhYr1: 7200, SelfConsumptionShare: &mcShare}}, nil)
	fmt.Printf("yield P90 %.0f / P50 %.0f / P10 %.0f kWh/yr\n", q.YieldP90KWh, q.YieldP50KWh, q.YieldP10KWh)
	fmt.Printf("NPV P90 %.0f / P50 %.0f / P10 %.0f €\n", q.NPVP90EUR, q.NPVP50EUR, q.NPVP10EUR)
	// Output:
	// yield P90 5920 / P50 7208 / P10 8432 kWh/yr
	// NPV P90 -621 / P50 1080 / P10 3282 €
}

func BenchmarkMonteCarloParcel(b *testing.B) {
	for _, n := range []int{100, 500, 2000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			m := newMC(defaultScenario(), n, 1)
			buf := make([]float64, 2*m.N())
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.PV(mcInput, buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func approx(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.6f, want %.6f ± %g", name, got, want, tol)
	}
}

// TestQuantilesUnsortedMatchesSort: the selection gives bit for bit the
// quantiles of the sorted values, on random samples of 1–700 values
// (fixed seed) with many ties, negative values and repeated or extreme
// probabilities.
func TestQuantilesUnsortedMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 3))
	pss := [][]float64{{0.1, 0.5, 0.9}, {0, 0.5, 1}, {0.25, 0.25, 0.75}, {0.9}, {0.001, 0.999}}
	for trial := 0; trial < 5000; trial++ {
		n := 1 + rng.IntN(700)
		x := make([]float64, n)
		for i := range x {
			switch trial % 3 {
			case 0:
				x[i] = rng.NormFloat64() * 1000
			case 1:
				x[i] = float64(rng.IntN(7)) - 3 // heavy ties
			default:
				x[i] = rng.Float64()
			}
		}
		ps := pss[trial%len(pss)]
		sorted := slices.Clone(x)
		slices.Sort(sorted)
		got := make([]float64, len(ps))
		QuantilesUnsorted(ps, x, got)
		for j, p := range ps {
			if want := Quantile(p, sorted); math.Float64bits(got[j]) != math.Float64bits(want) {
				t.Fatalf("trial %d n=%d p=%g: %v, sorted %v", trial, n, p, got[j], want)
			}
		}
	}
	got := make([]float64, 1)
	if QuantilesUnsorted([]float64{0.5}, []float64{1, math.NaN(), 2}, got); !math.IsNaN(got[0]) {
		t.Errorf("NaN in the values: %v, want NaN", got[0])
	}
}

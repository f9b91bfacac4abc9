package uncertainty

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestQuantilesHistogramMatchesSort: QuantilesUnsorted (histogram path
// for 64–4,096 values, introselect otherwise) gives bit for bit the
// quantiles of the sorted values on 6,000 random samples (fixed seed) of
// 1–5,000 values: normal, log-normal (skewed), normal with far outliers
// (crowded buckets: the fallback), few distinct values (ties), uniform,
// constant, huge ranges, and the Monte Carlo's P90/P50/P10 as well as
// extreme, repeated and unordered probabilities.
func TestQuantilesHistogramMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 4))
	pss := [][]float64{{0.1, 0.5, 0.9}, {0, 0.5, 1}, {0.25, 0.25, 0.75}, {0.9, 0.1}, {0.001, 0.999}, {0.5}, {0, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 1}}
	hist := 0
	for trial := 0; trial < 6000; trial++ {
		var n int
		switch trial % 4 {
		case 0:
			n = 500
		case 1:
			n = 1 + rng.IntN(200)
		case 2:
			n = 64 + rng.IntN(4100-64)
		default:
			n = 1 + rng.IntN(5000)
		}
		x := make([]float64, n)
		kind := trial % 7
		for i := range x {
			switch kind {
			case 0:
				x[i] = 7200 * (1 + 0.05*rng.NormFloat64())
			case 1:
				x[i] = math.Exp(2 * rng.NormFloat64())
			case 2:
				x[i] = rng.NormFloat64()
				if rng.IntN(50) == 0 {
					x[i] = 1e12 * rng.NormFloat64()
				}
			case 3:
				x[i] = float64(rng.IntN(5)) - 2
			case 4:
				x[i] = rng.Float64() - 0.5
			case 5:
				x[i] = 42
			default:
				x[i] = 1e307 * rng.NormFloat64()
			}
		}
		ps := pss[trial%len(pss)]
		sorted := slices.Clone(x)
		slices.Sort(sorted)
		if n >= histMinValues && n <= histMaxValues && len(ps) <= histMaxQuantiles {
			var lo, hi float64 = sorted[0], sorted[n-1]
			if quantilesHistogram(ps, slices.Clone(x), make([]float64, len(ps)), lo, hi) {
				hist++
			}
		}
		got := make([]float64, len(ps))
		QuantilesUnsorted(ps, x, got)
		for j, p := range ps {
			if want := Quantile(p, sorted); math.Float64bits(got[j]) != math.Float64bits(want) {
				t.Fatalf("trial %d kind %d n=%d p=%g: %v, sorted %v", trial, kind, n, p, got[j], want)
			}
		}
	}
	if hist < 2000 {
		t.Fatalf("the histogram path answered only %d samples: the test does not exercise it", hist)
	}
	t.Logf("%d samples answered by the histogram path, the rest by introselect: all identical to the sort", hist)
	for _, x := range [][]float64{{1, math.NaN(), 2}, append(make([]float64, 499), math.NaN())} {
		got := make([]float64, 3)
		if QuantilesUnsorted([]float64{0.1, 0.5, 0.9}, x, got); !math.IsNaN(got[0]) || !math.IsNaN(got[2]) {
			t.Errorf("NaN among %d values: %v, want NaN", len(x), got)
		}
	}
}

package uncertainty

import (
	"math"
	"math/bits"
	"slices"

	"github.com/gisement/gisement/internal/spillq"
)

// QuantilesUnsorted sets out[j] to Quantile(ps[j], x sorted ascending)
// for ps ascending in [0, 1], bit for bit, without sorting x: it reorders x
// in place only as far as the order statistics the quantiles need (two
// per quantile: the LinInterp estimator interpolates between x₍ᵢ₋₁₎ and
// x₍ᵢ₎). Any NaN in x gives NaN quantiles, as Quantile does; an empty x
// gives NaN.
//
// Why: a Monte Carlo result needs three quantiles of 500 draws per parcel,
// and sorting the draws was most of the uncertainty stage (issue 16).
// Hand-written because neither the standard library nor gonum v0.17 has a
// selection (nth_element); it is an introselect (Hoare partition around
// a median-of-three pivot, falling back to a sort of the remaining part
// when the partitions stop shrinking), O(n) on average.
func QuantilesUnsorted(ps, x, out []float64) {
	if len(x) == 0 || slices.ContainsFunc(x, math.IsNaN) {
		for j := range ps {
			out[j] = math.NaN()
		}
		return
	}
	n := len(x)
	done := 0 // x[:done] holds the done smallest values, in order at its end
	for j, p := range ps {
		// The ranks Quantile reads (spillq: gonum's LinInterp rule, the
		// one also used for the spilled commune quantiles): i−1 and i.
		lo, i := spillq.QuantileRanks(p, n)
		// Select rank i in the part not yet ordered, then move the largest
		// of x[done:i] (all ≤ x₍ᵢ₎), x₍ᵢ₋₁₎, to i−1; x[:i+1] then ends with
		// ranks i−1 and i, for this and the next quantiles.
		if i >= done {
			nthElement(x[done:], i-done)
			if lo >= done && lo < i {
				k := done
				for m := done + 1; m < i; m++ {
					if x[m] > x[k] {
						k = m
					}
				}
				x[k], x[lo] = x[lo], x[k]
			}
			done = i + 1
		}
		out[j] = spillq.Quantile(p, n, func(r int) float64 { return x[r] })
	}
}

// nthElement reorders x so that x[k] is the value of rank k (0-based) of
// x, with x[:k] ≤ x[k] ≤ x[k+1:].
func nthElement(x []float64, k int) {
	lo, hi := 0, len(x)-1
	budget := 2 * bits.Len(uint(len(x)))
	for hi-lo > 16 {
		if budget == 0 {
			slices.Sort(x[lo : hi+1])
			return
		}
		budget--
		// median of three as pivot
		mid := lo + (hi-lo)/2
		if x[mid] < x[lo] {
			x[mid], x[lo] = x[lo], x[mid]
		}
		if x[hi] < x[lo] {
			x[hi], x[lo] = x[lo], x[hi]
		}
		if x[hi] < x[mid] {
			x[hi], x[mid] = x[mid], x[hi]
		}
		pivot := x[mid]
		i, j := lo, hi
		for i <= j {
			for x[i] < pivot {
				i++
			}
			for x[j] > pivot {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		// now x[lo:j+1] ≤ pivot ≤ x[i:hi+1], and x[j+1:i] == pivot
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return
		}
	}
	slices.Sort(x[lo : hi+1])
}

package uncertainty

import (
	"math"
	"math/bits"
	"slices"
	"sort"

	"github.com/gisement/gisement/internal/spillq"
)

// QuantilesUnsorted sets out[j] to Quantile(ps[j], x sorted ascending)
// for ps in [0, 1], bit for bit, without sorting x (x may be reordered).
// Any NaN in x gives NaN quantiles, as Quantile does; an empty x gives NaN.
//
// Why: a Monte Carlo result needs three quantiles of 500 draws per parcel,
// and sorting the draws was most of the uncertainty stage (issue 16).
// Method: a histogram selection in two passes over x after its minimum
// and maximum. The first counts the values into n/2 (16–512) equal-width
// buckets between the minimum and the maximum; the bucket index
// ⌊(x − min)·scale⌋ is non-decreasing in x (floating-point subtraction and
// multiplication by a positive number are monotone), so the counts give
// the bucket holding each rank the quantiles read (two per quantile: the
// LinInterp estimator interpolates between x₍ᵢ₋₁₎ and x₍ᵢ₎); the second
// copies the few values of those buckets, which are then sorted. Order
// statistics are values, whatever the algorithm that finds them, so the
// quantiles are the sorted ones exactly (TestQuantilesUnsortedMatchesSort,
// TestQuantilesHistogramMatchesSort; −0 and +0, equal, are interchangeable
// there as in any sort). Fewer than 64 or more than 4,096 values, a
// degenerate range (infinite values) or crowded buckets (heavy ties,
// outliers) take the introselect of quantilesSelect instead (x reordered
// in place). On 500 normal draws 1.5× faster than the introselect alone
// (BenchmarkQuantilesUnsorted), and the Monte Carlo, which passes the
// draws' range (quantilesInRange), saves the first pass too (issue 16).
// Hand-written because neither the standard library nor gonum v0.17 has a
// selection (nth_element).
func QuantilesUnsorted(ps, x, out []float64) {
	n := len(x)
	if n == 0 {
		for j := range ps {
			out[j] = math.NaN()
		}
		return
	}
	// Minimum and maximum; the builtin min and max propagate NaN, so one
	// NaN anywhere makes lo NaN (two accumulators: shorter dependency
	// chains).
	lo, hi := x[0], x[0]
	lo2, hi2 := lo, hi
	k := 1
	for ; k+1 < n; k += 2 {
		a, b := x[k], x[k+1]
		lo, hi = min(lo, a), max(hi, a)
		lo2, hi2 = min(lo2, b), max(hi2, b)
	}
	if k < n {
		lo, hi = min(lo, x[k]), max(hi, x[k])
	}
	lo, hi = min(lo, lo2), max(hi, hi2)
	quantilesInRange(ps, x, out, lo, hi)
}

// quantilesInRange is QuantilesUnsorted for x whose minimum and maximum
// are lo and hi, or NaN when x holds a NaN (as the builtin min and max
// give): for callers that track them while producing x (the Monte Carlo),
// which saves a pass over x.
func quantilesInRange(ps, x, out []float64, lo, hi float64) {
	n := len(x)
	if n == 0 || math.IsNaN(lo) || math.IsNaN(hi) {
		for j := range ps {
			out[j] = math.NaN()
		}
		return
	}
	if n >= histMinValues && n <= histMaxValues && len(ps) <= histMaxQuantiles && quantilesHistogram(ps, x, out, lo, hi) {
		return
	}
	if !slices.IsSorted(ps) { // the introselect needs ascending ps
		slices.Sort(x)
		for j, p := range ps {
			out[j] = spillq.Quantile(p, n, func(r int) float64 { return x[r] })
		}
		return
	}
	quantilesSelect(ps, x, out)
}

// Bounds of the histogram selection: below histMinValues the introselect
// is as fast; the scratch arrays live on the stack.
const (
	histMinValues    = 64
	histMaxValues    = 4096 // beyond, 512 buckets get crowded: the introselect
	histMaxQuantiles = 8
	histMaxBuckets   = 512
	histMaxGathered  = 256 // values of the needed buckets copied and sorted
)

// quantilesHistogram is QuantilesUnsorted's histogram selection for x
// without NaN, with minimum lo and maximum hi; false when it does not
// apply (x untouched: a degenerate range or too many values in the needed
// buckets).
func quantilesHistogram(ps, x, out []float64, lo, hi float64) bool {
	n := len(x)
	if lo == hi { // all equal: every order statistic is lo
		for j, p := range ps {
			out[j] = spillq.Quantile(p, n, func(int) float64 { return lo })
		}
		return true
	}
	nb := min(max(n/2, 16), histMaxBuckets)
	scale := float64(nb) / (hi - lo)
	if !(scale > 0) || math.IsInf(scale, 0) {
		return false
	}
	// bucket is monotone: ⌊(v − lo)·scale⌋ ≥ 0 (v ≥ lo), capped at nb − 1
	// (v = hi).
	bucket := func(v float64) int { return min(int((v-lo)*scale), nb-1) }
	var cum [histMaxBuckets + 1]int32
	for _, v := range x {
		cum[bucket(v)+1]++
	}
	acc := int32(0)
	for b := 1; b <= nb; b++ {
		acc += cum[b]
		cum[b] = acc
	}
	// bucketOf returns the bucket holding rank r: cum[b] ≤ r < cum[b+1].
	bucketOf := func(r int) int {
		return sort.Search(nb, func(b int) bool { return int(cum[b+1]) > r })
	}
	// The needed buckets, each tagged with its place in the gather buffer.
	var tag [histMaxBuckets]uint8 // 1 + index into start, 0 = not needed
	var start [2*histMaxQuantiles + 1]int32
	needed := 0
	total := int32(0)
	for _, p := range ps {
		rlo, ri := spillq.QuantileRanks(p, n)
		for _, r := range [2]int{rlo, ri} {
			if b := bucketOf(r); tag[b] == 0 {
				start[needed] = total
				total += cum[b+1] - cum[b]
				needed++
				tag[b] = uint8(needed)
			}
		}
	}
	if total > histMaxGathered {
		return false
	}
	start[needed] = total
	var buf [histMaxGathered]float64
	var fill [2 * histMaxQuantiles]int32
	copy(fill[:needed], start[:needed])
	for _, v := range x {
		if t := tag[bucket(v)]; t != 0 {
			buf[fill[t-1]] = v
			fill[t-1]++
		}
	}
	for s := 0; s < needed; s++ {
		slices.Sort(buf[start[s]:start[s+1]])
	}
	at := func(r int) float64 {
		b := bucketOf(r)
		return buf[int(start[tag[b]-1])+r-int(cum[b])]
	}
	for j, p := range ps {
		out[j] = spillq.Quantile(p, n, at)
	}
	return true
}

// quantilesSelect is QuantilesUnsorted for x without NaN by introselect
// (Hoare partition around a median-of-three pivot, falling back to a sort
// of the remaining part when the partitions stop shrinking), O(n) on
// average; ps ascending. It reorders x in place only as far as the order
// statistics the quantiles need.
func quantilesSelect(ps, x, out []float64) {
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

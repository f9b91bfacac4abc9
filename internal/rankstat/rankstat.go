// Package rankstat holds rank statistics for the comparisons of gisement's
// models with reference models (GRASS r.sun): ranks with ties sharing their
// mean rank, and Spearman's rank correlation ρ.
//
// Hand-written: gonum's stat has Pearson (stat.Correlation) and Kendall but
// no Spearman; Spearman's ρ is Pearson's r of the ranks (Spearman 1904,
// "The proof and measurement of association between two things", Am. J.
// Psychol. 15(1), doi:10.2307/1412159).
package rankstat

import (
	"sort"

	"gonum.org/v1/gonum/stat"
)

// Ranks returns the ranks of x (1 = smallest), ties sharing their mean rank.
// The rank from the largest (1 = largest) is len(x) + 1 − Ranks(x)[i], ties
// included.
func Ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		for k := i; k <= j; k++ {
			r[idx[k]] = float64(i+j)/2 + 1
		}
		i = j + 1
	}
	return r
}

// Spearman is Spearman's rank correlation of x and y (same length).
func Spearman(x, y []float64) float64 {
	return stat.Correlation(Ranks(x), Ranks(y), nil)
}

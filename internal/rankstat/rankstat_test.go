package rankstat

import (
	"fmt"
	"math"
	"testing"
)

func TestRanksAndSpearman(t *testing.T) {
	if got, want := fmt.Sprint(Ranks([]float64{3, 1, 2, 2})), fmt.Sprint([]float64{4, 1, 2.5, 2.5}); got != want {
		t.Errorf("Ranks = %s, want %s", got, want)
	}
	x := []float64{1, 2, 3, 4, 5}
	if r := Spearman(x, []float64{1, 4, 9, 16, 25}); math.Abs(r-1) > 1e-12 {
		t.Errorf("monotone ρ = %v, want 1", r)
	}
	// d = rank differences (0, 0, 1, −1, 0): ρ = 1 − 6·2/(5·24) = 0.9.
	if r := Spearman(x, []float64{10, 20, 40, 30, 50}); math.Abs(r-0.9) > 1e-12 {
		t.Errorf("ρ = %v, want 0.9", r)
	}
}

func ExampleSpearman() {
	shadingModel := []float64{0.02, 0.10, 0.05, 0.30}
	reference := []float64{0.01, 0.12, 0.04, 0.25}
	fmt.Println(Ranks(shadingModel), Spearman(shadingModel, reference))
	// Output: [1 3 2 4] 1
}

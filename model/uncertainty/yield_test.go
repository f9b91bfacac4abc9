package uncertainty

import (
	"math"
	"testing"
)

// Hand-worked: σ_weather 5 %, σ_model 5 %, bias 2 %/100 km at 150 km = 3 %:
// σ = √(25 + 25 + 9) = 7.681 %, P90/P50 = 1 − 1.2816 × 0.07681 = 0.9016.
func TestYieldSpreadHandWorked(t *testing.T) {
	u := Defaults()
	s := YieldSpreadOf(&u, 150)
	if math.Abs(s.SigmaPct-math.Sqrt(59)) > 1e-9 || math.Abs(s.P90-(1-1.2815515655446004*math.Sqrt(59)/100)) > 1e-12 {
		t.Errorf("spread %+v", s)
	}
	if s0 := YieldSpreadOf(&u, 0); !(s0.P90 > s.P90) || s0.BiasPct != 0 {
		t.Errorf("the bias must grow with distance: %+v vs %+v", s0, s)
	}
	lo, hi := AreaRange(&u)
	if math.Abs(lo-(1-1.2815515655446004*0.12)) > 1e-12 || math.Abs(hi+lo-2) > 1e-12 {
		t.Errorf("area range %g–%g", lo, hi)
	}
}

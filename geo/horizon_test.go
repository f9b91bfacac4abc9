package geo

import (
	"math"
	"testing"
)

// TestApproxAtan2Deg checks the bound atanErrDeg of the azimuth used by
// the horizon's cull on a dense grid of directions and magnitudes.
func TestApproxAtan2Deg(t *testing.T) {
	worst := 0.0
	for i := 0; i < 720000; i++ {
		th := float64(i) * 2 * math.Pi / 720000
		for _, r := range []float64{1e-3, 1, 37.5, 1e5} {
			y, x := r*math.Sin(th), r*math.Cos(th)
			d := math.Abs(approxAtan2Deg(y, x) - math.Atan2(y, x)*180/math.Pi)
			if d > 180 { // ±180° are one direction
				d = 360 - d
			}
			worst = math.Max(worst, d)
		}
	}
	if worst > atanErrDeg || worst < atanErrDeg/10 {
		t.Fatalf("max error %.5f°, bound %.3f°", worst, atanErrDeg)
	}
	t.Logf("max error %.5f° (bound %.3f°)", worst, atanErrDeg)
}

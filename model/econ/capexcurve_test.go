package econ

import (
	"errors"
	"math"
	"testing"
)

func TestFitCapexCurveRecoversPowerLaw(t *testing.T) {
	var pts []CapexPricePoint
	for _, p := range []float64{2, 5, 20, 80, 300} {
		pts = append(pts, CapexPricePoint{KWp: p, EURPerWpHT: 2.4 * math.Pow(p, -0.21)})
	}
	c, err := FitCapexCurve(pts)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(c.A-2.4) > 1e-9 || math.Abs(c.B+0.21) > 1e-9 || c.RMSLog > 1e-9 {
		t.Errorf("fit A=%g B=%g rms=%g, want 2.4, −0.21, 0", c.A, c.B, c.RMSLog)
	}
	if c.MinKWp != 2 || c.MaxKWp != 300 {
		t.Errorf("range %g–%g, want 2–300", c.MinKWp, c.MaxKWp)
	}
	if got := c.CapexHT(10); math.Abs(got-1000*10*2.4*math.Pow(10, -0.21)) > 1e-6 {
		t.Errorf("CapexHT(10) = %g", got)
	}
}

// The default curve stays within 15 % of every cited price point and is
// strictly decreasing in €/Wp (economies of scale) while the total capex
// grows with size.
func TestDefaultCapexCurve(t *testing.T) {
	p := DefaultSystemParams()
	c, err := FitCapexCurve(p.CapexPoints)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("capex curve: %.4f × P^%.4f € HT/Wp, RMS log residual %.3f", c.A, c.B, c.RMSLog)
	for _, pt := range p.CapexPoints {
		got := c.EURPerWpHT(pt.KWp)
		rel := got/pt.EURPerWpHT - 1
		t.Logf("  %6g kWp: cited %.3f, curve %.3f (%+.1f %%)", pt.KWp, pt.EURPerWpHT, got, 100*rel)
		if math.Abs(rel) > 0.15 {
			t.Errorf("%g kWp: curve %.3f €/Wp is %+.1f %% from the cited %.3f", pt.KWp, got, 100*rel, pt.EURPerWpHT)
		}
	}
	if !(c.B < 0 && c.B > -1) {
		t.Errorf("elasticity %g: want −1 < B < 0 (unit price falls, total grows)", c.B)
	}
}

func TestFitCapexCurveErrors(t *testing.T) {
	for name, pts := range map[string][]CapexPricePoint{
		"one point":  {{KWp: 3, EURPerWpHT: 2}},
		"same size":  {{KWp: 3, EURPerWpHT: 2}, {KWp: 3, EURPerWpHT: 2.2}},
		"zero price": {{KWp: 3, EURPerWpHT: 0}, {KWp: 9, EURPerWpHT: 1.5}},
		"nan size":   {{KWp: math.NaN(), EURPerWpHT: 2}, {KWp: 9, EURPerWpHT: 1.5}},
	} {
		if _, err := FitCapexCurve(pts); !errors.Is(err, ErrSystemParams) {
			t.Errorf("%s: error %v, want ErrSystemParams", name, err)
		}
	}
}

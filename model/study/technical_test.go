package study

import (
	"math"
	"testing"
)

// Issue 12 acceptance on the embedded sample (Périgueux buildings, La
// Rochelle TMYx): the technical potential (planes yielding ≥ 80 % of the
// local optimum, flat roofs on 10° racks) holds less than 2 % of its
// capacity on planes facing within 67.5° of north, and its
// capacity-weighted specific yield lies within 10 % of the south 30–35°
// reference computed from the same weather year. Both bounds are the
// issue's; the old ≥ 900 kWh/m² rule failed both (27 % of capacity on
// north-ish planes, territory mean 1,014 kWh/kWp against ≈ 1,250).
func TestTechnicalPotentialSample(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the sample study")
	}
	r := sampleStudy(t)
	s, ref := r.PVStats, r.PVReference
	north := s.TechnicalNorthKWp / s.TechnicalKWp
	y := s.TechnicalYieldKWhKWp()
	t.Logf("technical potential %.1f MWc, %.1f GWh/yr on %d of %d planes (all planes %.1f MWc); north-facing share %.2f %%; yield %.0f kWh/kWp; optimum %.0f kWh/kWp at %.0f°/%.0f°, south 30° %.0f, south 35° %.0f; shading loss all planes %.2f %%, kept %.2f %%",
		s.TechnicalKWp/1000, s.TechnicalKWhYr/1e6, s.PlanesKept, s.Planes, s.AllKWp/1000, 100*north, y,
		ref.OptimumYieldKWhKWp, ref.OptimumTiltDeg, ref.OptimumAzimuthDeg, ref.South30YieldKWhKWp, ref.South35YieldKWhKWp,
		s.ShadingLossAllPct, s.ShadingLossKeptPct)
	if !(s.TechnicalKWp > 0) {
		t.Fatal("no technical potential")
	}
	if north >= 0.02 {
		t.Errorf("%.2f %% of the technical potential faces within 67.5° of north, want < 2 %%", 100*north)
	}
	for _, south := range []float64{ref.South30YieldKWhKWp, ref.South35YieldKWhKWp} {
		if d := math.Abs(y/south - 1); !(d <= 0.10) {
			t.Errorf("capacity-weighted yield %.0f kWh/kWp is %.1f %% from the south reference %.0f, want ≤ 10 %%", y, 100*d, south)
		}
	}
	if !(s.ShadingLossAllPct >= s.ShadingLossKeptPct) {
		t.Errorf("shading loss over all planes %.2f %% below the kept planes' %.2f %%", s.ShadingLossAllPct, s.ShadingLossKeptPct)
	}
}

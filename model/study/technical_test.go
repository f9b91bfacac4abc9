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

// Economic potential and yield uncertainty on the sample: the owners'
// systems are a subset of the technical potential, never self-consume
// more than their load, household systems stay within 3–9 kWp per
// dwelling; the territory's P90/P50 of specific yield lies in 0.88–0.96
// (issue 12: a one-year P90/P50 for a defined system is 0.92–0.95 in the
// literature; the usable-area range no longer multiplies kWh).
func TestEconomicPotentialSample(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the sample study")
	}
	r := sampleStudy(t)
	var techKWp, econKWp, econKWh, npv float64
	var computed, economic, notComputed int
	owners := map[string]int{}
	var paybacks []float64
	for i := range r.Buildings {
		b := &r.Buildings[i]
		e := &b.PVEcon
		techKWp += b.PV.KWp
		if !e.OK {
			notComputed++
			if !math.IsNaN(e.EconKWp()) {
				t.Fatalf("building %d: not computed but economic kWp %g (want NaN)", i, e.EconKWp())
			}
			continue
		}
		computed++
		owners[string(e.Owner)]++
		npv += e.Best.NPVEUR
		if e.Best.KWp > b.PV.KWp+1e-9 {
			t.Errorf("building %d: system %.2f kWp above its technical potential %.2f", i, e.Best.KWp, b.PV.KWp)
		}
		if e.Best.SelfConsumedKWhYr1 > e.Best.LoadKWhYr+1e-6 || e.Best.SelfConsumedKWhYr1 > e.Best.ProductionKWhYr1+1e-6 {
			t.Errorf("building %d: self-consumed %.0f kWh above load %.0f or production %.0f", i, e.Best.SelfConsumedKWhYr1, e.Best.LoadKWhYr, e.Best.ProductionKWhYr1)
		}
		if e.Owner == "household" && e.Best.KWp > 9*float64(e.Dwellings)+1e-9 {
			t.Errorf("building %d: household system %.1f kWp for %d dwellings", i, e.Best.KWp, e.Dwellings)
		}
		if e.Economic {
			economic++
			econKWp += e.Best.KWp
			econKWh += e.Best.ProductionKWhYr1
			paybacks = append(paybacks, e.Best.SimplePaybackYr)
		}
	}
	var p50, p90 float64
	for i := range r.Parcels {
		if q := r.Parcels[i].PVQuantiles; r.Parcels[i].PVQuantilesOK {
			p50 += q.YieldP50KWh
			p90 += q.YieldP90KWh
		}
	}
	ratio := p90 / p50
	med := math.NaN()
	if len(paybacks) > 0 {
		med = quantiles(paybacks, 0.5)[0]
	}
	t.Logf("technical %.1f MWc; economic %.1f MWc, %.1f GWh/yr on %d of %d computed buildings (%d not computed); owners %v; NPV of best systems %.1f M€; median payback of economic systems %.1f yr; P90/P50 %.3f (σ %.2f %%: weather %.1f, model %.1f, bias %.1f at %.0f km)",
		techKWp/1000, econKWp/1000, econKWh/1e6, economic, computed, notComputed, owners, npv/1e6, med,
		ratio, r.PVSpread.SigmaPct, r.PVSpread.WeatherPct, r.PVSpread.ModelPct, r.PVSpread.BiasPct, r.PVSpread.DistanceKm)
	if computed == 0 || !(econKWp <= techKWp) {
		t.Errorf("economic %.1f kWp vs technical %.1f kWp on %d computed buildings", econKWp, techKWp, computed)
	}
	if !(ratio >= 0.88 && ratio <= 0.96) {
		t.Errorf("P90/P50 of the yield %.3f outside 0.88–0.96", ratio)
	}
}

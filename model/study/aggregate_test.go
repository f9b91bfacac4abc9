package study

import (
	"math"
	"testing"
)

// TestAggregateSpilledQuantilesExact splits the sample study's buildings
// into seven partial aggregates (as chunks), merges them with a budget of
// 300 values (the lists go to files) and checks every quantile against the
// definition before issue 16: uncertainty.Quantile over the concatenated
// lists, sorted in memory (quantiles). Equal means the same float64 (−0
// and +0 aside, which sort.Float64s leaves in input order).
func TestAggregateSpilledQuantilesExact(t *testing.T) {
	if testing.Short() {
		t.Skip("whole sample study")
	}
	r := sampleStudy(t)
	tr := r.Territory
	perParcel := len(tr.Parcels) > 0
	whole := newAggPartial(0)
	parts := make([]*aggPartial, 7)
	for k := range parts {
		parts[k] = newAggPartial(0)
	}
	for i := range tr.Buildings {
		roofs := r.PV.Roofs[tr.PlaneStart[i]:tr.PlaneStart[i+1]]
		whole.addBuilding(tr, i, &r.Buildings[i], roofs, nil, perParcel)
		parts[i%7].addBuilding(tr, i, &r.Buildings[i], roofs, nil, perParcel)
	}
	defer func(b int) { mergeBudget = b }(mergeBudget)
	mergeBudget = 300
	m := newAggMerge(0, t.TempDir())
	defer m.close()
	for _, p := range parts {
		if err := m.add(p); err != nil {
			t.Fatal(err)
		}
	}
	if m.vals.Spilled() < 10_000 {
		t.Fatalf("%d values spilled, want the lists on disk", m.vals.Spilled())
	}
	var got Result
	if err := m.aggregate(&got, nil, nil); err != nil {
		t.Fatal(err)
	}
	eq := func(what string, g, w float64) {
		t.Helper()
		if !(g == w || (math.IsNaN(g) && math.IsNaN(w))) {
			t.Errorf("%s: merged %v (%#x), in memory %v (%#x)", what, g, math.Float64bits(g), w, math.Float64bits(w))
		}
	}
	n := 0
	for _, c := range got.Communes {
		code := c.INSEE
		if code == "unknown" {
			code = ""
		}
		wc := whole.Communes[code]
		if wc == nil {
			t.Fatalf("commune %q not in the one-partial aggregate", code)
		}
		if len(wc.Yields) == 0 {
			continue
		}
		n++
		q := quantiles(wc.Yields, 0.1, 0.5, 0.9)
		eq(code+" yield Q10", c.SpecificYieldQ10, q[0])
		eq(code+" yield Q50", c.SpecificYieldQ50, q[1])
		eq(code+" yield Q90", c.SpecificYieldQ90, q[2])
		eq(code+" shading Q50", c.ShadingLossQ50, quantiles(wc.Shading, 0.5)[0])
		eq(code+" planes all Q50", c.PlaneStats.ShadingLossAllQ50Pct, quantiles(wc.Planes.AllSh, 0.5)[0])
		eq(code+" planes kept Q50", c.PlaneStats.ShadingLossKeptQ50Pct, quantiles(wc.Planes.KeptSh, 0.5)[0])
	}
	if n == 0 {
		t.Fatal("no commune with PV")
	}
	eq("study planes all Q50", got.PVStats.ShadingLossAllQ50Pct, quantiles(whole.Planes.AllSh, 0.5)[0])
	eq("study planes kept Q50", got.PVStats.ShadingLossKeptQ50Pct, quantiles(whole.Planes.KeptSh, 0.5)[0])
	sys, space, ok, err := m.scopMedians()
	if err != nil || !ok {
		t.Fatalf("SCOP medians: ok %v, err %v", ok, err)
	}
	eq("SCOP system median", sys, quantiles(whole.Heat.SCOPSystem, 0.5)[0])
	eq("SCOP space median", space, quantiles(whole.Heat.SCOPSpace, 0.5)[0])
}

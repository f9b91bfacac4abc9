package api

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// FuzzPrepareArea: any lon/lat box, possibly with a second vertex-heavy
// polygon, is either refused with a problem or becomes closed rings inside
// Lambert-93's domain whose edges are at most the densification step.
func FuzzPrepareArea(f *testing.F) {
	f.Add(-180.0, -90.0, 180.0, 90.0)
	f.Add(0.7, 45.1, 0.8, 45.3)
	f.Add(-150.0, -10.0, -140.0, 0.0)
	f.Add(9.0, 51.0, 12.0, 53.0)
	f.Fuzz(func(t *testing.T, x0, y0, x1, y1 float64) {
		for _, v := range []float64{x0, y0, x1, y1} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Skip()
			}
		}
		clamp := func(v, lim float64) float64 { return math.Max(-lim, math.Min(lim, v)) }
		x0, x1, y0, y1 = clamp(x0, 180), clamp(x1, 180), clamp(y0, 90), clamp(y1, 90)
		if math.Abs(x1-x0) < 1e-9 || math.Abs(y1-y0) < 1e-9 {
			t.Skip()
		}
		p := orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
		g, err := prepareArea(p, "zone")
		if err != nil {
			return // refused with a problem (outside the domain)
		}
		var mp orb.MultiPolygon
		switch x := g.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{x}
		case orb.MultiPolygon:
			mp = x
		default:
			t.Fatalf("type %T", g)
		}
		d := lambert93Domain
		for _, q := range mp {
			for _, r := range q {
				if len(r) < 4 || r[0] != r[len(r)-1] {
					t.Fatalf("ring not closed or too short: %v", r)
				}
				for i, pt := range r {
					if pt[0] < d.Min[0]-1e-9 || pt[0] > d.Max[0]+1e-9 || pt[1] < d.Min[1]-1e-9 || pt[1] > d.Max[1]+1e-9 {
						t.Fatalf("vertex %v outside the domain", pt)
					}
					if i > 0 && edgeLen(r[i-1], pt) > densifyStepDeg*1.0001 {
						t.Fatalf("edge %v–%v longer than the step", r[i-1], pt)
					}
				}
			}
		}
	})
}

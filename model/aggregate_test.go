package model

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func square(x0, y0, x1, y1 float64) orb.Polygon {
	return orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
}

// Synthetic items (not real data).
func TestAggregateByKey(t *testing.T) {
	nan := math.NaN()
	items := []Item{
		{Group: "17300", Values: []float64{3, 3000}},
		{Group: "17300", Values: []float64{6, 7000}},
		{Group: "17300", Values: []float64{9, nan}},
		{Group: "24322", Values: []float64{36, 40000}},
	}
	out, err := AggregateByKey(items, AggregateOptions{
		Metrics:    []string{"kwp", "kwh_yr"},
		Histograms: map[string][]float64{"kwp": {0, 5, 10}},
	})
	if err != nil {
		t.Fatal(err)
	}
	a := out["17300"]
	if a.Items != 3 || len(out) != 2 {
		t.Fatalf("groups %v", out)
	}
	kwp, _ := a.Metric("kwp")
	// Sum 3 + 6 + 9 = 18, mean 6; type-7 percentiles (numpy default):
	// Q50 = 6, Q10 = 3 + 0.2·3 = 3.6, Q90 = 6 + 0.8·3 = 8.4.
	if kwp.Sum != 18 || kwp.Mean != 6 || kwp.Min != 3 || kwp.Max != 9 || kwp.Q50 != 6 || kwp.Count != 3 {
		t.Errorf("kwp summary %+v", kwp)
	}
	if math.Abs(kwp.Q10-3.6) > 1e-12 || math.Abs(kwp.Q90-8.4) > 1e-12 {
		t.Errorf("kwp Q10 %g Q90 %g", kwp.Q10, kwp.Q90)
	}
	// Histogram [0,5): 3; [5,10): 6, 9.
	if kwp.HistCounts[0] != 1 || kwp.HistCounts[1] != 2 || kwp.Underflow != 0 || kwp.Overflow != 0 {
		t.Errorf("histogram %v under %d over %d", kwp.HistCounts, kwp.Underflow, kwp.Overflow)
	}
	kwh, _ := a.Metric("kwh_yr")
	if kwh.Sum != 10000 || kwh.Count != 2 || kwh.Missing != 1 {
		t.Errorf("kwh summary %+v", kwh)
	}
	b := out["24322"]
	bk, _ := b.Metric("kwp")
	// One value above the last edge: overflow.
	if bk.Overflow != 1 || bk.HistCounts[0]+bk.HistCounts[1] != 0 {
		t.Errorf("overflow %d counts %v", bk.Overflow, bk.HistCounts)
	}
	if _, ok := a.Metric("nope"); ok {
		t.Error("unknown metric found")
	}
}

func TestAggregateRejects(t *testing.T) {
	items := []Item{{Values: []float64{1}}, {Values: []float64{1, 2}}}
	if _, err := AggregateByKey(items, AggregateOptions{Metrics: []string{"a"}}); !errors.Is(err, ErrAggregate) {
		t.Errorf("length mismatch: %v", err)
	}
	if _, err := AggregateByPolygons(items[:1], nil, AggregateOptions{Metrics: []string{"a"}, Histograms: map[string][]float64{"b": {0, 1}}}); !errors.Is(err, ErrAggregate) {
		t.Errorf("histogram of unknown metric: %v", err)
	}
	if _, err := AggregateByKey(items[:1], AggregateOptions{Metrics: []string{"a"}, Histograms: map[string][]float64{"a": {1, 0}}}); !errors.Is(err, ErrAggregate) {
		t.Errorf("unsorted edges: %v", err)
	}
}

func TestAggregateByPolygonsHandCase(t *testing.T) {
	// Synthetic zones: A = [0,10]², B = [5,15]×[0,10] (overlaps A),
	// C = [20,30]² with a hole [22,28]², D empty geometry.
	withHole := orb.Polygon{square(20, 20, 30, 30)[0], square(22, 22, 28, 28)[0]}
	polys := []NamedPolygon{
		{"A", orb.MultiPolygon{square(0, 0, 10, 10)}},
		{"B", orb.MultiPolygon{square(5, 0, 15, 10)}},
		{"C", orb.MultiPolygon{withHole}},
		{"D", nil},
	}
	items := []Item{
		{Point: orb.Point{1, 1}, Values: []float64{1}},    // A
		{Point: orb.Point{7, 5}, Values: []float64{10}},   // A and B
		{Point: orb.Point{10, 5}, Values: []float64{100}}, // on A's edge (inside B): both
		{Point: orb.Point{21, 21}, Values: []float64{1000}},
		{Point: orb.Point{25, 25}, Values: []float64{1e4}}, // in C's hole: not C
		{Point: orb.Point{50, 50}, Values: []float64{1e5}}, // nowhere
	}
	out, err := AggregateByPolygons(items, polys, AggregateOptions{Metrics: []string{"kwh"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"A": 111, "B": 110, "C": 1000, "D": 0}
	for _, a := range out {
		m, _ := a.Metric("kwh")
		if m.Sum != want[a.Key] {
			t.Errorf("%s: sum %g, want %g", a.Key, m.Sum, want[a.Key])
		}
	}
	if out[3].Items != 0 || !math.IsNaN(out[3].Metrics[0].Mean) {
		t.Errorf("empty zone %+v", out[3])
	}
}

// TestAggregateByPolygonsBruteForce compares the R-tree path with testing
// every item against every polygon (synthetic random layout).
func TestAggregateByPolygonsBruteForce(t *testing.T) {
	items, polys := syntheticLayout(5000, 30, 3)
	o := AggregateOptions{Metrics: []string{"kwp", "kwh_yr"}}
	out, err := AggregateByPolygons(items, polys, o)
	if err != nil {
		t.Fatal(err)
	}
	for pi, p := range polys {
		n, sum := 0, 0.0
		for _, it := range items {
			if planar.MultiPolygonContains(p.Geometry, it.Point) {
				n++
				sum += it.Values[1]
			}
		}
		m, _ := out[pi].Metric("kwh_yr")
		if out[pi].Items != n || math.Abs(m.Sum-sum) > 1e-6*math.Max(1, sum) {
			t.Errorf("%s: %d items sum %g, brute force %d sum %g", p.Name, out[pi].Items, m.Sum, n, sum)
		}
	}
}

// syntheticLayout returns n items on a 10 km × 10 km Lambert-93-like extent
// and k random rectangular / triangular zones (synthetic, seeded).
func syntheticLayout(n, k int, seed uint64) ([]Item, []NamedPolygon) {
	r := rand.New(rand.NewPCG(seed, 99))
	x0, y0 := 520000.0, 6450000.0
	items := make([]Item, n)
	for i := range items {
		kwp := 1 + 30*r.Float64()
		items[i] = Item{
			Point:  orb.Point{x0 + 1e4*r.Float64(), y0 + 1e4*r.Float64()},
			Group:  fmt.Sprintf("S%02d", i%20),
			Values: []float64{kwp, kwp * (900 + 400*r.Float64())},
		}
	}
	polys := make([]NamedPolygon, k)
	for i := range polys {
		cx, cy, w := x0+1e4*r.Float64(), y0+1e4*r.Float64(), 300+1500*r.Float64()
		var g orb.Polygon
		if i%2 == 0 {
			g = square(cx, cy, cx+w, cy+0.7*w)
		} else {
			g = orb.Polygon{{{cx, cy}, {cx + w, cy}, {cx, cy + w}, {cx, cy}}}
		}
		polys[i] = NamedPolygon{Name: fmt.Sprintf("zone-%d", i), Geometry: orb.MultiPolygon{g}}
	}
	return items, polys
}

func ExampleAggregateByPolygons() {
	// Synthetic: two roofs inside a candidate acceleration zone, one outside.
	zone := NamedPolygon{Name: "ZAEnR-1", Geometry: orb.MultiPolygon{square(0, 0, 100, 100)}}
	items := []Item{
		{Point: orb.Point{10, 10}, Values: []float64{6, 7200}},
		{Point: orb.Point{50, 80}, Values: []float64{9, 10300}},
		{Point: orb.Point{150, 80}, Values: []float64{3, 3500}},
	}
	out, _ := AggregateByPolygons(items, []NamedPolygon{zone}, AggregateOptions{Metrics: []string{"kwp", "kwh_yr"}})
	kwp, _ := out[0].Metric("kwp")
	kwh, _ := out[0].Metric("kwh_yr")
	fmt.Printf("%s: %d roofs, %.0f kWp, %.0f kWh/yr\n", out[0].Key, out[0].Items, kwp.Sum, kwh.Sum)
	// Output:
	// ZAEnR-1: 2 roofs, 15 kWp, 17500 kWh/yr
}

func BenchmarkAggregate(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		items, polys := syntheticLayout(n, 50, 1)
		o := AggregateOptions{Metrics: []string{"kwp", "kwh_yr"}, Histograms: map[string][]float64{"kwp": {0, 3, 9, 36, 100}}}
		b.Run(fmt.Sprintf("polygons/items=%d/polys=50", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := AggregateByPolygons(items, polys, o); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("key/items=%d/groups=20", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := AggregateByKey(items, o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestAggregateQuantile7(t *testing.T) {
	// numpy.quantile([1, 2, 3, 4], [0.1, 0.5, 0.9]) = [1.3, 2.5, 3.7].
	x := []float64{1, 2, 3, 4}
	for _, c := range []struct{ p, want float64 }{{0.1, 1.3}, {0.5, 2.5}, {0.9, 3.7}, {0, 1}, {1, 4}} {
		if got := quantile7(x, c.p); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("quantile7(%g) = %g, want %g", c.p, got, c.want)
		}
	}
	if quantile7([]float64{5}, 0.9) != 5 {
		t.Error("single value")
	}
}

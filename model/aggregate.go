package model

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/tidwall/rtree"
	"gonum.org/v1/gonum/stat"
)

// Item is one thing to aggregate (a roof plane, a building, a parcel): its
// representative point (Lambert-93 metres for polygon layers in
// Lambert-93), a grouping key (commune INSEE code, IRIS, cadastral
// section... for AggregateByKey) and one value per metric, in the order of
// AggregateOptions.Metrics. NaN values are "unknown": skipped for that
// metric and counted in MetricSummary.Missing.
type Item struct {
	Point  orb.Point
	Group  string
	Values []float64
}

// NamedPolygon is a zone of a polygon layer (commune, IRIS, candidate
// renewable-acceleration zone), in the items' coordinate system.
type NamedPolygon struct {
	Name     string
	Geometry orb.MultiPolygon
}

// AggregateOptions name the metrics (one per Item value, e.g. "kwp",
// "kwh_yr", "heat_demand_kwh", "specific_yield_kwh_kwp") and, optionally,
// histogram bin edges per metric (ascending; values below the first edge or
// at/above the last go to Underflow/Overflow).
type AggregateOptions struct {
	Metrics    []string
	Histograms map[string][]float64
}

// MetricSummary summarises one metric over the items of a zone. Q10, Q50,
// Q90 are the plain 10th, 50th, 90th percentiles (linear interpolation
// between order statistics, numpy/pandas' default, Hyndman & Fan type 7:
// the median of {3, 6, 9} is 6; not the PV-finance P-values). Statistics are NaN when Count is 0.
type MetricSummary struct {
	Name                  string
	Count, Missing        int
	Sum, Mean, Min, Max   float64
	Q10, Q50, Q90         float64
	HistEdges, HistCounts []float64
	Underflow, Overflow   int
}

// Aggregate is the summary of one zone (key or polygon).
type Aggregate struct {
	Key     string
	Items   int
	Metrics []MetricSummary
}

// ErrAggregate marks invalid aggregation input.
var ErrAggregate = errors.New("invalid aggregation input")

func (o *AggregateOptions) check(items []Item) error {
	for name, e := range o.Histograms {
		if !slices.Contains(o.Metrics, name) {
			return fmt.Errorf("%w: histogram for unknown metric %q", ErrAggregate, name)
		}
		if len(e) < 2 || !sort.Float64sAreSorted(e) || slices.ContainsFunc(e, math.IsNaN) {
			return fmt.Errorf("%w: histogram edges of %q must be ≥ 2 ascending numbers", ErrAggregate, name)
		}
	}
	for i := range items {
		if len(items[i].Values) != len(o.Metrics) {
			return fmt.Errorf("%w: item %d has %d values, want %d (%v)", ErrAggregate, i, len(items[i].Values), len(o.Metrics), o.Metrics)
		}
	}
	return nil
}

// AggregateByKey groups items by Item.Group and summarises every metric.
// Cost: O(n log n) (one sort per metric and group for the quantiles).
func AggregateByKey(items []Item, o AggregateOptions) (map[string]Aggregate, error) {
	if err := o.check(items); err != nil {
		return nil, err
	}
	groups := map[string][]int32{}
	for i := range items {
		groups[items[i].Group] = append(groups[items[i].Group], int32(i))
	}
	out := make(map[string]Aggregate, len(groups))
	var buf []float64
	for k, idx := range groups {
		var a Aggregate
		a, buf = summariseItems(k, items, idx, &o, buf)
		out[k] = a
	}
	return out, nil
}

// AggregateByPolygons summarises the items whose representative point lies
// inside each polygon (boundary included, planar.MultiPolygonContains);
// overlapping polygons each count the item. Polygon bounds go into an
// R-tree (tidwall/rtree), so each item costs one R-tree point query plus an
// exact test against the few candidate polygons: linear in the number of
// items. Results follow the order of polys.
func AggregateByPolygons(items []Item, polys []NamedPolygon, o AggregateOptions) ([]Aggregate, error) {
	if err := o.check(items); err != nil {
		return nil, err
	}
	var tr rtree.RTreeG[int32]
	for i, p := range polys {
		if len(p.Geometry) == 0 {
			continue
		}
		b := p.Geometry.Bound()
		tr.Insert([2]float64{b.Min[0], b.Min[1]}, [2]float64{b.Max[0], b.Max[1]}, int32(i))
	}
	members := make([][]int32, len(polys))
	for i := range items {
		pt := items[i].Point
		q := [2]float64{pt[0], pt[1]}
		tr.Search(q, q, func(_, _ [2]float64, pi int32) bool {
			if planar.MultiPolygonContains(polys[pi].Geometry, pt) {
				members[pi] = append(members[pi], int32(i))
			}
			return true
		})
	}
	out := make([]Aggregate, len(polys))
	var buf []float64
	for i, p := range polys {
		out[i], buf = summariseItems(p.Name, items, members[i], &o, buf)
	}
	return out, nil
}

// summariseItems computes the metrics of the items idx, reusing buf.
func summariseItems(key string, items []Item, idx []int32, o *AggregateOptions, buf []float64) (Aggregate, []float64) {
	a := Aggregate{Key: key, Items: len(idx), Metrics: make([]MetricSummary, len(o.Metrics))}
	for m, name := range o.Metrics {
		buf = buf[:0]
		s := MetricSummary{Name: name}
		for _, i := range idx {
			v := items[i].Values[m]
			if math.IsNaN(v) {
				s.Missing++
				continue
			}
			buf = append(buf, v)
			s.Sum += v
		}
		s.Count = len(buf)
		if s.Count == 0 {
			nan := math.NaN()
			s.Mean, s.Min, s.Max, s.Q10, s.Q50, s.Q90 = nan, nan, nan, nan, nan, nan
		} else {
			slices.Sort(buf)
			s.Mean = s.Sum / float64(s.Count)
			s.Min, s.Max = buf[0], buf[len(buf)-1]
			s.Q10, s.Q50, s.Q90 = quantile7(buf, 0.10), quantile7(buf, 0.50), quantile7(buf, 0.90)
		}
		if edges, ok := o.Histograms[name]; ok {
			s.HistEdges = edges
			s.HistCounts = make([]float64, len(edges)-1)
			// gonum's Histogram panics outside [edges[0], edges[last]):
			// count those apart, pass the sorted inner range.
			lo := sort.SearchFloat64s(buf, edges[0])
			hi := sort.SearchFloat64s(buf, edges[len(edges)-1])
			s.Underflow, s.Overflow = lo, len(buf)-hi
			if hi > lo {
				stat.Histogram(s.HistCounts, edges, buf[lo:hi], nil)
			}
		}
		a.Metrics[m] = s
	}
	return a, buf
}

// quantile7 is the Hyndman & Fan (1996) type-7 quantile of sorted x
// (numpy.quantile's default). Hand-written because gonum's stat.Quantile
// offers only Empirical and LinInterp (type 4, which gives 4.5 as the
// median of {3, 6, 9}) — surprising in zone reports with few items.
func quantile7(x []float64, p float64) float64 {
	h := float64(len(x)-1) * p
	lo := int(h)
	if lo+1 >= len(x) {
		return x[len(x)-1]
	}
	return x[lo] + (h-float64(lo))*(x[lo+1]-x[lo])
}

// Metric returns the summary of the named metric (false if absent).
func (a *Aggregate) Metric(name string) (MetricSummary, bool) {
	for _, m := range a.Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return MetricSummary{}, false
}

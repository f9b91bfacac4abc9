package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gisement/gisement/data"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	sfgeom "github.com/peterstace/simplefeatures/geom"
)

// Sizes of the conformance study.
const (
	NBuildings = 300
	NSites     = 120
)

// Opener returns an empty store for one subtest (and arranges its cleanup).
type Opener func(t *testing.T) data.Store

// Input returns the layers of the conformance study.
func Input() (bld, sites []data.Feature, layers []data.LayerData) {
	bld = Buildings(NBuildings, 42)
	sites = Sites(NSites, 7)
	return bld, sites, []data.LayerData{
		{Layer: BuildingsLayer, Features: data.SliceFeatures(bld)},
		{Layer: SitesLayer, Features: data.SliceFeatures(sites)},
	}
}

// Queries are the queries checked against the Go reference.
func Queries() map[string]data.Query {
	wgs := func(x0, y0, x1, y1 float64) *orb.Bound {
		g, _ := data.ToWGS84(orb.MultiPoint{{x0, y0}, {x1, y1}}, data.SRIDLambert93)
		b := g.Bound()
		return &b
	}
	return map[string]data.Query{
		"default":      {Limit: 37},
		"pv_desc":      {Sort: "-pv_kwh_yr", Limit: 50},
		"pv_asc":       {Sort: "pv_kwh_yr", Limit: 41},
		"label":        {Sort: "label", Limit: 23},
		"label_desc":   {Sort: "-label", Limit: 60},
		"key_desc":     {Sort: "-building_id", Limit: 77},
		"planes_ge3":   {Filters: []data.Filter{{Column: "n_planes", Op: ">=", Value: int64(3)}}, Sort: "-n_planes", Limit: 19},
		"label_ne_b":   {Filters: []data.Filter{{Column: "label", Op: "!=", Value: "b"}, {Column: "roof_area_m2", Op: "<=", Value: 150.0}}, Sort: "roof_area_m2"},
		"pv_eq":        {Filters: []data.Filter{{Column: "label", Op: "=", Value: "é"}}, Sort: "-pv_kwh_yr", Limit: 5},
		"bbox":         {BBox: wgs(Origin[0]+500, Origin[1]+700, Origin[0]+1900, Origin[1]+2100), Sort: "-roof_area_m2", Limit: 13},
		"bbox_filter":  {BBox: wgs(Origin[0], Origin[1], Origin[0]+1500, Origin[1]+3000), Filters: []data.Filter{{Column: "pv_kwh_yr", Op: ">=", Value: 5000.0}}, Limit: 1000},
		"string_value": {Filters: []data.Filter{{Column: "n_planes", Op: "=", Value: "2"}}, Limit: 11},
	}
}

// Zone is the Summary test zone (lon/lat): a triangle over part of the area.
func Zone() orb.Polygon {
	l93 := orb.Polygon{{{Origin[0] + 200, Origin[1] + 300}, {Origin[0] + 2700, Origin[1] + 900}, {Origin[0] + 1100, Origin[1] + 2600}, {Origin[0] + 200, Origin[1] + 300}}}
	g, _ := data.ToWGS84(l93, data.SRIDLambert93)
	return g.(orb.Polygon)
}

// Run is the conformance suite. Every store must pass it.
func Run(t *testing.T, open Opener) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 26, 10, 0, 0, 123456789, time.UTC)

	t.Run("write-read", func(t *testing.T) {
		s := open(t)
		bld, sites, layers := Input()
		if err := s.WriteStudy(ctx, Study("s1", t0), layers); err != nil {
			t.Fatal(err)
		}
		checkStudy(t, s, "s1", t0, map[string]int64{"buildings": NBuildings, "sites": NSites})
		ls, err := s.Layers(ctx)
		if err != nil || len(ls) != 2 || ls[0].Name != "buildings" || !reflect.DeepEqual(ls[0], BuildingsLayer) {
			t.Fatalf("Layers = %+v, %v; want the two synthetic layers (buildings schema identical)", ls, err)
		}
		// Get: every value and the geometry come back as written.
		for _, i := range []int{0, 17, 299} {
			want := normalise(t, BuildingsLayer, bld[i])
			got, err := s.Get(ctx, "", "buildings", want.Values[0].(string))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Get(%s) = %#v, want %#v", want.Values[0], got, want)
			}
		}
		got, err := s.Get(ctx, "s1", "sites", fmt.Sprint(sites[5].Values[0]))
		if err != nil || !reflect.DeepEqual(got, normalise(t, SitesLayer, sites[5])) {
			t.Errorf("Get(sites) = %#v, %v", got, err)
		}
		for _, c := range [][3]string{{"", "buildings", "nope"}, {"", "sites", "notanint"}, {"", "nolayer", "B000001"}, {"nostudy", "buildings", "B000001"}} {
			if _, err := s.Get(ctx, c[0], c[1], c[2]); !errors.Is(err, data.ErrNotFound) {
				t.Errorf("Get(%q) error = %v, want ErrNotFound", c, err)
			}
		}
	})

	t.Run("query", func(t *testing.T) {
		s := open(t)
		bld, _, layers := Input()
		if err := s.WriteStudy(ctx, Study("s1", t0), layers); err != nil {
			t.Fatal(err)
		}
		ref := make([]data.Feature, len(bld))
		for i := range bld {
			ref[i] = normalise(t, BuildingsLayer, bld[i])
		}
		for name, q := range Queries() {
			t.Run(name, func(t *testing.T) {
				want := Reference(t, BuildingsLayer, ref, q)
				got, pages := collect(t, s, "buildings", q)
				if len(got) != len(want) {
					t.Fatalf("%d features in %d pages, want %d", len(got), pages, len(want))
				}
				for i := range want {
					if !reflect.DeepEqual(got[i].Values, want[i].Values) {
						t.Fatalf("row %d = %v, want %v", i, got[i].Values, want[i].Values)
					}
				}
				if name == "bbox" && (len(want) == 0 || len(want) == len(ref)) {
					t.Fatalf("bbox test selects %d of %d features: not discriminating", len(want), len(ref))
				}
			})
		}
		// Invalid queries are rejected with typed errors.
		var uc *data.UnknownColumnError
		for _, q := range []data.Query{
			{Sort: "-nope"},
			{Filters: []data.Filter{{Column: "pv_kwh_yr; DROP TABLE buildings", Op: "=", Value: 1.0}}},
		} {
			_, err := s.Query(ctx, "buildings", q)
			if !errors.As(err, &uc) || !errors.Is(err, data.ErrInvalidQuery) {
				t.Errorf("Query(%+v) error = %v, want *UnknownColumnError", q, err)
			}
		}
		for _, q := range []data.Query{
			{Limit: data.MaxLimit + 1},
			{Filters: []data.Filter{{Column: "pv_kwh_yr", Op: "LIKE", Value: 1.0}}},
			{Filters: []data.Filter{{Column: "n_planes", Op: "=", Value: "two"}}},
			{Filters: []data.Filter{{Column: "details", Op: "=", Value: "{}"}}},
			{Cursor: "garbage!"},
			{BBox: &orb.Bound{Min: orb.Point{1, 50}, Max: orb.Point{0, 40}}},
		} {
			if _, err := s.Query(ctx, "buildings", q); !errors.Is(err, data.ErrInvalidQuery) {
				t.Errorf("Query(%+v) error = %v, want ErrInvalidQuery", q, err)
			}
		}
		// A cursor is bound to its sort.
		p, err := s.Query(ctx, "buildings", data.Query{Sort: "label", Limit: 5})
		if err != nil || p.Next == "" {
			t.Fatal(p.Next, err)
		}
		if _, err := s.Query(ctx, "buildings", data.Query{Sort: "-label", Cursor: p.Next}); !errors.Is(err, data.ErrInvalidQuery) {
			t.Errorf("cursor reused with another sort: %v, want ErrInvalidQuery", err)
		}
		if _, err := s.Query(ctx, "nolayer", data.Query{}); !errors.Is(err, data.ErrNotFound) {
			t.Errorf("unknown layer: %v, want ErrNotFound", err)
		}
	})

	t.Run("summary", func(t *testing.T) {
		s := open(t)
		bld, _, layers := Input()
		if err := s.WriteStudy(ctx, Study("s1", t0), layers); err != nil {
			t.Fatal(err)
		}
		cols := []string{"pv_kwh_yr", "roof_area_m2", "n_planes"}
		for _, zone := range []orb.Geometry{nil, Zone()} {
			want := ReferenceSummary(t, BuildingsLayer, bld, zone, cols)
			got, err := s.Summary(ctx, "", "buildings", zone, cols)
			if err != nil {
				t.Fatal(err)
			}
			if got.Count != want.Count || (zone != nil && (got.Count == 0 || got.Count == NBuildings)) {
				t.Errorf("zone %v: count %d, want %d (and strictly between 0 and %d)", zone != nil, got.Count, want.Count, NBuildings)
			}
			for _, c := range cols {
				if math.Abs(got.Sums[c]-want.Sums[c]) > 1e-9*math.Abs(want.Sums[c]) {
					t.Errorf("zone %v: sum %s = %.6f, want %.6f", zone != nil, c, got.Sums[c], want.Sums[c])
				}
			}
		}
		if _, err := s.Summary(ctx, "", "buildings", nil, []string{"label"}); !errors.Is(err, data.ErrInvalidQuery) {
			t.Errorf("sum of a text column: %v, want ErrInvalidQuery", err)
		}
		if _, err := s.Summary(ctx, "", "buildings", nil, []string{"nope"}); !errors.Is(err, data.ErrInvalidQuery) {
			t.Errorf("sum of unknown column: %v, want ErrInvalidQuery", err)
		}
	})

	t.Run("replace-and-atomicity", func(t *testing.T) {
		s := open(t)
		_, _, layers := Input()
		if err := s.WriteStudy(ctx, Study("s1", t0), layers); err != nil {
			t.Fatal(err)
		}
		// Same id again, with fewer buildings: replaced, not duplicated.
		fewer := Buildings(NBuildings, 42)[:250]
		_, _, layers = Input()
		layers[0].Features = data.SliceFeatures(fewer)
		if err := s.WriteStudy(ctx, Study("s1", t0.Add(time.Second)), layers); err != nil {
			t.Fatal(err)
		}
		checkStudy(t, s, "s1", t0.Add(time.Second), map[string]int64{"buildings": 250, "sites": NSites})
		// A second study sits beside it; "" now means s2.
		if err := s.WriteStudy(ctx, Study("s2", t0.Add(time.Hour)), []data.LayerData{{Layer: SitesLayer, Features: data.SliceFeatures(Sites(10, 3))}}); err != nil {
			t.Fatal(err)
		}
		checkStudy(t, s, "", t0.Add(time.Hour), map[string]int64{"sites": 10})
		checkStudy(t, s, "s1", t0.Add(time.Second), map[string]int64{"buildings": 250, "sites": NSites})
		sts, err := s.Studies(ctx)
		if err != nil || len(sts) != 2 || sts[0].ID != "s2" || sts[1].ID != "s1" {
			t.Fatalf("Studies = %v, %v; want [s2 s1]", sts, err)
		}
		// Interrupted writes of s1: the feature source fails half-way, a
		// feature is invalid, the context is cancelled. s1 keeps its content.
		boom := errors.New("synthetic failure")
		failing := func(yield func(data.Feature, error) bool) {
			for i, f := range Buildings(200, 9) {
				if i == 100 {
					yield(data.Feature{}, boom)
					return
				}
				if !yield(f, nil) {
					return
				}
			}
		}
		if err := s.WriteStudy(ctx, Study("s1", t0.Add(2*time.Hour)), []data.LayerData{{Layer: BuildingsLayer, Features: failing}}); !errors.Is(err, boom) {
			t.Fatalf("failing source: error %v, want %v", err, boom)
		}
		bad := Buildings(50, 9)
		bad[30].Values[3] = "three"
		if err := s.WriteStudy(ctx, Study("s1", t0.Add(2*time.Hour)), []data.LayerData{{Layer: BuildingsLayer, Features: data.SliceFeatures(bad)}}); !errors.Is(err, data.ErrInvalidValue) {
			t.Fatalf("invalid value: error %v, want ErrInvalidValue", err)
		}
		dup := Buildings(50, 9)
		dup[40].Values[0] = dup[3].Values[0]
		if err := s.WriteStudy(ctx, Study("s1", t0.Add(2*time.Hour)), []data.LayerData{{Layer: BuildingsLayer, Features: data.SliceFeatures(dup)}}); err == nil {
			t.Fatal("duplicate key accepted")
		}
		cctx, cancel := context.WithCancel(ctx)
		cancelling := func(yield func(data.Feature, error) bool) {
			for i, f := range Buildings(3000, 9) {
				if i == 1500 {
					cancel()
				}
				if !yield(f, nil) {
					return
				}
			}
		}
		if err := s.WriteStudy(cctx, Study("s1", t0.Add(2*time.Hour)), []data.LayerData{{Layer: BuildingsLayer, Features: cancelling}}); err == nil {
			t.Fatal("cancelled write returned nil")
		}
		other := SitesLayer
		other.Columns = append(slices.Clone(other.Columns), data.Column{Name: "extra", Type: data.Text})
		if err := s.WriteStudy(ctx, Study("s1", t0.Add(2*time.Hour)), []data.LayerData{{Layer: other}}); !errors.Is(err, data.ErrSchemaMismatch) {
			t.Fatalf("schema change: error %v, want ErrSchemaMismatch", err)
		}
		checkStudy(t, s, "s1", t0.Add(time.Second), map[string]int64{"buildings": 250, "sites": NSites})
		checkStudy(t, s, "s2", t0.Add(time.Hour), map[string]int64{"sites": 10})
	})
}

func checkStudy(t *testing.T, s data.Store, id string, created time.Time, counts map[string]int64) {
	t.Helper()
	st, err := s.Study(context.Background(), id)
	if err != nil {
		t.Fatalf("Study(%q): %v", id, err)
	}
	want := Study(st.ID, created)
	if id != "" && st.ID != id {
		t.Fatalf("Study(%q).ID = %q", id, st.ID)
	}
	if !st.CreatedAt.Equal(created.Truncate(time.Microsecond)) || st.Name != want.Name || st.ScenarioHash != want.ScenarioHash ||
		!jsonEq(st.Scenario, want.Scenario) || !jsonEq(st.Summary, want.Summary) || !reflect.DeepEqual(st.Inputs, want.Inputs) {
		t.Errorf("Study(%q) = %+v, want %+v", id, st, want)
	}
	if !reflect.DeepEqual(st.Counts, counts) {
		t.Errorf("Study(%q).Counts = %v, want %v", id, st.Counts, counts)
	}
}

func jsonEq(a, b json.RawMessage) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

func normalise(t *testing.T, l data.Layer, f data.Feature) data.Feature {
	t.Helper()
	g, err := data.PrepareFeature(l, l.Index(l.Key), f)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func collect(t *testing.T, s data.Store, layer string, q data.Query) ([]data.Feature, int) {
	t.Helper()
	var out []data.Feature
	pages := 0
	lim := q.Limit
	if lim == 0 {
		lim = data.DefaultLimit
	}
	for p, err := range data.Pages(context.Background(), s, layer, q) {
		if err != nil {
			t.Fatalf("Query(%+v) page %d: %v", q, pages+1, err)
		}
		pages++
		if len(p.Features) > lim || (p.Next != "" && len(p.Features) != lim) {
			t.Fatalf("page of %d features (limit %d, next %q)", len(p.Features), lim, p.Next)
		}
		out = append(out, p.Features...)
		if pages > 1000 {
			break
		}
	}
	return out, pages
}

// Reference evaluates a query in plain Go over normalised features: the
// specification both stores must match.
func Reference(t *testing.T, l data.Layer, fs []data.Feature, q data.Query) []data.Feature {
	var out []data.Feature
	var box orb.Bound
	if q.BBox != nil {
		var err error
		if box, err = data.BoundFromWGS84(*q.BBox, l.SRID); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range fs {
		if q.BBox != nil && !box.Intersects(f.Geom.Bound()) {
			continue
		}
		ok := true
		for _, flt := range q.Filters {
			c, _ := l.Column(flt.Column)
			v := flt.Value
			if s, isStr := v.(string); isStr && c.Type != data.Text {
				v, _ = data.ParseValue(c, s)
			}
			v, _ = data.NormalizeValue(c, v)
			x := f.Values[l.Index(flt.Column)]
			if x == nil {
				ok = false
				break
			}
			cmp := compare(x, v)
			switch flt.Op {
			case ">=":
				ok = ok && cmp >= 0
			case "<=":
				ok = ok && cmp <= 0
			case "=":
				ok = ok && cmp == 0
			case "!=":
				ok = ok && cmp != 0
			}
		}
		if ok {
			out = append(out, f)
		}
	}
	sortName, desc := strings.TrimPrefix(q.Sort, "-"), strings.HasPrefix(q.Sort, "-")
	if sortName == "" {
		sortName = l.Key
	}
	si, ki := l.Index(sortName), l.Index(l.Key)
	slices.SortStableFunc(out, func(a, b data.Feature) int {
		va, vb := a.Values[si], b.Values[si]
		switch {
		case va == nil && vb == nil:
		case va == nil:
			return 1
		case vb == nil:
			return -1
		default:
			if c := compare(va, vb); c != 0 {
				if desc {
					return -c
				}
				return c
			}
		}
		if si == ki {
			return 0
		}
		return compare(a.Values[ki], b.Values[ki])
	})
	return out
}

func compare(a, b any) int {
	switch x := a.(type) {
	case int64:
		y := b.(int64)
		return cmpOrd(x, y)
	case float64:
		return cmpOrd(x, b.(float64))
	case string:
		return strings.Compare(x, b.(string)) // bytewise, as SQLite BINARY and PostgreSQL "C"
	}
	panic(fmt.Sprintf("compare %T", a))
}

func cmpOrd[T int64 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ReferenceSummary computes Summary in plain Go with simplefeatures.
func ReferenceSummary(t *testing.T, l data.Layer, fs []data.Feature, zone orb.Geometry, cols []string) data.Totals {
	tot := data.Totals{Sums: map[string]float64{}}
	var z sfgeom.Geometry
	if zone != nil {
		g, err := data.FromWGS84(zone, l.SRID)
		if err != nil {
			t.Fatal(err)
		}
		z = toSF(t, g)
	}
	for _, f := range fs {
		if zone != nil && !sfgeom.Intersects(toSF(t, f.Geom), z) {
			continue
		}
		tot.Count++
		for _, c := range cols {
			col, _ := l.Column(c)
			v, _ := data.NormalizeValue(col, f.Values[l.Index(c)])
			switch x := v.(type) {
			case int64:
				tot.Sums[c] += float64(x)
			case float64:
				tot.Sums[c] += x
			}
		}
	}
	return tot
}

func toSF(t *testing.T, g orb.Geometry) sfgeom.Geometry {
	b, err := wkb.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sfgeom.UnmarshalWKB(b)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

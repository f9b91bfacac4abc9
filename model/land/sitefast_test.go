package land

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/data/sample"
	"github.com/gisement/gisement/geo"
)

// siteInput is one SiteParcel call: a parcel, its footprints, the options.
type siteInput struct {
	id        string
	parcel    orb.MultiPolygon
	fps       []orb.MultiPolygon
	o         ParcelSiteOptions
	groundMin bool // o.Ground as the study decides it (parcel area ≥ MinPatchM2)
}

var (
	perigueuxOnce   sync.Once
	perigueuxInputs []siteInput
	perigueuxErr    error
)

// perigueuxSiteInputs returns one SiteParcel call per parcel of the
// embedded Périgueux sample (data/sample: 15,323 real cadastral parcels,
// 10,381 real BDNB footprints) with the options a study passes
// (evaluator.siteParcel): Heat when the parcel holds a building, Ground
// when its area reaches MinPatchM2; 100 m probes (heat.GSHPParams
// default), 225 W/m² modules, 1,200 kWh/kWp. Parcels with neither are left
// out, as the study skips them.
func perigueuxSiteInputs(tb testing.TB) []siteInput {
	tb.Helper()
	perigueuxOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gisement-land-test-")
		if err != nil {
			perigueuxErr = err
			return
		}
		defer os.RemoveAll(dir)
		paths, err := sample.Materialize(dir)
		if err != nil {
			perigueuxErr = err
			return
		}
		tr, err := geo.LoadTerritory(geo.TerritoryOptions{BuildingsPath: paths[sample.Buildings], ParcelsPath: paths[sample.Parcels], SkipPlanes: true})
		if err != nil {
			perigueuxErr = err
			return
		}
		minP := Defaults().Ground.MinPatchM2.Value
		for i := range tr.Parcels {
			p := &tr.Parcels[i]
			in := siteInput{id: p.ID, parcel: p.Geometry}
			for _, bi := range p.BuildingIdx {
				in.fps = append(in.fps, tr.Buildings[bi].Footprint)
			}
			in.o = ParcelSiteOptions{Heat: len(in.fps) > 0, ProbeDepthM: 100, Ground: p.AreaM2 >= minP,
				ModulePowerWpM2: 225, GroundYieldKWhKWp: 1200}
			if in.o.Heat || in.o.Ground {
				perigueuxInputs = append(perigueuxInputs, in)
			}
		}
	})
	if perigueuxErr != nil {
		tb.Fatalf("loading the embedded Périgueux sample: %v", perigueuxErr)
	}
	return perigueuxInputs
}

// BenchmarkSiteParcelPerigueux runs SiteParcel ("current") and the code
// before the landfast pass ("previous", siteParcelPrev) on every parcel of
// the embedded Périgueux sample a study sites (one op = the whole sample,
// default Params; ns/parcel reported).
func BenchmarkSiteParcelPerigueux(b *testing.B) {
	ins := perigueuxSiteInputs(b)
	lp := Defaults()
	for _, v := range []struct {
		name string
		fn   func(string, orb.MultiPolygon, []orb.MultiPolygon, Params, ParcelSiteOptions) (ParcelSite, error)
	}{{"previous", siteParcelPrev}, {"current", SiteParcel}} {
		b.Run(v.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for k := range ins {
					in := &ins[k]
					if _, err := v.fn(in.id, in.parcel, in.fps, lp, in.o); err != nil {
						b.Fatalf("%s: %v", in.id, err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(ins)), "ns/parcel")
			b.ReportMetric(float64(len(ins)), "parcels")
		})
	}
}

// sameBits reports the first difference between a and b, comparing floats
// by their bits (so 0 ≠ −0 and NaN = NaN of the same payload): "" when
// identical.
func sameBits(a, b reflect.Value, path string) string {
	if a.Kind() != b.Kind() {
		return path + ": kinds differ"
	}
	switch a.Kind() {
	case reflect.Float32, reflect.Float64:
		if math.Float64bits(a.Float()) != math.Float64bits(b.Float()) {
			return fmt.Sprintf("%s: %v ≠ %v", path, a.Float(), b.Float())
		}
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if d := sameBits(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); d != "" {
				return d
			}
		}
	case reflect.Slice, reflect.Array:
		if a.Kind() == reflect.Slice && a.IsNil() != b.IsNil() {
			return fmt.Sprintf("%s: nil %v ≠ nil %v", path, a.IsNil(), b.IsNil())
		}
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: length %d ≠ %d", path, a.Len(), b.Len())
		}
		for i := 0; i < a.Len(); i++ {
			if d := sameBits(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	default:
		if a.Interface() != b.Interface() {
			return fmt.Sprintf("%s: %v ≠ %v", path, a.Interface(), b.Interface())
		}
	}
	return ""
}

// checkSamePrev runs SiteParcel and siteParcelPrev (the code before the
// landfast pass) on one input and fails on any difference, errors included.
func checkSamePrev(t *testing.T, in *siteInput, lp Params) (boreholes int) {
	t.Helper()
	got, err := SiteParcel(in.id, in.parcel, in.fps, lp, in.o)
	want, werr := siteParcelPrev(in.id, in.parcel, in.fps, lp, in.o)
	if (err == nil) != (werr == nil) || (err != nil && err.Error() != werr.Error()) {
		t.Fatalf("%s: error %v, previous %v", in.id, err, werr)
	}
	if d := sameBits(reflect.ValueOf(got), reflect.ValueOf(want), "ParcelSite"); d != "" {
		t.Fatalf("%s: %s (options %+v)", in.id, d, in.o)
	}
	return len(got.Boreholes.Points)
}

// SiteParcel gives bit-identical results to the code before the landfast
// pass on every sited parcel of the embedded Périgueux sample (real
// cadastral parcels and BDNB buildings), default and non-default Params.
func TestSiteParcelMatchesPreviousPerigueux(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the embedded Périgueux sample")
	}
	ins := perigueuxSiteInputs(t)
	lps := []Params{Defaults(), testLand()}
	hex := Defaults()
	hex.Boreholes.Layout = "hex"
	hex.Boreholes.BuildingSetbackM.Value = 4.5 // separate ground raster
	hex.OutdoorUnitSetbackM.Value = 2
	lps = append(lps, hex)
	n, holes := 0, 0
	for k, lp := range lps {
		for i := range ins {
			if k > 0 && i%3 != 0 {
				continue
			}
			holes += checkSamePrev(t, &ins[i], lp)
			n++
		}
	}
	t.Logf("%d Périgueux calls identical, %d boreholes", n, holes)
	if n < 10000 || holes == 0 {
		t.Errorf("comparison too weak: %d calls, %d boreholes", n, holes)
	}
}

// starRing is a SYNTHETIC star-shaped ring (simple polygon) of k vertices
// around (cx, cy), radii in [r/3, r], optionally snapped to a 0.25 m grid
// (edges through raster cell centres and on cell edges), with repeated
// vertices (zero-length edges) and left unclosed at random.
func starRing(rng *rand.Rand, cx, cy, r float64, k int, snap bool) orb.Ring {
	ring := make(orb.Ring, 0, k+2)
	for i := 0; i < k; i++ {
		a := 2 * math.Pi * (float64(i) + 0.8*rng.Float64()) / float64(k)
		d := r * (1 + 2*rng.Float64()) / 3
		x, y := cx+d*math.Cos(a), cy+d*math.Sin(a)
		if snap {
			x, y = math.Round(x*4)/4, math.Round(y*4)/4
		}
		ring = append(ring, orb.Point{x, y})
		if rng.IntN(20) == 0 {
			ring = append(ring, orb.Point{x, y})
		}
	}
	if rng.IntN(10) != 0 {
		ring = append(ring, ring[0])
	}
	return ring
}

// fuzzSiteInputs returns n SYNTHETIC random SiteParcel calls (fixed seed):
// star-shaped parcels of 3–80 vertices and 4–400 m (large ones grow the
// raster cell), some with two parts or a hole, 0–8 footprints (stars or
// rotated rectangles, crossing the boundary or outside it, some empty),
// car-park exclusions, random setbacks (equal or not between uses),
// layouts, rotations, offsets, probe depths and options, with their Params.
func fuzzSiteInputs(n int) ([]siteInput, []Params) {
	rng := rand.New(rand.NewPCG(2026, 12))
	var ins []siteInput
	var lps []Params
	for k := 0; k < n; k++ {
		cx, cy := 520000+rng.Float64()*1000, 6450000+rng.Float64()*1000
		r := 4 + rng.Float64()*60
		if rng.IntN(15) == 0 {
			r = 100 + rng.Float64()*300
		}
		snap := rng.IntN(3) == 0
		if snap {
			cx, cy = math.Round(cx), math.Round(cy)
		}
		nv := 3 + rng.IntN(12)
		if rng.IntN(4) == 0 {
			nv = 20 + rng.IntN(60)
		}
		poly := orb.Polygon{starRing(rng, cx, cy, r, nv, snap)}
		if rng.IntN(8) == 0 { // a hole near the centre, inside the inner radius
			h := r / 8
			poly = append(poly, orb.Ring{{cx - h, cy - h}, {cx - h, cy + h}, {cx + h, cy + h}, {cx + h, cy - h}, {cx - h, cy - h}})
		}
		if rng.IntN(25) == 0 { // invalid: a "hole" reaching out of the outer ring's bounds
			poly = append(poly, orb.Ring{{cx - 2*r, cy - 2*r}, {cx - 2*r, cy}, {cx, cy}, {cx, cy - 2*r}, {cx - 2*r, cy - 2*r}})
		}
		parcel := orb.MultiPolygon{poly}
		if rng.IntN(10) == 0 {
			parcel = append(parcel, orb.Polygon{starRing(rng, cx+2.2*r, cy, r/2, 3+rng.IntN(8), snap)})
		}
		in := siteInput{id: fmt.Sprintf("fuzz %d", k), parcel: parcel}
		for f := rng.IntN(9); f > 0; f-- {
			fx, fy := cx+(rng.Float64()*2-1)*r, cy+(rng.Float64()*2-1)*r
			switch rng.IntN(6) {
			case 0:
				in.fps = append(in.fps, orb.MultiPolygon{{starRing(rng, fx, fy, 3+rng.Float64()*10, 3+rng.IntN(10), snap)}})
			case 1:
				in.fps = append(in.fps, orb.MultiPolygon{})
			default:
				in.fps = append(in.fps, orb.MultiPolygon{{rotRect(fx, fy, 4+rng.Float64()*15, 4+rng.Float64()*12, rng.Float64()*180)}})
			}
		}
		if rng.IntN(4) == 0 {
			in.o.Exclusions = append(in.o.Exclusions, orb.MultiPolygon{{rotRect(cx+(rng.Float64()*2-1)*r, cy+(rng.Float64()*2-1)*r, 5+rng.Float64()*30, 5+rng.Float64()*30, rng.Float64()*90)}})
		}
		switch rng.IntN(4) {
		case 0:
			in.o.Heat = true
		case 1:
			in.o.Ground = true
		default:
			in.o.Heat, in.o.Ground = true, true
		}
		in.o.ProbeDepthM = 30 + rng.Float64()*120
		in.o.ModulePowerWpM2, in.o.GroundYieldKWhKWp = 150+rng.Float64()*100, 900+rng.Float64()*500
		lp := Defaults()
		// Around r = 0.354 m (half the 0.5 m cell diagonal), where the
		// raster's tight rules start (landGrid.tight).
		setbacks := []float64{0, 0.3, 0.3535, 0.3536, 0.36, 0.5, 1, 2, 3, 3.3, 4.5, 6}
		if rng.IntN(2) == 0 {
			lp.OutdoorUnitSetbackM.Value = setbacks[rng.IntN(len(setbacks))]
			lp.Boreholes.BoundarySetbackM.Value = setbacks[rng.IntN(len(setbacks))]
			lp.Boreholes.BuildingSetbackM.Value = setbacks[rng.IntN(len(setbacks))]
			if rng.IntN(2) == 0 {
				lp.Ground.BoundarySetbackM.Value = setbacks[rng.IntN(len(setbacks))]
				lp.Ground.BuildingSetbackM.Value = setbacks[rng.IntN(len(setbacks))]
			} else {
				lp.Ground.BoundarySetbackM.Value = lp.Boreholes.BoundarySetbackM.Value
				lp.Ground.BuildingSetbackM.Value = lp.Boreholes.BuildingSetbackM.Value
			}
		}
		if rng.IntN(3) == 0 {
			lp.Boreholes.Layout = "hex"
		}
		if rng.IntN(3) == 0 {
			lp.Boreholes.Rotations.Value = float64(1 + rng.IntN(8))
			lp.Boreholes.Offsets.Value = float64(1 + rng.IntN(5))
			lp.Boreholes.SpacingShortM.Value, lp.Boreholes.SpacingLongM.Value = 1+rng.Float64()*5, 2+rng.Float64()*10
		}
		lp.Ground.MinPatchM2.Value = []float64{0, 50, 100, 500}[rng.IntN(4)]
		ins, lps = append(ins, in), append(lps, lp)
	}
	return ins, lps
}

// SiteParcel gives bit-identical results to the code before the landfast
// pass on 3,000 SYNTHETIC random parcels (fixed seed) and on the SYNTHETIC
// shapes of the reference comparison (strips at the setback limit, combs,
// holes).
func TestSiteParcelMatchesPreviousFuzz(t *testing.T) {
	ins, lps := fuzzSiteInputs(3000)
	holes, grownCells := 0, 0
	for i := range ins {
		holes += checkSamePrev(t, &ins[i], lps[i])
		b := ins[i].parcel.Bound()
		if landCellFor(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]) > landCellM {
			grownCells++
		}
	}
	lp := testLand()
	for _, c := range syntheticLandCases(700) {
		in := siteInput{id: c.name, parcel: c.parcel, fps: c.fps, o: ParcelSiteOptions{Heat: true, ProbeDepthM: 100, Ground: true,
			ModulePowerWpM2: 225, GroundYieldKWhKWp: 1200, Exclusions: c.excl}}
		holes += checkSamePrev(t, &in, lp)
	}
	t.Logf("3,700 synthetic calls identical: %d boreholes, %d parcels with a grown raster cell", holes, grownCells)
	if holes == 0 || grownCells == 0 {
		t.Errorf("comparison too weak: %d boreholes, %d grown cells", holes, grownCells)
	}
}

// BenchmarkSiteParcelPerigueuxPaired alternates the previous and current
// code parcel by parcel over the embedded Périgueux sample and times each
// call, so that the load of a shared machine weighs on both alike: it
// reports both costs per parcel and their ratio (previous / current).
func BenchmarkSiteParcelPerigueuxPaired(b *testing.B) {
	pairedSiteParcel(b, perigueuxSiteInputs(b), Defaults())
}

// BenchmarkSiteParcelPaired is BenchmarkSiteParcelPerigueuxPaired on the
// SYNTHETIC parcels of BenchmarkSiteParcel ("typical": 31 × 27 m, one
// house) and BenchmarkSiteParcelLarge ("large": 1 ha, 6 buildings), where
// the borehole search dominates.
func BenchmarkSiteParcelPaired(b *testing.B) {
	o := ParcelSiteOptions{Heat: true, ProbeDepthM: 100, Ground: true, ModulePowerWpM2: 225, GroundYieldKWhKWp: 1200}
	parcel, houses := typicalParcel()
	large := orb.MultiPolygon{{transform(orb.Ring{{0, 0}, {120, 0}, {115, 85}, {-5, 80}, {0, 0}}, 17, 520000, 6450000)}}
	var fps []orb.MultiPolygon
	for k := 0; k < 6; k++ {
		fps = append(fps, orb.MultiPolygon{{rotRect(520020+float64(k%3)*30, 6450020+float64(k/3)*35, 14, 10, 17)}})
	}
	b.Run("typical", func(b *testing.B) {
		pairedSiteParcel(b, []siteInput{{id: "p", parcel: parcel, fps: houses, o: o}}, testLand())
	})
	b.Run("large", func(b *testing.B) {
		pairedSiteParcel(b, []siteInput{{id: "p", parcel: large, fps: fps, o: o}}, testLand())
	})
}

// pairedSiteParcel times siteParcelPrev and SiteParcel alternately on ins.
func pairedSiteParcel(b *testing.B, ins []siteInput, lp Params) {
	var prev, cur time.Duration
	n := 0
	for b.Loop() {
		for k := range ins {
			in := &ins[k]
			for r := range 2 { // previous first on even calls, current first on odd ones
				fn, acc := siteParcelPrev, &prev
				if (n+r)%2 == 1 {
					fn, acc = SiteParcel, &cur
				}
				t0 := time.Now()
				if _, err := fn(in.id, in.parcel, in.fps, lp, in.o); err != nil {
					b.Fatal(err)
				}
				*acc += time.Since(t0)
			}
			n++
		}
	}
	b.ReportMetric(float64(prev.Nanoseconds())/float64(n), "prev-ns/parcel")
	b.ReportMetric(float64(cur.Nanoseconds())/float64(n), "cur-ns/parcel")
	b.ReportMetric(float64(prev)/float64(cur), "speedup")
}

// boundOf is orb's MultiPolygon.Bound, bit for bit, NaN and infinities
// included (SYNTHETIC rings, fixed seed).
func TestBoundOfMatchesOrb(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1e300, -1e300}
	coord := func() float64 {
		if rng.IntN(6) == 0 {
			return special[rng.IntN(len(special))]
		}
		return rng.Float64()*200 - 100
	}
	for k := 0; k < 20000; k++ {
		var mp orb.MultiPolygon
		for p := rng.IntN(3); p >= 0; p-- {
			var poly orb.Polygon
			for r := rng.IntN(3); r >= 0; r-- {
				ring := orb.Ring{}
				for n := rng.IntN(6); n > 0; n-- {
					ring = append(ring, orb.Point{coord(), coord()})
				}
				poly = append(poly, ring)
			}
			mp = append(mp, poly)
		}
		if d := sameBits(reflect.ValueOf(boundOf(mp)), reflect.ValueOf(mp.Bound()), "Bound"); d != "" {
			t.Fatalf("%v: %s", mp, d)
		}
	}
}

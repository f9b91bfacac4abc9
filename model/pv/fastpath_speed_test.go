package pv

import (
	"context"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/internal/shareddata"
	"github.com/gisement/gisement/solar"
)

// benchRoofPlanes returns n SYNTHETIC roof planes like the observed planes
// of a study: random tilt (0–60°) and azimuth, a random 48-sector skyline
// as the mean horizon and, per sector, a minimum horizon between 0 and
// that mean (partial shading, so RoofPVOf evaluates two horizons); one
// plane in five is unshaded. Fixed seed.
func benchRoofPlanes(n int) []geo.RoofPlane {
	return benchPlanes(n, false)
}

// benchModelledPlanes is benchRoofPlanes with the orientations of modelled
// roofs (geo.RoofPlanes with geo.DefaultRoofOptions): two opposite 30°
// planes per gable roof (random ridge direction), one flat roof in five
// with modules at 10° facing south.
func benchModelledPlanes(n int) []geo.RoofPlane {
	return benchPlanes(n, true)
}

func benchPlanes(n int, modelled bool) []geo.RoofPlane {
	rng := rand.New(rand.NewPCG(16, 2026))
	_, hs := syntheticHorizons(rng, n)
	pls := make([]geo.RoofPlane, n)
	for i := range pls {
		tilt, az := rng.Float64()*60, rng.Float64()*360
		if modelled {
			switch {
			case i%10 == 9:
				tilt, az = 10, 180
			case i%2 == 1:
				tilt, az = 30, math.Mod(pls[i-1].AzimuthDeg+180, 360)
			default:
				tilt = 30
			}
		}
		pl := synthPlane(i, 0, tilt, az, 40, nil)
		if i%5 != 4 {
			h := hs[len(hs)-n+i].ElevationDeg
			lo := make([]float64, len(h))
			for k := range h {
				lo[k] = h[k] * rng.Float64()
			}
			pl.Horizon, pl.HorizonMin = geo.Horizon{ElevationDeg: h}, geo.Horizon{ElevationDeg: lo}
		}
		pls[i] = pl
	}
	return pls
}

// reportCPU, deferred as defer reportCPU(b)() before the loop, reports the
// process CPU time per op (cpu-ns/op): on a machine shared with other jobs
// it varies much less than the wall time (ns/op), which counts the waits.
func reportCPU(b *testing.B) func() {
	c0 := processCPUNs()
	return func() {
		if c1 := processCPUNs(); c0 >= 0 && c1 >= 0 && b.N > 0 {
			b.ReportMetric(float64(c1-c0)/float64(b.N), "cpu-ns/op")
		}
	}
}

// BenchmarkRoofPV evaluates one roof plane per op with RoofPVOf on the
// fast path, cycling over 256 SYNTHETIC planes (benchRoofPlanes).
func BenchmarkRoofPV(b *testing.B) {
	fp, _ := laRochelleFastPath(b)
	benchRoofPV(b, fp, benchRoofPlanes(256))
}

// BenchmarkRoofPVModelled is BenchmarkRoofPV on the orientations of
// modelled roofs (benchModelledPlanes).
func BenchmarkRoofPVModelled(b *testing.B) {
	fp, _ := laRochelleFastPath(b)
	benchRoofPV(b, fp, benchModelledPlanes(256))
}

func benchRoofPV(b *testing.B, e PlaneEvaluator, pls []geo.RoofPlane) {
	p := testPV()
	b.ReportAllocs()
	defer reportCPU(b)()
	var sink float64
	i := 0
	for b.Loop() {
		sink += RoofPVOf(e, &pls[i%len(pls)], p).KWhYr
		i++
	}
	_ = sink
}

// refEval is the former per-plane evaluation (fastpath_ref_test.go) as a
// PlaneEvaluator, so RoofPVOf takes its generic path through it.
type refEval struct{ *refFP }

func (r refEval) Plane(tiltDeg, azDeg float64, h *solar.Horizon) PlaneYield {
	return r.refPlane(tiltDeg, azDeg, h)
}

// resample returns the skyline e at n sectors (linear interpolation, the
// solar.Horizon convention), to exercise sector counts other than 48.
func resample(e []float64, n int) []float64 {
	out := make([]float64, n)
	h := solar.Horizon{ElevationDeg: e}
	for i := range out {
		out[i] = h.ElevationAt(float64(i) * 360 / float64(n))
	}
	return out
}

// yieldDiff returns the largest relative difference between two plane
// results over the POA, the yields and the monthly energies (0 when every
// field has the same bits).
func yieldDiff(a, b PlaneYield) float64 {
	d := 0.0
	rel := func(x, y float64) {
		if math.Float64bits(x) == math.Float64bits(y) {
			return
		}
		d = math.Max(d, math.Abs(x-y)/math.Max(math.Abs(y), 1e-300))
		if math.IsNaN(x) || math.IsNaN(y) {
			d = math.Inf(1)
		}
	}
	rel(a.POAKWhM2, b.POAKWhM2)
	rel(a.POAUnshadedKWhM2, b.POAUnshadedKWhM2)
	rel(a.SpecificYieldKWhKWp, b.SpecificYieldKWhKWp)
	rel(a.UnshadedYieldKWhKWp, b.UnshadedYieldKWhKWp)
	for m := range 12 {
		rel(a.MonthlyKWhKWp[m], b.MonthlyKWhKWp[m])
	}
	return d
}

// roofDiff is yieldDiff for the roof results (every float field).
func roofDiff(a, b RoofPV) float64 {
	ya := PlaneYield{POAKWhM2: a.POAKWhM2, POAUnshadedKWhM2: a.POAUnshadedKWhM2, SpecificYieldKWhKWp: a.SpecificYieldKWhKWp,
		UnshadedYieldKWhKWp: a.KWhYr, MonthlyKWhKWp: a.MonthlyKWh}
	yb := PlaneYield{POAKWhM2: b.POAKWhM2, POAUnshadedKWhM2: b.POAUnshadedKWhM2, SpecificYieldKWhKWp: b.SpecificYieldKWhKWp,
		UnshadedYieldKWhKWp: b.KWhYr, MonthlyKWhKWp: b.MonthlyKWh}
	d := yieldDiff(ya, yb)
	for _, p := range [][2]float64{{a.ShadingLossPct, b.ShadingLossPct}, {a.EnergyShadingLossPct, b.EnergyShadingLossPct},
		{a.MismatchLossPct, b.MismatchLossPct}, {a.RelativePOAPct, b.RelativePOAPct}, {a.RelativeYieldPct, b.RelativeYieldPct}} {
		if math.Float64bits(p[0]) != math.Float64bits(p[1]) {
			d = math.Max(d, math.Abs(p[0]-p[1])/math.Max(math.Abs(p[1]), 1e-300))
		}
	}
	if a.Class != b.Class || a.Kept != b.Kept {
		d = math.Inf(1)
	}
	return d
}

// checkPlanesMatchReference compares fp.Plane with the former evaluation
// on random orientations (tilt −5–95°, azimuth −400–760°, so the clamps
// and wraps are crossed) under the SYNTHETIC skylines of
// syntheticHorizons, also resampled to 36, 72 and 360 sectors; it returns
// the largest relative difference and the number of cases.
func checkPlanesMatchReference(t *testing.T, fp *FastPath, nRandom, perHorizon int) (float64, int) {
	t.Helper()
	ref := newRefFP(fp)
	rng := rand.New(rand.NewPCG(16, 17))
	_, hs := syntheticHorizons(rng, nRandom)
	var all []*solar.Horizon
	for i, h := range hs {
		all = append(all, h)
		if i%4 == 0 {
			for _, n := range []int{36, 72, 360} {
				all = append(all, &solar.Horizon{ElevationDeg: resample(h.ElevationDeg, n)})
			}
		}
	}
	wall, dip := make([]float64, 48), make([]float64, 48)
	for i := range wall {
		wall[i] = 80 * math.Abs(math.Sin(float64(i)*7.5*math.Pi/180)) // above the highest sun bin east and west
		dip[i] = 10*math.Cos(float64(i)*7.5*math.Pi/180) - 4          // below the horizontal to the south
	}
	all = append(all, nil, &solar.Horizon{}, &solar.Horizon{ElevationDeg: make([]float64, 48)},
		&solar.Horizon{ElevationDeg: wall}, &solar.Horizon{ElevationDeg: dip})
	worst, n := 0.0, 0
	for _, h := range all {
		for j := range perHorizon {
			tilt, az := -5+rng.Float64()*100, -400+rng.Float64()*1160
			switch j {
			case 0:
				tilt, az = 0, 180
			case 1:
				tilt, az = 90, 270
			case 2:
				tilt, az = 30, 0
			case 3: // on the loss grid in tilt (modelled pitches)
				tilt = float64(5 * rng.IntN(19))
			}
			got, want := fp.Plane(tilt, az, h), ref.refPlane(tilt, az, h)
			var o planeOrient
			fp.orient(tilt, az, &o)
			e := skyline(h)
			if y := fp.yieldUnder(&o, e); math.Float64bits(y) != math.Float64bits(want.SpecificYieldKWhKWp) {
				worst = math.Max(worst, math.Abs(y/want.SpecificYieldKWhKWp-1))
				t.Errorf("tilt %.2f az %.2f, %d sectors: yield alone %v, reference %v", tilt, az, len(e), y, want.SpecificYieldKWhKWp)
			}
			if d := yieldDiff(got, want); d > 0 {
				worst = math.Max(worst, d)
				if d > 1e-9 {
					t.Errorf("tilt %.2f az %.2f, %d sectors: %+v, reference %+v", tilt, az, len(h.ElevationDeg), got, want)
				}
			}
			n++
		}
	}
	return worst, n
}

// TestFastPathPlaneMatchesReference: the optimised per-plane evaluation
// (tabulated skyline locations and sky-view azimuths, the loss tables in
// the edge-major layout, loss-grid nodes of weight 0 skipped, the
// orientation shared by a roof's horizons, the yield alone under the
// minimum horizon)
// gives the same results as the former code, kept verbatim in
// fastpath_ref_test.go: on 1,600+ SYNTHETIC plane × skyline cases, on the
// calibration loss of every grid node of a PVWatts fast path (the linear
// fallback) and through RoofPVOf on SYNTHETIC roofs with mean, minimum and
// per-point horizons. Every float field must have the same bits; the test
// reports the largest relative difference (and fails above 1e-9).
func TestFastPathPlaneMatchesReference(t *testing.T) {
	fp, _ := laRochelleFastPath(t)
	worst, n := checkPlanesMatchReference(t, fp, 120, 8)
	t.Logf("PVGIS chain (exact loss tables): %d plane × skyline cases, max relative difference %g", n, worst)
	if worst != 0 {
		t.Errorf("results differ from the reference (max relative difference %g): not bit-identical", worst)
	}

	// RoofPVOf: shared orientation (FastPath) vs the generic path through
	// the reference evaluator.
	ref := refEval{newRefFP(fp)}
	pls := append(benchRoofPlanes(300), benchModelledPlanes(100)...)
	rng := rand.New(rand.NewPCG(18, 19))
	_, hs := syntheticHorizons(rng, 40)
	for i := 0; i < len(pls); i += 3 { // per-point profiles on a third of the planes
		for k := range 1 + rng.IntN(4) {
			pls[i].HorizonProfiles = append(pls[i].HorizonProfiles, geo.Horizon{ElevationDeg: hs[(i+k)%len(hs)].ElevationDeg})
		}
	}
	p := testPV()
	worstRoof := 0.0
	for i := range pls {
		got, want := RoofPVOf(fp, &pls[i], p), RoofPVOf(ref, &pls[i], p)
		if d := roofDiff(got, want); d > 0 {
			worstRoof = math.Max(worstRoof, d)
			t.Errorf("plane %d: %+v, reference %+v", i, got, want)
		}
	}
	t.Logf("RoofPVOf on %d SYNTHETIC roofs: max relative difference %g", len(pls), worstRoof)
}

// TestFastPathPlaneMatchesReferenceLinear: the same with the calibrated
// linear fallback (PVWatts system, no exact loss tables), including the
// calibration linear loss of every grid node.
func TestFastPathPlaneMatchesReferenceLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a second fast path")
	}
	sky, s := laRochelleSky(t)
	sys := testPV().System()
	sys.Model = solar.ModelPVWatts
	sys.TempModel = solar.TempDefault
	// A coarse grid (15° × 30°: 84 nodes, each run twice by the hourly
	// model for the calibration) keeps the test short; the per-plane
	// evaluation does not depend on the grid steps.
	fp, err := NewFastPath(context.Background(), sky, s, sys, FastPathOptions{TiltStepDeg: 15, AzimuthStepDeg: 30})
	if err != nil {
		t.Fatal(err)
	}
	if fp.exact {
		t.Fatal("a PVWatts fast path must use the linear fallback")
	}
	ref := newRefFP(fp)
	cal := &solar.Horizon{ElevationDeg: make([]float64, 48)}
	for i := range cal.ElevationDeg {
		cal.ElevationDeg[i] = fp.o.CalibrationHorizonDeg
	}
	for it := range fp.nTilt {
		for ia := range fp.nAz {
			tilt, az := float64(it)*fp.o.TiltStepDeg, float64(ia)*fp.o.AzimuthStepDeg
			o := planeOrient{tiltDeg: tilt, azDeg: az}
			fp.orientGeom(&o)
			got := fp.linearLoss(&o, cal.ElevationDeg, fp.skyGridFor(48))
			if want := ref.refLinearLoss(tilt, az, cal); got != want {
				t.Fatalf("calibration loss at tilt %g az %g: %+v, reference %+v", tilt, az, got, want)
			}
		}
	}
	worst, n := checkPlanesMatchReference(t, fp, 60, 6)
	t.Logf("PVWatts (linear fallback): %d plane × skyline cases, max relative difference %g", n, worst)
	if worst != 0 {
		t.Errorf("results differ from the reference (max relative difference %g): not bit-identical", worst)
	}
}

// BenchmarkRoofPVReference and BenchmarkRoofPVModelledReference are
// BenchmarkRoofPV and BenchmarkRoofPVModelled with the former per-plane
// evaluation (fastpath_ref_test.go), for an A/B comparison in one process.
func BenchmarkRoofPVReference(b *testing.B) {
	fp, _ := laRochelleFastPath(b)
	benchRoofPV(b, refEval{newRefFP(fp)}, benchRoofPlanes(256))
}

func BenchmarkRoofPVModelledReference(b *testing.B) {
	fp, _ := laRochelleFastPath(b)
	benchRoofPV(b, refEval{newRefFP(fp)}, benchModelledPlanes(256))
}

// BenchmarkFastPathPlaneReference is BenchmarkFastPathPlane with the
// former per-plane evaluation.
func BenchmarkFastPathPlaneReference(b *testing.B) {
	fp, _ := laRochelleFastPath(b)
	benchPlane(b, refEval{newRefFP(fp)})
}

var (
	perigueuxOnce   sync.Once
	perigueuxPlanes []geo.RoofPlane
	perigueuxErr    error
)

// perigueuxRoofPlanes loads the real Périgueux roof planes (BDNB buildings,
// cadastre parcels; planes and neighbour horizons by geo.LoadTerritory, as
// in TestPVPerigueuxTerritory) once per test binary.
func perigueuxRoofPlanes(tb testing.TB) []geo.RoofPlane {
	tb.Helper()
	bp := shareddata.Path(tb, "buildings/perigueux_24322_bdnb_buildings.geojson.gz")
	pp := shareddata.Path(tb, "parcels/perigueux_24322_parcel_geometries_noattr.geojson.gz")
	perigueuxOnce.Do(func() {
		var tr *geo.Territory
		tr, perigueuxErr = geo.LoadTerritory(geo.TerritoryOptions{BuildingsPath: bp, ParcelsPath: pp})
		if perigueuxErr == nil {
			perigueuxPlanes = tr.Planes
		}
	})
	if perigueuxErr != nil {
		tb.Fatal(perigueuxErr)
	}
	return perigueuxPlanes
}

// BenchmarkRoofPVPerigueux evaluates the 20,363 real Périgueux roof planes
// in territory order (one plane per op), as EvaluateRoofs does;
// BenchmarkRoofPVPerigueuxReference with the former evaluation.
func BenchmarkRoofPVPerigueux(b *testing.B) {
	fp, _ := laRochelleFastPath(b)
	benchRoofPV(b, fp, perigueuxRoofPlanes(b))
}

func BenchmarkRoofPVPerigueuxReference(b *testing.B) {
	fp, _ := laRochelleFastPath(b)
	benchRoofPV(b, refEval{newRefFP(fp)}, perigueuxRoofPlanes(b))
}

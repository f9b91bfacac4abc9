package study

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/gpkg"
	"github.com/gisement/gisement/data/sample"
	"github.com/gisement/gisement/model"
)

// Counts of the embedded sample (data/sample/README.md): 10,381 BDNB
// buildings, all valid; 15,323 parcel polygons of which one has zero area
// and is rejected (reason zero_area).
const (
	sampleBuildings       = 10381
	sampleParcelsRead     = 15323
	sampleParcelsKept     = 15322
	sampleParcelsRejected = 1
)

func TestRunSample(t *testing.T) {
	r := sampleStudy(t)
	tr := r.Territory
	if r.ID != "sample-"+sample.INSEE {
		t.Errorf("ID = %q", r.ID)
	}
	if n := len(tr.Buildings); n != sampleBuildings || len(r.Buildings) != n || r.Totals.Buildings != n {
		t.Errorf("buildings: territory %d, results %d, totals %d; want %d", n, len(r.Buildings), r.Totals.Buildings, sampleBuildings)
	}
	if n := len(tr.Parcels); n != sampleParcelsKept || len(r.Parcels) != n || r.Totals.Parcels != n {
		t.Errorf("parcels: territory %d, results %d, totals %d; want %d", n, len(r.Parcels), r.Totals.Parcels, sampleParcelsKept)
	}
	if br := tr.BuildingReport; br.Read != sampleBuildings || br.Rejected != 0 {
		t.Errorf("building report: read %d rejected %d", br.Read, br.Rejected)
	}
	if pr := tr.ParcelReport; pr.Read != sampleParcelsRead || pr.Rejected != sampleParcelsRejected || pr.ByReason["zero_area"] != sampleParcelsRejected {
		t.Errorf("parcel report: read %d rejected %d by reason %v", pr.Read, pr.Rejected, pr.ByReason)
	}
	if r.Totals.RoofPlanes != len(tr.Planes) || r.Totals.RoofPlanes == 0 || r.Totals.RoofPlanesKept == 0 ||
		r.Totals.RoofPlanesKept > r.Totals.RoofPlanes {
		t.Errorf("roof planes: totals %d (kept %d), territory %d", r.Totals.RoofPlanes, r.Totals.RoofPlanesKept, len(tr.Planes))
	}
	if r.Totals.HeatedBuildings+r.Totals.Annexes != sampleBuildings || r.Totals.HeatedBuildings == 0 {
		t.Errorf("heated %d + annexes %d != %d", r.Totals.HeatedBuildings, r.Totals.Annexes, sampleBuildings)
	}
	var peri *CommuneResult
	for i := range r.Communes {
		if r.Communes[i].INSEE == sample.INSEE {
			peri = &r.Communes[i]
		}
	}
	if peri == nil || peri.Name != "Périgueux" || len(peri.Geometry) == 0 {
		t.Fatalf("commune %s missing or without name/outline: %+v", sample.INSEE, peri)
	}

	// Totals are the sums of the per-parcel and per-building rows, and the
	// communes partition them.
	var pvKWp, pvKWh, heat float64
	for i := range r.Parcels {
		pvKWp += r.Parcels[i].PV.KWp
		pvKWh += r.Parcels[i].PV.KWhYr
	}
	var bKWp, bKWh float64
	for i := range r.Buildings {
		heat += r.Buildings[i].Heat.TotalKWh
		bKWp += r.Buildings[i].PV.KWp
		bKWh += r.Buildings[i].PV.KWhYr
	}
	closeRel(t, "PVKWp", r.Totals.PVKWp, pvKWp, 1e-9)
	closeRel(t, "PVKWhYr", r.Totals.PVKWhYr, pvKWh, 1e-9)
	closeRel(t, "HeatDemandKWhYr", r.Totals.HeatDemandKWhYr, heat, 1e-9)
	// Nothing dropped silently: the buildings outside every parcel carry the
	// difference between the buildings layer and the parcel totals.
	if r.Totals.UnassignedBuildings != tr.Assignment.Buildings-tr.Assignment.Assigned {
		t.Errorf("unassigned buildings %d, assignment report %d of %d", r.Totals.UnassignedBuildings, tr.Assignment.Assigned, tr.Assignment.Buildings)
	}
	closeRel(t, "parcel + unassigned kWp = building kWp", r.Totals.PVKWp+r.Totals.UnassignedPVKWp, bKWp, 1e-9)
	closeRel(t, "parcel + unassigned kWh = building kWh", r.Totals.PVKWhYr+r.Totals.UnassignedPVKWhYr, bKWh, 1e-9)
	var cb, cp int
	var cKWp float64
	for _, c := range r.Communes {
		cb += c.Totals.Buildings
		cp += c.Totals.Parcels
		cKWp += c.Totals.PVKWp
	}
	if cb != sampleBuildings || cp != sampleParcelsKept {
		t.Errorf("communes hold %d buildings and %d parcels", cb, cp)
	}
	closeRel(t, "commune kWp", cKWp, r.Totals.PVKWp, 1e-9)
	if !(r.Totals.PVKWhYrP90 < r.Totals.PVKWhYr && r.Totals.PVKWhYr < r.Totals.PVKWhYrP10) {
		t.Errorf("P90 sum %.0f, energy %.0f, P10 sum %.0f: want P90 < energy < P10", r.Totals.PVKWhYrP90, r.Totals.PVKWhYr, r.Totals.PVKWhYrP10)
	}
	for _, s := range r.Stages {
		t.Logf("stage %-30s %.2f s", s.Name, s.Seconds)
	}
}

func closeRel(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.6g, want %.6g (relative tolerance %g)", what, got, want, tol)
	}
}

// storeTotals reads back, per layer, the feature count and the sums of the
// main numeric columns of one stored study.
func storeTotals(t *testing.T, s data.Store, id string) map[string]data.Totals {
	t.Helper()
	ctx := context.Background()
	out := map[string]data.Totals{}
	for layer, cols := range map[string][]string{
		LayerParcels:    {"pv_kwp", "pv_kwh_yr", "heat_demand_kwh_yr"},
		LayerBuildings:  {"pv_kwp", "pv_kwh_yr", "heat_demand_kwh_yr"},
		LayerRoofPlanes: {"pv_kwp", "pv_kwh_yr"},
		LayerCommunes:   {"pv_kwp", "pv_kwh_yr", "heat_demand_kwh_yr"},
	} {
		tot, err := s.Summary(ctx, id, layer, nil, cols)
		if err != nil {
			t.Fatalf("summary of %s: %v", layer, err)
		}
		out[layer] = tot
	}
	return out
}

// checkStoredSample checks stored totals against the in-memory result.
func checkStoredSample(t *testing.T, got map[string]data.Totals, r *Result) {
	t.Helper()
	want := map[string]int64{LayerParcels: int64(len(r.Parcels)), LayerBuildings: int64(len(r.Buildings)),
		LayerRoofPlanes: int64(len(r.Territory.Planes)), LayerCommunes: int64(len(r.Communes))}
	for l, n := range want {
		if got[l].Count != n {
			t.Errorf("layer %s: %d features stored, want %d", l, got[l].Count, n)
		}
	}
	closeRel(t, "parcels pv_kwp", got[LayerParcels].Sums["pv_kwp"], r.Totals.PVKWp, 1e-9)
	closeRel(t, "parcels pv_kwh_yr", got[LayerParcels].Sums["pv_kwh_yr"], r.Totals.PVKWhYr, 1e-9)
	closeRel(t, "buildings heat_demand_kwh_yr", got[LayerBuildings].Sums["heat_demand_kwh_yr"], r.Totals.HeatDemandKWhYr, 1e-9)
	closeRel(t, "buildings pv_kwp", got[LayerBuildings].Sums["pv_kwp"], r.Totals.PVKWp+r.Totals.UnassignedPVKWp, 1e-9)
	closeRel(t, "communes pv_kwp", got[LayerCommunes].Sums["pv_kwp"], r.Totals.PVKWp, 1e-9)
}

// The sample study written to a GeoPackage reads back with the same counts
// and sums; written again under the same id, it replaces itself.
func TestSampleGeoPackage(t *testing.T) {
	r := sampleStudy(t)
	path := filepath.Join(t.TempDir(), "study.gpkg")
	for range 2 {
		writeGPKG(t, context.Background(), path, r, "")
	}
	s, err := gpkg.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	studies, err := s.Studies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(studies) != 1 || studies[0].ID != r.ID {
		t.Fatalf("after two writes of %s: studies %+v", r.ID, studies)
	}
	checkStoredSample(t, storeTotals(t, s, r.ID), r)
	if left := tmpSiblings(t, path); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// writeGPKG stores r in the GeoPackage at path (id "" = r.ID).
func writeGPKG(t *testing.T, ctx context.Context, path string, r *Result, id string) error {
	t.Helper()
	st, layers, err := Layers(r)
	if err != nil {
		t.Fatal(err)
	}
	if id != "" {
		st.ID = id
	}
	s, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	werr := s.WriteStudy(ctx, st, layers)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if werr != nil && ctx.Err() == nil {
		t.Fatalf("writing %s: %v", path, werr)
	}
	return werr
}

// Bad inputs end with an error that wraps ErrInput and names the file and
// the problem.
func TestRunBadInputs(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join("testdata", "buildings_40.geojson")
	weatherOK := samplePath(t, sample.Weather)
	empty := filepath.Join(dir, "empty.geojson")
	if err := os.WriteFile(empty, []byte(`{"type":"FeatureCollection","features":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	badScenario := model.DefaultScenario()
	badScenario.PV.SystemLossPct.Value = 150
	for _, tc := range []struct {
		name string
		o    Options
		// the message must contain all of these
		want []string
	}{
		{"truncated GeoJSON", Options{BuildingsPath: truncatedBuildings(t, dir), WeatherPath: weatherOK},
			[]string{"buildings_truncated.geojson", "truncated"}},
		{"parcels in degrees declared Lambert-93", Options{BuildingsPath: small, ParcelsPath: filepath.Join("testdata", "parcels_degrees_as_l93.geojson"), WeatherPath: weatherOK},
			[]string{"parcels_degrees_as_l93.geojson", "EPSG:2154", "EPSG:4326"}},
		{"weather from the southern hemisphere (MODIFIED EPW)", Options{BuildingsPath: small, WeatherPath: southernEPW(t, dir)},
			[]string{"MODIFIED_southern_La.Rochelle.epw", "hemisphere"}},
		{"missing buildings file", Options{BuildingsPath: filepath.Join(dir, "nope.geojson"), WeatherPath: weatherOK},
			[]string{"nope.geojson", "no such file"}},
		{"no building", Options{BuildingsPath: empty, WeatherPath: weatherOK},
			[]string{"empty.geojson", "no valid building"}},
		{"weather file is not weather", Options{BuildingsPath: small, WeatherPath: small},
			[]string{"buildings_40.geojson"}},
		{"invalid scenario", Options{BuildingsPath: small, WeatherPath: weatherOK, Scenario: badScenario},
			[]string{"scenario", "system_loss"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Run(context.Background(), tc.o)
			if err == nil {
				t.Fatalf("no error; result with %d buildings", len(res.Buildings))
			}
			if !errors.Is(err, ErrInput) {
				t.Errorf("error does not wrap ErrInput: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			t.Log(err)
		})
	}
}

// cancelAt is a Progress that cancels a context when a stage starts.
type cancelAt struct {
	stage  string
	cancel context.CancelFunc
	seen   []string
}

func (c *cancelAt) Stage(name string, _ int) {
	c.seen = append(c.seen, name)
	if name == c.stage {
		c.cancel()
	}
}
func (c *cancelAt) Add(int) {}

// A study cancelled half-way returns the context's error (not ErrInput)
// and no result.
func TestRunCancelled(t *testing.T) {
	for _, stage := range []string{"weather", "rooftop PV", "heat, economics, uncertainty"} {
		t.Run(stage, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			o := Options{BuildingsPath: filepath.Join("testdata", "buildings_40.geojson"), WeatherPath: samplePath(t, sample.Weather)}
			p := &cancelAt{stage: stage, cancel: cancel}
			o.Progress = p
			res, err := Run(ctx, o)
			if !errors.Is(err, context.Canceled) || res != nil {
				t.Fatalf("cancelled at %q (stages %v): result %v, error %v; want context.Canceled and no result", stage, p.seen, res != nil, err)
			}
			if errors.Is(err, ErrInput) {
				t.Errorf("cancellation reported as bad input: %v", err)
			}
		})
	}
}

// A second study interrupted during its GeoPackage write leaves the file
// with the first study only, complete, and no temporary file.
func TestWriteInterrupted(t *testing.T) {
	r := sampleStudy(t)
	path := filepath.Join(t.TempDir(), "study.gpkg")
	writeGPKG(t, context.Background(), path, r, "")

	for _, after := range []int{0, 5000, sampleBuildings - 1} {
		ctx, cancel := context.WithCancel(context.Background())
		st, layers, err := Layers(r)
		if err != nil {
			t.Fatal(err)
		}
		st.ID = "second"
		// Cancel after `after` buildings have been streamed to the store.
		for i := range layers {
			if layers[i].Layer.Name != LayerBuildings {
				continue
			}
			inner := layers[i].Features
			layers[i].Features = func(yield func(data.Feature, error) bool) {
				n := 0
				for f, err := range inner {
					if n == after {
						cancel()
					}
					n++
					if !yield(f, err) {
						return
					}
				}
			}
		}
		s, err := gpkg.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		werr := s.WriteStudy(ctx, st, layers)
		s.Close()
		cancel()
		if !errors.Is(werr, context.Canceled) {
			t.Fatalf("cancelled after %d buildings: write error %v, want context.Canceled", after, werr)
		}
		t.Logf("cancelled after %d buildings: %v", after, werr)
	}
	if left := tmpSiblings(t, path); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	s, err := gpkg.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	studies, err := s.Studies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(studies) != 1 || studies[0].ID != r.ID {
		t.Fatalf("studies after interrupted writes: %+v; want only %s", studies, r.ID)
	}
	checkStoredSample(t, storeTotals(t, s, r.ID), r)
}

package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/data/gpkg"
	"github.com/gisement/gisement/data/sample"
	"github.com/gisement/gisement/internal/shareddata"
	"github.com/gisement/gisement/model/study"
)

// checkBuildingsFormats asks GET /v1/buildings?bbox in GeoJSON, CSV and
// GeoPackage and checks each answer holds buildings of the bbox.
func checkBuildingsFormats(t *testing.T, h http.Handler, bbox string) {
	t.Helper()
	r := do(t, h, "GET", "/v1/buildings?limit=50&bbox="+bbox, "")
	if r.Code != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/geo+json") {
		t.Fatalf("GeoJSON: %d %s: %.300s", r.Code, r.Header.Get("Content-Type"), r.Body)
	}
	fc := decode(t, r.Body)
	feats, _ := fc["features"].([]any)
	if len(feats) == 0 {
		t.Fatalf("GeoJSON: no building in bbox %s", bbox)
	}
	props := feats[0].(map[string]any)["properties"].(map[string]any)
	if _, ok := props["building_id"]; !ok {
		t.Errorf("GeoJSON feature lacks building_id: %v", props)
	}
	r = do(t, h, "GET", "/v1/buildings?format=csv&limit=50&bbox="+bbox, "")
	if r.Code != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV: %d %s: %.300s", r.Code, r.Header.Get("Content-Type"), r.Body)
	}
	rows, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
	if err != nil || len(rows) != len(feats)+1 || rows[0][0] != "building_id" {
		t.Fatalf("CSV: %d rows (want %d + header), header %v, err %v", len(rows), len(feats), rows[0], err)
	}
	r = do(t, h, "GET", "/v1/buildings?format=gpkg&bbox="+bbox, "")
	if r.Code != http.StatusOK || r.Header.Get("Content-Type") != gpkgMediaType || !bytes.HasPrefix(r.Body, []byte("SQLite format 3\x00")) {
		t.Fatalf("GeoPackage: %d %s: %.100q", r.Code, r.Header.Get("Content-Type"), r.Body)
	}
	if n, _ := strconv.Atoi(r.Header.Get("X-Feature-Count")); n < len(feats) {
		t.Errorf("GeoPackage holds %d buildings, fewer than the %d of one JSON page", n, len(feats))
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "gisement-buildings.gpkg") {
		t.Errorf("Content-Disposition %q", cd)
	}
	// Parcel-level filters do not exist on buildings: 400 naming the layer.
	wantProblem(t, do(t, h, "GET", "/v1/buildings?technology=gshp&bbox="+bbox, ""), http.StatusBadRequest, "buildings layer")
}

func TestListBuildingsSynthetic(t *testing.T) {
	s := newServer(t, nil)
	checkBuildingsFormats(t, s, "-5,41,10,52")
}

// TestBuildingsOnlyStudyParis11 runs a parcel-less study on a block of the
// real Paris 11e BDNB buildings and screens it through /v1/buildings
// (issue 13); /v1/parcels answers 404 (no parcels layer).
func TestBuildingsOnlyStudyParis11(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a study")
	}
	bpath := shareddata.Path(t, "buildings/paris11_75111_bdnb_buildings.geojson.gz")
	dir := t.TempDir()
	paths, err := sample.Materialize(dir)
	if err != nil {
		t.Fatal(err)
	}
	area := orb.Bound{Min: orb.Point{2.372, 48.855}, Max: orb.Point{2.380, 48.860}}.ToPolygon()
	res, err := study.Run(context.Background(), study.Options{BuildingsPath: bpath, WeatherPath: paths[sample.Weather],
		IrradiancePath: paths[sample.Irradiation], AreaWGS84: area, MonteCarloDraws: 20, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	st, layers, err := study.Layers(res)
	if err != nil {
		t.Fatal(err)
	}
	store, err := gpkg.Open(filepath.Join(dir, "p11.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.WriteStudy(context.Background(), st, layers); err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	checkBuildingsFormats(t, s, "2.374,48.856,2.378,48.859")
	if r := do(t, s, "GET", "/v1/parcels?bbox=2.374,48.856,2.378,48.859", ""); r.Code != http.StatusNotFound {
		t.Errorf("/v1/parcels on a parcel-less study: %d, want 404", r.Code)
	}
	// The commune summary comes from buildings alone; parcel-level sums are
	// NULL, not 0.
	r := do(t, s, "GET", "/v1/communes/75111/summary", "")
	if r.Code != http.StatusOK {
		t.Fatalf("commune summary: %d %.300s", r.Code, r.Body)
	}
	tot := decode(t, r.Body)["totals"].(map[string]any)
	if v, ok := tot["pv_kwp"].(float64); !ok || v <= 0 {
		t.Errorf("pv_kwp %v, want > 0", tot["pv_kwp"])
	}
	for _, k := range []string{"pv_npv_eur", "co2_avoided_kg_yr", "pv_kwh_yr_p90_sum", "gshp_boreholes"} {
		if v, ok := tot[k]; !ok || v != nil {
			t.Errorf("%s = %v (present %t), want null", k, v, ok)
		}
	}
	// Paris (75056) gathers its arrondissements' rows.
	r = do(t, s, "GET", "/v1/communes/75056/summary", "")
	if r.Code != http.StatusOK {
		t.Fatalf("Paris summary: %d %.300s", r.Code, r.Body)
	}
	paris := decode(t, r.Body)["totals"].(map[string]any)
	if pk, _ := paris["pv_kwp"].(float64); pk < tot["pv_kwp"].(float64) || paris["name"] != "Paris" || paris["pv_npv_eur"] != nil {
		t.Errorf("Paris totals: pv_kwp %v (75111: %v), name %v, pv_npv_eur %v", paris["pv_kwp"], tot["pv_kwp"], paris["name"], paris["pv_npv_eur"])
	}
	// The study's warnings and sources are readable (map, annex).
	r = do(t, s, "GET", "/v1/study", "")
	if r.Code != http.StatusOK {
		t.Fatalf("/v1/study: %d %.300s", r.Code, r.Body)
	}
	info := decode(t, r.Body)
	if ws, _ := info["warnings"].([]any); len(ws) == 0 {
		t.Errorf("/v1/study: no warning (the study area and the scaling warn): %v", info["warnings"])
	}
	if at, _ := info["attribution"].([]any); len(at) == 0 || !strings.Contains(string(r.Body), "CSTB — BDNB") {
		t.Errorf("/v1/study: attribution %v", info["attribution"])
	}
	if strings.Contains(string(r.Body), dir) {
		t.Errorf("/v1/study shows a machine path: %s", r.Body)
	}
	// A zone summary sums the buildings.
	r = do(t, s, "POST", "/v1/zones/summary", `{"type":"Polygon","coordinates":[[[2.374,48.856],[2.378,48.856],[2.378,48.859],[2.374,48.859],[2.374,48.856]]]}`)
	if r.Code != http.StatusOK {
		t.Fatalf("zone summary: %d %.300s", r.Code, r.Body)
	}
	if z := decode(t, r.Body); z["layer"] != "buildings" || z["count"].(float64) < 1 {
		t.Errorf("zone summary: layer %v count %v", z["layer"], z["count"])
	}
}

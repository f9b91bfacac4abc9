package gpkg

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/storetest"
	"github.com/paulmach/orb"
)

func writeSynthetic(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "results.gpkg")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, _, layers := storetest.Input()
	if err := s.WriteStudy(context.Background(), storetest.Study("s1", time.Now()), layers); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOgrinfo checks that GDAL reads the file without warnings, with the
// right layers, counts and SRS.
func TestOgrinfo(t *testing.T) {
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Skip("ogrinfo (Debian gdal-bin) not on PATH; skipping the GDAL compatibility check")
	}
	path := writeSynthetic(t)
	out, err := exec.Command(ogrinfo, "-al", "-so", path).CombinedOutput()
	text := string(out)
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, text)
	}
	for _, bad := range []string{"Warning", "ERROR"} {
		if strings.Contains(text, bad) {
			t.Errorf("ogrinfo output contains %q:\n%s", bad, text)
		}
	}
	for layer, n := range map[string]string{"buildings": "300", "sites": "120", "studies": "1"} {
		re := regexp.MustCompile(`(?s)Layer name: ` + layer + `\n.*?Feature Count: (\d+)`)
		m := re.FindStringSubmatch(text)
		if m == nil || m[1] != n {
			t.Errorf("layer %s: feature count %v, want %s", layer, m, n)
		}
	}
	if strings.Count(text, `ID["EPSG",2154]`) < 2 || !strings.Contains(text, "Geometry: Multi Polygon") || !strings.Contains(text, "Geometry: Point") {
		t.Errorf("ogrinfo: SRS EPSG:2154 or geometry types missing:\n%s", text)
	}
	if !strings.Contains(text, "pv_kwh_yr: Real") || !strings.Contains(text, "details: String(JSON)") {
		t.Errorf("ogrinfo: column types missing:\n%s", text)
	}
}

// TestOgr2ogrGeoJSON converts the buildings layer to GeoJSON in EPSG:4326
// with GDAL and compares a few features with our own reader.
func TestOgr2ogrGeoJSON(t *testing.T) {
	ogr2ogr, err := exec.LookPath("ogr2ogr")
	if err != nil {
		t.Skip("ogr2ogr (Debian gdal-bin) not on PATH; skipping the GDAL round trip")
	}
	path := writeSynthetic(t)
	out, err := exec.Command(ogr2ogr, "-f", "GeoJSON", "-t_srs", "EPSG:4326", "/vsistdout/", path, "buildings", "-where", "building_id IN ('B000000','B000017')").Output()
	if err != nil {
		t.Fatalf("ogr2ogr: %v", err)
	}
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
			Geometry   struct {
				Coordinates [][][][2]float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(out, &fc); err != nil || len(fc.Features) != 2 {
		t.Fatalf("ogr2ogr output: %v, %d features\n%s", err, len(fc.Features), out)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, f := range fc.Features {
		id := f.Properties["building_id"].(string)
		mine, err := s.Get(context.Background(), "", "buildings", id)
		if err != nil {
			t.Fatal(err)
		}
		g, _ := data.ToWGS84(mine.Geom, data.SRIDLambert93)
		want := g.(orb.MultiPolygon)[0][0][0]
		got := f.Geometry.Coordinates[0][0][0]
		// GDAL/PROJ vs geo/crs (closed-form Lambert-93): same formulas; agreement to
		// 1e-7° (≈ 1 cm) is expected, the datum shift RGF93→WGS84 being null.
		if abs(got[0]-want[0]) > 1e-7 || abs(got[1]-want[1]) > 1e-7 {
			t.Errorf("%s: first vertex %v, our transform %v", id, got, want)
		}
		if f.Properties["roof_area_m2"].(float64) != mine.Value(storetest.BuildingsLayer, "roof_area_m2").(float64) {
			t.Errorf("%s: roof_area_m2 %v vs %v", id, f.Properties["roof_area_m2"], mine.Values[2])
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

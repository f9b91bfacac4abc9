package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gisement/gisement/data/gpkg"
	"github.com/gisement/gisement/data/storetest"
)

// writeExportFixture writes the SYNTHETIC conformance study to a GeoPackage.
func writeExportFixture(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "results.gpkg")
	s, err := gpkg.Open(path)
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

func TestExportGeoJSON(t *testing.T) {
	path := writeExportFixture(t)
	var out bytes.Buffer
	if err := runExport(context.Background(), exportOptions{From: path, Format: "geojson", Layer: "buildings", Out: "-"}, &out); err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Geometry struct {
				Type        string           `json:"type"`
				Coordinates [][][][2]float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(out.Bytes(), &fc); err != nil {
		t.Fatalf("invalid GeoJSON: %v", err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != storetest.NBuildings {
		t.Fatalf("%s with %d features, want %d", fc.Type, len(fc.Features), storetest.NBuildings)
	}
	// EPSG:4326 lon/lat around Périgueux (0.72 E, 45.18 N), not Lambert-93 metres.
	p := fc.Features[0].Geometry.Coordinates[0][0][0]
	if fc.Features[0].Geometry.Type != "MultiPolygon" || p[0] < 0.6 || p[0] > 0.8 || p[1] < 45.1 || p[1] > 45.3 {
		t.Errorf("first vertex %v (%s), want lon/lat near Périgueux", p, fc.Features[0].Geometry.Type)
	}
	if fc.Features[0].Properties["building_id"] != "B000000" {
		t.Errorf("properties %v", fc.Features[0].Properties)
	}
}

func TestExportCSV(t *testing.T) {
	path := writeExportFixture(t)
	out := filepath.Join(t.TempDir(), "sites.csv")
	if err := runExport(context.Background(), exportOptions{From: path, Format: "csv", Layer: "sites", Study: "s1", Out: out}, nil); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := runExport(context.Background(), exportOptions{From: path, Format: "csv", Layer: "buildings", WKT: true, Out: "-"}, &buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != storetest.NBuildings+1 || strings.Join(recs[0], ",") != "building_id,pv_kwh_yr,roof_area_m2,n_planes,label,details,geometry_wkt" {
		t.Fatalf("%d records, header %v", len(recs), recs[0])
	}
	if !strings.HasPrefix(recs[1][6], "MULTIPOLYGON(((0.7") {
		t.Errorf("WKT %q, want lon/lat MULTIPOLYGON", recs[1][6])
	}
}

func TestExportBadInput(t *testing.T) {
	path := writeExportFixture(t)
	for name, o := range map[string]exportOptions{
		"missing file":  {From: filepath.Join(t.TempDir(), "nope.gpkg"), Format: "csv", Layer: "buildings"},
		"unknown layer": {From: path, Format: "csv", Layer: "roofs"},
		"unknown study": {From: path, Format: "csv", Layer: "buildings", Study: "zz"},
		"bad format":    {From: path, Format: "shp", Layer: "buildings"},
		"no source":     {Format: "csv", Layer: "buildings"},
	} {
		err := runExport(context.Background(), o, &bytes.Buffer{})
		var ie inputError
		if !errors.As(err, &ie) {
			t.Errorf("%s: error %v, want an input error (exit 2)", name, err)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"strconv"
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

// TestExportCSVFrench checks --format csv-fr against --format csv on the
// same layer: same rows, semicolons, decimal comma, BOM, French headings
// for the columns the study's schema describes, values rounded to its
// decimals, and the same empty cells for values not computed.
func TestExportCSVFrench(t *testing.T) {
	path := writeExportFixture(t)
	read := func(format string) ([][]string, string) {
		var buf bytes.Buffer
		if err := runExport(context.Background(), exportOptions{From: path, Format: format, Layer: "buildings", Out: "-"}, &buf); err != nil {
			t.Fatal(err)
		}
		raw := buf.String()
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw, "\ufeff")))
		if format == "csv-fr" {
			r.Comma = ';'
		}
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs, raw
	}
	en, _ := read("csv")
	fr, raw := read("csv-fr")
	if !strings.HasPrefix(raw, "\ufeff") || !strings.Contains(raw, "\r\n") {
		t.Error("csv-fr without BOM or CRLF")
	}
	if len(fr) != len(en) || len(fr) != storetest.NBuildings+1 {
		t.Fatalf("%d French rows, %d machine rows, want %d", len(fr), len(en), storetest.NBuildings+1)
	}
	if got := strings.Join(fr[0], "|"); !strings.HasPrefix(got, "Bâtiment|Potentiel technique PV (production annuelle) (kWh/an)|roof_area_m2 (m²)|") || !strings.HasSuffix(got, "longitude (°)|latitude (°)") {
		t.Errorf("French header %q", got)
	}
	kwh := 1 // pv_kwh_yr, declared with 0 decimals in the study's schema
	nonEmpty := 0
	for i := 1; i < len(en); i++ {
		m, f := en[i][kwh], fr[i][kwh]
		if (m == "") != (f == "") {
			t.Fatalf("row %d: machine %q, French %q: missing values differ", i, m, f)
		}
		if m == "" {
			continue
		}
		nonEmpty++
		x, err := strconv.ParseFloat(m, 64)
		if err != nil || strings.ContainsAny(f, ".,") || f != strconv.FormatFloat(math.Round(x), 'f', 0, 64) {
			t.Fatalf("row %d: machine %q, French %q: want the value rounded to the kWh", i, m, f)
		}
		lon := strings.Replace(fr[i][len(fr[i])-2], ",", ".", 1)
		if lon != en[i][len(en[i])-2] {
			t.Fatalf("row %d: longitude %q (French) vs %q", i, fr[i][len(fr[i])-2], en[i][len(en[i])-2])
		}
	}
	if nonEmpty == 0 {
		t.Fatal("no value compared")
	}
}

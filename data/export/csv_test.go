package export_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/export"
)

var testLayer = data.Layer{Name: "parcels", GeomType: data.GeomMultiPolygon, SRID: data.SRIDLambert93, Key: "id",
	Columns: []data.Column{
		{Name: "id", Type: data.Text, Label: data.Label{FR: "Parcelle", EN: "Parcel"}, Kind: data.KindID},
		{Name: "kwh", Type: data.Real, Unit: "kWh/yr", Label: data.Label{FR: "Production", EN: "Production"}, Decimals: data.Decimals(0)},
		{Name: "lcoe", Type: data.Real, Unit: "EUR/kWh", Label: data.Label{FR: "Coût", EN: "Cost"}, Decimals: data.Decimals(3)},
		{Name: "free", Type: data.Real}, // no declared decimals
		{Name: "n", Type: data.Integer},
		{Name: "monthly", Type: data.JSON},
		{Name: "horizon", Type: data.JSON, Flags: data.NoCSV},
	}}

// A 10 m × 10 m square in Lambert-93 whose centroid is (519005, 6456005).
var square = orb.MultiPolygon{{{{519000, 6456000}, {519010, 6456000}, {519010, 6456010}, {519000, 6456010}, {519000, 6456000}}}}

func write(t *testing.T, o export.Options, fs ...data.Feature) string {
	t.Helper()
	var b bytes.Buffer
	w, err := export.NewWriter(&b, testLayer, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if err := w.Write(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func feature(kwh, lcoe, free float64) data.Feature {
	return data.Feature{Geom: square, Values: []any{"=P1", kwh, lcoe, free, int64(3), json.RawMessage(`[1.5,2]`), json.RawMessage(`[0]`)}}
}

func TestRFC4180(t *testing.T) {
	out := write(t, export.Options{Dialect: export.RFC4180}, feature(206414059.3669632, 0.1234567, -0.0), data.Feature{Values: []any{"P2", math.NaN(), nil, math.Inf(1), nil, nil, nil}})
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "id,kwh,lcoe,free,n,monthly,lon,lat" {
		t.Fatalf("header %q", got)
	}
	r := recs[1]
	// Full precision, no exponent (issue 14: 2.064140593669632e+08), no "-0".
	if r[0] != "=P1" || r[1] != "206414059.3669632" || r[2] != "0.1234567" || r[3] != "0" || r[4] != "3" || r[5] != "[1.5,2]" {
		t.Errorf("row %q", r)
	}
	lon, _ := strconv.ParseFloat(r[6], 64)
	lat, _ := strconv.ParseFloat(r[7], 64)
	if math.Abs(lon-0.6954) > 0.001 || math.Abs(lat-45.1796) > 0.001 || len(r[6]) != 9 {
		t.Errorf("centroid %s, %s: want about 0.6954° E, 45.1796° N (Lambert-93 inverse by hand) with 7 decimals", r[6], r[7])
	}
	// Not computed is an empty cell, never 0; no geometry, no point.
	if got := strings.Join(recs[2], "|"); got != "P2|||||||" {
		t.Errorf("missing values: %q", got)
	}
}

func TestFrenchExcel(t *testing.T) {
	out := write(t, export.Options{Dialect: export.FrenchExcel, Geometry: export.NoGeometry}, feature(2.5, 0.12349, 1234.5678))
	if !strings.HasPrefix(out, "\ufeff") {
		t.Fatal("no UTF-8 BOM")
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], "|"); got != "Parcelle|Production (kWh/an)|Coût (€/kWh)|free|n|monthly" {
		t.Errorf("header %q", got)
	}
	// Rounded to the declared decimals (halves away from zero), decimal
	// comma; undeclared decimals in full; formulas defused.
	if got := strings.Join(recs[1], "|"); got != "'=P1|3|0,123|1234,5678|3|[1.5,2]" {
		t.Errorf("row %q", got)
	}
	if !strings.Contains(out, "\r\n") {
		t.Error("no CRLF line ends")
	}
}

func TestWKT(t *testing.T) {
	out := write(t, export.Options{Dialect: export.RFC4180, Geometry: export.WKT}, feature(1, 1, 1))
	if !strings.Contains(out, "geometry_wkt") || !strings.Contains(out, "MULTIPOLYGON(((0.695") {
		t.Errorf("WKT export: %q", out)
	}
}

func TestBadDialect(t *testing.T) {
	if _, err := export.NewWriter(new(bytes.Buffer), testLayer, export.Options{Dialect: export.Dialect{Comma: ',', DecimalComma: true}}); err == nil {
		t.Error("decimal comma with comma separator accepted")
	}
}

// FuzzNumber checks that every finite float64 written in full by the
// machine dialect reads back to the same value, and in the French dialect
// to the value rounded to the declared decimals.
func FuzzNumber(f *testing.F) {
	for _, x := range []float64{0, -0.0, 1e-300, 2.064140593669632e+08, -12.5, 0.125, math.MaxFloat64} {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		c := testLayer.Columns[2] // 3 decimals
		var b bytes.Buffer
		w, _ := export.NewWriter(&b, testLayer, export.Options{Dialect: export.RFC4180})
		s := w.Value(c, x)
		if strings.ContainsAny(s, "eE") {
			t.Fatalf("%g written with an exponent: %s", x, s)
		}
		if y, err := strconv.ParseFloat(s, 64); err != nil || y != x {
			t.Fatalf("%g written %s reads back %g, %v", x, s, y, err)
		}
		wf, _ := export.NewWriter(&b, testLayer, export.Options{Dialect: export.FrenchExcel})
		fr := wf.Value(c, x)
		y, err := strconv.ParseFloat(strings.Replace(fr, ",", ".", 1), 64)
		if err != nil || (y != c.Round(x) && !math.IsInf(c.Round(x), 0)) {
			t.Fatalf("%g written %s in French, want %g", x, fr, c.Round(x))
		}
	})
}

func TestRoundedProperties(t *testing.T) {
	f := data.Feature{Values: []any{"p1", 1234.5678, 0.123456, 9.87654321, int64(3), nil, nil}}
	p := export.RoundedProperties(testLayer, f)
	if p["kwh"] != 1235.0 || p["lcoe"] != 0.123 || p["free"] != 9.87654321 || p["n"] != int64(3) {
		t.Errorf("RoundedProperties = %v", p)
	}
	v := export.RoundValues(testLayer, f.Values)
	if v[1] != 1235.0 || v[2] != 0.123 || v[3] != 9.87654321 || f.Values[1] != 1234.5678 {
		t.Errorf("RoundValues = %v (input %v)", v, f.Values)
	}
}

package data_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/gisement/gisement/data"
)

func TestFlagsJSON(t *testing.T) {
	c := data.Column{Name: "pv_kwp", Type: data.Real, Unit: "kWp", Label: data.Label{FR: "Puissance", EN: "Power"},
		Decimals: data.Decimals(1), Flags: data.Summable | data.InTiles}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"flags":["summable","in_tiles"]`) || !strings.Contains(string(b), `"decimals":1`) {
		t.Errorf("JSON %s", b)
	}
	var back data.Column
	if err := json.Unmarshal(b, &back); err != nil || back.Flags != c.Flags || *back.Decimals != 1 || back.Label != c.Label {
		t.Errorf("round trip %+v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"name":"x","type":"real","flags":["summable","bogus"]}`), &back); err == nil {
		t.Error("unknown flag accepted")
	}
	// A stored schema from before the facts existed reads back plain.
	var plain data.Column
	if err := json.Unmarshal([]byte(`{"name":"x","type":"real","unit":"kWh/yr"}`), &plain); err != nil || plain.Flags != 0 || plain.Decimals != nil {
		t.Errorf("plain column %+v, %v", plain, err)
	}
}

func TestSchemaValidateAndDescribe(t *testing.T) {
	lab := data.Label{FR: "Production", EN: "Production"}
	good := data.Layer{Name: "parcels", GeomType: data.GeomPolygon, SRID: data.SRIDLambert93, Key: "id", Columns: []data.Column{
		{Name: "id", Type: data.Text, Label: data.Label{FR: "Parcelle", EN: "Parcel"}, Kind: data.KindID},
		{Name: "kwh", Type: data.Real, Unit: "kWh/yr", Label: lab, Decimals: data.Decimals(0), Flags: data.Summable | data.Sortable},
	}}
	if err := (data.Schema{good}).Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(c *data.Column){
		"summable text":   func(c *data.Column) { c.Type = data.Text; c.Decimals = nil },
		"no English":      func(c *data.Column) { c.Label.EN = "" },
		"unknown unit":    func(c *data.Column) { c.Unit = "furlongs" },
		"decimals on int": func(c *data.Column) { c.Type = data.Integer },
		"bool on real":    func(c *data.Column) { c.Kind = data.KindBool; c.Flags = 0 },
	} {
		bad := good
		bad.Columns = append([]data.Column(nil), good.Columns...)
		mutate(&bad.Columns[1])
		if err := (data.Schema{bad}).Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	other := data.Layer{Name: "buildings", GeomType: data.GeomPolygon, SRID: data.SRIDLambert93, Key: "kwh", Columns: []data.Column{
		{Name: "kwh", Type: data.Integer, Unit: "kWh", Label: lab},
	}}
	if err := (data.Schema{good, other}).Validate(); err == nil {
		t.Error("same column name with another unit accepted")
	}

	// A stored layer (no facts) takes the schema's facts by name and type.
	stored := data.Layer{Name: "parcels", GeomType: data.GeomPolygon, SRID: data.SRIDLambert93, Key: "id", Columns: []data.Column{
		{Name: "id", Type: data.Text}, {Name: "kwh", Type: data.Real, Unit: "kWh/yr"}, {Name: "extra", Type: data.Real},
	}}
	d := data.Schema{good}.Describe(stored)
	if !d.Columns[1].Flags.Has(data.Summable) || d.Columns[1].Heading(data.French) != "Production (kWh/an)" || d.Columns[2].Flags != 0 {
		t.Errorf("described %+v", d.Columns)
	}
	if got := d.Flagged(data.Sortable); len(got) != 1 || got[0] != "kwh" {
		t.Errorf("sortable %v", got)
	}
	if stored.Columns[1].Flags != 0 {
		t.Error("Describe modified its argument")
	}
	if x := d.Columns[1].Round(-0.4); x != 0 || d.Columns[1].Round(2.5) != 3 {
		t.Errorf("Round: %v", x)
	}
}

func TestScaleUnitAndSignificantDecimals(t *testing.T) {
	for _, c := range []struct {
		x      float64
		unit   string
		factor float64
		scaled string
	}{
		{239496, "kWp", 1e3, "MWp"}, {2.42935e8, "kWh/yr", 1e6, "GWh/yr"}, {999, "kWh/yr", 1, "kWh/yr"},
		{26426, "kgCO2e/yr", 1e3, "tCO2e/yr"}, {2.6426e7, "kgCO2e/yr", 1e3, "tCO2e/yr"}, {5, "%", 1, "%"}, {math.NaN(), "kWp", 1, "kWp"},
	} {
		f, u := data.ScaleUnit(c.x, c.unit)
		if f != c.factor || u != c.scaled {
			t.Errorf("data.ScaleUnit(%g, %s) = %g, %s, want %g, %s", c.x, c.unit, f, u, c.factor, c.scaled)
		}
		if _, ok := data.UnitLabel(u, data.French); !ok {
			t.Errorf("scaled unit %s has no display form", u)
		}
	}
	for _, c := range []struct {
		x    float64
		n    int
		want float64
		dec  int
	}{{239.496, 3, 239, 0}, {2.0641, 3, 2.06, 2}, {12345, 3, 12300, 0}, {99.96, 3, 100, 0}, {0.012345, 2, 0.012, 3}, {-2.5, 2, -2.5, 1}} {
		got, dec := data.SignificantDecimals(c.x, c.n)
		if math.Abs(got-c.want) > 1e-9 || dec != c.dec {
			t.Errorf("SignificantDecimals(%g, %d) = %g, %d, want %g, %d", c.x, c.n, got, dec, c.want, c.dec)
		}
	}
	if l, _ := data.UnitLabel("MWp", data.French); l != "MWc" {
		t.Errorf("MWp in French = %q", l)
	}
}

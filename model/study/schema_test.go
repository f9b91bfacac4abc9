package study

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/gpkg"
)

// TestSchemaDescribesEveryColumn requires every column of every layer a
// study writes to carry French and English labels, a display unit and, for
// real columns, declared decimals; Schema().Validate checks the rest
// (consistent facts per column name, flags fitting the type).
func TestSchemaDescribesEveryColumn(t *testing.T) {
	s := Schema()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(s) != 6 {
		t.Fatalf("%d layers, want 6", len(s))
	}
	used := map[string]bool{}
	for _, l := range s {
		for _, c := range l.Columns {
			used[c.Name] = true
			if c.Label.FR == "" || c.Label.EN == "" {
				t.Errorf("%s.%s: no label", l.Name, c.Name)
			}
			if _, ok := data.UnitLabel(c.Unit, data.French); !ok {
				t.Errorf("%s.%s: unit %q has no display form", l.Name, c.Name, c.Unit)
			}
			if c.Type == data.Real && c.Decimals == nil {
				t.Errorf("%s.%s: real column without decimals", l.Name, c.Name)
			}
		}
	}
	for name := range columnFacts {
		if !used[name] {
			t.Errorf("columnFacts: %s is no column of any layer (dead entry)", name)
		}
	}
	p, _ := s.Layer(LayerParcels)
	if got := p.Flagged(data.InTiles); len(got) != len(tileColumns[LayerParcels]) {
		t.Errorf("parcels tile columns %v", got)
	}
	if i := p.Index("pv_specific_yield_kwh_kwp"); p.Columns[i].Flags.Has(data.Summable) {
		t.Error("a specific yield must not be summable")
	}
}

// TestSchemaStoredWithTheLayers checks that a GeoPackage keeps the reading
// facts with the layer (so a store is self-describing) and that describing
// a stored layer with the schema changes nothing then.
func TestSchemaStoredWithTheLayers(t *testing.T) {
	ctx := context.Background()
	s, err := gpkg.Open(filepath.Join(t.TempDir(), "facts.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l := schemaLayer(LayerCommunes)
	if err := s.WriteStudy(ctx, data.Study{ID: "s"}, []data.LayerData{{Layer: l, Features: data.SliceFeatures(nil)}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Layer(ctx, LayerCommunes)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, l) || !reflect.DeepEqual(Schema().Describe(got), l) {
		t.Errorf("stored layer differs from the schema:\n%+v\n%+v", got.Columns[7], l.Columns[7])
	}
}

package gpkg_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/gpkg"
)

// Write a one-layer study (two SYNTHETIC parcels in Lambert-93 near
// Périgueux) to a GeoPackage, then screen it: parcels of at least 5 kWp,
// largest production first.
func Example() {
	dir, _ := os.MkdirTemp("", "gpkg-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	st, err := gpkg.Open(filepath.Join(dir, "results.gpkg"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	layer := data.Layer{Name: "parcels", GeomType: data.GeomMultiPolygon, SRID: data.SRIDLambert93, Key: "parcel_id",
		Columns: []data.Column{
			{Name: "parcel_id", Type: data.Text},
			{Name: "pv_kwp", Type: data.Real, Unit: "kWp"},
			{Name: "pv_kwh_yr", Type: data.Real, Unit: "kWh/yr"},
		}}
	square := func(x, y float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x, y}, {x + 20, y}, {x + 20, y + 20}, {x, y + 20}, {x, y}}}}
	}
	feats := []data.Feature{
		{Geom: square(520000, 6457000), Values: []any{"24322000AE0037", 6.1, 7050.0}},
		{Geom: square(520100, 6457000), Values: []any{"24322000AE0038", 3.2, 3600.0}},
	}
	study := data.Study{ID: "example", Name: "synthetic example", ScenarioHash: "0", CreatedAt: time.Unix(0, 0).UTC()}
	if err := st.WriteStudy(ctx, study, []data.LayerData{{Layer: layer, Features: data.SliceFeatures(feats)}}); err != nil {
		fmt.Println(err)
		return
	}
	page, err := st.Query(ctx, "parcels", data.Query{Filters: []data.Filter{{Column: "pv_kwp", Op: ">=", Value: 5.0}}, Sort: "-pv_kwh_yr"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range page.Features {
		fmt.Printf("%s: %.1f kWp, %.0f kWh/yr\n", f.Value(layer, "parcel_id"), f.Value(layer, "pv_kwp"), f.Value(layer, "pv_kwh_yr"))
	}
	// Output: 24322000AE0037: 6.1 kWp, 7050 kWh/yr
}

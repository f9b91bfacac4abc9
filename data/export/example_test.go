package export_test

import (
	"fmt"
	"math"
	"os"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/export"
)

// Writing a layer in the French spreadsheet dialect: semicolons, decimal
// comma, values rounded to the schema's decimals, an empty cell for a value
// that was not computed.
func Example() {
	l := data.Layer{Name: "sites", GeomType: data.GeomPoint, SRID: data.SRIDLambert93, Key: "id", Columns: []data.Column{
		{Name: "id", Type: data.Text, Label: data.Label{FR: "Site", EN: "Site"}},
		{Name: "pv_kwh_yr", Type: data.Real, Unit: "kWh/yr", Label: data.Label{FR: "Production PV", EN: "PV production"}, Decimals: data.Decimals(0)},
		{Name: "irr_pct", Type: data.Real, Unit: "%/yr", Label: data.Label{FR: "TRI", EN: "IRR"}, Decimals: data.Decimals(1)},
	}}
	d := export.FrenchExcel
	d.BOM, d.CRLF = false, false // for the printed output below
	w, err := export.NewWriter(os.Stdout, l, export.Options{Dialect: d, Geometry: export.NoGeometry})
	if err != nil {
		fmt.Println(err)
		return
	}
	w.Write(data.Feature{Values: []any{"A", 12345.67, 7.25}})
	w.Write(data.Feature{Values: []any{"B", 980.4, math.NaN()}})
	w.Flush()
	// Output:
	// Site;Production PV (kWh/an);TRI (%/an)
	// A;12346;7,3
	// B;980;
}

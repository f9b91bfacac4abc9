package weather

import (
	"bytes"
	"os"
	"testing"

	"github.com/gisement/gisement/internal/shareddata"
)

// BenchmarkReadEPW reads the La Rochelle TMYx (8760 rows, gzip) from memory.
func BenchmarkReadEPW(b *testing.B) {
	data, err := os.ReadFile(shareddata.Path(b, "weather/FRA_AC_La.Rochelle.Intl.AP.073160_TMYx.epw.gz"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ReadFrom(bytes.NewReader(data), "larochelle.epw.gz", Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadSizes: the 48-row EPW fixture vs the 8760-row file, to show
// the cost per row is constant (linear growth).
func BenchmarkReadSizes(b *testing.B) {
	for _, tc := range []struct{ name, path string }{
		{"epw-48rows", "testdata/epw_larochelle_2days.epw"},
		{"epw-8760rows-gz", shareddata.Path(b, "weather/FRA_AC_La.Rochelle.Intl.AP.073160_TMYx.epw.gz")},
		{"pvgis-tmy-json-8760", shareddata.Path(b, "weather/pvgis_format_fixtures/tmy_45.000_8.000_2005_2023.json.gz")},
		{"pvgis-sites-2x8760", shareddata.Path(b, "weather/pvgis_seriescalc_2022_brest_montpellier_1kWp_horizontal.csv.gz")},
	} {
		data, err := os.ReadFile(tc.path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ReadSitesFrom(bytes.NewReader(data), tc.name, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package vector

import (
	"io"
	"testing"

	"github.com/gisement/gisement/internal/shareddata"
)

// BenchmarkReadGeoJSON streams whole real files (gzip GeoJSON) and reports
// features/s.
func BenchmarkReadGeoJSON(b *testing.B) {
	for _, c := range []struct{ name, rel string }{
		{"etalab91216_4241", "parcels/cadastre-91216-parcelles.json.gz"},
		{"perigueuxBDNB_10381", "buildings/perigueux_24322_bdnb_buildings.geojson.gz"},
		{"perigueuxParcels_15323", "parcels/perigueux_24322_parcel_geometries_noattr.geojson.gz"},
	} {
		b.Run(c.name, func(b *testing.B) {
			p := shareddata.Path(b, c.rel)
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				r, err := Open(p, OpenOptions{})
				if err != nil {
					b.Fatal(err)
				}
				for {
					_, err := r.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				r.Close()
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "features/s")
		})
	}
}

func BenchmarkReadShapefileZip(b *testing.B) {
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		_, err := ReadAll("testdata/communes_24_latin1.zip", OpenOptions{}, func(Feature) error { n++; return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "features/s")
}

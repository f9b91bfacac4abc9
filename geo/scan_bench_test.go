package geo

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/project"

	"github.com/gisement/gisement/data/sample"
)

// writeTiledSample writes a SYNTHETIC GeoJSON (EPSG:4326) in dir made of
// copies of the embedded Périgueux sample layer name (sample.Buildings or
// sample.Parcels), shifted by 0.2° per copy on a grid so that copies do not
// overlap, cut at limit features (copies ≥ 1). Building ids
// ("batiment_c") get a "/t<copy>" suffix so that they stay unique. Not real
// data: used by the scan benchmark and the equivalence tests only.
func writeTiledSample(tb testing.TB, dir, name string, copies, limit int) string {
	tb.Helper()
	f, err := sample.FS.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	raw, err := io.ReadAll(gz)
	if err != nil {
		tb.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		tb.Fatal(err)
	}
	p := filepath.Join(dir, "SYNTHETIC_"+strconv.Itoa(copies)+"_"+name[:len(name)-3])
	out, err := os.Create(p)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(out, 1<<20)
	w.WriteString("{\"type\":\"FeatureCollection\",\"features\":[\n")
	n := 0
	for k := 0; k < copies && n < limit; k++ {
		dx, dy := 0.2*float64(k%8), 0.2*float64(k/8)
		for _, f0 := range fc.Features {
			if n == limit {
				break
			}
			g := project.Geometry(orb.Clone(f0.Geometry), func(p orb.Point) orb.Point { return orb.Point{p[0] + dx, p[1] + dy} })
			props := geojson.Properties{}
			for key, v := range f0.Properties {
				props[key] = v
			}
			if id, ok := props["batiment_c"]; ok {
				props["batiment_c"] = fmt.Sprint(id) + "/t" + strconv.Itoa(k)
			}
			js, err := json.Marshal(&geojson.Feature{Type: "Feature", Geometry: g, Properties: props})
			if err != nil {
				tb.Fatal(err)
			}
			if n > 0 {
				w.WriteString(",\n")
			}
			w.Write(js)
			n++
		}
	}
	w.WriteString("\n]}\n")
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := out.Close(); err != nil {
		tb.Fatal(err)
	}
	return p
}

// BenchmarkScanSynthetic streams SYNTHETIC buildings and parcels files
// (copies of the embedded Périgueux sample, see writeTiledSample) through
// ScanBuildings and ScanParcels, as the streaming study's first stage does,
// and reports ns/feature (buildings + parcels read). copies=10 is the
// streaming study's n=100000 territory (103,810 buildings, 153,230 parcels).
func BenchmarkScanSynthetic(b *testing.B) {
	for _, copies := range []int{1, 10} {
		dir := b.TempDir()
		bp := writeTiledSample(b, dir, sample.Buildings, copies, 1<<62)
		pp := writeTiledSample(b, dir, sample.Parcels, copies, 1<<62)
		b.Run(fmt.Sprintf("copies=%d", copies), func(b *testing.B) {
			b.ReportAllocs()
			features := 0
			for b.Loop() {
				rb, err := ScanBuildings(bp, LoadOptions{}, func(Building) error { return nil })
				if err != nil {
					b.Fatal(err)
				}
				rp, err := ScanParcels(pp, LoadOptions{}, func(Parcel) error { return nil })
				if err != nil {
					b.Fatal(err)
				}
				features += rb.Read + rp.Read
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(features), "ns/feature")
			b.ReportMetric(float64(features)/float64(b.N), "features")
		})
	}
}

package study

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/gisement/gisement/data/gpkg"
	"github.com/gisement/gisement/data/sample"
)

// benchStudy runs one whole study (load → planes → shading → model →
// aggregation → GeoPackage write) and reports its size and stage times.
func benchStudy(b *testing.B, o Options) {
	b.ReportAllocs()
	dir := b.TempDir()
	var r *Result
	var storeS []float64 // GeoPackage write (Layers + WriteStudy) per iteration
	for b.Loop() {
		var err error
		r, err = Run(context.Background(), o)
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		st, layers, err := Layers(r)
		if err != nil {
			b.Fatal(err)
		}
		s, err := gpkg.Open(filepath.Join(dir, "bench.gpkg"))
		if err != nil {
			b.Fatal(err)
		}
		if err := s.WriteStudy(context.Background(), st, layers); err != nil {
			b.Fatal(err)
		}
		storeS = append(storeS, time.Since(t0).Seconds())
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(r.Buildings)), "buildings")
	b.ReportMetric(float64(len(r.Parcels)), "parcels")
	b.ReportMetric(float64(len(r.Territory.Planes)), "planes")
	for _, s := range r.Stages {
		b.Logf("stage %-30s %.2f s", s.Name, s.Seconds)
	}
	for i, sec := range storeS {
		b.Logf("storage (GeoPackage write, run %d)     %.2f s", i+1, sec)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.Logf("Go heap in use after the run %.0f MB, obtained from the OS %.0f MB", float64(ms.HeapInuse)/(1<<20), float64(ms.Sys)/(1<<20))
}

// BenchmarkStudyPerigueux: the whole embedded sample study (10,381
// buildings, 15,322 parcels, La Rochelle weather) end to end, GeoPackage
// write included. Target < 10 s wall on 2 cores, < 1 GB peak memory
// (measure peak RSS with /usr/bin/time -v on the test binary).
func BenchmarkStudyPerigueux(b *testing.B) {
	benchStudy(b, sampleOptions(b))
}

// BenchmarkStudySynthetic runs the whole study on SYNTHETIC territories of
// n buildings made by tiling the real Périgueux buildings and parcels (see
// writeSynthetic). 10k and 100k always; 300k and 1M only with
// GISEMENT_BENCH_1M=1 (and not -short). Run with -benchtime=1x.
func BenchmarkStudySynthetic(b *testing.B) {
	for _, n := range syntheticSizes() {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			bp, pp := writeSynthetic(b, dir, n)
			benchStudy(b, Options{ID: fmt.Sprintf("synthetic-%d", n), BuildingsPath: bp, ParcelsPath: pp,
				WeatherPath: samplePath(b, sample.Weather)})
		})
	}
}

// syntheticSizes: 10k and 100k, and 300k and 1M with GISEMENT_BENCH_1M=1
// (and not -short).
func syntheticSizes() []int {
	sizes := []int{10_000, 100_000}
	if os.Getenv("GISEMENT_BENCH_1M") == "1" && !testing.Short() {
		sizes = append(sizes, 300_000, 1_000_000)
	}
	return sizes
}

// writeSynthetic writes a SYNTHETIC territory of n buildings as two GeoJSON
// files (EPSG:4326) in dir: copies ("tiles") of the real Périgueux
// buildings and parcels from the embedded sample, laid on a square grid
// with offsets of the sample's extent + 0.01° so that tiles do not
// interact; the last tile is cut at n buildings (its parcels are all kept).
// Building ids get a "/t<k>" suffix; the BDNB batiment_groupe_id is dropped
// (its parcel IDU prefix would repeat in every tile), so parcels get
// geometry-derived ids. Not real data: used only by benchmarks.
func writeSynthetic(b *testing.B, dir string, n int) (buildingsPath, parcelsPath string) {
	b.Helper()
	bfc, err := geojson.UnmarshalFeatureCollection(gunzipSample(b, sample.Buildings))
	if err != nil {
		b.Fatal(err)
	}
	pfc, err := geojson.UnmarshalFeatureCollection(gunzipSample(b, sample.Parcels))
	if err != nil {
		b.Fatal(err)
	}
	var bound orb.Bound
	for i, f := range append(append([]*geojson.Feature{}, bfc.Features...), pfc.Features...) {
		if i == 0 {
			bound = f.Geometry.Bound()
		}
		bound = bound.Union(f.Geometry.Bound())
	}
	tiles := (n + len(bfc.Features) - 1) / len(bfc.Features)
	side := int(math.Ceil(math.Sqrt(float64(tiles))))
	w, h := bound.Max[0]-bound.Min[0]+0.01, bound.Max[1]-bound.Min[1]+0.01
	write := func(name string, fc *geojson.FeatureCollection, limit int, edit func(k int, f *geojson.Feature)) string {
		p := filepath.Join(dir, name)
		fh, err := os.Create(p)
		if err != nil {
			b.Fatal(err)
		}
		bw := bufio.NewWriterSize(fh, 1<<20)
		bw.WriteString(`{"type":"FeatureCollection","features":[` + "\n")
		count := 0
		for k := 0; k < tiles && count < limit; k++ {
			dx, dy := float64(k%side)*w, float64(k/side)*h
			for _, f0 := range fc.Features {
				if count == limit {
					break
				}
				f := *f0
				f.Properties = make(geojson.Properties, len(f0.Properties))
				for key, v := range f0.Properties {
					f.Properties[key] = v
				}
				f.Geometry = shiftGeom(f0.Geometry, dx, dy)
				edit(k, &f)
				js, err := json.Marshal(&f)
				if err != nil {
					b.Fatal(err)
				}
				if count > 0 {
					bw.WriteString(",\n")
				}
				bw.Write(js)
				count++
			}
		}
		bw.WriteString("\n]}\n")
		if err := bw.Flush(); err != nil {
			b.Fatal(err)
		}
		if err := fh.Close(); err != nil {
			b.Fatal(err)
		}
		return p
	}
	buildingsPath = write("SYNTHETIC_buildings.geojson", bfc, n, func(k int, f *geojson.Feature) {
		f.Properties["batiment_c"] = fmt.Sprint(f.Properties["batiment_c"]) + "/t" + strconv.Itoa(k)
		delete(f.Properties, "batiment_g")
	})
	parcelsPath = write("SYNTHETIC_parcels.geojson", pfc, math.MaxInt, func(k int, f *geojson.Feature) {})
	return buildingsPath, parcelsPath
}

func shiftGeom(g orb.Geometry, dx, dy float64) orb.Geometry {
	shiftRing := func(r orb.Ring) orb.Ring {
		out := make(orb.Ring, len(r))
		for i, p := range r {
			out[i] = orb.Point{p[0] + dx, p[1] + dy}
		}
		return out
	}
	shiftPoly := func(p orb.Polygon) orb.Polygon {
		out := make(orb.Polygon, len(p))
		for i, r := range p {
			out[i] = shiftRing(r)
		}
		return out
	}
	switch v := g.(type) {
	case orb.Polygon:
		return shiftPoly(v)
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(v))
		for i, p := range v {
			out[i] = shiftPoly(p)
		}
		return out
	}
	return g
}

// BenchmarkStudyStream runs the streaming study (RunStream: plan, chunks
// of DefaultChunkBuildings, GeoPackage ChunkStore) on the SYNTHETIC
// territories of BenchmarkStudySynthetic: 10k and 100k always, 300k and 1M with
// GISEMENT_BENCH_1M=1 (and not -short). Run one size per process with
// -benchtime=1x and measure the peak RSS with /usr/bin/time -v.
func BenchmarkStudyStream(b *testing.B) {
	for _, n := range syntheticSizes() {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			bp, pp := writeSynthetic(b, dir, n)
			o := Options{ID: fmt.Sprintf("synthetic-%d", n), BuildingsPath: bp, ParcelsPath: pp,
				WeatherPath: samplePath(b, sample.Weather)}
			runtime.GC()
			b.ReportAllocs()
			var p *Plan
			var sum Summary
			for b.Loop() {
				s, err := gpkg.Open(filepath.Join(dir, "stream.gpkg"))
				if err != nil {
					b.Fatal(err)
				}
				if p, err = RunStream(context.Background(), o, StreamOptions{TempDir: dir}, s); err != nil {
					b.Fatal(err)
				}
				st, err := s.Study(context.Background(), p.StudyID)
				if err != nil {
					b.Fatal(err)
				}
				if err := json.Unmarshal(st.Summary, &sum); err != nil {
					b.Fatal(err)
				}
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(p.Buildings), "buildings")
			b.ReportMetric(float64(p.Parcels), "parcels")
			b.ReportMetric(float64(len(p.Chunks)), "chunks")
			b.ReportMetric(float64(sumRecords(p))/float64(p.Buildings+p.Parcels), "records/feature")
			for _, s := range sum.Stages {
				b.Logf("stage %-34s %.2f s", s.Name, s.Seconds)
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.Logf("Go heap in use after the run %.0f MB, obtained from the OS %.0f MB", float64(ms.HeapInuse)/(1<<20), float64(ms.Sys)/(1<<20))
		})
	}
}

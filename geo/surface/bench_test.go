package surface

import (
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// BenchmarkAnalyseKm2 streams a 1 km² 0.5 m surface model (four 500 m
// GeoTIFF tiles, 4 M cells) with its DTM and segments every footprint with
// horizons. The test set is built from the Montpellier block by
// testdata/bench/make_km2.sh (GDAL); point GISEMENT_KM2_DIR at its output:
//
//	sh geo/surface/testdata/bench/make_km2.sh ../shared/data/lidar /tmp/km2
//	GISEMENT_KM2_DIR=/tmp/km2 go test ./geo/surface -run '^$' -bench AnalyseKm2 -benchtime 3x
func BenchmarkAnalyseKm2(b *testing.B) {
	dir := os.Getenv("GISEMENT_KM2_DIR")
	if dir == "" {
		b.Skip("GISEMENT_KM2_DIR not set (see testdata/bench/make_km2.sh)")
	}
	bs := loadMontpellierFile(b, filepath.Join(dir, "buildings_km2.geojson"))
	fps := make([]Footprint, len(bs))
	for i := range bs {
		fps[i] = bs[i].fp
	}
	dsm, err := OpenMosaic(filepath.Join(dir, "dsm"))
	if err != nil {
		b.Fatal(err)
	}
	dtm, err := OpenMosaic(filepath.Join(dir, "dtm"))
	if err != nil {
		b.Fatal(err)
	}
	cells := (dsm.Bounds.MaxX - dsm.Bounds.MinX) * (dsm.Bounds.MaxY - dsm.Bounds.MinY) / (dsm.PixelM * dsm.PixelM)
	b.ResetTimer()
	var st Stats
	var facets int
	cpu := func() float64 {
		var ru syscall.Rusage
		if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
			return 0
		}
		return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
	}
	c0 := cpu()
	t0 := time.Now()
	for range b.N {
		facets = 0
		st, err = Analyse(dsm, dtm, fps, Options{}, true, func(_ int, r Roof) { facets += len(r.Facets) })
		if err != nil {
			b.Fatal(err)
		}
	}
	el := time.Since(t0).Seconds() / float64(b.N)
	cpuS := (cpu() - c0) / float64(b.N) // process CPU (user + system), all threads
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(el*1e9/cells, "ns/cell")
	b.ReportMetric(el/(cells*0.25/1e6), "s/km2")
	b.ReportMetric(cpuS/(cells*0.25/1e6), "cpu-s/km2")
	b.ReportMetric(float64(st.Observed), "roofs")
	b.ReportMetric(float64(facets), "facets")
	b.ReportMetric(float64(st.MaxWindowCells), "max-window-cells")
	b.ReportMetric(float64(ms.HeapSys)/1e6, "heap-sys-MB")
}

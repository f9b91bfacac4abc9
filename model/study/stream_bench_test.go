package study

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/gisement/gisement/data/sample"
)

// BenchmarkPlanStream runs only the planning of the streaming study
// (PlanStudy on a FileStage) on a SYNTHETIC territory of
// GISEMENT_BENCH_PLAN_N buildings (default 100,000; writeSynthetic): the
// phase whose memory held the per-feature plan records before issue 16.
// Run one size per process with -benchtime=1x and measure the peak RSS
// with /usr/bin/time -v.
func BenchmarkPlanStream(b *testing.B) {
	n := 100_000
	if s := os.Getenv("GISEMENT_BENCH_PLAN_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			b.Fatalf("GISEMENT_BENCH_PLAN_N=%q: want a positive integer", s)
		}
		n = v
	}
	b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
		dir := b.TempDir()
		bp, pp := writeSynthetic(b, dir, n)
		o := Options{ID: fmt.Sprintf("synthetic-%d", n), BuildingsPath: bp, ParcelsPath: pp,
			WeatherPath: samplePath(b, sample.Weather)}
		runtime.GC()
		var p *Plan
		for b.Loop() {
			st, err := NewFileStage(dir)
			if err != nil {
				b.Fatal(err)
			}
			if p, err = PlanStudy(context.Background(), o, StreamOptions{TempDir: dir, Stage: st}); err != nil {
				b.Fatal(err)
			}
			st.Close()
		}
		b.ReportMetric(float64(p.Buildings), "buildings")
		b.ReportMetric(float64(p.Parcels), "parcels")
		b.ReportMetric(float64(len(p.Chunks)), "chunks")
		for _, s := range p.Stages {
			b.Logf("stage %-34s %.2f s", s.Name, s.Seconds)
		}
	})
}

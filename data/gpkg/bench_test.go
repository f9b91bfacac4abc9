package gpkg

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/storetest"
)

// BenchmarkGPKGWrite writes n SYNTHETIC buildings (generated on the fly,
// fixed seed) to a fresh GeoPackage; reports features/s.
func BenchmarkGPKGWrite(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			dir := b.TempDir()
			for i := 0; i < b.N; i++ {
				s, err := Open(filepath.Join(dir, fmt.Sprintf("b%d.gpkg", i)))
				if err != nil {
					b.Fatal(err)
				}
				src := func(yield func(data.Feature, error) bool) {
					r := rand.New(rand.NewPCG(1, 1))
					for k := 0; k < n; k++ {
						if !yield(storetest.Building(r, k), nil) {
							return
						}
					}
				}
				err = s.WriteStudy(context.Background(), storetest.Study("bench", time.Unix(0, 0)), []data.LayerData{{Layer: storetest.BuildingsLayer, Features: src}})
				s.Close()
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "features/s")
		})
	}
}

package geo

import (
	"fmt"
	"math"
	"os"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/internal/shareddata"
)

// BenchmarkPerigueux: load + index + assignment + roof planes + horizons for
// the real commune (10,381 buildings, 15,323 parcels). Target < 3 s.
func BenchmarkPerigueux(b *testing.B) {
	bp := shareddata.Path(b, perigueuxBuildings)
	pp := shareddata.Path(b, perigueuxParcels)
	b.ReportAllocs()
	for b.Loop() {
		tr, err := LoadTerritory(TerritoryOptions{BuildingsPath: bp, ParcelsPath: pp})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(tr.Planes)), "planes")
	}
}

var (
	baseOnce      sync.Once
	baseBuildings []Building
	baseParcels   []Parcel
	baseErr       error
)

func loadBase(b *testing.B) ([]Building, []Parcel) {
	bp := shareddata.Path(b, perigueuxBuildings)
	pp := shareddata.Path(b, perigueuxParcels)
	baseOnce.Do(func() {
		baseBuildings, _, baseErr = LoadBuildings(bp, LoadOptions{})
		if baseErr == nil {
			baseParcels, _, baseErr = LoadParcels(pp, LoadOptions{})
		}
	})
	if baseErr != nil {
		b.Fatal(baseErr)
	}
	return baseBuildings, baseParcels
}

func shiftMP(mp orb.MultiPolygon, dx, dy float64) orb.MultiPolygon {
	out := make(orb.MultiPolygon, len(mp))
	for i, pg := range mp {
		out[i] = make(orb.Polygon, len(pg))
		for j, r := range pg {
			nr := make(orb.Ring, len(r))
			for k, p := range r {
				nr[k] = orb.Point{p[0] + dx, p[1] + dy}
			}
			out[i][j] = nr
		}
	}
	return out
}

// syntheticTerritory is a SYNTHETIC territory of about n buildings made by
// tiling the real Périgueux buildings and parcels on a grid of copies offset
// by the commune's extent + 500 m (so copies do not interact). Ids get a tile
// suffix. Built in memory, never written.
func syntheticTerritory(b *testing.B, n int) *Territory {
	bs0, ps0 := loadBase(b)
	var bound orb.Bound
	for i, x := range bs0 {
		if i == 0 {
			bound = x.Footprint.Bound()
		}
		bound = bound.Union(x.Footprint.Bound())
	}
	for _, p := range ps0 {
		bound = bound.Union(p.Geometry.Bound())
	}
	tiles := (n + len(bs0) - 1) / len(bs0)
	side := int(math.Ceil(math.Sqrt(float64(tiles))))
	w, h := bound.Max[0]-bound.Min[0]+500, bound.Max[1]-bound.Min[1]+500
	t := &Territory{Buildings: make([]Building, 0, n), Parcels: make([]Parcel, 0, tiles*len(ps0))}
	for k := 0; k < tiles; k++ {
		dx, dy := float64(k%side)*w, float64(k/side)*h
		for _, x := range bs0 {
			if len(t.Buildings) == n {
				break
			}
			x.ID = fmt.Sprintf("%s/t%d", x.ID, k)
			x.Footprint = shiftMP(x.Footprint, dx, dy)
			x.Centroid = orb.Point{x.Centroid[0] + dx, x.Centroid[1] + dy}
			x.RoofType, x.RoofTypeSource = "", ""
			t.Buildings = append(t.Buildings, x)
		}
		for _, p := range ps0 {
			p.Geometry = shiftMP(p.Geometry, dx, dy)
			p.BuildingIdx = nil
			t.Parcels = append(t.Parcels, p)
		}
	}
	return t
}

// BenchmarkSynthetic: index + assignment + roof planes + horizons on
// SYNTHETIC tiled territories (loading excluded: the data are generated in
// memory). 100k and 300k always (with shared data); 1M only when
// GISEMENT_BENCH_1M=1 and not -short. Run the 1M case with -benchtime=1x.
func BenchmarkSynthetic(b *testing.B) {
	sizes := []int{100_000, 300_000}
	if os.Getenv("GISEMENT_BENCH_1M") == "1" && !testing.Short() {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				t := syntheticTerritory(b, n)
				b.StartTimer()
				t.Build(nil, nil, false)
				b.ReportMetric(float64(t.Assignment.Assigned)/float64(len(t.Buildings)), "assigned")
			}
		})
	}
}

// BenchmarkSynthetic1M is the 1,000,000-building SYNTHETIC territory; it
// skips under -short and unless GISEMENT_BENCH_1M=1.
func BenchmarkSynthetic1M(b *testing.B) {
	if testing.Short() || os.Getenv("GISEMENT_BENCH_1M") != "1" {
		b.Skip("set GISEMENT_BENCH_1M=1 (and not -short) to run the 1M-building benchmark")
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		t := syntheticTerritory(b, 1_000_000)
		b.StartTimer()
		t.Build(nil, nil, false)
		b.ReportMetric(float64(len(t.Planes)), "planes")
	}
}

// BenchmarkHorizonsPerigueux: roof planes and their 5-point horizons for
// the 10,381 real Périgueux buildings (loaded once; run with -cpu 1 for a
// per-core cost).
func BenchmarkHorizonsPerigueux(b *testing.B) {
	tr, err := LoadTerritory(TerritoryOptions{BuildingsPath: shareddata.Path(b, perigueuxBuildings)})
	if err != nil {
		b.Fatal(err)
	}
	ro, ho := DefaultRoofOptions(), DefaultHorizonOptions()
	for b.Loop() {
		tr.ComputePlanes(ro, ho)
	}
	b.ReportMetric(float64(len(tr.Planes)), "planes")
}

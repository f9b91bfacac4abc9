package raster

import (
	"fmt"
	"math"
	"testing"

	"github.com/gisement/gisement/geo/crs"
	"github.com/gisement/gisement/internal/shareddata"
)

// syntheticGeoDEM returns a SYNTHETIC EPSG:4326 DEM: flat at baseM, with
// cells whose centre latitude is in [ridgeLat0, ridgeLat1] raised to ridgeM.
func syntheticGeoDEM(t testing.TB, lon0, lat0, lon1, lat1, cellDeg, baseM float64, ridge func(lon, lat float64) (float64, bool)) *Grid {
	t.Helper()
	w := int(math.Round((lon1 - lon0) / cellDeg))
	h := int(math.Round((lat1 - lat0) / cellDeg))
	g, err := NewGrid(w, h, lon0, lat1, cellDeg, -cellDeg, 4326, baseM)
	if err != nil {
		t.Fatal(err)
	}
	if ridge != nil {
		for r := 0; r < h; r++ {
			for c := 0; c < w; c++ {
				if v, ok := ridge(g.CellCentre(c, r)); ok {
					g.Data[r*w+c] = v
				}
			}
		}
	}
	return g
}

func analyticAngle(dM, ridgeM, z0M float64) float64 {
	return math.Atan((ridgeM-z0M-dM*dM/(2*EarthRadiusM))/dM) * 180 / math.Pi
}

// TestHorizonSyntheticRidgeGeographic: SYNTHETIC DEM, ridge 1100 m high
// 30 km north of an observer at 100 m (+2 m), on a 0.001° grid. Expected:
// atan((h − z0 − d²/2R)/d) within 0.1° (the curvature term alone is 0.13°
// here, so the test would fail without it).
func TestHorizonSyntheticRidgeGeographic(t *testing.T) {
	const lon, lat, cell = 2.0005, 45.0005, 0.001 // observer on a cell centre
	const ridgeLat = lat + 0.27                   // a cell centre ≈ 30.02 km north
	dem := syntheticGeoDEM(t, 1.9, 44.9, 2.1, 45.4, cell, 100, func(x, y float64) (float64, bool) {
		return 1100, y >= ridgeLat-cell/2 && y <= ridgeLat+2.5*cell
	})
	hz := TerrainHorizon(dem, lon, lat, 2, HorizonOptions{StepM: 10})
	if len(hz) != 48 {
		t.Fatalf("%d sectors", len(hz))
	}
	d := 0.27 * math.Pi / 180 * EarthRadiusM
	want := analyticAngle(d, 1100, 102)
	t.Logf("north %.3f°, analytic %.3f° (d = %.0f m); south %.3f°", hz[0], want, d, hz[24])
	if math.Abs(hz[0]-want) > 0.1 {
		t.Errorf("north horizon %.3f°, want %.3f° ± 0.1°", hz[0], want)
	}
	if hz[24] != 0 {
		t.Errorf("south horizon %.3f°, want 0 (flat)", hz[24])
	}
	// With refraction k = 0.13 the drop shrinks to 0.87·d²/2R.
	hr := TerrainHorizon(dem, lon, lat, 2, HorizonOptions{StepM: 10, RefractionCoeff: 0.13})
	wantR := math.Atan((1100-102-0.87*d*d/(2*EarthRadiusM))/d) * 180 / math.Pi
	if math.Abs(hr[0]-wantR) > 0.1 || !(hr[0] > hz[0]) {
		t.Errorf("refracted %.3f°, want %.3f°", hr[0], wantR)
	}
}

// TestHorizonSyntheticRidgeLambert93: SYNTHETIC metric DEM (EPSG:2154, 25 m
// cells), a 400 m-high wall 3 km east of an observer at 0 m.
func TestHorizonSyntheticRidgeLambert93(t *testing.T) {
	o := crs.LonLatToLambert93([2]float64{0.7218, 45.1838})
	ox, oy := o[0], o[1]
	const cell = 25.0
	w, h := 400, 400
	g, err := NewGrid(w, h, ox-200.5*cell, oy+200.5*cell, cell, -cell, 2154, 0)
	if err != nil {
		t.Fatal(err)
	}
	for r := 0; r < h; r++ {
		for c := 0; c < w; c++ {
			if x, _ := g.CellCentre(c, r); x >= ox+3000-1 && x <= ox+3100 {
				g.Data[r*w+c] = 400
			}
		}
	}
	hz, err := TerrainHorizonChecked(g, 0.7218, 45.1838, 0, HorizonOptions{StepM: 5, MaxDistanceM: 4500})
	if err != nil {
		t.Fatal(err)
	}
	want := analyticAngle(3000, 400, 0)
	t.Logf("east %.3f°, analytic %.3f°", hz[12], want)
	if math.Abs(hz[12]-want) > 0.1 {
		t.Errorf("east horizon %.3f°, want %.3f°", hz[12], want)
	}
	if hz[36] != 0 {
		t.Errorf("west horizon %.3f°, want 0", hz[36])
	}
}

func TestHorizonFlat(t *testing.T) {
	dem := syntheticGeoDEM(t, 1.5, 44.5, 2.5, 45.5, 0.005, 250, nil) // SYNTHETIC flat DEM
	hz := TerrainHorizon(dem, 2, 45, 1.5, HorizonOptions{})
	for i, a := range hz {
		if a != 0 {
			t.Errorf("sector %d: %.4f°, want 0 on a flat DEM", i, a)
		}
	}
	if TerrainHorizon(dem, 10, 45, 0, HorizonOptions{}) != nil {
		t.Error("observer outside the DEM should give nil")
	}
}

func meanDeg(a []float64) float64 {
	s := 0.0
	for _, v := range a {
		s += v
	}
	return s / float64(len(a))
}

// TestHorizonRealDEM: on the real 1/12° France DEM, the Chamonix valley has
// a much higher mean horizon than Périgueux.
func TestHorizonRealDEM(t *testing.T) {
	dem, err := ReadGeoTIFF(shareddata.Path(t, "raster/france_altitude_pvlib_5arcmin.tif"))
	if err != nil {
		t.Fatal(err)
	}
	cham := TerrainHorizon(dem, 6.87, 45.92, 2, HorizonOptions{})
	peri := TerrainHorizon(dem, 0.7218, 45.1838, 2, HorizonOptions{})
	if cham == nil || peri == nil {
		t.Fatal("nil horizon")
	}
	mc, mp := meanDeg(cham), meanDeg(peri)
	t.Logf("mean horizon: Chamonix %.2f° (max %.2f°), Périgueux %.2f°", mc, maxOf(cham), mp)
	if !(mc > mp+1) {
		t.Errorf("Chamonix mean horizon %.2f° not above Périgueux %.2f° + 1°", mc, mp)
	}
}

func maxOf(a []float64) float64 {
	m := math.Inf(-1)
	for _, v := range a {
		m = math.Max(m, v)
	}
	return m
}

// BenchmarkTerrainHorizon: 48 sectors on a SYNTHETIC 0.001° (≈ 110 m)
// rolling-hills DEM, for several ray lengths (steps of half a cell).
func BenchmarkTerrainHorizon(b *testing.B) {
	dem := syntheticGeoDEM(b, 1.0, 44.0, 3.0, 46.0, 0.001, 0, nil)
	for r := 0; r < dem.Height; r++ {
		for c := 0; c < dem.Width; c++ {
			x, y := dem.CellCentre(c, r)
			dem.Data[r*dem.Width+c] = 300 + 200*math.Sin(x*40)*math.Cos(y*55)
		}
	}
	for _, km := range []float64{5, 20, 40} {
		b.Run(fmt.Sprintf("maxdist=%gkm", km), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if TerrainHorizon(dem, 2.0, 45.0, 2, HorizonOptions{MaxDistanceM: km * 1000}) == nil {
					b.Fatal("nil")
				}
			}
		})
	}
}

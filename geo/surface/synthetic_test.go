package surface

import (
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo/crs"
	"github.com/gisement/gisement/geo/raster"
)

// Synthetic scene near Montpellier (Lambert-93), 0.5 m cells: ground at 20 m,
// a 12 m × 8 m gable house whose ridge runs along grid azimuth 30° (faces
// downslope towards grid 120° and 300°) pitched at 25°, eaves at 26 m, with a
// 0.8 m × 0.8 m chimney rising 1.5 m; a 20 m × 20 m flat-roofed block at 32 m
// with a 3 m × 3 m lift shaft rising 2.5 m; and a 15 m high "tree" cylinder
// of radius 3 m 12 m south of the flat block's centre.
const (
	synX0, synY0 = 770000.0, 6278000.0 // top-left corner of the grid
	synW, synH   = 200, 200            // 100 m × 100 m
	houseCX      = 770030.0
	houseCY      = 6277970.0
	flatCX       = 770070.0
	flatCY       = 6277950.0
)

func rot(x, y, azDeg float64) (u, v float64) {
	// u along the ridge (grid azimuth azDeg), v across it.
	s, c := math.Sincos(azDeg * math.Pi / 180)
	return x*s + y*c, x*c - y*s
}

func syntheticScene(t testing.TB) (*raster.Grid, *raster.Grid, []Footprint) {
	dsm, err := raster.NewGrid(synW, synH, synX0, synY0, 0.5, -0.5, 2154, 20)
	if err != nil {
		t.Fatal(err)
	}
	dtm, _ := raster.NewGrid(synW, synH, synX0, synY0, 0.5, -0.5, 2154, 20)
	tanP := math.Tan(25 * math.Pi / 180)
	for r := 0; r < synH; r++ {
		for c := 0; c < synW; c++ {
			x, y := dsm.CellCentre(c, r)
			z := 20.0
			// house
			u, v := rot(x-houseCX, y-houseCY, 30)
			if math.Abs(u) <= 6 && math.Abs(v) <= 4 {
				z = 26 + (4-math.Abs(v))*tanP
				if math.Abs(u-2) <= 0.4 && math.Abs(v-1.5) <= 0.4 {
					z = 26 + (4-1.5)*tanP + 1.5 // chimney top
				}
			}
			// flat block with lift shaft
			if math.Abs(x-flatCX) <= 10 && math.Abs(y-flatCY) <= 10 {
				z = 32
				if math.Abs(x-flatCX-5) <= 1.5 && math.Abs(y-flatCY-5) <= 1.5 {
					z = 34.5
				}
			}
			// tree
			if math.Hypot(x-flatCX, y-(flatCY-22)) <= 3 {
				z = 35
			}
			dsm.Set(c, r, z)
		}
	}
	corner := func(cx, cy, du, dv, az float64) orb.Point {
		s, c := math.Sincos(az * math.Pi / 180)
		return orb.Point{cx + du*s + dv*c, cy + du*c - dv*s}
	}
	house := orb.Ring{corner(houseCX, houseCY, -6, -4, 30), corner(houseCX, houseCY, 6, -4, 30), corner(houseCX, houseCY, 6, 4, 30),
		corner(houseCX, houseCY, -6, 4, 30), corner(houseCX, houseCY, -6, -4, 30)}
	block := orb.Ring{{flatCX - 10, flatCY - 10}, {flatCX + 10, flatCY - 10}, {flatCX + 10, flatCY + 10}, {flatCX - 10, flatCY + 10}, {flatCX - 10, flatCY - 10}}
	return dsm, dtm, []Footprint{
		{ID: "house", Geometry: orb.MultiPolygon{{house}}, GroundAltM: math.NaN()},
		{ID: "block", Geometry: orb.MultiPolygon{{block}}, GroundAltM: math.NaN()},
		{ID: "outside", Geometry: orb.MultiPolygon{{{{600000, 6200000}, {600010, 6200000}, {600010, 6200010}, {600000, 6200000}}}}, GroundAltM: math.NaN()},
	}
}

func TestSyntheticRoofs(t *testing.T) {
	dsm, dtm, fps := syntheticScene(t)
	roofs := map[string]Roof{}
	st, err := Analyse(Grid{dsm}, Grid{dtm}, fps, Options{}, true, func(i int, r Roof) { roofs[fps[i].ID] = r })
	if err != nil {
		t.Fatal(err)
	}
	if st.Footprints != 3 || st.Observed != 2 {
		t.Errorf("stats %+v", st)
	}
	if r := roofs["outside"]; r.Observed || r.Reason == "" || !math.IsNaN(r.HeightM) {
		t.Errorf("footprint outside the DSM: %+v", r)
	}
	conv := crs.Lambert93ConvergenceDeg(orb.Point{houseCX, houseCY})
	h := roofs["house"]
	if !h.Observed || h.Flat {
		t.Fatalf("house: observed %v flat %v (%s)", h.Observed, h.Flat, h.Reason)
	}
	usable := 0
	for _, f := range h.Facets {
		if f.Excluded != "" {
			continue
		}
		usable++
		if math.Abs(f.TiltDeg-25) > 0.5 {
			t.Errorf("house facet tilt %.2f°, built 25°", f.TiltDeg)
		}
		// Faces look to grid 120° or 300°; true = grid + convergence.
		d1, d2 := angDiff(f.AzimuthDeg, 120+conv), angDiff(f.AzimuthDeg, 300+conv)
		if math.Min(d1, d2) > 1 {
			t.Errorf("house facet azimuth %.2f°, built %.2f° or %.2f°", f.AzimuthDeg, 120+conv, 300+conv)
		}
		// 12 m × 4 m per face horizontally minus edge cells; sloped = /cos 25°.
		if f.HorizontalM2 < 38 || f.HorizontalM2 > 48.5 || math.Abs(f.SlopedM2-f.HorizontalM2/math.Cos(25*math.Pi/180)) > 1e-6 {
			t.Errorf("house facet areas H %.1f S %.1f", f.HorizontalM2, f.SlopedM2)
		}
		if f.UsableM2 <= 0 || f.UsableM2 >= f.SlopedM2 {
			t.Errorf("house facet usable %.1f of %.1f", f.UsableM2, f.SlopedM2)
		}
		// ≈ 40 m² on a 1 m grid is ≈ 40 points, coarsened to at most 24.
		if f.RMSM > 0.05 || math.IsNaN(f.MeanHeightM) || len(f.Horizon) != 48 || len(f.Samples) < 10 || len(f.Samples) > DefaultOptions().SamplesPerFacet ||
			len(f.HorizonProfiles) != DefaultOptions().HorizonProfiles {
			t.Errorf("house facet rms %.3f height %.2f horizon %d samples %d profiles %d", f.RMSM, f.MeanHeightM, len(f.Horizon), len(f.Samples), len(f.HorizonProfiles))
		}
	}
	if usable != 2 {
		t.Errorf("house: %d usable facets, want the two gable faces", usable)
	}
	// Height: median DSM − DTM over the footprint, between eaves (6 m) and
	// ridge (6 + 4·tan 25° = 7.87 m).
	if h.HeightBasis != HeightFromDTM || h.HeightM < 6 || h.HeightM > 7.9 {
		t.Errorf("house height %.2f (%s)", h.HeightM, h.HeightBasis)
	}
	b := roofs["block"]
	if !b.Flat || math.Abs(b.HeightM-12) > 0.01 {
		t.Errorf("block flat %v height %.2f", b.Flat, b.HeightM)
	}
	var main *Facet
	shaft := false
	for k := range b.Facets {
		f := &b.Facets[k]
		if f.Excluded == "" && (main == nil || f.HorizontalM2 > main.HorizontalM2) {
			main = f
		}
		if f.Excluded == ExcludedSuperstructure && math.Abs(f.MeanZM-34.5) < 0.01 {
			shaft = true
		}
	}
	if !shaft {
		t.Errorf("block: lift shaft not excluded as superstructure: %+v", b.Facets)
	}
	if main == nil || !main.Flat || main.TiltDeg > 0.01 || main.HorizontalM2 < 380 || main.HorizontalM2 > 400-9+1 {
		t.Fatalf("block main facet %+v", main)
	}
	// Usable: the roof minus a 0.5 m border and a 0.5 m ring around the shaft.
	if main.UsableM2 > 19*19-4*4+0.1 || main.UsableM2 < 19*19-4*4-8 {
		t.Errorf("block usable %.1f m²", main.UsableM2)
	}
	// The tree (35 m, radius 3 m, centre 22 m south of the roof centre, 3 m
	// above the roof): seen from the centre of the roof at 32.2 m it rises
	// atan(2.8 / 19) ≈ 8.4° in the south sector; the facet horizon averages
	// the grid points, so the south sector is lifted but below 15°. North is
	// open but for the points just south of the lift shaft: the lowest
	// profile is open, the mean low.
	s := len(main.Horizon) / 2
	if main.Horizon[s] < 2 || main.Horizon[s] > 15 {
		t.Errorf("block horizon south %.1f°", main.Horizon[s])
	}
	if main.Horizon[0] > 5 || len(main.HorizonProfiles) == 0 || main.HorizonProfiles[0][0] > 0.5 {
		t.Errorf("block horizon north %.1f° (lowest profile %v), open sky expected but behind the shaft", main.Horizon[0], main.HorizonProfiles)
	}
	// The profiles keep the points' mean horizon (horizonProfiles).
	for i := range main.Horizon {
		m := 0.0
		for _, hp := range main.HorizonProfiles {
			m += hp[i] / float64(len(main.HorizonProfiles))
		}
		if math.Abs(m-main.Horizon[i]) > 1e-9 {
			t.Fatalf("sector %d: mean of the profiles %.6f°, mean horizon %.6f°", i, m, main.Horizon[i])
		}
	}
}

// TestHorizonAtWall: a 10 m high wall 20 m east of the observer gives
// atan(10/20) = 26.57° in the east sector (within the half-cell sampling).
func TestHorizonAtWall(t *testing.T) {
	g, _ := raster.NewGrid(200, 200, 700000, 6600100, 0.5, -0.5, 2154, 0)
	for r := 0; r < 200; r++ {
		for c := 0; c < 200; c++ {
			if x, _ := g.CellCentre(c, r); x >= 700070 && x <= 700071 {
				g.Set(c, r, 10)
			}
		}
	}
	// On the central meridian (x = 700000 + 50) the convergence is ~0.
	h := HorizonAt(g, 700050, 6600050, 0, 48, 100)
	want := math.Atan2(10, 20) * 180 / math.Pi
	if math.Abs(h[12]-want) > 0.8 {
		t.Errorf("east sector %.2f°, want %.2f°", h[12], want)
	}
	if h[36] != 0 || h[0] != 0 {
		t.Errorf("west %.2f° north %.2f°, want 0", h[36], h[0])
	}
}

// TestHorizonProfiles: per sector, the points' elevations are sorted and cut
// into equal-weight groups (fractional at the cuts); the profiles' mean is
// the points' mean, and k ≥ N returns the sorted points.
func TestHorizonProfiles(t *testing.T) {
	hs := [][]float64{{10, 0}, {0, 30}, {20, 10}, {30, 20}, {40, 40}}
	p := horizonProfiles(hs, 2) // 2.5 points per profile
	want := [][]float64{{(0 + 10 + 0.5*20) / 2.5, (0 + 10 + 0.5*20) / 2.5}, {(0.5*20 + 30 + 40) / 2.5, (0.5*20 + 30 + 40) / 2.5}}
	for q := range want {
		for i := range want[q] {
			if math.Abs(p[q][i]-want[q][i]) > 1e-12 {
				t.Errorf("profile %d sector %d: %.4f, want %.4f", q, i, p[q][i], want[q][i])
			}
		}
	}
	all := horizonProfiles(hs, 10)
	if len(all) != 5 || all[0][0] != 0 || all[4][0] != 40 || all[2][1] != 20 {
		t.Errorf("k ≥ N: %v, want the sorted points", all)
	}
	if horizonProfiles(nil, 6) != nil {
		t.Error("no points: want nil")
	}
}

// TestGridSamples: a 10 × 10 m facet of 0.5 m cells (400 pixels) gets a 1 m
// grid (100 points), coarsened under the cap; a facet one cell wide off the
// grid falls back on evenly spaced pixels.
func TestGridSamples(t *testing.T) {
	var pts []orb.Point
	var px [][2]int
	for r := 0; r < 20; r++ {
		for c := 0; c < 20; c++ {
			pts, px = append(pts, orb.Point{float64(c) * 0.5, float64(r) * 0.5}), append(px, [2]int{c, r})
		}
	}
	if n := len(gridSamples(pts, px, 0.5, 1, 1000)); n != 100 {
		t.Errorf("1 m grid: %d points, want 100", n)
	}
	if n := len(gridSamples(pts, px, 0.5, 1, 24)); n > 24 || n < 9 {
		t.Errorf("capped at 24: %d points", n)
	}
	var line []orb.Point
	var lpx [][2]int
	for c := 0; c < 40; c++ {
		line, lpx = append(line, orb.Point{float64(c) * 0.5, 0}), append(lpx, [2]int{c, 1}) // odd row: off a 2-cell grid
	}
	if n := len(gridSamples(line, lpx, 0.5, 1, 8)); n == 0 || n > 8 {
		t.Errorf("thin facet: %d points, want 1–8", n)
	}
}

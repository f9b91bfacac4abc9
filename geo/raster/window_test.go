package raster

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/gisement/gisement/internal/shareddata"
)

// TestReadWindowMatchesFullRead reads windows of the real LiDAR DSM (DEFLATE,
// float predictor) and of every test GeoTIFF and checks each cell against the
// full read, including windows straddling block boundaries.
func TestReadWindowMatchesFullRead(t *testing.T) {
	paths, _ := filepath.Glob("testdata/*.tif")
	if d := shareddata.Dir(); d != "" {
		paths = append(paths, filepath.Join(d, "lidar", "montpellier_770500_6277500_dsm_0m50.tif"))
	}
	if len(paths) == 0 {
		t.Skip("no GeoTIFF test files")
	}
	for _, p := range paths {
		full, err := ReadGeoTIFF(p)
		if err != nil {
			continue // malformed fixtures are tested elsewhere
		}
		g, err := OpenGeoTIFF(p)
		if err != nil {
			t.Fatalf("%s: OpenGeoTIFF: %v", p, err)
		}
		wins := [][4]int{{0, 0, full.Width, full.Height}, {full.Width / 3, full.Height / 4, full.Width / 2, full.Height / 2},
			{full.Width - 1, full.Height - 1, 1, 1}}
		for _, w := range wins {
			if w[2] <= 0 || w[3] <= 0 {
				continue
			}
			win, err := g.ReadWindow(w[0], w[1], w[2], w[3])
			if err != nil {
				t.Fatalf("%s window %v: %v", p, w, err)
			}
			for r := 0; r < w[3]; r++ {
				for c := 0; c < w[2]; c++ {
					a, b := win.Data[r*w[2]+c], full.Data[(w[1]+r)*full.Width+w[0]+c]
					if a != b && !(a != a && b != b) {
						t.Fatalf("%s window %v cell %d,%d: %g, full read %g", p, w, c, r, a, b)
					}
				}
			}
			x, y := win.CellCentre(0, 0)
			if fx, fy := full.CellCentre(w[0], w[1]); math.Abs(fx-x) > 1e-9*math.Max(1, math.Abs(fx)) || math.Abs(fy-y) > 1e-9*math.Max(1, math.Abs(fy)) {
				t.Fatalf("%s window %v georeference (%g,%g) vs (%g,%g)", p, w, x, y, fx, fy)
			}
		}
		if _, err := g.ReadWindow(-1, 0, 1, 1); err == nil {
			t.Errorf("%s: window outside the image accepted", p)
		}
		g.Close()
	}
}

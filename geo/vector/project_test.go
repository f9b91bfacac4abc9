package vector

import (
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo/crs"
	"github.com/gisement/gisement/internal/shareddata"
)

// TestProjectPerigueuxCommune projects the WGS84 commune boundary (GDAL's
// reprojection of the IGN Lambert-93 original) back to Lambert-93 and
// compares it vertex by vertex with the original.
func TestProjectPerigueuxCommune(t *testing.T) {
	w := shareddata.Path(t, "boundaries/perigueux_24322_commune_wgs84.geojson")
	l := shareddata.Path(t, "boundaries/perigueux_24322_commune_lambert93.geojson")
	fw, _, iw := readAll(t, w, OpenOptions{})
	fl, _, il := readAll(t, l, OpenOptions{})
	if iw.EPSG != 4326 || il.EPSG != 2154 || len(fw) != 1 || len(fl) != 1 {
		t.Fatalf("%+v %+v", iw, il)
	}
	to, _ := crs.ToLambert93(iw.EPSG)
	pw := crs.Project(fw[0].Geometry, to).(orb.Polygon)
	pl := fl[0].Geometry.(orb.Polygon)
	if len(pw) != len(pl) {
		t.Fatalf("rings %d vs %d", len(pw), len(pl))
	}
	maxErr, n := 0.0, 0
	for i := range pw {
		if len(pw[i]) != len(pl[i]) {
			t.Fatalf("ring %d: %d vs %d vertices", i, len(pw[i]), len(pl[i]))
		}
		for j := range pw[i] {
			maxErr = math.Max(maxErr, math.Hypot(pw[i][j][0]-pl[i][j][0], pw[i][j][1]-pl[i][j][1]))
			n++
		}
	}
	t.Logf("Périgueux commune: %d vertices, max error %.4f m", n, maxErr)
	if maxErr > 1 {
		t.Errorf("max error %.3f m > 1 m", maxErr)
	}
	// The original geometry must be untouched by crs.Project.
	if fw[0].Geometry.(orb.Polygon)[0][0][0] > 180 {
		t.Error("crs.Project modified its input")
	}
}

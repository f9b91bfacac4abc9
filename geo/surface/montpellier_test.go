package surface

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/gisement/gisement/internal/shareddata"
)

// lidarBlock returns the shared Montpellier LiDAR directory, or skips.
func lidarBlock(t testing.TB) string {
	d := shareddata.Dir()
	if d == "" {
		t.Skip("shared data directory (../shared/data) not found")
	}
	dir := filepath.Join(d, "lidar")
	if _, err := os.Stat(filepath.Join(dir, "montpellier_770500_6277500_dsm_0m50.tif")); err != nil {
		t.Skip("Montpellier LiDAR block not in the shared data")
	}
	return dir
}

type mtpBuilding struct {
	fp      Footprint
	hauteur float64
}

func loadMontpellier(t testing.TB, dir string) []mtpBuilding {
	return loadMontpellierFile(t, filepath.Join(dir, "montpellier_770500_6277500_buildings_from_lidar.geojson"))
}

func loadMontpellierFile(t testing.TB, path string) []mtpBuilding {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	var out []mtpBuilding
	for _, f := range fc.Features {
		var mp orb.MultiPolygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		default:
			t.Fatalf("feature %v: geometry %T", f.Properties["id"], f.Geometry)
		}
		out = append(out, mtpBuilding{fp: Footprint{ID: f.Properties.MustString("id"), Geometry: mp, GroundAltM: f.Properties.MustFloat64("altitude_sol")},
			hauteur: f.Properties.MustFloat64("hauteur")})
	}
	return out
}

func analyseMontpellier(t testing.TB, horizons bool) ([]mtpBuilding, []Roof) {
	return analyseMontpellierWith(t, Options{keepLabels: true}, horizons)
}

func analyseMontpellierWith(t testing.TB, o Options, horizons bool) ([]mtpBuilding, []Roof) {
	dir := lidarBlock(t)
	bs := loadMontpellier(t, dir)
	dsm, err := OpenMosaic(filepath.Join(dir, "montpellier_770500_6277500_dsm_0m50.tif"))
	if err != nil {
		t.Fatal(err)
	}
	dtm, err := OpenMosaic(filepath.Join(dir, "montpellier_770500_6277500_dtm_0m50.tif"))
	if err != nil {
		t.Fatal(err)
	}
	fps := make([]Footprint, len(bs))
	for i := range bs {
		fps[i] = bs[i].fp
	}
	roofs := make([]Roof, len(bs))
	if _, err := Analyse(dsm, dtm, fps, o, horizons, func(i int, r Roof) { roofs[i] = r }); err != nil {
		t.Fatal(err)
	}
	return bs, roofs
}

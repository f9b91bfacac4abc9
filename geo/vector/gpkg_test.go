//go:build !vectornogpkg

package vector

import (
	"errors"
	"testing"

	"github.com/paulmach/orb"
)

func TestGeoPackageFixture(t *testing.T) {
	fs, rej, info := readAll(t, "testdata/perigueux_small.gpkg", OpenOptions{})
	if len(fs) != 30 || len(rej) != 0 || info.Count != 30 || info.Layer != "batiments" {
		t.Fatalf("got %d features, %d rejected, info %+v", len(fs), len(rej), info)
	}
	if info.EPSG != EPSG2154 || info.CRSSource != CRSDeclared {
		t.Errorf("CRS = %d %s", info.EPSG, info.CRSSource)
	}
	if fs[0].ID != "1" || fs[0].Props["batiment_g"] != "24322000AE0037_70cd6c3a546fcfb" || fs[0].Props["s_geom_cst"] != int64(64) {
		t.Errorf("first feature = %+v", fs[0])
	}
	// Same building as the GeoJSON fixture (both ogr2ogr -t_srs EPSG:2154 of the same source): same first vertex to 1 mm.
	gj, _, _ := readAll(t, "testdata/bdnb_perigueux_l93.geojson", OpenOptions{})
	p0 := fs[0].Geometry.(orb.Polygon)[0][0]
	q0 := gj[0].Geometry.(orb.Polygon)[0][0]
	if d := p0.X() - q0.X() + p0.Y() - q0.Y(); d > 0.1 || d < -0.1 {
		t.Errorf("first vertex gpkg %v vs geojson %v", p0, q0)
	}
	fs, _, info = readAll(t, "testdata/perigueux_small.gpkg", OpenOptions{Layer: "parcelles"})
	if len(fs) != 20 || info.EPSG != 4326 || len(info.Fields) != 1 || info.Fields[0] != "idx" {
		t.Errorf("parcelles: %d features, %+v", len(fs), info)
	}
	if _, err := Open("testdata/perigueux_small.gpkg", OpenOptions{Layer: "nope"}); !errors.Is(err, ErrNoLayer) {
		t.Errorf("missing layer: err = %v", err)
	}
	layers, err := GPKGLayers("testdata/perigueux_small.gpkg")
	if err != nil || len(layers) != 2 || layers[0].SRSID != 2154 || layers[1].GeomType != "POLYGON" {
		t.Errorf("GPKGLayers = %+v, %v", layers, err)
	}
}

package vector_test

import (
	"errors"
	"fmt"
	"io"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/gisement/gisement/geo/crs"
	"github.com/gisement/gisement/geo/vector"
)

// Stream a zipped Latin-1 shapefile, count rejected features, and measure
// areas in Lambert-93.
func Example() {
	r, err := vector.Open("testdata/communes_24_latin1.zip", vector.OpenOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	info := r.Info()
	toL93, _ := crs.ToLambert93(info.EPSG)
	rejected := 0
	for {
		f, err := r.Next()
		if err == io.EOF {
			break
		}
		var fe *vector.FeatureError
		if errors.As(err, &fe) { // non-fatal: count and go on
			rejected++
			continue
		}
		if err != nil { // fatal
			fmt.Println(err)
			return
		}
		if f.Props["code"] == "24322" {
			g := crs.Project(f.Geometry, toL93)
			// The fixture is simplified to 100 m (5 vertices): GDAL's ST_Area gives 375.8 ha too.
			fmt.Printf("%s: %.0f ha (simplified outline)\n", f.Props["nom"], planar.Area(g.(orb.Polygon))/1e4)
		}
	}
	fmt.Printf("EPSG:%d (%s), encoding %s, rejected %d\n", info.EPSG, info.CRSSource, info.Encoding, rejected)
	// Output:
	// Périgueux: 376 ha (simplified outline)
	// EPSG:2154 (declared), encoding ISO-8859-1 (.cpg), rejected 0
}

package vector_test

import (
	"errors"
	"fmt"
	"io"

	"github.com/gisement/gisement/geo/vector"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
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
	toL93, _ := vector.ToLambert93(info.EPSG)
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
			g := vector.ProjectGeometry(f.Geometry, toL93)
			// The fixture is simplified to 100 m (5 vertices): GDAL's ST_Area gives 375.8 ha too.
			fmt.Printf("%s: %.0f ha (simplified outline)\n", f.Props["nom"], planar.Area(g.(orb.Polygon))/1e4)
		}
	}
	fmt.Printf("EPSG:%d (%s), encoding %s, rejected %d\n", info.EPSG, info.CRSSource, info.Encoding, rejected)
	// Output:
	// Périgueux: 376 ha (simplified outline)
	// EPSG:2154 (declared), encoding ISO-8859-1 (.cpg), rejected 0
}

func ExampleToLambert93() {
	to, _ := vector.ToLambert93(vector.EPSG4326)
	p := to(orb.Point{3, 46.5}) // lon, lat in degrees: the Lambert-93 origin
	fmt.Printf("E %.3f m, N %.3f m\n", p[0], p[1])
	// Output: E 700000.000 m, N 6600000.000 m
}

package data_test

import (
	"fmt"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/data"
)

// Lambert-93 (EPSG:2154) to longitude/latitude: the projection's origin
// (700,000 m E, 6,600,000 m N) is at 3° E, 46.5° N by definition.
func ExampleToWGS84() {
	g, err := data.ToWGS84(orb.Point{700000, 6600000}, data.SRIDLambert93)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := g.(orb.Point)
	fmt.Printf("lon %.6f°, lat %.6f°\n", p.Lon(), p.Lat())
	// Output: lon 3.000000°, lat 46.500000°
}

package geo_test

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo"
)

// A SYNTHETIC 20 m × 10 m house with an east–west ridge, 6 m to the eaves,
// on the Lambert-93 central meridian (grid north = true north). Usable by
// hand: 115.47 m² × (19 × 4.774)/(20 × 5.774) × 0.85 = 77.1 m².
func ExampleRoofPlanes() {
	x, y := 700000.0, 6600000.0
	fp := orb.MultiPolygon{{{{x - 10, y - 5}, {x + 10, y - 5}, {x + 10, y + 5}, {x - 10, y + 5}, {x - 10, y - 5}}}}
	b := geo.Building{ID: "house", Footprint: fp, FootprintM2: 200, Centroid: orb.Point{x, y}, HeightM: 6, GroundAltM: math.NaN()}
	for _, p := range geo.RoofPlanes(&b, 0, geo.DefaultRoofOptions()) {
		fmt.Printf("%s roof plane: azimuth %.0f°, tilt %.0f°, area %.1f m², usable %.1f m², reference height %.2f m\n",
			b.RoofType, p.AzimuthDeg, p.TiltDeg, p.AreaM2, p.UsableM2, p.HeightM)
	}
	// Output:
	// pitched roof plane: azimuth 180°, tilt 30°, area 115.5 m², usable 77.1 m², reference height 7.44 m
	// pitched roof plane: azimuth 0°, tilt 30°, area 115.5 m², usable 77.1 m², reference height 7.44 m
}

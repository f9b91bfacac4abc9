package surface_test

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo/raster"
	"github.com/gisement/gisement/geo/surface"
)

// A 10 m × 10 m mono-pitch roof near Montpellier sloping down to grid south
// at 20°, eaves at 26 m on 20 m ground, in a 0.5 m surface model. In a real
// study the DSM comes from surface.OpenMosaic("MNS_tiles/") and the DTM
// likewise.
func Example() {
	dsm, _ := raster.NewGrid(60, 60, 770000, 6278030, 0.5, -0.5, 2154, 20)
	for r := 0; r < 60; r++ {
		for c := 0; c < 60; c++ {
			x, y := dsm.CellCentre(c, r)
			if x > 770010 && x < 770020 && y > 6278010 && y < 6278020 {
				dsm.Set(c, r, 26+(y-6278010)*math.Tan(20*math.Pi/180))
			}
		}
	}
	fp := surface.Footprint{ID: "shed", GroundAltM: 20, Geometry: orb.MultiPolygon{{{
		{770010, 6278010}, {770020, 6278010}, {770020, 6278020}, {770010, 6278020}, {770010, 6278010}}}}}
	_, err := surface.Analyse(surface.Grid{G: dsm}, nil, []surface.Footprint{fp}, surface.Options{}, true,
		func(_ int, r surface.Roof) {
			f := r.Facets[0]
			fmt.Printf("%s: flat=%v height %.1f m (%s)\n", r.ID, r.Flat, r.HeightM, r.HeightBasis)
			fmt.Printf("facet: tilt %.1f°, azimuth %.1f° (true north), %.0f m² sloped, %.0f m² usable\n",
				f.TiltDeg, f.AzimuthDeg, f.SlopedM2, f.UsableM2)
			// Looking north (up-slope) the roof itself rises: below its 20° pitch
			// once averaged over the sample points, 0.2 m above the plane.
			fmt.Printf("horizon: %d sectors, north %.0f°\n", len(f.Horizon), f.Horizon[0])
		})
	if err != nil {
		fmt.Println(err)
	}
	p, _ := surface.ModelledPitch("34")
	fmt.Printf("modelled pitch in Hérault: %.0f° (%.0f–%.0f°)\n", p.Deg, p.LowDeg, p.HighDeg)
	// Output:
	// shed: flat=false height 7.7 m (dsm-ground-alt)
	// facet: tilt 20.0°, azimuth 180.6° (true north), 106 m² sloped, 86 m² usable
	// horizon: 48 sectors, north 17°
	// modelled pitch in Hérault: 20° (15–25°)
}

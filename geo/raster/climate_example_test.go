package raster_test

import (
	"fmt"

	"github.com/gisement/gisement/geo/raster"
)

// A multi-band irradiance/climate grid: roles and units come from the GDAL
// metadata (annual GHI kWh/m²·yr, quarterly GHI kWh/m², quarterly °C).
func ExampleReadClimateGrid() {
	g, err := raster.ReadClimateGrid("testdata/climate_perigueux_9band_pixel.tif", raster.ClimateGridOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := g.At(0.7208, 45.1932) // Périgueux
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("annual %.0f kWh/m², quarters %.0f kWh/m², temperatures %.1f °C\n", s.AnnualKWhM2, s.SeasonalKWhM2, s.TempC)
	// A grid of daily sums declared as yearly sums is refused.
	_, err = raster.ReadClimateGrid("testdata/ghi_daysums_declared_yearly.tif", raster.ClimateGridOptions{})
	fmt.Println(err != nil)
	// Output:
	// annual 1359 kWh/m², quarters [209 487 494 170] kWh/m², temperatures [6.6 15.6 20.2 9.8] °C
	// true
}

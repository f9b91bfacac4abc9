package raster_test

import (
	"fmt"

	"github.com/gisement/gisement/geo/raster"
)

func ExampleReadGeoTIFF() {
	g, err := raster.ReadGeoTIFF("testdata/crop_f32_deflate_pred3.tif")
	if err != nil {
		fmt.Println(err)
		return
	}
	b := g.Bounds()
	v, _ := g.Nearest(0.7218, 45.1838) // Périgueux
	fmt.Printf("%d×%d cells EPSG:%d, lon %.3f…%.3f°, lat %.3f…%.3f°\n", g.Width, g.Height, g.EPSG, b.MinX, b.MaxX, b.MinY, b.MaxY)
	fmt.Printf("Périgueux cell: %.0f m\n", v)
	// Output:
	// 40×30 cells EPSG:4326, lon -2.167…1.167°, lat 44.000…46.500°
	// Périgueux cell: 166 m
}

func ExampleTerrainHorizon() {
	// SYNTHETIC DEM: flat 200 m plain, 0.01° cells.
	dem, _ := raster.NewGrid(100, 100, 1.5, 45.5, 0.01, -0.01, 4326, 200)
	h := raster.TerrainHorizon(dem, 2.0, 45.0, 2, raster.HorizonOptions{})
	fmt.Printf("%d sectors of %.1f°, north horizon %.1f°\n", len(h), 360.0/float64(len(h)), h[0])
	// Output:
	// 48 sectors of 7.5°, north horizon 0.0°
}

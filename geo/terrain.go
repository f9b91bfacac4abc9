package geo

import (
	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo/crs"
	"github.com/gisement/gisement/geo/raster"
)

// TerrainFromDEM adapts raster.TerrainHorizon to HorizonOptions.Terrain: the
// Lambert-93 point is converted to longitude/latitude (crs.FromLambert93)
// and the terrain horizon computed there with the observer
// observerHeightM above the DEM surface (e.g. 10 m, a typical roof; within a
// cache cell and at DEM resolutions of tens of metres or more, the roof
// height changes the terrain horizon by a negligible amount). o.Sectors must
// equal HorizonOptions.Sectors (ComputePlanes ignores results of another
// length). Returns nil where the DEM has no data (no terrain contribution).
// The DEM must be in EPSG:4326 or EPSG:2154, as raster.TerrainHorizon supports.
func TerrainFromDEM(dem *raster.Grid, observerHeightM float64, o raster.HorizonOptions) (func(x, y float64) []float64, error) {
	inv, err := crs.FromLambert93(crs.EPSG4326)
	if err != nil {
		return nil, err
	}
	return func(x, y float64) []float64 {
		ll := inv(orb.Point{x, y})
		return raster.TerrainHorizon(dem, ll[0], ll[1], observerHeightM, o)
	}, nil
}

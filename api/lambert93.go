package api

import (
	"github.com/paulmach/orb"

	"github.com/gisement/gisement/data"
)

// toWGS84 returns g (in EPSG:srid) in lon/lat; g is not modified. It is
// data.ToWGS84, which goes through geo/crs, the one projection path (the
// closed-form Lambert-93 inverse, ≈ 0.1 µs per point, there for all
// callers now).
func toWGS84(g orb.Geometry, srid int) (orb.Geometry, error) { return data.ToWGS84(g, srid) }

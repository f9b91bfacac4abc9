package api

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/geo/vector"
)

// Lambert-93 → lon/lat for vector tiles, bbox listings and lookups uses the
// closed form of geo/vector (vector.Lambert93ToLonLat, ≈ 0.1 µs per point)
// rather than data.ToWGS84 (github.com/wroge/wgs84, ≈ 15 µs per point, which
// was 55 % of an uncached tile's CPU); TestAPILambert93MatchesData checks the
// two agree.

// toWGS84 returns g (in EPSG:srid) in lon/lat: the fast path for
// Lambert-93, data.ToWGS84 otherwise. g is not modified.
func toWGS84(g orb.Geometry, srid int) (orb.Geometry, error) {
	if srid != data.SRIDLambert93 {
		return data.ToWGS84(g, srid)
	}
	return project.Geometry(orb.Clone(g), vector.Lambert93ToLonLat), nil
}

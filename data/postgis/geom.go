package postgis

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom"
)

// toGeom converts an orb geometry (Point, Polygon, MultiPolygon) to go-geom
// with an SRID, for the pgx-geom EWKB codec.
func toGeom(g orb.Geometry, srid int) (geom.T, error) {
	switch x := g.(type) {
	case orb.Point:
		return geom.NewPointFlat(geom.XY, []float64{x[0], x[1]}).SetSRID(srid), nil
	case orb.Polygon:
		flat, ends := appendPoly(nil, x)
		return geom.NewPolygonFlat(geom.XY, flat, ends).SetSRID(srid), nil
	case orb.MultiPolygon:
		var flat []float64
		var endss [][]int
		for _, p := range x {
			var ends []int
			flat, ends = appendPoly(flat, p)
			endss = append(endss, ends)
		}
		return geom.NewMultiPolygonFlat(geom.XY, flat, endss).SetSRID(srid), nil
	}
	return nil, fmt.Errorf("postgis: unsupported geometry %T", g)
}

func appendPoly(flat []float64, p orb.Polygon) ([]float64, []int) {
	ends := make([]int, 0, len(p))
	for _, r := range p {
		for _, pt := range r {
			flat = append(flat, pt[0], pt[1])
		}
		ends = append(ends, len(flat))
	}
	return flat, ends
}

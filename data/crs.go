package data

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
	"github.com/wroge/wgs84"
)

// The 2154 ↔ 4326 conversion is done here with wroge/wgs84 directly rather
// than through geo/vector, because data must not depend on geo or model.
// RGF93 and WGS 84 are treated as the same datum (they differ by a few
// centimetres, below the accuracy of building footprints).
var (
	lonLatToL93 = wgs84.Transform(wgs84.LonLat(), wgs84.RGF93FranceLambert())
	l93ToLonLat = wgs84.Transform(wgs84.RGF93FranceLambert(), wgs84.LonLat())
)

// ToWGS84 returns a copy of g (in EPSG:srid) in EPSG:4326 lon/lat.
func ToWGS84(g orb.Geometry, srid int) (orb.Geometry, error) {
	switch srid {
	case SRIDWGS84:
		return orb.Clone(g), nil
	case SRIDLambert93:
		return project.Geometry(orb.Clone(g), func(p orb.Point) orb.Point {
			lon, lat, _ := l93ToLonLat(p[0], p[1], 0)
			return orb.Point{lon, lat}
		}), nil
	}
	return nil, fmt.Errorf("%w: unsupported SRID %d", ErrInvalidSchema, srid)
}

// FromWGS84 returns a copy of g (EPSG:4326 lon/lat) in EPSG:srid.
func FromWGS84(g orb.Geometry, srid int) (orb.Geometry, error) {
	switch srid {
	case SRIDWGS84:
		return orb.Clone(g), nil
	case SRIDLambert93:
		return project.Geometry(orb.Clone(g), func(p orb.Point) orb.Point {
			x, y, _ := lonLatToL93(p[0], p[1], 0)
			return orb.Point{x, y}
		}), nil
	}
	return nil, fmt.Errorf("%w: unsupported SRID %d", ErrInvalidSchema, srid)
}

// BoundFromWGS84 converts a lon/lat bounding box to the envelope of its
// image in EPSG:srid. The edges are densified (16 points each) because a
// straight lon/lat edge is curved in Lambert-93.
func BoundFromWGS84(b orb.Bound, srid int) (orb.Bound, error) {
	if !finiteBound(b) || b.Min[0] > b.Max[0] || b.Min[1] > b.Max[1] ||
		b.Min[0] < -180 || b.Max[0] > 180 || b.Min[1] < -90 || b.Max[1] > 90 {
		return orb.Bound{}, fmt.Errorf("%w: bbox %v is not a valid lon/lat box (min ≤ max, within ±180/±90)", ErrInvalidQuery, b)
	}
	if srid == SRIDWGS84 {
		return b, nil
	}
	const n = 16
	ring := make(orb.MultiPoint, 0, 4*n)
	for i := 0; i < n; i++ {
		t := float64(i) / n
		dx, dy := b.Min[0]+t*(b.Max[0]-b.Min[0]), b.Min[1]+t*(b.Max[1]-b.Min[1])
		ring = append(ring, orb.Point{dx, b.Min[1]}, orb.Point{dx, b.Max[1]}, orb.Point{b.Min[0], dy}, orb.Point{b.Max[0], dy})
	}
	ring = append(ring, b.Max)
	g, err := FromWGS84(ring, srid)
	if err != nil {
		return orb.Bound{}, err
	}
	return g.Bound(), nil
}

func finiteBound(b orb.Bound) bool {
	for _, v := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

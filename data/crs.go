package data

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo/crs"
)

// Coordinates are converted with package geo/crs, the one projection path
// of the code base (closed-form Lambert-93 between EPSG:2154 and
// EPSG:4326). RGF93 and WGS 84 are treated as the same datum (they differ by
// a few centimetres, below the accuracy of building footprints).

// ToWGS84 returns a copy of g (in EPSG:srid) in EPSG:4326 lon/lat.
func ToWGS84(g orb.Geometry, srid int) (orb.Geometry, error) {
	p, err := transform(srid, SRIDWGS84)
	if err != nil {
		return nil, err
	}
	return crs.Project(g, p), nil
}

// FromWGS84 returns a copy of g (EPSG:4326 lon/lat) in EPSG:srid.
func FromWGS84(g orb.Geometry, srid int) (orb.Geometry, error) {
	p, err := transform(SRIDWGS84, srid)
	if err != nil {
		return nil, err
	}
	return crs.Project(g, p), nil
}

// transform is crs.Transform restricted to the SRIDs a layer may have.
func transform(from, to int) (orb.Projection, error) {
	for _, srid := range []int{from, to} {
		if srid != SRIDWGS84 && srid != SRIDLambert93 {
			return nil, fmt.Errorf("%w: unsupported SRID %d", ErrInvalidSchema, srid)
		}
	}
	return crs.Transform(from, to)
}

// BoundFromWGS84 converts a lon/lat bounding box to the envelope of its
// image in EPSG:srid (crs.ProjectBound: edges densified, since a straight
// lon/lat edge is curved in Lambert-93).
func BoundFromWGS84(b orb.Bound, srid int) (orb.Bound, error) {
	if !finiteBound(b) || b.Min[0] > b.Max[0] || b.Min[1] > b.Max[1] ||
		b.Min[0] < -180 || b.Max[0] > 180 || b.Min[1] < -90 || b.Max[1] > 90 {
		return orb.Bound{}, fmt.Errorf("%w: bbox %v is not a valid lon/lat box (min ≤ max, within ±180/±90)", ErrInvalidQuery, b)
	}
	p, err := transform(SRIDWGS84, srid)
	if err != nil {
		return orb.Bound{}, err
	}
	if srid == SRIDWGS84 {
		return b, nil
	}
	return crs.ProjectBound(b, p), nil
}

func finiteBound(b orb.Bound) bool {
	for _, v := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

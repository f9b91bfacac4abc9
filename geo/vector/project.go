package vector

import (
	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo/crs"
)

// ToLambert93 is crs.ToLambert93.
//
// Deprecated: use crs.ToLambert93; kept while callers move to geo/crs.
func ToLambert93(epsg int) (orb.Projection, error) { return crs.ToLambert93(epsg) }

// FromLambert93 is crs.FromLambert93.
//
// Deprecated: use crs.FromLambert93; kept while callers move to geo/crs.
func FromLambert93(epsg int) (orb.Projection, error) { return crs.FromLambert93(epsg) }

// ProjectGeometry is crs.Project.
//
// Deprecated: use crs.Project; kept while callers move to geo/crs.
func ProjectGeometry(g orb.Geometry, p orb.Projection) orb.Geometry { return crs.Project(g, p) }

// LonLatToLambert93 is crs.LonLatToLambert93.
//
// Deprecated: use crs.LonLatToLambert93; kept while callers move to geo/crs.
func LonLatToLambert93(p orb.Point) orb.Point { return crs.LonLatToLambert93(p) }

// Lambert93ToLonLat is crs.Lambert93ToLonLat.
//
// Deprecated: use crs.Lambert93ToLonLat; kept while callers move to geo/crs.
func Lambert93ToLonLat(p orb.Point) orb.Point { return crs.Lambert93ToLonLat(p) }

// Lambert93ConvergenceDeg is crs.Lambert93ConvergenceDeg.
//
// Deprecated: use crs.Lambert93ConvergenceDeg; kept while callers move to
// geo/crs.
func Lambert93ConvergenceDeg(p orb.Point) float64 { return crs.Lambert93ConvergenceDeg(p) }

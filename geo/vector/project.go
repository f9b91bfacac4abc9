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

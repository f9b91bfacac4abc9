package data

import (
	"fmt"

	"github.com/paulmach/orb"
)

// PrepareFeature checks a feature against its layer before storage and
// returns it normalised: values converted to their canonical types
// (NormalizeValue), a POLYGON promoted to a one-part MULTIPOLYGON on a
// MULTIPOLYGON layer, the key non-NULL. The returned key is the key value as
// stored (int64 or string). Errors name the layer, feature key and column.
func PrepareFeature(l Layer, keyIdx int, f Feature) (Feature, error) {
	if len(f.Values) != len(l.Columns) {
		return f, fmt.Errorf("%w: layer %s: feature has %d values for %d columns", ErrInvalidValue, l.Name, len(f.Values), len(l.Columns))
	}
	vals := make([]any, len(f.Values))
	for i, c := range l.Columns {
		v, err := NormalizeValue(c, f.Values[i])
		if err != nil {
			return f, fmt.Errorf("layer %s feature %v: %w", l.Name, f.Values[keyIdx], err)
		}
		vals[i] = v
	}
	if vals[keyIdx] == nil {
		return f, fmt.Errorf("%w: layer %s: feature with NULL key column %s", ErrInvalidValue, l.Name, l.Key)
	}
	g := f.Geom
	switch l.GeomType {
	case GeomMultiPolygon:
		switch x := g.(type) {
		case orb.Polygon:
			g = orb.MultiPolygon{x}
		case orb.MultiPolygon:
		default:
			return f, fmt.Errorf("%w: layer %s feature %v: geometry %T, want MULTIPOLYGON", ErrInvalidValue, l.Name, vals[keyIdx], g)
		}
	case GeomPolygon:
		if _, ok := g.(orb.Polygon); !ok {
			return f, fmt.Errorf("%w: layer %s feature %v: geometry %T, want POLYGON", ErrInvalidValue, l.Name, vals[keyIdx], g)
		}
	case GeomPoint:
		if _, ok := g.(orb.Point); !ok {
			return f, fmt.Errorf("%w: layer %s feature %v: geometry %T, want POINT", ErrInvalidValue, l.Name, vals[keyIdx], g)
		}
	}
	if !finiteBound(g.Bound()) {
		return f, fmt.Errorf("%w: layer %s feature %v: non-finite coordinates", ErrInvalidValue, l.Name, vals[keyIdx])
	}
	return Feature{Geom: g, Values: vals}, nil
}

package geo

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	sf "github.com/peterstace/simplefeatures/geom"
)

// Rejection and repair reasons used as keys of LoadReport.ByReason and
// LoadReport.RepairsByKind.
const (
	ReasonNoGeometry      = "empty_geometry"    // nil or empty geometry
	ReasonNotPolygonal    = "not_polygonal"     // point/line geometry where a polygon is expected
	ReasonBadCoordinate   = "bad_coordinate"    // NaN, ±Inf or outside the CRS's valid range
	ReasonOutsideDomain   = "outside_lambert93" // projected outside the Lambert-93 domain
	ReasonDegenerateRing  = "degenerate_ring"   // exterior ring with < 4 points (3 distinct) after cleaning
	ReasonZeroArea        = "zero_area"         // area below MinAreaM2
	ReasonSelfIntersect   = "self_intersection" // invalid polygon that could not be repaired
	ReasonDuplicateID     = "duplicate_id"      // a later feature with an id already kept
	ReasonReader          = "reader"            // rejected by the file reader (geo/vector FeatureError)
	RepairClosedRing      = "closed_ring"       // first point appended to an unclosed ring
	RepairDroppedHole     = "dropped_degenerate_hole"
	RepairDroppedPart     = "dropped_degenerate_part" // a degenerate polygon of a multipolygon dropped
	RepairMadeValid       = "made_valid"              // self-intersection resolved by a zero-width buffer
	RepairDuplicatePoints = "removed_duplicate_points"
)

// errGeom is a rejection: reason is one of the Reason* constants.
type errGeom struct {
	reason, detail string
}

func (e *errGeom) Error() string { return e.reason + ": " + e.detail }

// checkCoordinates rejects NaN/Inf coordinates and, for geographic CRSs,
// coordinates outside ±180/±90.
func checkCoordinates(g orb.Geometry, geographic bool) error {
	var bad error
	visit := func(p orb.Point) {
		if bad != nil {
			return
		}
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
			bad = &errGeom{ReasonBadCoordinate, fmt.Sprintf("non-finite coordinate %v", p)}
			return
		}
		if geographic && (math.Abs(p[0]) > 180 || math.Abs(p[1]) > 90) {
			bad = &errGeom{ReasonBadCoordinate, fmt.Sprintf("coordinate %v outside ±180°/±90°", p)}
		}
	}
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			for _, p := range r {
				visit(p)
			}
		}
	case orb.MultiPolygon:
		for _, pg := range g {
			for _, r := range pg {
				for _, p := range r {
					visit(p)
				}
			}
		}
	}
	return bad
}

// Lambert-93 validity domain (EPSG:2154 area of use, metropolitan France and
// Corsica, with a margin), metres.
const (
	l93MinX, l93MaxX = 0.0, 1_300_000.0
	l93MinY, l93MaxY = 6_000_000.0, 7_200_000.0
)

// cleanPolygons normalises a projected polygonal geometry into a MultiPolygon
// in Lambert-93 metres: removes consecutive duplicate points, closes unclosed
// rings, drops degenerate holes and degenerate parts of multipolygons, rejects
// degenerate exterior rings and zero-area polygons, and repairs
// self-intersections with a zero-width buffer (simplefeatures geom.Buffer,
// the JTS buffer(0) idiom). repairs lists the repair kinds applied.
//
// buffer(0) is a known, limited repair: it resolves spikes, overlapping
// multipolygon parts and ring self-touches well, but on a "bow-tie" it keeps
// only the lobes whose orientation matches the ring's signed area, so the
// repaired area is reported in the Rejection/repair detail and a repair that
// loses more than half of the area is refused (rejected instead).
func cleanPolygons(g orb.Geometry, minAreaM2 float64) (orb.MultiPolygon, []string, error) {
	var in orb.MultiPolygon
	switch g := g.(type) {
	case nil:
		return nil, nil, &errGeom{ReasonNoGeometry, "no geometry"}
	case orb.Polygon:
		in = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		in = g
	default:
		return nil, nil, &errGeom{ReasonNotPolygonal, "geometry type " + g.GeoJSONType()}
	}
	if len(in) == 0 {
		return nil, nil, &errGeom{ReasonNoGeometry, "empty multipolygon"}
	}
	var repairs []string
	addRepair := func(k string) {
		for _, r := range repairs {
			if r == k {
				return
			}
		}
		repairs = append(repairs, k)
	}
	out := make(orb.MultiPolygon, 0, len(in))
	var firstErr error
	for _, pg := range in {
		if len(pg) == 0 || len(pg[0]) == 0 {
			if firstErr == nil {
				firstErr = &errGeom{ReasonNoGeometry, "empty polygon"}
			}
			continue
		}
		var np orb.Polygon
		for ri, r := range pg {
			cr, closed, dups := cleanRing(r)
			if closed {
				addRepair(RepairClosedRing)
			}
			if dups {
				addRepair(RepairDuplicatePoints)
			}
			degenerate := len(cr) < 4 || math.Abs(planar.Area(cr)) < minAreaM2
			if ri == 0 {
				if len(cr) < 4 {
					if firstErr == nil {
						firstErr = &errGeom{ReasonDegenerateRing, fmt.Sprintf("exterior ring has %d distinct points", max(len(cr)-1, 0))}
					}
					np = nil
					break
				}
				if degenerate {
					if firstErr == nil {
						firstErr = &errGeom{ReasonZeroArea, fmt.Sprintf("area %.3g m² below %.3g m²", math.Abs(planar.Area(cr)), minAreaM2)}
						// ≥ 4 distinct points with ~zero net area and an invalid
						// ring: lobes of opposite orientation cancel (bow-tie).
						// buffer(0) would keep one lobe only: reject as such.
						if len(cr) >= 5 {
							if _, err := toSF(orb.MultiPolygon{{cr}}, true); err != nil {
								firstErr = &errGeom{ReasonSelfIntersect, "zero net area, self-intersecting ring (bow-tie): " + err.Error()}
							}
						}
					}
					np = nil
					break
				}
			} else if degenerate {
				addRepair(RepairDroppedHole)
				continue
			}
			np = append(np, cr)
		}
		if np == nil {
			continue
		}
		out = append(out, np)
	}
	if len(out) == 0 {
		if firstErr == nil {
			firstErr = &errGeom{ReasonNoGeometry, "no polygon left"}
		}
		return nil, nil, firstErr
	}
	if len(out) < len(in) {
		addRepair(RepairDroppedPart)
	}
	// Validity (self-intersections, overlapping parts, holes outside shell).
	_, err := toSF(out, true)
	if err == nil {
		return out, repairs, nil
	}
	detail := err.Error()
	raw, err2 := toSF(out, false)
	if err2 != nil {
		return nil, nil, &errGeom{ReasonSelfIntersect, detail}
	}
	fixed, err3 := sf.Buffer(raw, 0)
	if err3 != nil || fixed.IsEmpty() {
		return nil, nil, &errGeom{ReasonSelfIntersect, detail + " (buffer(0) repair failed)"}
	}
	before := mpArea(out)
	fmp, ok := fromSF(fixed)
	if !ok {
		return nil, nil, &errGeom{ReasonSelfIntersect, detail + " (repair gave a non-polygonal result)"}
	}
	after := mpArea(fmp)
	if after < minAreaM2 || after < 0.5*before {
		return nil, nil, &errGeom{ReasonSelfIntersect, fmt.Sprintf("%s (buffer(0) kept %.1f of %.1f m²)", detail, after, before)}
	}
	addRepair(RepairMadeValid)
	return fmp, repairs, nil
}

// cleanRing removes consecutive duplicate points and closes the ring.
func cleanRing(r orb.Ring) (out orb.Ring, closed, dups bool) {
	out = make(orb.Ring, 0, len(r)+1)
	for i, p := range r {
		if i > 0 && p == out[len(out)-1] {
			if i != len(r)-1 || len(r) < 2 || r[0] != p {
				dups = true
			}
			continue
		}
		out = append(out, p)
	}
	if len(out) > 0 && out[0] != out[len(out)-1] {
		out = append(out, out[0])
		closed = !(len(r) > 1 && r[0] == r[len(r)-1])
	}
	return out, closed, dups
}

func mpArea(mp orb.MultiPolygon) float64 {
	a := 0.0
	for _, pg := range mp {
		for i, r := range pg {
			if i == 0 {
				a += math.Abs(planar.Area(r))
			} else {
				a -= math.Abs(planar.Area(r))
			}
		}
	}
	return a
}

// toSF converts to a simplefeatures geometry; validate=false skips the
// validity checks (used to feed the repair).
func toSF(mp orb.MultiPolygon, validate bool) (sf.Geometry, error) {
	polys := make([]sf.Polygon, 0, len(mp))
	for _, pg := range mp {
		rings := make([]sf.LineString, 0, len(pg))
		for _, r := range pg {
			flat := make([]float64, 0, 2*len(r))
			for _, p := range r {
				flat = append(flat, p[0], p[1])
			}
			rings = append(rings, sf.NewLineString(sf.NewSequence(flat, sf.DimXY)))
		}
		p := sf.NewPolygon(rings)
		if validate {
			if err := p.Validate(); err != nil {
				return sf.Geometry{}, err
			}
		}
		polys = append(polys, p)
	}
	if len(polys) == 1 {
		return polys[0].AsGeometry(), nil
	}
	m := sf.NewMultiPolygon(polys)
	if validate {
		if err := m.Validate(); err != nil {
			return sf.Geometry{}, err
		}
	}
	return m.AsGeometry(), nil
}

// fromSF converts a polygonal simplefeatures geometry back to orb.
func fromSF(g sf.Geometry) (orb.MultiPolygon, bool) {
	conv := func(p sf.Polygon) orb.Polygon {
		n := p.NumRings()
		out := make(orb.Polygon, 0, n)
		for i := 0; i < n; i++ {
			var ls sf.LineString
			if i == 0 {
				ls = p.ExteriorRing()
			} else {
				ls = p.InteriorRingN(i - 1)
			}
			seq := ls.Coordinates()
			r := make(orb.Ring, seq.Length())
			for j := range r {
				xy := seq.GetXY(j)
				r[j] = orb.Point{xy.X, xy.Y}
			}
			out = append(out, r)
		}
		return out
	}
	switch g.Type() {
	case sf.TypePolygon:
		p := g.MustAsPolygon()
		if p.IsEmpty() {
			return nil, false
		}
		return orb.MultiPolygon{conv(p)}, true
	case sf.TypeMultiPolygon:
		m := g.MustAsMultiPolygon()
		out := make(orb.MultiPolygon, 0, m.NumPolygons())
		for i := 0; i < m.NumPolygons(); i++ {
			if p := m.PolygonN(i); !p.IsEmpty() {
				out = append(out, conv(p))
			}
		}
		return out, len(out) > 0
	}
	return nil, false
}

// asErrGeom extracts a rejection reason.
func asErrGeom(err error) (*errGeom, bool) {
	var e *errGeom
	ok := errors.As(err, &e)
	return e, ok
}

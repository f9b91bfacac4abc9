// Package geo turns the files French planners have (building footprints,
// cadastral parcels, commune outlines, elevation grids) into a clean, indexed
// territory of buildings, roof planes and parcels in Lambert-93 metres, with
// a horizon profile per roof plane from neighbouring buildings and terrain.
package geo

import "github.com/paulmach/orb"

// Building is a validated footprint in Lambert-93 metres.
type Building struct {
	ID       string
	ParcelID string // assigned by largest overlap; "" if none
	// Footprint in EPSG:2154 (metres).
	Footprint orb.MultiPolygon
	// FootprintM2 is the planimetric area computed from Footprint.
	FootprintM2 float64
	// HeightM is the eaves/roof height above ground used for shading and roofs;
	// HeightSource says where it came from ("attribute", "levels", "default").
	HeightM      float64
	HeightSource string
	Levels       int     // number of storeys above ground, 0 if unknown
	Year         int     // construction year, 0 if unknown
	Use          string  // main use as given by the source (e.g. "Résidentiel"), "" if unknown
	GroundAltM   float64 // ground altitude (NGF), NaN if unknown
	CommuneINSEE string
	IRIS         string
	// RoofType is "flat" or "pitched"; RoofTypeSource "attribute" or "rule".
	RoofType       string
	RoofTypeSource string
}

// Parcel is a cadastral parcel in Lambert-93 metres.
type Parcel struct {
	// ID is the 14-character IDU when known; IDSource says how it was obtained:
	// "attribute", "buildings" (recovered from BDNB batiment_g prefixes) or
	// "geometry" (stable id derived from the geometry).
	ID, IDSource string
	CommuneINSEE string
	Section      string
	Geometry     orb.MultiPolygon
	AreaM2       float64
	// BuildingIdx lists indexes into Territory.Buildings of the buildings assigned to it.
	BuildingIdx []int
}

// RoofPlane is one roof surface of a building.
type RoofPlane struct {
	BuildingIdx int     // index into Territory.Buildings
	Index       int     // 0-based index of the plane within its building
	TiltDeg     float64 // from horizontal
	AzimuthDeg  float64 // clockwise from north, 180 = south (for flat roofs: 180)
	// AreaM2 is the inclined roof area of the plane; UsableM2 after edge setback
	// and obstruction factor.
	AreaM2, UsableM2 float64
	// Centroid of the plane in Lambert-93; HeightM above ground of the plane's
	// reference point (used as the observer for the horizon).
	Centroid orb.Point
	HeightM  float64
	Horizon  Horizon
}

// Horizon is a horizon profile: ElevationDeg[i] is the horizon elevation angle
// (degrees above the horizontal) for the azimuth sector centred on
// i*360/len(ElevationDeg) degrees clockwise from north.
type Horizon struct {
	ElevationDeg []float64
}

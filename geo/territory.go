// Package geo turns the files French planners have (building footprints,
// cadastral parcels, commune outlines, elevation grids) into a clean, indexed
// territory of buildings, roof planes and parcels in Lambert-93 metres, with
// a horizon profile per roof plane from neighbouring buildings and terrain.
//
// The pipeline (LoadTerritory) is: stream features with geo/vector, project
// to Lambert-93 (EPSG:2154) with geo/crs, validate and repair (nothing dropped silently:
// LoadReport counts every feature), index with an R-tree, assign each
// building to the parcel it overlaps most, recover missing parcel ids from
// the buildings' BDNB references, derive roof planes from the footprint's
// minimum-area rectangle and compute a neighbour (and optionally terrain)
// horizon per plane. The parallel stages (assignment, roof planes,
// horizons) run on one bounded worker pool (golang.org/x/sync/errgroup with
// SetLimit) that honours a context and a workers setting: the *Context
// variants (LoadTerritoryContext, BuildContext, AssignBuildingsContext,
// ComputePlanesContext).
//
// Conventions: coordinates in metres (Lambert-93), areas in m², azimuth in
// degrees clockwise from north (180 = south), tilt from horizontal.
package geo

import "github.com/paulmach/orb"

// Building is a validated footprint in Lambert-93 metres.
type Building struct {
	ID       string
	ParcelID string // parcel assigned by largest overlap (Parcel.ID); "" if none
	// ParcelRef is the parcel IDU given by the source (BDNB batiment_groupe_id
	// prefix), "" if none. It may differ from ParcelID.
	ParcelRef string
	// CommuneRef is the commune code carried by a BDNB group id that is not
	// a parcel IDU (unité foncière "uf" + INSEE code), "" if none.
	CommuneRef string
	// Footprint in EPSG:2154 (metres).
	Footprint orb.MultiPolygon
	// FootprintM2 is the planimetric area computed from Footprint; Centroid
	// its area-weighted centroid.
	FootprintM2 float64
	Centroid    orb.Point
	// HeightM is the building height above ground used as the eaves height
	// for roofs and shading (BDNB/BD TOPO "hauteur"; whether the source
	// measured to the gutter or the ridge is not documented per building:
	// uncertainty of the order of the ridge rise, 1–4 m). HeightSource says
	// where it came from: "attribute", "levels" or "default".
	HeightM      float64
	HeightSource string
	Levels       int     // number of storeys above ground, 0 if unknown
	Year         int     // construction year, 0 if unknown
	Use          string  // main use as given by the source (e.g. "Résidentiel"), "" if unknown
	Usage2       string  // secondary use (BD TOPO USAGE2), "" if unknown
	Dwellings    int     // number of dwellings (BD TOPO NB_LOGTS, BDNB nb_log), 0 if unknown
	GroundAltM   float64 // ground altitude (NGF), NaN if unknown
	CommuneINSEE string
	IRIS         string
	// RoofType is "flat" or "pitched"; RoofTypeSource "attribute" or "rule"
	// ("" until RoofPlanes/LoadTerritory applied the rule).
	RoofType       string
	RoofTypeSource string
	// RoofPitchDeg is the pitch of the building's pitched roof (degrees from
	// horizontal) when RoofPitchSource is set: "attribute" (the source gave
	// it) or "regional" (the default of its département, set by a study
	// before ComputePlanes); with RoofPitchSource empty, RoofPlanes uses
	// RoofOptions.PitchDeg (see Building.ModelledPitch).
	RoofPitchDeg    float64
	RoofPitchSource string
	// Fictive is true for BDNB fictitious geometries (fictive_ge = 1): kept
	// but less reliable.
	Fictive bool
}

// Roof type sources.
const (
	RoofTypeFromAttribute = "attribute"
	RoofTypeFromRule      = "rule"
)

// Parcel id sources (Parcel.IDSource).
const (
	IDFromAttribute = "attribute" // IDU read from the file
	IDFromBuildings = "buildings" // majority of the assigned buildings' ParcelRef
	IDFromGeometry  = "geometry"  // "G" + hash of the rounded centroid and area
)

// Parcel is a cadastral parcel in Lambert-93 metres.
type Parcel struct {
	// ID is the 14-character IDU when known; IDSource says how it was obtained:
	// "attribute", "buildings" (recovered from BDNB batiment_g prefixes) or
	// "geometry" (stable id derived from the geometry, see GeometryID).
	ID, IDSource string
	CommuneINSEE string
	Section      string
	Geometry     orb.MultiPolygon
	AreaM2       float64
	// SourceIndex is the feature index in the source file.
	SourceIndex int
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
	// and obstruction factor (see RoofOptions).
	AreaM2, UsableM2 float64
	// Centroid of the plane in Lambert-93; HeightM above ground of the plane's
	// reference point (used as the observer for the horizon).
	Centroid orb.Point
	HeightM  float64
	// Horizon is the per-sector mean of the horizons of the plane's sample
	// points (roofsurface.go), HorizonMin their minimum (the sky blocked at
	// every point).
	Horizon    Horizon
	HorizonMin Horizon
	// RoofSource is "observed" (segmented from a surface model, package
	// geo/surface) or "modelled" (footprint rule, RoofPlanes); ShadingSource
	// says what the horizon holds ("dsm", "buildings", "+terrain" when a DEM
	// horizon was combined). Empty when not recorded (no surface model given).
	RoofSource, ShadingSource string
	// PitchSource says where TiltDeg comes from: "observed" (surface
	// model), "regional" (département default), "scenario"
	// (RoofOptions.PitchDeg), "attribute", or "flat" (a flat roof: TiltDeg is
	// the module rack tilt).
	PitchSource string
	// HorizonProfiles, when set (observed planes, geo/surface), are
	// equal-weight horizon profiles of the plane's sample points: the
	// plane's irradiation is the MEAN of the irradiation under each profile
	// (the mean of its points' irradiation), not the irradiation under
	// Horizon (their mean elevation); see pv.RoofPVOf.
	HorizonProfiles []Horizon
}

// Horizon is a horizon profile: ElevationDeg[i] is the horizon elevation angle
// (degrees above the horizontal) for the azimuth sector centred on
// i*360/len(ElevationDeg) degrees clockwise from north.
type Horizon struct {
	ElevationDeg []float64
}

// Territory is a loaded, indexed study area.
type Territory struct {
	Buildings []Building
	Parcels   []Parcel
	// Planes holds every roof plane; PlaneStart[i] is the index of building
	// i's first plane (planes of building i are Planes[PlaneStart[i]:PlaneStart[i+1]]).
	Planes     []RoofPlane
	PlaneStart []int
	// BuildingIndex and ParcelIndex are R-trees over the bounding boxes.
	BuildingIndex *Index
	ParcelIndex   *Index
	// Reports of the two loads; Assignment of the building→parcel join.
	BuildingReport, ParcelReport *LoadReport
	Assignment                   *AssignReport
}

// BuildingPlanes returns the roof planes of building i.
func (t *Territory) BuildingPlanes(i int) []RoofPlane {
	return t.Planes[t.PlaneStart[i]:t.PlaneStart[i+1]]
}

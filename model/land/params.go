package land

import (
	"errors"
	"fmt"

	"github.com/gisement/gisement/model/scenario"
)

// ErrLandInput marks invalid input to the land model (geometry).
var ErrLandInput = errors.New("invalid land-model input")

// Params are the land-use assumptions of a scenario (YAML key "land"):
// ground-mounted PV on free parcel land, car-park canopies (APER law), and
// the siting rules of heat-pump outdoor units and borehole fields.
type Params struct {
	Ground   GroundParams  `json:"ground" yaml:"ground"`
	CarParks CarParkParams `json:"car_parks" yaml:"car_parks"`
	// OutdoorUnitSetbackM: minimum distance between an air-source heat
	// pump's outdoor unit and the parcel boundary.
	OutdoorUnitSetbackM scenario.Param `json:"outdoor_unit_setback_m" yaml:"outdoor_unit_setback_m"`
	Boreholes           BoreholeParams `json:"boreholes" yaml:"boreholes"`
}

// GroundParams are the assumptions of ground-mounted PV on a parcel's free
// land.
type GroundParams struct {
	// CoverageRatio: module area / land area of fixed-tilt rows (GCR); the
	// inter-row shading it implies is not modelled (a loss of a few % at
	// 25° tilt).
	CoverageRatio scenario.Param `json:"coverage_ratio" yaml:"coverage_ratio"`
	// BoundarySetbackM is kept free along the parcel boundary,
	// BuildingSetbackM around buildings.
	BoundarySetbackM scenario.Param `json:"boundary_setback_m" yaml:"boundary_setback_m"`
	BuildingSetbackM scenario.Param `json:"building_setback_m" yaml:"building_setback_m"`
	// MinPatchM2: the smallest contiguous free patch counted.
	MinPatchM2 scenario.Param `json:"min_patch_m2" yaml:"min_patch_m2"`
	// TiltDeg, AzimuthDeg: orientation of the rows (azimuth clockwise from
	// north, 180 = south; tilt from horizontal).
	TiltDeg    scenario.Param `json:"tilt_deg" yaml:"tilt_deg"`
	AzimuthDeg scenario.Param `json:"azimuth_deg" yaml:"azimuth_deg"`
}

// CarParkParams are the assumptions of car-park canopies ("ombrières").
type CarParkParams struct {
	// CoverageRatio: canopy (module) area / car-park area.
	CoverageRatio scenario.Param `json:"coverage_ratio" yaml:"coverage_ratio"`
	// APERThresholdM2: outdoor car parks above this area must be covered.
	APERThresholdM2 scenario.Param `json:"aper_threshold_m2" yaml:"aper_threshold_m2"`
	// CanopyTiltDeg, CanopyAzimuthDeg: module orientation of the canopies.
	CanopyTiltDeg    scenario.Param `json:"canopy_tilt_deg" yaml:"canopy_tilt_deg"`
	CanopyAzimuthDeg scenario.Param `json:"canopy_azimuth_deg" yaml:"canopy_azimuth_deg"`
}

// BoreholeParams are the siting rules of a borehole field (PlaceBoreholes).
type BoreholeParams struct {
	// SpacingShortM / SpacingLongM: minimum distance between probes of
	// 40–50 m / longer (≥ 10 m, NF X10-970).
	SpacingShortM scenario.Param `json:"spacing_short_m" yaml:"spacing_short_m"`
	SpacingLongM  scenario.Param `json:"spacing_long_m" yaml:"spacing_long_m"`
	// BoundarySetbackM / BuildingSetbackM: minimum distance of a probe from
	// the parcel boundary and from building footprints.
	BoundarySetbackM scenario.Param `json:"boundary_setback_m" yaml:"boundary_setback_m"`
	BuildingSetbackM scenario.Param `json:"building_setback_m" yaml:"building_setback_m"`
	// Layout is "square" (default) or "hex" (hexagonal grid, ~15 % denser
	// on large areas).
	Layout string `json:"layout" yaml:"layout"`
	// Rotations: grid rotations tried in [0°, 90°) (plus the direction of
	// the longest edge of the free land); Offsets: grid offsets tried per
	// axis.
	Rotations scenario.Param `json:"rotations" yaml:"rotations"`
	Offsets   scenario.Param `json:"offsets" yaml:"offsets"`
}

// SpacingM returns the VDI 4640 minimum probe spacing for a probe depth.
func (b BoreholeParams) SpacingM(probeDepthM float64) float64 {
	if probeDepthM <= 50 {
		return b.SpacingShortM.Value
	}
	return b.SpacingLongM.Value
}

const srcAPER = "APER law (loi n° 2023-175 du 10 mars 2023, art. 40)"

// Defaults returns the built-in land assumptions.
func Defaults() Params {
	p := scenario.P
	return Params{
		Ground: GroundParams{
			CoverageRatio:    p(0.45, "fraction", "our assumption: rule of thumb ~1 MWp per hectare of ground-mounted PV at 225 Wp/m² of module ⇒ ≈0.45"),
			BoundarySetbackM: p(3, "m", "our assumption (access and neighbour distance)"),
			BuildingSetbackM: p(3, "m", "our assumption (access, fire paths, building shade at the foot of walls)"),
			MinPatchM2:       p(100, "m²", "our assumption: ≈ 10–15 kWp at GCR 0.4; below it a ground array is not worth its fixed costs"),
			TiltDeg:          p(25, "deg", "our assumption, close to the annual optimum at 45–46° N"),
			AzimuthDeg:       p(180, "deg", "our assumption (south)"),
		},
		CarParks: CarParkParams{
			CoverageRatio:    p(0.5, "fraction", srcAPER+": at least 50 % of the car-park area covered by PV shades"),
			APERThresholdM2:  p(1500, "m²", srcAPER+": outdoor car parks over 1,500 m²"),
			CanopyTiltDeg:    p(10, "deg", "our assumption (real canopies follow the parking rows)"),
			CanopyAzimuthDeg: p(180, "deg", "our assumption (south)"),
		},
		OutdoorUnitSetbackM: p(3, "m", "our assumption: French rules limit noise 'emergence' (Code de la santé publique, R1336-6 to R1336-9: 5 dB(A) day, 3 dB(A) night), not a distance; local plans (PLU) may set one"),
		Boreholes: BoreholeParams{
			SpacingShortM:    p(10, "m", "AFNOR NF X10-970:2011 (sonde géothermique verticale), the French drilling standard the GMI arrêtés refer to: at least 10 m between two probes (VDI 4640 Blatt 2 allows 5 m for probes of 40–50 m)"),
			SpacingLongM:     p(10, "m", "AFNOR NF X10-970:2011 (sonde géothermique verticale): at least 10 m between two probes (VDI 4640 Blatt 2 allows 6 m for longer probes)"),
			BoundarySetbackM: p(3, "m", "our assumption: GMI texts (arrêté du 25 juin 2015) set 35 m from wells, sewage works, etc.; no national distance to a boundary or a house found"),
			BuildingSetbackM: p(3, "m", "our assumption (see boundary_setback_m)"),
			Layout:           "square",
			Rotations:        p(6, "1", "our assumption (search effort: grid rotations tried)"),
			Offsets:          p(4, "1", "our assumption (search effort: grid offsets per axis)"),
		},
	}
}

// Validate checks every value; errors are *scenario.Error with the key path
// below "land".
func (p Params) Validate() error {
	g, c, b := &p.Ground, &p.CarParks, &p.Boreholes
	if err := scenario.CheckRanges([]scenario.Range{
		{Key: "ground.coverage_ratio", P: g.CoverageRatio, Lo: 0.05, Hi: 1},
		{Key: "ground.boundary_setback_m", P: g.BoundarySetbackM, Lo: 0, Hi: 100},
		{Key: "ground.building_setback_m", P: g.BuildingSetbackM, Lo: 0, Hi: 100},
		{Key: "ground.min_patch_m2", P: g.MinPatchM2, Lo: 0, Hi: 1e6},
		{Key: "ground.tilt_deg", P: g.TiltDeg, Lo: 0, Hi: 90},
		{Key: "ground.azimuth_deg", P: g.AzimuthDeg, Lo: 0, Hi: 360},
		{Key: "car_parks.coverage_ratio", P: c.CoverageRatio, Lo: 0.05, Hi: 1},
		{Key: "car_parks.aper_threshold_m2", P: c.APERThresholdM2, Lo: 0, Hi: 1e6},
		{Key: "car_parks.canopy_tilt_deg", P: c.CanopyTiltDeg, Lo: 0, Hi: 90},
		{Key: "car_parks.canopy_azimuth_deg", P: c.CanopyAzimuthDeg, Lo: 0, Hi: 360},
		{Key: "outdoor_unit_setback_m", P: p.OutdoorUnitSetbackM, Lo: 0, Hi: 50},
		// The geometry accepts any spacing; the scenario (model.Scenario.
		// Validate) requires NF X10-970's 10 m for a study.
		{Key: "boreholes.spacing_short_m", P: b.SpacingShortM, Lo: 1, Hi: 50},
		{Key: "boreholes.spacing_long_m", P: b.SpacingLongM, Lo: 1, Hi: 50},
		{Key: "boreholes.boundary_setback_m", P: b.BoundarySetbackM, Lo: 0, Hi: 100},
		{Key: "boreholes.building_setback_m", P: b.BuildingSetbackM, Lo: 0, Hi: 100},
		{Key: "boreholes.rotations", P: b.Rotations, Lo: 1, Hi: 90, Whole: true},
		{Key: "boreholes.offsets", P: b.Offsets, Lo: 1, Hi: 20, Whole: true},
	}); err != nil {
		return err
	}
	return b.validateLayout()
}

func (b BoreholeParams) validateLayout() error {
	if b.Layout != "square" && b.Layout != "hex" {
		return &scenario.Error{Key: "boreholes.layout", Problem: fmt.Sprintf("%q: want square or hex", b.Layout)}
	}
	return nil
}

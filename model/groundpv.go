package model

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/peterstace/simplefeatures/geom"

	"github.com/gisement/gisement/solar"
)

// GroundPVParams are the assumptions for ground-mounted PV on a parcel's
// free land and for car-park canopies. Every default is an assumption or a
// cited rule, as labelled.
type GroundPVParams struct {
	// BoundarySetbackM is kept free along the parcel boundary (default 3 m:
	// access and neighbour distance; assumption), BuildingSetbackM around
	// buildings (default 3 m: access, fire paths, building shade at the foot
	// of walls; assumption).
	BoundarySetbackM, BuildingSetbackM float64
	// MinPatchM2 is the smallest contiguous free patch counted (default
	// 100 m² ≈ 10–15 kWp at GCR 0.4; assumption: below it a ground array
	// is not worth its fixed costs).
	MinPatchM2 float64
	// GCR is the ground coverage ratio of fixed-tilt rows (module area /
	// land area). Default 0.4: our assumption, typical of fixed-tilt
	// utility rows in mid-latitudes (≈ 0.3–0.5); the inter-row shading it
	// implies is NOT modelled (a loss of a few % at 25° tilt).
	GCR float64
	// TiltDeg and AzimuthDeg of the ground rows (default 25° south:
	// assumption close to the annual optimum at 45–46° N, cf. FastPath.Optimum).
	TiltDeg, AzimuthDeg float64
	// CarParkMinM2: outdoor car parks above this area must be covered with
	// solar shades (APER law, loi n° 2023-175 of 10 March 2023, art. 40:
	// > 1,500 m²; REFERENCES.md).
	CarParkMinM2 float64
	// CarParkCoverage is the share of a car park covered by canopies
	// (default 0.5, the APER minimum), CanopyTiltDeg/CanopyAzimuthDeg the
	// canopy module orientation (default 10° south: assumption; real canopies
	// follow the parking rows).
	CarParkCoverage                 float64
	CanopyTiltDeg, CanopyAzimuthDeg float64
}

// DefaultGroundPVParams returns the documented defaults.
func DefaultGroundPVParams() GroundPVParams {
	return GroundPVParams{BoundarySetbackM: 3, BuildingSetbackM: 3, MinPatchM2: 100, GCR: 0.4, TiltDeg: 25, AzimuthDeg: 180,
		CarParkMinM2: 1500, CarParkCoverage: 0.5, CanopyTiltDeg: 10, CanopyAzimuthDeg: 180}
}

// Validate checks the parameters.
func (g GroundPVParams) Validate() error {
	switch {
	case !(g.BoundarySetbackM >= 0 && g.BoundarySetbackM < 1000), !(g.BuildingSetbackM >= 0 && g.BuildingSetbackM < 1000):
		return fmt.Errorf("%w: setbacks %g/%g m must be in [0, 1000)", ErrPVInput, g.BoundarySetbackM, g.BuildingSetbackM)
	case !(g.MinPatchM2 >= 0) || math.IsInf(g.MinPatchM2, 0):
		return fmt.Errorf("%w: minimum patch %g m² must be ≥ 0", ErrPVInput, g.MinPatchM2)
	case !(g.GCR > 0 && g.GCR <= 1):
		return fmt.Errorf("%w: ground coverage ratio %g not in (0, 1]", ErrPVInput, g.GCR)
	case !(g.CarParkCoverage >= 0 && g.CarParkCoverage <= 1):
		return fmt.Errorf("%w: car-park coverage %g not in [0, 1]", ErrPVInput, g.CarParkCoverage)
	case !(g.TiltDeg >= 0 && g.TiltDeg <= 90), !(g.CanopyTiltDeg >= 0 && g.CanopyTiltDeg <= 90):
		return fmt.Errorf("%w: tilt must be in [0, 90]°", ErrPVInput)
	case !(g.CarParkMinM2 >= 0):
		return fmt.Errorf("%w: car-park threshold %g m² must be ≥ 0", ErrPVInput, g.CarParkMinM2)
	}
	return nil
}

// GroundPV is the ground-mounted potential of one parcel.
type GroundPV struct {
	ParcelID string
	// FreeLandM2 is the parcel minus setbacks, building footprints and
	// exclusions; UsableLandM2 the part in patches ≥ MinPatchM2, Patches
	// their number and SmallPatchesM2 the free land in smaller patches.
	FreeLandM2, UsableLandM2, SmallPatchesM2 float64
	Patches                                  int
	// ModuleM2 = UsableLandM2 × GCR; KWp = ModuleM2 × module power density.
	ModuleM2, KWp, KWhYr float64
	SpecificYieldKWhKWp  float64
	// FreeLand is the usable geometry (Lambert-93), for maps (GroundPVOf;
	// nil from SiteParcel's raster path).
	FreeLand orb.MultiPolygon
}

// GroundYield computes once the specific yield (kWh/kWp) of the ground rows
// and of the canopies: unshaded planes (open land), free-standing mounting,
// with the full hourly model (the same for every parcel of a territory).
func GroundYield(sky *solar.Sky, pv PVParams, g GroundPVParams) (groundKWhKWp, canopyKWhKWp float64) {
	sys := pv.System()
	sys.Mounting = solar.MountFree
	groundKWhKWp = sky.Annual(solar.Plane{TiltDeg: g.TiltDeg, AzimuthDeg: g.AzimuthDeg}, nil, sys).SpecificYieldKWhKWp
	canopyKWhKWp = sky.Annual(solar.Plane{TiltDeg: g.CanopyTiltDeg, AzimuthDeg: g.CanopyAzimuthDeg}, nil, sys).SpecificYieldKWhKWp
	return groundKWhKWp, canopyKWhKWp
}

// GroundPVOf computes the ground-mounted potential of a parcel: free land =
// parcel shrunk by BoundarySetbackM, minus the footprints grown by
// BuildingSetbackM and minus the exclusions (e.g. car parks, evaluated as
// canopies instead), all in Lambert-93 metres, with simplefeatures' Buffer
// and Difference (the heat model's freeLand). yieldKWhKWp comes from
// GroundYield. This is the exact polygon version, which also returns the
// usable geometry (FreeLand) for maps; SiteParcel computes the same
// quantities on a 0.5 m raster without buffers (landgrid.go; areas within
// ≈ perimeter × cell / 2, FreeLand not built), several times faster.
func GroundPVOf(parcelID string, parcel orb.MultiPolygon, footprints, exclusions []orb.MultiPolygon,
	yieldKWhKWp float64, pv PVParams, g GroundPVParams) (GroundPV, error) {
	if err := g.Validate(); err != nil {
		return GroundPV{}, err
	}
	free, err := freeLand(parcel, footprints, g.BoundarySetbackM, g.BuildingSetbackM)
	if err != nil {
		return GroundPV{ParcelID: parcelID, SpecificYieldKWhKWp: yieldKWhKWp}, fmt.Errorf("parcel %s: %w", parcelID, err)
	}
	return groundOn(parcelID, free, exclusions, yieldKWhKWp, pv, g)
}

// groundOn evaluates ground PV on already computed free land (see GroundPVOf).
func groundOn(parcelID string, free geom.Geometry, exclusions []orb.MultiPolygon, yieldKWhKWp float64, pv PVParams, g GroundPVParams) (GroundPV, error) {
	out := GroundPV{ParcelID: parcelID, SpecificYieldKWhKWp: yieldKWhKWp}
	mp, err := fromSF(free)
	if err != nil {
		return out, fmt.Errorf("parcel %s: %w", parcelID, err)
	}
	if len(exclusions) > 0 && len(mp) > 0 {
		// Exclusions are removed without a setback.
		free, err = freeLand(mp, exclusions, 0, 0)
		if err != nil {
			return out, fmt.Errorf("parcel %s: exclusions: %w", parcelID, err)
		}
		if mp, err = fromSF(free); err != nil {
			return out, fmt.Errorf("parcel %s: %w", parcelID, err)
		}
	}
	for _, poly := range mp {
		a := planar.Area(poly)
		out.FreeLandM2 += a
		if a >= g.MinPatchM2 && a > 0 {
			out.UsableLandM2 += a
			out.Patches++
			out.FreeLand = append(out.FreeLand, poly)
		} else {
			out.SmallPatchesM2 += a
		}
	}
	out.ModuleM2 = out.UsableLandM2 * g.GCR
	out.KWp = out.ModuleM2 * pv.ModulePowerWpM2 / 1000
	out.KWhYr = out.KWp * yieldKWhKWp
	return out, nil
}

// CarPark is an outdoor car-park polygon (Lambert-93).
type CarPark struct {
	ID       string
	Geometry orb.MultiPolygon
}

// CarParkPV is the canopy potential of one car park.
type CarParkPV struct {
	ID     string
	AreaM2 float64
	// APERObligated: area > CarParkMinM2 (APER law, 10 March 2023: at least
	// 50 % of the area to be covered with solar shades).
	APERObligated bool
	// CanopyM2 = AreaM2 × CarParkCoverage (modules cover the canopy).
	CanopyM2, KWp, KWhYr float64
	SpecificYieldKWhKWp  float64
}

// CarParksPV evaluates every car park (all of them; APERObligated flags
// those the law covers). yieldKWhKWp is the canopy yield from GroundYield.
func CarParksPV(cps []CarPark, yieldKWhKWp float64, pv PVParams, g GroundPVParams) ([]CarParkPV, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	out := make([]CarParkPV, len(cps))
	for i, c := range cps {
		a := planar.Area(c.Geometry)
		if !(a >= 0) || math.IsInf(a, 0) {
			return nil, fmt.Errorf("%w: car park %q: invalid area", ErrPVInput, c.ID)
		}
		r := CarParkPV{ID: c.ID, AreaM2: a, APERObligated: a > g.CarParkMinM2, CanopyM2: a * g.CarParkCoverage,
			SpecificYieldKWhKWp: yieldKWhKWp}
		r.KWp = r.CanopyM2 * pv.ModulePowerWpM2 / 1000
		r.KWhYr = r.KWp * yieldKWhKWp
		out[i] = r
	}
	return out, nil
}

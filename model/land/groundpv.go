package land

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/peterstace/simplefeatures/geom"

	"github.com/gisement/gisement/solar"
)

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
// and of the canopies with the rooftop system sys (pv.Params.System, passed
// by the pipeline): unshaded planes (open land), free-standing mounting,
// with the full hourly model (the same for every parcel of a territory).
func GroundYield(sky *solar.Sky, sys solar.System, g Params) (groundKWhKWp, canopyKWhKWp float64) {
	sys.Mounting = solar.MountFree
	groundKWhKWp = sky.Annual(solar.Plane{TiltDeg: g.Ground.TiltDeg.Value, AzimuthDeg: g.Ground.AzimuthDeg.Value}, nil, sys).SpecificYieldKWhKWp
	canopyKWhKWp = sky.Annual(solar.Plane{TiltDeg: g.CarParks.CanopyTiltDeg.Value, AzimuthDeg: g.CarParks.CanopyAzimuthDeg.Value}, nil, sys).SpecificYieldKWhKWp
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
	yieldKWhKWp, modulePowerWpM2 float64, g Params) (GroundPV, error) {
	if err := g.Validate(); err != nil {
		return GroundPV{}, err
	}
	free, err := freeLand(parcel, footprints, g.Ground.BoundarySetbackM.Value, g.Ground.BuildingSetbackM.Value)
	if err != nil {
		return GroundPV{ParcelID: parcelID, SpecificYieldKWhKWp: yieldKWhKWp}, fmt.Errorf("parcel %s: %w", parcelID, err)
	}
	return groundOn(parcelID, free, exclusions, yieldKWhKWp, modulePowerWpM2, g)
}

// groundOn evaluates ground PV on already computed free land (see GroundPVOf).
func groundOn(parcelID string, free geom.Geometry, exclusions []orb.MultiPolygon, yieldKWhKWp, modulePowerWpM2 float64, g Params) (GroundPV, error) {
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
		if a >= g.Ground.MinPatchM2.Value && a > 0 {
			out.UsableLandM2 += a
			out.Patches++
			out.FreeLand = append(out.FreeLand, poly)
		} else {
			out.SmallPatchesM2 += a
		}
	}
	out.ModuleM2 = out.UsableLandM2 * g.Ground.CoverageRatio.Value
	out.KWp = out.ModuleM2 * modulePowerWpM2 / 1000
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
func CarParksPV(cps []CarPark, yieldKWhKWp, modulePowerWpM2 float64, g Params) ([]CarParkPV, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	out := make([]CarParkPV, len(cps))
	for i, c := range cps {
		a := planar.Area(c.Geometry)
		if !(a >= 0) || math.IsInf(a, 0) {
			return nil, fmt.Errorf("%w: car park %q: invalid area", ErrLandInput, c.ID)
		}
		r := CarParkPV{ID: c.ID, AreaM2: a, APERObligated: a > g.CarParks.APERThresholdM2.Value, CanopyM2: a * g.CarParks.CoverageRatio.Value,
			SpecificYieldKWhKWp: yieldKWhKWp}
		r.KWp = r.CanopyM2 * modulePowerWpM2 / 1000
		r.KWhYr = r.KWp * yieldKWhKWp
		out[i] = r
	}
	return out, nil
}

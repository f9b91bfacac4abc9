package study

import (
	"math"

	"github.com/gisement/gisement/model/pv"
	"github.com/gisement/gisement/model/uncertainty"
)

// Technical potential ("potentiel technique") of rooftop PV: the roof
// planes whose specific yield with shading is at least
// pv.technical_min_share_of_optimum (default 80 %) of the local optimum
// computed from the weather year, with at least pv.min_usable_m2 of usable
// area (pv.RoofPVOf sets RoofPV.Kept). Flat roofs carry modules on racks
// (pv.roof.flat_tilt_deg facing south, pv.roof.flat_rack_coverage ground
// coverage ratio). This file computes the reference yields and the
// statistics the study stores beside the sums.

// PVReference are the site's reference yields (kWh/kWp, unshaded, from the
// weather year through the study's plane evaluator): the optimum
// orientation, and south-facing planes tilted 30° and 35° (the usual
// "south 30–35°" reference of installers and PVGIS users).
type PVReference struct {
	OptimumTiltDeg, OptimumAzimuthDeg float64
	OptimumYieldKWhKWp                float64
	South30YieldKWhKWp                float64
	South35YieldKWhKWp                float64
}

// pvReference evaluates the reference planes with e.
func pvReference(e pv.PlaneEvaluator) PVReference {
	t, a, _, y := e.Optimum()
	return PVReference{OptimumTiltDeg: t, OptimumAzimuthDeg: a, OptimumYieldKWhKWp: y,
		South30YieldKWhKWp: e.Plane(30, 180, nil).SpecificYieldKWhKWp,
		South35YieldKWhKWp: e.Plane(35, 180, nil).SpecificYieldKWhKWp}
}

// NorthHalfAngleDeg: a plane "faces north" when its azimuth is within this
// angle of north (0°), i.e. in the N, NNE/NNW and NE/NW sectors of an
// 8-point compass rose (issue 12's acceptance criterion). Horizontal planes
// (tilt 0) face nowhere.
const NorthHalfAngleDeg = 67.5

// facesNorth reports whether a tilted plane faces within NorthHalfAngleDeg
// of north (azimuth clockwise from north, degrees).
func facesNorth(tiltDeg, azDeg float64) bool {
	if tiltDeg <= 0 {
		return false
	}
	a := math.Mod(math.Mod(azDeg, 360)+360, 360)
	return a <= NorthHalfAngleDeg || a >= 360-NorthHalfAngleDeg
}

// PlaneStats summarise a set of roof planes: the technical potential (kept
// planes) and the shading statistics over all planes beside those of the
// kept planes (usable-area weighted), so that a reader sees what the
// selection leaves out.
type PlaneStats struct {
	// Planes with usable area, and the kept ones.
	Planes, PlanesKept int
	// TechnicalKWp, TechnicalKWhYr: technical potential (kept planes).
	TechnicalKWp, TechnicalKWhYr float64
	// TechnicalNorthKWp: kept capacity on planes facing within 67.5° of north.
	TechnicalNorthKWp float64
	// AllKWp: capacity of every plane with usable area (before selection).
	AllKWp float64
	// ShadingLossAllPct and ShadingLossKeptPct: usable-area-weighted mean
	// irradiation shading loss over all planes and over kept planes (NaN
	// when there is none).
	ShadingLossAllPct, ShadingLossKeptPct float64
	// ShadingLossAllQ50Pct, ShadingLossKeptQ50Pct: medians over the planes
	// (unweighted; NaN when there is none).
	ShadingLossAllQ50Pct, ShadingLossKeptQ50Pct float64
}

// TechnicalYieldKWhKWp is the capacity-weighted specific yield of the
// technical potential (NaN without capacity).
func (s PlaneStats) TechnicalYieldKWhKWp() float64 {
	if s.TechnicalKWp <= 0 {
		return math.NaN()
	}
	return s.TechnicalKWhYr / s.TechnicalKWp
}

// planeStats accumulates roof planes into PlaneStats.
type planeStats struct {
	s             PlaneStats
	wAll, shAll   float64
	wKept, shKept float64
	allSh, keptSh []float64
}

func (a *planeStats) add(r *pv.RoofPV) {
	if r.UsableM2 <= 0 {
		return
	}
	a.s.Planes++
	a.s.AllKWp += r.KWp
	a.wAll += r.UsableM2
	a.shAll += r.UsableM2 * r.ShadingLossPct
	a.allSh = append(a.allSh, r.ShadingLossPct)
	if !r.Kept {
		return
	}
	a.s.PlanesKept++
	a.s.TechnicalKWp += r.KWp
	a.s.TechnicalKWhYr += r.KWhYr
	if facesNorth(r.TiltDeg, r.AzimuthDeg) {
		a.s.TechnicalNorthKWp += r.KWp
	}
	a.wKept += r.UsableM2
	a.shKept += r.UsableM2 * r.ShadingLossPct
	a.keptSh = append(a.keptSh, r.ShadingLossPct)
}

func (a *planeStats) result() PlaneStats {
	s := a.s
	s.ShadingLossAllPct, s.ShadingLossKeptPct = math.NaN(), math.NaN()
	if a.wAll > 0 {
		s.ShadingLossAllPct = a.shAll / a.wAll
	}
	if a.wKept > 0 {
		s.ShadingLossKeptPct = a.shKept / a.wKept
	}
	s.ShadingLossAllQ50Pct, s.ShadingLossKeptQ50Pct = math.NaN(), math.NaN()
	if len(a.allSh) > 0 {
		s.ShadingLossAllQ50Pct = quantiles(a.allSh, 0.5)[0]
	}
	if len(a.keptSh) > 0 {
		s.ShadingLossKeptQ50Pct = quantiles(a.keptSh, 0.5)[0]
	}
	return s
}

// PlaneStatsOf summarises roofs.
func PlaneStatsOf(roofs []pv.RoofPV) PlaneStats {
	var a planeStats
	for i := range roofs {
		a.add(&roofs[i])
	}
	return a.result()
}

// communePlaneStats groups the roof planes by their building's commune.
func communePlaneStats(r *Result) map[string]PlaneStats {
	acc := map[string]*planeStats{}
	t := r.Territory
	for i := range t.Buildings {
		code := t.Buildings[i].CommuneINSEE
		a := acc[code]
		if a == nil {
			a = &planeStats{}
			acc[code] = a
		}
		for k := t.PlaneStart[i]; k < t.PlaneStart[i+1]; k++ {
			a.add(&r.PV.Roofs[k])
		}
	}
	out := make(map[string]PlaneStats, len(acc))
	for k, a := range acc {
		out[k] = a.result()
	}
	return out
}

// setAreaRange stores the usable-area range factors in every total: the
// technical potential's range is reported beside it, not multiplied into
// the yield quantiles.
func setAreaRange(r *Result) {
	lo, hi := uncertainty.AreaRange(&r.Scenario.Uncertainty)
	r.Totals.AreaLow, r.Totals.AreaHigh = lo, hi
	for i := range r.Communes {
		r.Communes[i].Totals.AreaLow, r.Communes[i].Totals.AreaHigh = lo, hi
	}
	for i := range r.Zones {
		r.Zones[i].Totals.AreaLow, r.Zones[i].Totals.AreaHigh = lo, hi
	}
}

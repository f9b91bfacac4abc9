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

// planeStats accumulates roof planes into PlaneStats (exported fields:
// it travels in the streaming study's partial aggregates).
type planeStats struct {
	S             PlaneStats `json:"s"`
	WAll, ShAll   float64
	WKept, ShKept float64
	AllSh, KeptSh []float64 `json:",omitempty"`
}

// merge adds o to a.
func (a *planeStats) merge(o *planeStats) {
	a.S.Planes += o.S.Planes
	a.S.PlanesKept += o.S.PlanesKept
	a.S.TechnicalKWp += o.S.TechnicalKWp
	a.S.TechnicalKWhYr += o.S.TechnicalKWhYr
	a.S.TechnicalNorthKWp += o.S.TechnicalNorthKWp
	a.S.AllKWp += o.S.AllKWp
	a.WAll += o.WAll
	a.ShAll += o.ShAll
	a.WKept += o.WKept
	a.ShKept += o.ShKept
	a.AllSh = append(a.AllSh, o.AllSh...)
	a.KeptSh = append(a.KeptSh, o.KeptSh...)
}

func (a *planeStats) add(r *pv.RoofPV) {
	if r.UsableM2 <= 0 {
		return
	}
	a.S.Planes++
	a.S.AllKWp += r.KWp
	a.WAll += r.UsableM2
	a.ShAll += r.UsableM2 * r.ShadingLossPct
	a.AllSh = append(a.AllSh, r.ShadingLossPct)
	if !r.Kept {
		return
	}
	a.S.PlanesKept++
	a.S.TechnicalKWp += r.KWp
	a.S.TechnicalKWhYr += r.KWhYr
	if facesNorth(r.TiltDeg, r.AzimuthDeg) {
		a.S.TechnicalNorthKWp += r.KWp
	}
	a.WKept += r.UsableM2
	a.ShKept += r.UsableM2 * r.ShadingLossPct
	a.KeptSh = append(a.KeptSh, r.ShadingLossPct)
}

func (a *planeStats) result() PlaneStats {
	s := a.S
	s.ShadingLossAllPct, s.ShadingLossKeptPct = math.NaN(), math.NaN()
	if a.WAll > 0 {
		s.ShadingLossAllPct = a.ShAll / a.WAll
	}
	if a.WKept > 0 {
		s.ShadingLossKeptPct = a.ShKept / a.WKept
	}
	s.ShadingLossAllQ50Pct, s.ShadingLossKeptQ50Pct = math.NaN(), math.NaN()
	if len(a.AllSh) > 0 {
		s.ShadingLossAllQ50Pct = quantiles(a.AllSh, 0.5)[0]
	}
	if len(a.KeptSh) > 0 {
		s.ShadingLossKeptQ50Pct = quantiles(a.KeptSh, 0.5)[0]
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

package heat

import (
	"fmt"
	"math"
	"strings"
)

// GMIZone is a zone of the French regulatory map for "géothermie de minime
// importance" (GMI: décret 2015-15 and arrêté of 25 June 2015, amended 29 May
// 2024; closed-loop probes < 200 m, < 500 kW).
type GMIZone string

const (
	GMIGreen   GMIZone = "green"  // declaration only
	GMIOrange  GMIZone = "orange" // declaration + certificate by an approved expert
	GMIRed     GMIZone = "red"    // outside the GMI regime: mining-code authorisation
	GMIUnknown GMIZone = ""       // zone not given
)

// GMIStatus is what a zone implies for a pre-study.
type GMIStatus struct {
	Zone GMIZone
	// Feasible is false in the red zone (a GMI probe field is not possible
	// there; a full authorisation procedure would be needed).
	Feasible  bool
	Procedure string
}

// GMIZoneStatus maps a zone class (as read from the regulatory layer by the
// caller: green/vert, orange, red/rouge, or "") to its procedure.
func GMIZoneStatus(zone string) (GMIStatus, error) {
	switch strings.ToLower(strings.TrimSpace(zone)) {
	case "green", "vert", "verte":
		return GMIStatus{GMIGreen, true, "declaration (télédéclaration GMI)"}, nil
	case "orange":
		return GMIStatus{GMIOrange, true, "declaration with an approved expert's certificate"}, nil
	case "red", "rouge":
		return GMIStatus{GMIRed, false, "outside GMI: mining-code authorisation required"}, nil
	case "":
		return GMIStatus{GMIUnknown, true, "zone unknown: check the GMI regulatory map"}, nil
	}
	return GMIStatus{}, fmt.Errorf("%w: GMI zone %q: want green, orange, red or empty", ErrHeatInput, zone)
}

// VDIExtractionWm returns the VDI 4640 part 2 specific heat extraction,
// W per metre of probe, for a ground class and the heat pump's full-load
// hours per year: the table's 1,800 h and 2,400 h values, linearly
// interpolated between them and held constant outside (a longer season
// would need a lower rate; beyond the table use a simulation tool such as
// EED). Valid for small systems (≤ 30 kW heating) and probes of 40–100 m.
func VDIExtractionWm(p GSHPParams, ground GroundClass, fullLoadHours float64) (float64, error) {
	e, ok := p.Extraction.For(ground)
	if !ok {
		return 0, fmt.Errorf("%w: ground class %q: want poor, normal or high", ErrHeatInput, ground)
	}
	h := math.Min(2400, math.Max(1800, fullLoadHours))
	return e.At1800hWm.Value + (h-1800)/600*(e.At2400hWm.Value-e.At1800hWm.Value), nil
}

// GSHPResult is a ground-source heat pump with a borehole field serving one
// building.
type GSHPResult struct {
	Emitter Emitter
	Ground  GroundClass
	GMI     GMIStatus
	// FullLoadHours = annual heat / design capacity, h/yr.
	FullLoadHours float64
	// ExtractionWm is the VDI 4640 specific extraction, W/m; DepthM the
	// probe length, m.
	ExtractionWm, DepthM float64
	// BoreholesPossible (from the parcel) and BoreholesNeeded (to cover the
	// design capacity).
	BoreholesPossible, BoreholesNeeded int
	// ExtractionKW = possible boreholes × depth × W/m, kW; HeatPumpKW the
	// thermal power they support, ExtractionKW · SCOP/(SCOP − 1), kW.
	ExtractionKW, HeatPumpKW float64
	// DesignCapacityKW is the thermal capacity wanted (sizing × design load).
	DesignCapacityKW float64
	// CoveragePower = min(1, HeatPumpKW / DesignCapacityKW); CoverageEnergy =
	// min(1, annual heat the field supports / annual heat demand), where the
	// field supports ExtractionKW × FullLoadHours of ground heat per year.
	CoveragePower, CoverageEnergy float64
	// SCOP (space + DHW, backup included) of the brine/water heat pump and
	// the electricity it would use to cover the whole demand, kWh/yr.
	SCOP, ElecKWh float64
}

// GSHP returns the ground-source potential of a building with demand d
// (computed with c.HDD), emitter e, boreholesPossible boreholes placed on
// its parcel (PlaceBoreholes), ground class ground ("" → Params.GSHP.Ground)
// and GMI zone class gmiZone ("" if unknown). O(1).
//
// The heat pump's thermal power per metre of probe is q·SCOP/(SCOP−1)
// (ground heat plus compressor work), with the building's seasonal COP;
// BoreholesNeeded = ceil(DesignCapacityKW / (depth·q·SCOP/(SCOP−1))).
func (c *HeatClimate) GSHP(d HeatDemand, e Emitter, boreholesPossible int, ground GroundClass, gmiZone string) (GSHPResult, error) {
	i, err := emitterIndex(e)
	if err != nil {
		return GSHPResult{}, err
	}
	if boreholesPossible < 0 {
		return GSHPResult{}, fmt.Errorf("%w: boreholes %d < 0", ErrHeatInput, boreholesPossible)
	}
	gp := c.Params.GSHP
	if ground == "" {
		ground = gp.Ground
	}
	st, err := GMIZoneStatus(gmiZone)
	if err != nil {
		return GSHPResult{}, err
	}
	base := c.result(d, e, c.gshp[i], c.gshpDHW)
	r := GSHPResult{Emitter: e, Ground: ground, GMI: st, DepthM: gp.ProbeDepthM.Value,
		BoreholesPossible: boreholesPossible, DesignCapacityKW: base.DesignCapacityKW,
		SCOP: base.SCOP, ElecKWh: base.ElecKWh}
	if base.DesignCapacityKW > 0 {
		r.FullLoadHours = base.HeatKWh / base.DesignCapacityKW
	}
	if r.ExtractionWm, err = VDIExtractionWm(gp, ground, r.FullLoadHours); err != nil {
		return GSHPResult{}, err
	}
	gain := 1.0
	if r.SCOP > 1 {
		gain = r.SCOP / (r.SCOP - 1)
	}
	perHoleKW := gp.ProbeDepthM.Value * r.ExtractionWm / 1000
	r.ExtractionKW = float64(boreholesPossible) * perHoleKW
	r.HeatPumpKW = r.ExtractionKW * gain
	if r.DesignCapacityKW > 0 {
		r.BoreholesNeeded = int(math.Ceil(r.DesignCapacityKW/(perHoleKW*gain) - 1e-9))
		r.CoveragePower = math.Min(1, r.HeatPumpKW/r.DesignCapacityKW)
	}
	if base.HeatKWh > 0 {
		h := math.Min(2400, math.Max(1800, r.FullLoadHours))
		r.CoverageEnergy = math.Min(1, r.ExtractionKW*h*gain/base.HeatKWh)
	}
	if !st.Feasible {
		r.CoveragePower, r.CoverageEnergy = 0, 0
	}
	return r, nil
}

package heat

import (
	"fmt"
	"math"
)

// Emitter is a heat distribution system; it sets the flow temperature.
type Emitter string

const (
	EmitterFloor           Emitter = "floor"             // floor heating 35/28 °C
	EmitterLowTempRadiator Emitter = "low_temp_radiator" // radiators 55/45 °C
	EmitterRadiator        Emitter = "radiator"          // radiators 70/55 °C
)

// Emitters lists the emitter types in a fixed order.
var Emitters = []Emitter{EmitterFloor, EmitterLowTempRadiator, EmitterRadiator}

func emitterIndex(e Emitter) (int, error) {
	for i, x := range Emitters {
		if x == e {
			return i, nil
		}
	}
	return 0, fmt.Errorf("%w: emitter %q: want floor, low_temp_radiator or radiator", ErrHeatInput, e)
}

// FlowTempC returns the flow temperature, °C, of a DIN V 4701-10 heating
// curve (as hplib's HeatingSystem.calc_heating_dist_temp, oversizing factor
// 1) for the daily mean outdoor temperature dailyMeanC:
//
//	T_f = T_i + ((T_i − T_d)/(T_i − T_min))^(1/n)·(T_f,max − T_i),  T_d < T_i
//	T_f = T_i otherwise
//
// T_i = indoorC, T_min = designC (curve design outdoor temperature), n and
// T_f,max from the curve. Below T_min the curve is extrapolated.
func FlowTempC(c HeatingCurve, indoorC, designC, dailyMeanC float64) float64 {
	if dailyMeanC >= indoorC {
		return indoorC
	}
	x := (indoorC - dailyMeanC) / (indoorC - designC)
	return indoorC + math.Pow(x, 1/c.Exponent.Value)*(c.FlowMaxC.Value-indoorC)
}

// When2HeatCOP returns the When2Heat COP of an air-source heat pump for a
// sink−source temperature difference deltaK (K), times the correction
// factor (0.85 in When2Heat): COP = f·(6.08 − 0.0941·ΔT + 0.000464·ΔT²).
// Source: Ruhnau, Hirth & Praktiknjo 2019, Sci. Data 6:189,
// doi:10.1038/s41597-019-0199-y.
func When2HeatCOP(deltaK, correction float64) float64 {
	return correction * (6.08 - 0.0941*deltaK + 0.000464*deltaK*deltaK)
}

// when2HeatSinkC is When2Heat's sink temperature: radiators 40 − T, floor
// heating 30 − 0.5·T, hot water 50 °C.
func when2HeatSinkC(e Emitter, ambC float64) float64 {
	if e == EmitterFloor {
		return 30 - 0.5*ambC
	}
	return 40 - ambC
}

// seasonal summarises a heat pump over the weather year for one emitter.
type seasonal struct {
	// elecPerSpace: kWh electricity per kWh of space heat over the year,
	// including the backup heater (COP 1) for the share the heat pump
	// cannot cover with its capacity curve.
	elecPerSpace float64
	backupShare  float64
}

// HeatClimate is everything of the heat model that depends only on the
// weather year and the parameters; prepare it once per weather file with
// NewHeatClimate, then per-building results are O(1).
type HeatClimate struct {
	Params Params
	StepH  float64
	// HDD is the hourly-method degree-days, K·day/yr (base
	// Params.Demand.BaseTempC.Value); HDDDaily the daily (DJU) method.
	HDD, HDDDaily float64
	// DegreeHoursKh is Σ max(0, base − T)·Δt per year, K·h/yr (= 24·HDD).
	DegreeHoursKh float64
	MinTempC      float64

	ashp, gshp       [3]seasonal
	ashpDHW, gshpDHW float64 // kWh_el per kWh of DHW (flat profile)
	ashpRow, gshpRow HPLibRow
}

// NewHeatClimate prepares the heat model for an outdoor air temperature
// series tempC (°C, interval means) at step stepH hours (usually one year
// of hourly values from a weather file).
//
// Space heat is distributed over the year by degree-hours (load ∝ max(0,
// base − T_h)); DHW is flat. For each emitter and hour the heat pump's COP
// and relative capacity come from hplib's generic row (ASHP: outdoor air
// source; GSHP: brine temperature from hplib's calc_brine_temp, the
// Fraunhofer ISE "WP Monitor" fit of soil temperature on the daily mean air
// temperature) at the heating-curve flow temperature of the daily mean air
// temperature (or When2Heat's COP and sinks). The heat pump's thermal
// capacity is SizingFactor × the design load at
// Params.Demand.DesignOutdoorC.Value, held constant over temperature: hplib's P_th
// of regulated units follows the EN 14825 part-load line of the KEYMARK test
// points (it falls with milder weather), so it is not a full-load capacity
// curve and is not used for sizing. Hours whose load exceeds the capacity
// (colder than the design temperature when SizingFactor = 1) are topped up
// by an electric heater (COP 1). The ground side (GSHP) is assumed not to limit the heat
// pump's capacity (see GSHPResult for the borehole check).
func NewHeatClimate(tempC []float64, stepH float64, p Params) (*HeatClimate, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := checkTemps(tempC, stepH); err != nil {
		return nil, err
	}
	c := &HeatClimate{Params: p, StepH: stepH}
	base, design := p.Demand.BaseTempC.Value, p.Demand.DesignOutdoorC.Value
	var err error
	if c.HDD, err = HDDHourly(tempC, stepH, base); err != nil {
		return nil, err
	}
	if c.HDDDaily, err = HDDDaily(tempC, stepH, base); err != nil {
		return nil, err
	}
	c.DegreeHoursKh = c.HDD * 24
	if c.ashpRow, err = GenericHPLib(p.ASHP.HPLibTitle, 1); err != nil {
		return nil, err
	}
	if c.gshpRow, err = GenericHPLib(p.GSHP.HPLibTitle, 2); err != nil {
		return nil, err
	}
	daily := dailyMeans(tempC, stepH)
	sumDH := 0.0
	c.MinTempC = math.Inf(1)
	for _, t := range tempC {
		sumDH += math.Max(0, base-t)
		c.MinTempC = math.Min(c.MinTempC, t)
	}
	n := float64(len(tempC))
	a, g := p.ASHP, p.GSHP
	curvesA := [3]HeatingCurve{a.Floor, a.LowTempRadiator, a.Radiator}
	curvesG := [3]HeatingCurve{g.Floor, g.LowTempRadiator, g.Radiator}
	for ei, e := range Emitters {
		// Air source.
		copFn := func(amb, daily float64) float64 {
			if a.Model == COPWhen2Heat {
				return When2HeatCOP(when2HeatSinkC(e, amb)-amb, a.When2HeatCorrection.Value)
			}
			cop, _, _ := c.ashpRow.Simulate(amb, FlowTempC(curvesA[ei], a.IndoorC.Value, a.CurveDesignC.Value, daily), amb)
			return cop
		}
		c.ashp[ei] = c.season(tempC, daily, sumDH, base, design, a.SizingFactor.Value, copFn)

		// Ground source: brine/water, brine temperature from the daily mean.
		gcopFn := func(amb, daily float64) float64 {
			cop, _, _ := c.gshpRow.Simulate(BrineTempC(daily), FlowTempC(curvesG[ei], g.IndoorC.Value, g.CurveDesignC.Value, daily), amb)
			return cop
		}
		c.gshp[ei] = c.season(tempC, daily, sumDH, base, design, a.SizingFactor.Value, gcopFn)
	}
	// DHW: flat profile, flow DHWFlowC.
	for i, t := range tempC {
		var copA float64
		if a.Model == COPWhen2Heat {
			copA = When2HeatCOP(50-t, a.When2HeatCorrection.Value)
		} else {
			copA, _, _ = c.ashpRow.Simulate(t, a.DHWFlowC.Value, t)
		}
		copG, _, _ := c.gshpRow.Simulate(BrineTempC(daily[i]), g.DHWFlowC.Value, t)
		c.ashpDHW += 1 / math.Max(1, copA)
		c.gshpDHW += 1 / math.Max(1, copG)
	}
	c.ashpDHW /= n
	c.gshpDHW /= n
	return c, nil
}

// BrineTempC is hplib's brine inflow temperature, °C, from the daily mean
// air temperature (HeatingSystem.calc_brine_temp; Fraunhofer ISE "WP
// Monitor" field measurement 2014, p. 115):
// T_brine = −0.0003·T³ + 0.0086·T² + 0.3047·T + 5.0647.
func BrineTempC(dailyMeanC float64) float64 {
	t := dailyMeanC
	return -0.0003*t*t*t + 0.0086*t*t + 0.3047*t + 5.0647
}

func (c *HeatClimate) season(tempC, daily []float64, sumDH, base, design, sizing float64,
	copFn func(amb, daily float64) float64) seasonal {
	var s seasonal
	if sumDH <= 0 {
		return s
	}
	for i, t := range tempC {
		dh := base - t
		if dh <= 0 {
			continue
		}
		w := dh / sumDH
		cop := math.Max(1, copFn(t, daily[i]))
		load := dh / (base - design)
		cov := 1.0
		if sizing < load {
			cov = sizing / load
		}
		s.elecPerSpace += w * (cov/cop + (1 - cov))
		s.backupShare += w * (1 - cov)
	}
	return s
}

// SCOP returns the seasonal COP of space heating alone for an emitter
// (Σ heat / Σ electricity, backup heater included) for the air source
// (ground = false) or the ground source (ground = true).
func (c *HeatClimate) SCOP(e Emitter, ground bool) (float64, error) {
	i, err := emitterIndex(e)
	if err != nil {
		return 0, err
	}
	s := c.ashp[i]
	if ground {
		s = c.gshp[i]
	}
	if s.elecPerSpace <= 0 {
		return math.NaN(), nil
	}
	return 1 / s.elecPerSpace, nil
}

// ASHPResult is an air-source heat pump serving one building.
type ASHPResult struct {
	Emitter Emitter
	// Heat delivered, kWh/yr.
	SpaceKWh, DHWKWh, HeatKWh float64
	// ElecKWh is the electricity used, backup heater included, kWh/yr.
	ElecKWh float64
	// SCOP = HeatKWh / ElecKWh (space + DHW); SCOPSpace for space alone.
	SCOP, SCOPSpace float64
	// BackupShare is the fraction of space heat from the backup heater.
	BackupShare float64
	// DesignCapacityKW is the heat pump's thermal capacity, kW
	// (SizingFactor × design load), taken as independent of the outdoor
	// temperature (see NewHeatClimate).
	DesignCapacityKW float64
}

// ASHP returns the air-source heat pump for a building's demand d
// (computed with c.HDD) and emitter e. O(1).
func (c *HeatClimate) ASHP(d HeatDemand, e Emitter) (ASHPResult, error) {
	i, err := emitterIndex(e)
	if err != nil {
		return ASHPResult{}, err
	}
	return c.result(d, e, c.ashp[i], c.ashpDHW), nil
}

func (c *HeatClimate) result(d HeatDemand, e Emitter, s seasonal, dhwRatio float64) ASHPResult {
	r := ASHPResult{Emitter: e, SpaceKWh: d.SpaceKWh, DHWKWh: d.DHWKWh, HeatKWh: d.SpaceKWh + d.DHWKWh}
	elecSpace := d.SpaceKWh * s.elecPerSpace
	r.ElecKWh = elecSpace + d.DHWKWh*dhwRatio
	if r.ElecKWh > 0 {
		r.SCOP = r.HeatKWh / r.ElecKWh
	}
	if elecSpace > 0 {
		r.SCOPSpace = d.SpaceKWh / elecSpace
	}
	r.BackupShare = s.backupShare
	r.DesignCapacityKW = c.Params.ASHP.SizingFactor.Value * d.DesignLoadKW
	return r
}

package heat

import (
	"fmt"
	"math"
)

// COPFunc is a lab (steady-state, EN 14511 / EN 14825) COP model of a heat
// pump: the COP at source temperature sourceC (outdoor air for an air-source
// unit, brine inlet for a ground-source one) and flow (condenser outlet)
// temperature flowC, both °C. hplib's fit is one: COP = p1·T_in + p2·T_out +
// p3 + p4·T_amb with T_amb = T_in for air/water units (model/hplib.go,
// HPLibRow.Simulate). Values ≤ 1 are treated as 1 (hplib switches to its
// heating rod there).
type COPFunc func(sourceC, flowC float64) float64

// FieldLosses are the lab-to-field terms added to a lab COP model. Each
// default has its source in the scenario parameters heat.field.* (FieldParams).
type FieldLosses struct {
	// CyclingCdh is the EN 14825 degradation coefficient for on/off cycling
	// (COP_PL = COP·CR/(Cdh·CR + 1 − Cdh), CR the part-load ratio of the
	// cycling compressor), default 0.9, the EN 14825 value used when it is not
	// measured.
	CyclingCdh float64
	// MinModulation is the lowest compressor output as a fraction of its
	// capacity; below it the compressor cycles. 0.25: hplib floors the
	// electric power of regulated units at 25 % of its value at −7 °C.
	MinModulation float64
	// StandbyW is the power drawn outside heating hours (EN 14825 off,
	// standby and crankcase-heater modes), W per heat pump. 15 W: median
	// P_SB and P_OFF of the 5,983 air/water units of hplib's KEYMARK
	// database (median P_CK 0 W).
	StandbyW float64
	// PumpsControlsW is the heating-circuit pump and controller power during
	// heating hours, W per heat pump (not in the EN 14825 SCOP of the unit).
	PumpsControlsW float64
	// DHWTankLossW is the standby heat loss of the hot-water tank, W per
	// dwelling, made up by the heat pump all year.
	DHWTankLossW float64
	// DHWFlowC is the mean flow temperature while charging the hot-water
	// tank, °C.
	DHWFlowC float64
	// FlowCapC is the highest flow temperature the heat pump delivers, °C;
	// above it a backup heater in series (COP 1) lifts the flow.
	FlowCapC float64
	// SizingFactor is the heat pump's thermal capacity as a fraction of the
	// design load at the design outdoor temperature (1 = monovalent sizing at
	// the base temperature); below it the backup heater covers the rest.
	SizingFactor float64
	// ResidualFactor multiplies the lab COP of every operating hour (space
	// heating and hot water): the field losses the terms above do not model
	// (flow above the heating curve behind buffer tanks and poorly stratified
	// stores, start-up and defrost losses beyond the lab points, controller
	// faults). Calibrated so that the chain reproduces the Fraunhofer ISE
	// WP-QS field mean of air/water units (see DefaultResidualFactor).
	ResidualFactor float64
}

// Validate reports the first out-of-range field.
func (l FieldLosses) Validate() error {
	return checkFieldRanges("field losses", []rangeCheck{
		{"cycling_cdh", l.CyclingCdh, 0.5, 1},
		{"min_modulation", l.MinModulation, 0, 1},
		{"standby_w", l.StandbyW, 0, 500},
		{"pumps_controls_w", l.PumpsControlsW, 0, 2000},
		{"dhw_tank_loss_w", l.DHWTankLossW, 0, 1000},
		{"dhw_flow_c", l.DHWFlowC, 30, 80},
		{"flow_cap_c", l.FlowCapC, 30, 90},
		{"sizing_factor", l.SizingFactor, 0.2, 3},
		{"residual_factor", l.ResidualFactor, 0.5, 1.2},
	})
}

// SeasonalInput describes one climate and heating system for
// NewSeasonalPerf.
type SeasonalInput struct {
	// TempC are outdoor air temperatures, °C, interval means at step StepH
	// hours (one year, starting at 00:00 so that days are blocks of 24/StepH
	// records). Move a station series to the territory first
	// (ShiftTemperatures).
	TempC []float64
	StepH float64
	// HeatingLimitC is the outdoor temperature above which there is no space
	// heating load, °C (the degree-day base, 18 °C in the French DJU
	// convention): the load is ∝ max(0, HeatingLimitC − T).
	HeatingLimitC float64
	// IndoorC is the indoor temperature of the heating curve, °C (20).
	IndoorC float64
	// DesignC is the design (base) outdoor temperature, °C
	// (BaseTemperatureC): the heat pump is sized and the emitters reach
	// their design flow there.
	DesignC float64
	Emitter EmitterClass
	// COP is the lab COP model; SourceC maps an hour's outdoor temperature
	// and the day's mean to the COP's source temperature (nil: the outdoor
	// air itself, for air-source units; a ground-source unit passes a brine
	// temperature model).
	COP     COPFunc
	SourceC func(outdoorC, dailyMeanC float64) float64
	Losses  FieldLosses
}

// SeasonalPerf is the climate- and system-dependent part of a heat pump's
// field performance, per kWh of heat; building results are O(1) from it
// (SeasonalPerf.Building).
type SeasonalPerf struct {
	// Lab SCOP of space heating: Σ heat / Σ heat/COP over the year at the
	// emitters' own curve, no flow cap, no backup, no cycling.
	SCOPLabSpace float64
	// SpaceElecPerKWh is the electricity per kWh of space heat with the flow
	// cap, capacity backup and cycling, kWh/kWh (aux and standby excluded).
	SpaceElecPerKWh float64
	// BackupShare is the share of space heat from the backup heater (flow
	// cap and capacity together); FlowCapShare the part due to the flow cap.
	BackupShare, FlowCapShare float64
	// CyclingLoss is the relative increase of compressor electricity caused
	// by cycling below MinModulation.
	CyclingLoss float64
	// DHWElecPerKWh is the electricity per kWh of heat put into the hot-water
	// tank (tank losses included in that heat), kWh/kWh.
	DHWElecPerKWh float64
	// HeatingHours is the number of hours per year with a space-heating load;
	// DegreeHoursKh Σ max(0, limit − T)·Δt per year, K·h.
	HeatingHours, DegreeHoursKh float64
	// MaxFlowC is the highest flow the emitters ask for (at or below the
	// design temperature it is the class's design flow).
	MaxFlowC float64
	Input    SeasonalInput
	// loadHist[k] = Σ degree-hours of the hours whose relative load ρ lies
	// in bin k (width loadBin), for EnergyCoverage.
	loadHist []float64
}

const loadBin = 0.01

// NewSeasonalPerf runs the hourly season once for a climate and system:
//
//   - hourly space-heating load ∝ max(0, HeatingLimitC − T_h); relative load
//     ρ = (limit − T)/(limit − DesignC), so the design load is reached at the
//     design temperature;
//   - flow temperature from CurveFlowC on the daily mean temperature; the
//     heat pump delivers at most FlowCapC and, by the emitter characteristic,
//     the share CappedShare of the hour's heat (the backup heater the rest);
//   - heat-pump capacity SizingFactor × design load, constant over
//     temperature (hplib's P_th of regulated units follows the EN 14825
//     part-load line, not a full-load capacity; see model/ashp.go); above it
//     the backup heater;
//   - cycling: when the heat pump's output is below MinModulation of its
//     capacity, COP × CR/(Cdh·CR + 1 − Cdh), CR = output/(MinModulation ×
//     capacity) (EN 14825 part-load formula for on/off operation);
//   - hot water: flat over the year, COP at DHWFlowC and the hour's source
//     temperature, backup above the flow cap.
//
// Cost: O(len(TempC)).
func NewSeasonalPerf(in SeasonalInput) (*SeasonalPerf, error) {
	if in.COP == nil {
		return nil, fmt.Errorf("%w: no COP model", ErrFieldInput)
	}
	if err := in.Losses.Validate(); err != nil {
		return nil, err
	}
	if err := in.Emitter.Validate(in.IndoorC); err != nil {
		return nil, err
	}
	if !(in.DesignC < in.HeatingLimitC && in.HeatingLimitC <= in.IndoorC+5) || in.DesignC < -40 {
		return nil, fmt.Errorf("%w: design %g °C must be below the heating limit %g °C (≤ indoor + 5)", ErrFieldInput, in.DesignC, in.HeatingLimitC)
	}
	if len(in.TempC) == 0 || !(in.StepH > 0 && in.StepH <= 24) || math.Abs(24/in.StepH-math.Round(24/in.StepH)) > 1e-9 {
		return nil, fmt.Errorf("%w: empty series or step %g h not dividing 24 h", ErrFieldInput, in.StepH)
	}
	per := int(math.Round(24 / in.StepH))
	daily := make([]float64, len(in.TempC))
	for s := 0; s < len(in.TempC); s += per {
		e := min(s+per, len(in.TempC))
		m := 0.0
		for i, t := range in.TempC[s:e] {
			if math.IsNaN(t) || t < -80 || t > 70 {
				return nil, fmt.Errorf("%w: temperature[%d] = %g °C missing or out of range", ErrFieldInput, s+i, t)
			}
			m += t
		}
		m /= float64(e - s)
		for i := s; i < e; i++ {
			daily[i] = m
		}
	}
	src := in.SourceC
	if src == nil {
		src = func(t, _ float64) float64 { return t }
	}
	l := in.Losses
	p := &SeasonalPerf{Input: in}
	yearScale := 8760 / (float64(len(in.TempC)) * in.StepH)
	span := in.HeatingLimitC - in.DesignC
	var sumW, labElec, elec, backup, capBackup, compNoCyc, compCyc, dhwElec float64
	for i, t := range in.TempC {
		s := src(t, daily[i])
		// Hot water: flat profile.
		dflow := math.Min(l.DHWFlowC, l.FlowCapC)
		dcop := math.Max(1, in.COP(s, dflow)*l.ResidualFactor)
		dshare := 1.0
		if l.DHWFlowC > l.FlowCapC { // backup lifts the rest (share of the temperature rise above ~10 °C cold water)
			dshare = (l.FlowCapC - 10) / (l.DHWFlowC - 10)
		}
		dhwElec += dshare/dcop + (1 - dshare)

		dh := in.HeatingLimitC - t
		if dh <= 0 {
			continue
		}
		p.HeatingHours += in.StepH
		sumW += dh
		rho := dh / span
		k := int(rho / loadBin)
		for len(p.loadHist) <= k {
			p.loadHist = append(p.loadHist, 0)
		}
		p.loadHist[k] += dh
		flow := CurveFlowC(in.Emitter, in.IndoorC, in.DesignC, daily[i])
		p.MaxFlowC = math.Max(p.MaxFlowC, flow)
		labElec += dh / math.Max(1, in.COP(s, flow))

		fc := CappedShare(in.Emitter, in.IndoorC, flow, l.FlowCapC)
		cov := 1.0
		if rho > l.SizingFactor {
			cov = l.SizingFactor / rho
		}
		f := fc * cov
		cop := math.Max(1, in.COP(s, math.Min(flow, l.FlowCapC))*l.ResidualFactor)
		plr := rho * f / l.SizingFactor
		copEff := cop
		if l.MinModulation > 0 && plr < l.MinModulation {
			cr := plr / l.MinModulation
			copEff = cop * cr / (l.CyclingCdh*cr + 1 - l.CyclingCdh)
		}
		elec += dh * (f/copEff + (1 - f))
		backup += dh * (1 - f)
		capBackup += dh * (1 - fc)
		compNoCyc += dh * f / cop
		compCyc += dh * f / copEff
	}
	p.HeatingHours *= yearScale
	p.DegreeHoursKh = sumW * in.StepH * yearScale
	p.DHWElecPerKWh = dhwElec / float64(len(in.TempC))
	if sumW > 0 {
		p.SCOPLabSpace = sumW / labElec
		p.SpaceElecPerKWh = elec / sumW
		p.BackupShare = backup / sumW
		p.FlowCapShare = capBackup / sumW
	}
	if compNoCyc > 0 {
		p.CyclingLoss = compCyc/compNoCyc - 1
	}
	return p, nil
}

// EnergyCoverage returns the share of the season's space heat that a heat
// pump of capacity capFraction × design load covers (the rest is a backup
// or second generator), from the hourly relative loads ρ of the season:
// Σ min(ρ, c)·w / Σ ρ·w. Use it for a ground-source field that cannot hold
// all the probes the design load needs (Borefield.Coverage): 60 % of the
// design capacity covers most of the energy.
func (p *SeasonalPerf) EnergyCoverage(capFraction float64) float64 {
	if !(capFraction > 0) {
		return 0
	}
	var num, den float64
	for k, w := range p.loadHist {
		rho := (float64(k) + 0.5) * loadBin
		num += w * math.Min(rho, capFraction)
		den += w * rho
	}
	if den == 0 {
		return math.NaN()
	}
	return math.Min(1, num/den)
}

// FieldHP is a heat pump serving one building with its field performance.
type FieldHP struct {
	// Heat delivered, kWh/yr: space heating, hot water (the need), and the
	// hot-water tank's standby loss made up by the system.
	SpaceKWh, DHWKWh, TankLossKWh float64
	// Electricity, kWh/yr: space heating (compressor with cycling, backup),
	// hot water (tank loss included), pumps and controls, standby.
	SpaceElecKWh, DHWElecKWh, AuxElecKWh, StandbyElecKWh float64
	// SCOPSpace = space heat / (space electricity + pumps/controls +
	// standby): the seasonal performance factor of space heating alone.
	// SCOPSystem = (space + hot-water need) / all electricity: the system
	// including hot water and its storage loss. NaN when not computed.
	SCOPSpace, SCOPSystem float64
	// DHWCOP = hot-water need / hot-water electricity (tank loss included).
	DHWCOP float64
	// BackupShare of space heat (flow cap and capacity).
	BackupShare float64
	// CapacityKW = SizingFactor × design load, kW.
	CapacityKW float64
}

// Building returns the heat pump of one building (or parcel group) with
// annual space-heating need spaceKWh, hot-water need dhwKWh (kWh/yr),
// design load designLoadKW (kW) and units heat pumps / hot-water tanks
// (dwellings with their own system; ≥ 1). O(1).
func (p *SeasonalPerf) Building(spaceKWh, dhwKWh, designLoadKW float64, units int) (FieldHP, error) {
	if math.IsNaN(spaceKWh) || spaceKWh < 0 || math.IsNaN(dhwKWh) || dhwKWh < 0 || math.IsNaN(designLoadKW) || designLoadKW < 0 {
		return FieldHP{}, fmt.Errorf("%w: space %g kWh, DHW %g kWh, design load %g kW must be ≥ 0", ErrFieldInput, spaceKWh, dhwKWh, designLoadKW)
	}
	if units < 1 {
		return FieldHP{}, fmt.Errorf("%w: units %d < 1", ErrFieldInput, units)
	}
	l := p.Input.Losses
	u := float64(units)
	r := FieldHP{SpaceKWh: spaceKWh, DHWKWh: dhwKWh, SCOPSpace: math.NaN(), SCOPSystem: math.NaN(), DHWCOP: math.NaN(),
		BackupShare: p.BackupShare, CapacityKW: l.SizingFactor * designLoadKW}
	if dhwKWh > 0 {
		r.TankLossKWh = u * l.DHWTankLossW * 8.76
	}
	r.SpaceElecKWh = spaceKWh * p.SpaceElecPerKWh
	r.DHWElecKWh = (dhwKWh + r.TankLossKWh) * p.DHWElecPerKWh
	if spaceKWh > 0 {
		r.AuxElecKWh = u * l.PumpsControlsW * p.HeatingHours / 1000
	}
	if spaceKWh > 0 || dhwKWh > 0 {
		r.StandbyElecKWh = u * l.StandbyW * (8760 - p.HeatingHours) / 1000
	}
	if e := r.SpaceElecKWh + r.AuxElecKWh + r.StandbyElecKWh; spaceKWh > 0 && e > 0 {
		r.SCOPSpace = spaceKWh / e
	}
	if e := r.SpaceElecKWh + r.DHWElecKWh + r.AuxElecKWh + r.StandbyElecKWh; e > 0 {
		r.SCOPSystem = (spaceKWh + dhwKWh) / e
	}
	if dhwKWh > 0 && r.DHWElecKWh > 0 {
		r.DHWCOP = dhwKWh / r.DHWElecKWh
	}
	return r, nil
}

// TankDHWCOP returns the hot-water COP of a heat pump charging a storage
// tank, in the terms of an EN 16147 test: daily tapped energy
// tappedKWhPerDay (EN 16147 load profiles: M 5.845, L 11.655, XL 19.07
// kWh/day), tank standby loss tankLossW (W), lab COP cop at the test's
// source and mean charging flow temperature:
//
//	COP_DHW = Q_tap / ((Q_tap + Q_loss)/COP).
func TankDHWCOP(cop, tappedKWhPerDay, tankLossW float64) (float64, error) {
	if !(cop >= 1) || !(tappedKWhPerDay > 0) || math.IsNaN(tankLossW) || tankLossW < 0 {
		return math.NaN(), fmt.Errorf("%w: COP %g, tapping %g kWh/day, tank loss %g W", ErrFieldInput, cop, tappedKWhPerDay, tankLossW)
	}
	loss := tankLossW * 24 / 1000
	return tappedKWhPerDay / ((tappedKWhPerDay + loss) / cop), nil
}

// TankStandbyLossW returns the upper bound of an energy-label class's
// standby heat loss S of a hot-water storage tank of volume volumeL (litres),
// W, by Commission Delegated Regulation (EU) No 812/2013, Annex II (energy
// efficiency classes of hot-water storage tanks):
// class A S < 8.5 + 4.25·V^0.4; B < 12 + 5.93·V^0.4; C < 16.66 + 8.33·V^0.4
// (S measured at 45 K above ambient).
func TankStandbyLossW(class string, volumeL float64) (float64, error) {
	if !(volumeL > 0 && volumeL <= 5000) {
		return math.NaN(), fmt.Errorf("%w: tank volume %g L", ErrFieldInput, volumeL)
	}
	v := math.Pow(volumeL, 0.4)
	switch class {
	case "A":
		return 8.5 + 4.25*v, nil
	case "B":
		return 12 + 5.93*v, nil
	case "C":
		return 16.66 + 8.33*v, nil
	}
	return math.NaN(), fmt.Errorf("%w: tank class %q: want A, B or C", ErrFieldInput, class)
}

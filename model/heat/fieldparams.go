package heat

import (
	"fmt"
	"math"

	"github.com/gisement/gisement/model/scenario"
)

// Scenario parameters of the field-grade heat layer (issue 11): the
// lab-to-field losses of heat pumps, the territory climate, the
// consumption-like calibration of the heat demand and the use/size
// fallbacks. They are the scenario's view (value, unit, source, date) of
// the defaults declared as constants in hpfield.go, field_defaults.go,
// calibration.go and usage.go; FieldLosses, CalibrationParams and
// UsageParams turn them into the plain settings the functions take.
//
// Settings that already have a key are not repeated here: the emitters'
// design flow and exponent are heat.ashp.{floor,low_temp_radiator,
// radiator} (floor_lt, radiator_55, radiator_ht) for air-source units and
// heat.gshp.* for ground-source ones; the indoor set point, hot-water flow
// and sizing factor are heat.ashp.indoor_c, dhw_flow_c and sizing_factor;
// the heating limit is heat.demand.base_temp_c; the storey height is
// heat.demand.storey_height_m; the probe spacing is land.boreholes.*.
// Legal and published limits are constants, not assumptions: NF X10-970
// spacing, the GMI limits (gmi.go), the VDI 4640 table validity
// (borefield.go) and the Fraunhofer ISE field means the residual factor is
// calibrated on (fieldstudy.go).

// fieldDate is the date the field-layer values were read or looked up.
const fieldDate = "2026-12-03"

// FieldParams are the lab-to-field and territory-climate settings
// (YAML key heat.field).
type FieldParams struct {
	// Lab-to-field losses (FieldLosses).
	CyclingCdh     scenario.Param `json:"cycling_cdh" yaml:"cycling_cdh"`
	MinModulation  scenario.Param `json:"min_modulation" yaml:"min_modulation"`
	StandbyW       scenario.Param `json:"standby_w" yaml:"standby_w"`
	PumpsControlsW scenario.Param `json:"pumps_controls_w" yaml:"pumps_controls_w"`
	DHWTankLossW   scenario.Param `json:"dhw_tank_loss_w" yaml:"dhw_tank_loss_w"`
	FlowCapC       scenario.Param `json:"flow_cap_c" yaml:"flow_cap_c"`
	ResidualFactor scenario.Param `json:"residual_factor" yaml:"residual_factor"`
	// LapseRateKPerM moves the weather station's temperatures to the
	// territory's altitude (TerritoryShiftK).
	LapseRateKPerM scenario.Param `json:"lapse_rate_k_per_m" yaml:"lapse_rate_k_per_m"`
	// DwellingAreaM2 turns a multi-family building's heated floor area into
	// a number of dwellings (hot-water tanks, circulators) when the data
	// give no dwelling count.
	DwellingAreaM2 scenario.Param `json:"dwelling_area_m2" yaml:"dwelling_area_m2"`
	// DesignTemperature: "territory" (default) takes the design outdoor
	// temperature from the commune's département and the territory's
	// altitude (BaseTemperatureC); "scenario" uses heat.demand.
	// design_outdoor_c everywhere (also the fallback when the département
	// is unknown).
	DesignTemperature string `json:"design_temperature" yaml:"design_temperature"`
}

// Design-temperature choices of FieldParams.DesignTemperature.
const (
	DesignFromTerritory = "territory"
	DesignFromScenario  = "scenario"
)

// DefaultFieldParams returns the documented defaults (the constants of
// hpfield.go and field_defaults.go).
func DefaultFieldParams() FieldParams {
	l := DefaultFieldLosses()
	p := func(v float64, unit, src string) scenario.Param { return scenario.PD(v, unit, src, fieldDate) }
	return FieldParams{
		CyclingCdh:        p(l.CyclingCdh, "1", "EN 14825:2018 default degradation coefficient Cdh for on/off cycling when not measured"),
		MinModulation:     p(l.MinModulation, "fraction", "hplib (FZJ-IEK3-VSA/hplib) part-load floor of regulated units: P_el ≥ 25 % of P_el at −7 °C"),
		StandbyW:          p(l.StandbyW, "W", "median P_SB and P_OFF of the 5,983 outdoor-air/water units of hplib_database 2023-04-27 (Heat Pump KEYMARK data)"),
		PumpsControlsW:    p(l.PumpsControlsW, "W", "our assumption (range 15–60 W): an Ecodesign circulator (EEI ≤ 0.23, Regulation (EC) 641/2009 as amended by (EU) 622/2012) draws 10–25 W, controls 5–15 W"),
		DHWTankLossW:      p(l.DHWTankLossW, "W", "Regulation (EU) 812/2013 Annex II, class B bound S < 12 + 5.93·V^0.4 for a 200 L tank per dwelling (volume: our assumption, range 150–300 L)"),
		FlowCapC:          p(l.FlowCapC, "°C", "median 'max. water heating temperature' of the 5,983 outdoor-air/water units of hplib_database 2023-04-27 (quartiles 55 / 60 °C); upper end of hplib's fitted range"),
		ResidualFactor:    p(l.ResidualFactor, "1", "calibrated so that the chain reproduces the air/water field mean SPF 3.4 of "+FieldStudySource+" on its reference case (TestResidualFactorReproducesFieldSPF)"),
		LapseRateKPerM:    p(DefaultLapseRateKPerM, "K/m", "Rolland 2003, J. Climate 16(7), doi:10.1175/1520-0442(2003)016<1032:SASVOA>2.0.CO;2 (annual 0.45–0.65 K/100 m); the 3CL-DPE 2021 base-temperature table steps 2 K per 400 m"),
		DwellingAreaM2:    p(65, "m²", "our assumption (range 55–75 m²): mean floor area of a French apartment, order of the INSEE housing surveys"),
		DesignTemperature: DesignFromTerritory,
	}
}

// Validate reports the first out-of-range setting.
func (p FieldParams) Validate() error {
	for _, c := range []struct {
		name   string
		v      scenario.Param
		lo, hi float64
	}{
		{"field.cycling_cdh", p.CyclingCdh, 0.5, 1}, {"field.min_modulation", p.MinModulation, 0, 1},
		{"field.standby_w", p.StandbyW, 0, 500}, {"field.pumps_controls_w", p.PumpsControlsW, 0, 2000},
		{"field.dhw_tank_loss_w", p.DHWTankLossW, 0, 1000}, {"field.flow_cap_c", p.FlowCapC, 30, 90},
		{"field.residual_factor", p.ResidualFactor, 0.5, 1.2}, {"field.lapse_rate_k_per_m", p.LapseRateKPerM, 0.001, 0.0099},
		{"field.dwelling_area_m2", p.DwellingAreaM2, 15, 300},
	} {
		if err := check(c.name, c.v, c.lo, c.hi, false); err != nil {
			return err
		}
	}
	if p.DesignTemperature != DesignFromTerritory && p.DesignTemperature != DesignFromScenario {
		return paramErr("field.design_temperature", fmt.Sprintf("%q: want %q or %q", p.DesignTemperature, DesignFromTerritory, DesignFromScenario))
	}
	return nil
}

// Losses returns the FieldLosses of these settings with the hot-water flow
// and sizing factor of the heat pump's own settings (heat.ashp).
func (p FieldParams) Losses(dhwFlowC, sizingFactor float64) FieldLosses {
	return FieldLosses{CyclingCdh: p.CyclingCdh.Value, MinModulation: p.MinModulation.Value, StandbyW: p.StandbyW.Value,
		PumpsControlsW: p.PumpsControlsW.Value, DHWTankLossW: p.DHWTankLossW.Value, DHWFlowC: dhwFlowC,
		FlowCapC: p.FlowCapC.Value, SizingFactor: sizingFactor, ResidualFactor: p.ResidualFactor.Value}
}

// CalibrationSettings are the consumption-like calibration settings (YAML
// key heat.calibration; see CalibrationParams).
type CalibrationSettings struct {
	PreboundA        scenario.Param `json:"prebound_a" yaml:"prebound_a"`
	PreboundB        scenario.Param `json:"prebound_b" yaml:"prebound_b"`
	RatioMin         scenario.Param `json:"ratio_min" yaml:"ratio_min"`
	RatioMax         scenario.Param `json:"ratio_max" yaml:"ratio_max"`
	RatingEfficiency scenario.Param `json:"rating_efficiency" yaml:"rating_efficiency"`
	// Observed-consumption scaling (SDES/ORE local energy data).
	ScaleMin            scenario.Param `json:"scale_min" yaml:"scale_min"`
	ScaleMax            scenario.Param `json:"scale_max" yaml:"scale_max"`
	GasHeatShare        scenario.Param `json:"gas_heat_share_res" yaml:"gas_heat_share_res"`
	GasBoilerEfficiency scenario.Param `json:"gas_boiler_efficiency" yaml:"gas_boiler_efficiency"`
	// OccupiedShare multiplies the residential consumption-like demand:
	// main residences / dwellings of the territory (INSEE census P_RP /
	// P_LOG; OccupiedShare). 1 = every dwelling heated; default: the
	// national share.
	OccupiedShare scenario.Param `json:"occupied_share" yaml:"occupied_share"`
}

// DefaultCalibrationSettings returns the documented defaults.
func DefaultCalibrationSettings() CalibrationSettings {
	c := DefaultCalibrationParams()
	p := func(v float64, unit, src string) scenario.Param { return scenario.PD(v, unit, src, fieldDate) }
	return CalibrationSettings{
		PreboundA:           p(c.PreboundA, "1", PreboundSource+": ratio = a − b·ln(rating)"),
		PreboundB:           p(c.PreboundB, "1/ln(kWh/m²/an)", PreboundSource),
		RatioMin:            p(c.RatioMin, "ratio", PreboundSource+"; floor beyond the 500 kWh/m²·yr anchor: our assumption"),
		RatioMax:            p(c.RatioMax, "ratio", PreboundSource+"; cap (moderate rebound of efficient buildings): our assumption"),
		RatingEfficiency:    p(c.RatingEfficiency, "fraction", "our assumption (range 0.70–0.90): seasonal efficiency of the rated boiler stock, turning the need into the final-energy rating the prebound data is expressed in"),
		ScaleMin:            p(c.ScaleMin, "ratio", "our assumption: an observed/modelled scale below this points at a data problem; reported, not applied"),
		ScaleMax:            p(c.ScaleMax, "ratio", "our assumption: an observed/modelled scale above this points at a data problem; reported, not applied"),
		GasHeatShare:        p(c.GasHeatShare, "fraction", "our assumption (range 0.88–0.97): share of residential gas for space heating and hot water, cooking being a few per cent (SDES/Ceren energy balances)"),
		GasBoilerEfficiency: p(c.GasBoilerEfficiency, "fraction", "our assumption (range 0.75–0.95): seasonal efficiency of the stock of standard and condensing boilers"),
		OccupiedShare:       scenario.PD(0.821, "fraction", "INSEE, estimation annuelle du parc de logements au 1er janvier 2023 (France hors Mayotte): 82.1 % of 37.8 million dwellings are main residences (vacant dwellings and second homes taken as unheated); set the territory's census P_RP / P_LOG (Périgueux, census 2022: 17,357 / 20,766 = 0.836)", "2023-01"),
	}
}

// Params returns the plain calibration settings.
func (c CalibrationSettings) Params() CalibrationParams {
	return CalibrationParams{PreboundA: c.PreboundA.Value, PreboundB: c.PreboundB.Value, RatioMin: c.RatioMin.Value,
		RatioMax: c.RatioMax.Value, RatingEfficiency: c.RatingEfficiency.Value, ScaleMin: c.ScaleMin.Value,
		ScaleMax: c.ScaleMax.Value, GasHeatShare: c.GasHeatShare.Value, GasBoilerEfficiency: c.GasBoilerEfficiency.Value}
}

// Validate reports the first out-of-range setting.
func (c CalibrationSettings) Validate() error {
	if err := c.Params().Validate(); err != nil {
		return paramErr("calibration", err.Error())
	}
	if err := check("calibration.occupied_share", c.OccupiedShare, 0.3, 1, false); err != nil {
		return err
	}
	return nil
}

// UsageSettings are the use and size fallback settings (YAML key
// heat.usage; see UsageParams). The storey height is
// heat.demand.storey_height_m.
type UsageSettings struct {
	AnnexMaxFootprintM2     scenario.Param `json:"annex_max_footprint_m2" yaml:"annex_max_footprint_m2"`
	AnnexLowMaxFootprintM2  scenario.Param `json:"annex_low_max_footprint_m2" yaml:"annex_low_max_footprint_m2"`
	AnnexLowMaxHeightM      scenario.Param `json:"annex_low_max_height_m" yaml:"annex_low_max_height_m"`
	AnnexRowMaxFootprintM2  scenario.Param `json:"annex_row_max_footprint_m2" yaml:"annex_row_max_footprint_m2"`
	AnnexRowMinElongation   scenario.Param `json:"annex_row_min_elongation" yaml:"annex_row_min_elongation"`
	AnnexRowMaxHeightM      scenario.Param `json:"annex_row_max_height_m" yaml:"annex_row_max_height_m"`
	HallMinFootprintM2      scenario.Param `json:"hall_min_footprint_m2" yaml:"hall_min_footprint_m2"`
	HallMaxHeightM          scenario.Param `json:"hall_max_height_m" yaml:"hall_max_height_m"`
	LargeMinFootprintM2     scenario.Param `json:"large_min_footprint_m2" yaml:"large_min_footprint_m2"`
	RoofAllowanceM          scenario.Param `json:"roof_allowance_m" yaml:"roof_allowance_m"`
	MultiFamilyMinDwellings scenario.Param `json:"multi_family_min_dwellings" yaml:"multi_family_min_dwellings"`
}

// DefaultUsageSettings returns the documented defaults.
func DefaultUsageSettings() UsageSettings {
	u := DefaultUsageParams()
	p := func(v float64, unit, src string) scenario.Param { return scenario.PD(v, unit, src, fieldDate) }
	const row = "our assumption: a row of garage boxes is ≤ 150 m², length/width ≥ 4 and ≤ 4 m high"
	return UsageSettings{
		AnnexMaxFootprintM2:     p(u.AnnexMaxFootprintM2, "m²", UsageFallbackSource),
		AnnexLowMaxFootprintM2:  p(u.AnnexLowMaxFootprintM2, "m²", "our assumption: small and low (≤ 60 m², ≤ 3 m) is an annex; a one-storey house measures ≥ 4 m to the ridge"),
		AnnexLowMaxHeightM:      p(u.AnnexLowMaxHeightM, "m", "our assumption: see annex_low_max_footprint_m2"),
		AnnexRowMaxFootprintM2:  p(u.AnnexRowMaxFootprintM2, "m²", row),
		AnnexRowMinElongation:   p(u.AnnexRowMinElongation, "ratio", row),
		AnnexRowMaxHeightM:      p(u.AnnexRowMaxHeightM, "m", row),
		HallMinFootprintM2:      p(u.HallMinFootprintM2, "m²", UsageFallbackSource),
		HallMaxHeightM:          p(u.HallMaxHeightM, "m", UsageFallbackSource),
		LargeMinFootprintM2:     p(u.LargeMinFootprintM2, "m²", UsageFallbackSource),
		RoofAllowanceM:          p(u.RoofAllowanceM, "m", "our assumption (range 0–3 m): half a typical 3 m roof rise when the height is taken to the ridge (BD TOPO HAUTEUR, BDNB hauteur)"),
		MultiFamilyMinDwellings: p(float64(u.MultiFamilyMinDwellings), "dwellings", "TABULA size classes: 1–2 dwellings single-family (SFH/TH), 3 or more multi-family (MFH/AB)"),
	}
}

// Params returns the plain usage settings with the storey height
// storeyHeightM (heat.demand.storey_height_m).
func (u UsageSettings) Params(storeyHeightM float64) UsageParams {
	return UsageParams{AnnexMaxFootprintM2: u.AnnexMaxFootprintM2.Value, AnnexLowMaxFootprintM2: u.AnnexLowMaxFootprintM2.Value,
		AnnexLowMaxHeightM: u.AnnexLowMaxHeightM.Value, AnnexRowMaxFootprintM2: u.AnnexRowMaxFootprintM2.Value,
		AnnexRowMinElongation: u.AnnexRowMinElongation.Value, AnnexRowMaxHeightM: u.AnnexRowMaxHeightM.Value,
		HallMinFootprintM2: u.HallMinFootprintM2.Value, HallMaxHeightM: u.HallMaxHeightM.Value,
		LargeMinFootprintM2: u.LargeMinFootprintM2.Value, StoreyHeightM: storeyHeightM, RoofAllowanceM: u.RoofAllowanceM.Value,
		MultiFamilyMinDwellings: u.MultiFamilyMinDwellings.Int()}
}

// Validate reports the first out-of-range setting.
func (u UsageSettings) Validate() error {
	if math.Trunc(u.MultiFamilyMinDwellings.Value) != u.MultiFamilyMinDwellings.Value {
		return paramErr("usage.multi_family_min_dwellings", "must be a whole number")
	}
	if err := u.Params(StoreyHeightM).Validate(); err != nil {
		return paramErr("usage", err.Error())
	}
	return nil
}

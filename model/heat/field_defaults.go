package heat

import (
	"fmt"
	"math"
)

// FieldDefault is one default value of the field-grade heat layer, in the
// shape of a scenario parameter: key, value, unit, source and the date the
// value was read or looked up. "assumption" in Source marks our own value,
// with a reason and a range.
type FieldDefault struct {
	Key    string
	Value  float64
	Unit   string
	Source string
	Date   string
}

// Defaults of the lab-to-field losses (FieldLosses), hot water and
// emitters.
const (
	// DefaultCyclingCdh: EN 14825:2018 default degradation coefficient for
	// on/off operation of air/water units when not measured.
	DefaultCyclingCdh = 0.9
	// DefaultMinModulation: hplib's part-load floor of regulated units (P_el
	// ≥ 25 % of P_el at −7 °C), FZJ-IEK3-VSA/hplib hplib.py.
	DefaultMinModulation = 0.25
	// DefaultStandbyW: median P_SB (15 W) and P_OFF (15 W) of the 5,983
	// outdoor-air/water rows of hplib_database 2023-04-27 (Heat Pump KEYMARK
	// data); median P_CK 0 W, P_TO 19 W.
	DefaultStandbyW = 15.0
	// DefaultPumpsControlsW: heating-circuit circulator and controller during
	// heating hours, W. Assumption: 30 W (range 15–60): an Ecodesign circulator
	// (EEI ≤ 0.23, Regulation (EC) 641/2009 as amended by (EU) 622/2012) of a
	// house draws 10–25 W, controller and heat-pump electronics 5–15 W.
	DefaultPumpsControlsW = 30.0
	// DefaultFlowCapC: median "Max. water heating temperature" of the 5,983
	// outdoor-air/water rows of hplib_database 2023-04-27 (quartiles 55 / 60
	// °C); also the upper end of hplib's fitted range (KEYMARK points at 35
	// and 55 °C, outlet = inlet + 5 K).
	DefaultFlowCapC = 60.0
	// DefaultDHWFlowC: mean flow while charging the tank, °C. Assumption: 55
	// °C (tank set to 50–55 °C, charging from a partly mixed tank; range
	// 50–60).
	DefaultDHWFlowC = 55.0
	// DefaultTankVolumeL / DefaultTankClass: 200 L label class B tank per
	// dwelling (typical 3–4 person house). Assumption for the volume (range
	// 150–300 L); the loss bound of class B is Regulation (EU) 812/2013.
	DefaultTankVolumeL = 200.0
	DefaultTankClass   = "B"
	// DefaultSizingFactor: monovalent sizing at the base temperature (NF DTU
	// 65.16 sizing practice: the heat pump covers the losses at the base
	// temperature, with or without backup).
	DefaultSizingFactor = 1.0
	// DefaultResidualFactor: lab-to-field residual, calibrated by
	// TestResidualFactorReproducesFieldSPF on the WP-QS reference case
	// (fieldstudy.go) so that the chain gives the field mean SPF 3.4 of
	// air/water units; the test re-derives it and fails if it drifts by more
	// than 0.005.
	DefaultResidualFactor = 0.914
	// DefaultIndoorC / DefaultHeatingLimitC: heating-curve indoor set point
	// 20 °C (hplib, DIN V 4701-10) and the degree-day base 18 °C (French DJU
	// convention, ADEME Base Carbone "Corrections climatiques").
	DefaultIndoorC       = 20.0
	DefaultHeatingLimitC = 18.0
)

// DefaultFieldLosses returns the documented lab-to-field defaults.
func DefaultFieldLosses() FieldLosses {
	tank, _ := TankStandbyLossW(DefaultTankClass, DefaultTankVolumeL)
	return FieldLosses{
		CyclingCdh:     DefaultCyclingCdh,
		MinModulation:  DefaultMinModulation,
		StandbyW:       DefaultStandbyW,
		PumpsControlsW: DefaultPumpsControlsW,
		DHWTankLossW:   math.Round(tank*10) / 10,
		DHWFlowC:       DefaultDHWFlowC,
		FlowCapC:       DefaultFlowCapC,
		SizingFactor:   DefaultSizingFactor,
		ResidualFactor: DefaultResidualFactor,
	}
}

// FieldDefaults lists every default of the field-grade heat layer with its
// unit, source and date, in a fixed order (keys are the scenario keys the
// lead will give them).
func FieldDefaults() []FieldDefault {
	l := DefaultFieldLosses()
	const d = "2026-12-03"
	out := []FieldDefault{
		{"heat.field.cycling_cdh", l.CyclingCdh, "-", "EN 14825:2018 default degradation coefficient Cdh (on/off cycling)", d},
		{"heat.field.min_modulation", l.MinModulation, "-", "hplib (FZJ-IEK3-VSA) part-load floor of regulated units: 25 % of P_el at -7 °C", d},
		{"heat.field.standby_w", l.StandbyW, "W", "median P_SB/P_OFF of 5,983 air/water units, hplib_database 2023-04-27 (Heat Pump KEYMARK)", d},
		{"heat.field.pumps_controls_w", l.PumpsControlsW, "W", "assumption (range 15-60): Ecodesign circulator EEI <= 0.23 (Reg. 641/2009, 622/2012) 10-25 W + controls 5-15 W", d},
		{"heat.field.dhw_tank_loss_w", l.DHWTankLossW, "W", "Reg. (EU) 812/2013 Annex II class B bound 12 + 5.93 V^0.4 for a 200 L tank (volume: assumption, 150-300 L)", d},
		{"heat.field.dhw_flow_c", l.DHWFlowC, "°C", "assumption (range 50-60): mean charging flow of a tank set to 50-55 °C", d},
		{"heat.field.flow_cap_c", l.FlowCapC, "°C", "median 'Max. water heating temperature' of 5,983 air/water units, hplib_database 2023-04-27 (quartiles 55/60)", d},
		{"heat.field.sizing_factor", l.SizingFactor, "-", "monovalent sizing at the base temperature (NF DTU 65.16 practice)", d},
		{"heat.field.residual_factor", l.ResidualFactor, "-", "calibrated: chain reproduces the WP-QS air/water field mean SPF 3.4 on its reference case (" + FieldStudySource + "; reference case in fieldstudy.go)", d},
		{"heat.field.indoor_c", DefaultIndoorC, "°C", "hplib / DIN V 4701-10 heating-curve set point", d},
		{"heat.field.heating_limit_c", DefaultHeatingLimitC, "°C", "French DJU base 18 °C (ADEME Base Carbone, Corrections climatiques)", d},
		{"heat.field.lapse_rate_k_per_m", DefaultLapseRateKPerM, "K/m", "Rolland 2003 J. Climate 16(7) doi:10.1175/1520-0442(2003)016<1032:SASVOA>2.0.CO;2 (0.45-0.65 K/100 m); 3CL Tbase step 2 K/400 m", d},
	}
	for _, e := range EmitterClasses {
		out = append(out, FieldDefault{"heat.field.emitter." + e.Name + ".design_flow_c", e.DesignFlowC, "°C",
			"emitter class design flow: floor 35 (EN 1264 practice), radiators 55 (NF DTU 65.16 'moyenne température'), high-temperature 70 (boiler-era 90/70-70/50 design); assumption within the 65-70 range for HT", d})
	}
	out = append(out,
		FieldDefault{"heat.field.field_spf_air_mean", FieldSPFAirMean, "-", FieldStudySource, "2025-11"},
		FieldDefault{"heat.field.field_spf_ground_mean", FieldSPFGroundMean, "-", FieldStudySource, "2025-11"},
		FieldDefault{"heat.calibration.prebound_a", PreboundA, "-", PreboundSource, d},
		FieldDefault{"heat.calibration.prebound_b", PreboundB, "1/ln(kWh/m2.yr)", PreboundSource, d},
		FieldDefault{"heat.calibration.ratio_min", PreboundRatioMin, "-", PreboundSource + "; floor: assumption", d},
		FieldDefault{"heat.calibration.ratio_max", PreboundRatioMax, "-", PreboundSource + "; cap: assumption", d},
		FieldDefault{"heat.calibration.rating_efficiency", RatingEfficiency, "-", "assumption (0.70-0.90): seasonal efficiency of the rated boiler stock, need -> final-energy rating", d},
		FieldDefault{"heat.calibration.scale_min", ObservedScaleMin, "-", "assumption: observed/model scales outside [0.3, 2] are flagged, not applied", d},
		FieldDefault{"heat.calibration.scale_max", ObservedScaleMax, "-", "assumption: observed/model scales outside [0.3, 2] are flagged, not applied", d},
		FieldDefault{"heat.calibration.gas_heat_share_res", GasHeatShareResidential, "-", GasShareSource, d},
		FieldDefault{"heat.calibration.gas_boiler_efficiency", GasBoilerEfficiency, "-", GasShareSource, d},
		FieldDefault{"heat.usage.annex_max_footprint_m2", AnnexMaxFootprintM2, "m2", UsageFallbackSource, d},
		FieldDefault{"heat.usage.annex_low_max_footprint_m2", AnnexLowMaxFootprintM2, "m2", "assumption: small and low (<= 60 m2, <= 3 m) is an annex; a one-storey house measures >= 4 m to the ridge", d},
		FieldDefault{"heat.usage.annex_low_max_height_m", AnnexLowMaxHeightM, "m", "assumption: see annex_low_max_footprint_m2", d},
		FieldDefault{"heat.usage.annex_row_max_footprint_m2", AnnexRowMaxFootprintM2, "m2", "assumption: row of garage boxes (<= 150 m2, length/width >= 4, <= 4 m)", d},
		FieldDefault{"heat.usage.annex_row_min_elongation", AnnexRowMinElongation, "-", "assumption: see annex_row_max_footprint_m2", d},
		FieldDefault{"heat.usage.annex_row_max_height_m", AnnexRowMaxHeightM, "m", "assumption: see annex_row_max_footprint_m2", d},
		FieldDefault{"heat.usage.large_min_footprint_m2", LargeMinFootprintM2, "m2", UsageFallbackSource, d},
		FieldDefault{"heat.usage.multi_family_min_dwellings", MultiFamilyMinDwellings, "-", "TABULA size classes: 1-2 dwellings single-family (SFH/TH), 3+ multi-family (MFH/AB)", d},
		FieldDefault{"heat.usage.hall_min_footprint_m2", HallMinFootprintM2, "m2", UsageFallbackSource, d},
		FieldDefault{"heat.usage.hall_max_height_m", HallMaxHeightM, "m", UsageFallbackSource, d},
		FieldDefault{"heat.usage.storey_height_m", StoreyHeightM, "m", "assumption 3 m floor-to-floor (range 2.7-3.3)", d},
		FieldDefault{"heat.usage.roof_allowance_m", RoofAllowanceM, "m", "assumption: half a typical 3 m roof rise when the height is taken to the ridge (BD TOPO HAUTEUR)", d},
		FieldDefault{"heat.gshp.spacing_m", NFX10970SpacingM, "m", NFX10970Source, d},
		FieldDefault{"heat.gshp.vdi_max_kw", VDIMaxHeatingKW, "kW", VDISource, d},
		FieldDefault{"heat.gshp.vdi_min_depth_m", VDIMinDepthM, "m", VDISource, d},
		FieldDefault{"heat.gshp.vdi_max_depth_m", VDIMaxDepthM, "m", VDISource, d},
		FieldDefault{"heat.gshp.vdi_max_probes", VDIMaxProbes, "-", VDIMaxProbesSource, d},
		FieldDefault{"heat.gshp.gmi_max_kw", GMIMaxPowerKW, "kW", GMISource, d},
		FieldDefault{"heat.gshp.gmi_min_depth_m", GMIMinDepthM, "m", GMISource, d},
		FieldDefault{"heat.gshp.gmi_max_depth_m", GMIMaxDepthM, "m", GMISource, d},
	)
	return out
}

// rangeCheck is one setting and its admissible range.
type rangeCheck struct {
	name   string
	v      float64
	lo, hi float64
}

// checkFieldRanges reports the first setting outside its range (NaN included).
func checkFieldRanges(what string, cs []rangeCheck) error {
	for _, c := range cs {
		if math.IsNaN(c.v) || c.v < c.lo || c.v > c.hi {
			return fmt.Errorf("%w: %s %s = %g, want [%g, %g]", ErrFieldInput, what, c.name, c.v, c.lo, c.hi)
		}
	}
	return nil
}

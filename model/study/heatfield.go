package study

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/model"
	"github.com/gisement/gisement/model/econ"
	"github.com/gisement/gisement/model/heat"
	"github.com/gisement/gisement/solar/weather"
)

// The field-grade heat layer in the pipeline (issue 11):
//
//   - territory climate, once per study: the weather station's temperatures
//     are moved to the footprint-weighted median altitude of the buildings
//     (heat.TerritoryShiftK, lapse rate heat.field.lapse_rate_k_per_m); the
//     degree-days of the conventional need and the hourly season of the heat
//     pumps use the shifted series; the design outdoor temperature is read
//     per commune from its département and the territory altitude
//     (heat.BaseTemperatureC, 3CL-DPE 2021 table), with heat.demand.
//     design_outdoor_c as the fallback (or everywhere when heat.field.
//     design_temperature is "scenario");
//   - use and size per building from its attributes with counted fallbacks
//     (heat.UsageParams.Resolve);
//   - two heat quantities per building: the conventional need (TABULA,
//     heat.EstimateHeatDemand) and the consumption-like demand (residential
//     space heating × the prebound ratio, heat.CalibrationParams.
//     ConsumptionLike; hot water unchanged; residential × heat.calibration.
//     occupied_share; tertiary: the conventional need, no published
//     prebound data). The consumption-like demand is BuildingResult.Heat:
//     totals, annex, heat pumps and economics use it;
//   - air-source heat pumps with field losses (heat.NewSeasonalPerf once
//     per design temperature and emitter class, heat.SeasonalPerf.Building
//     per building); the emitter class follows the construction year
//     (heat.EmitterForYear) unless Options.Emitter sets it;
//   - ground-source per parcel: probes placed at ≥ 10 m (NF X10-970),
//     sized to the need (heat.SizeBorefield: installed = min(needed,
//     possible), capacity ≤ design load, VDI 4640 only inside its validity,
//     GMI check with "to verify" when the zone is unknown).

// heatCtx is the heat layer prepared once per study (read-only during the
// parallel evaluation, except the atomic counters).
type heatCtx struct {
	p      heat.Params
	usage  heat.UsageParams
	cal    heat.CalibrationParams
	hdd    float64 // territory degree-days, K·d/yr (base heat.demand.base_temp_c)
	design map[string]designTemp
	// perf[design °C] = air and ground seasonal performance per emitter
	// class (index: floor_lt, radiator_55, radiator_ht).
	perf    map[float64]*perfSet
	emitter int // Options.Emitter as a class index, -1 = by construction year
	*heatCounters
	summary HeatSummary
}

// heatCounters count the heat layer's rules over the evaluated buildings
// (one set per study, or per chunk of a streaming study).
type heatCounters struct {
	counts   heat.UsageCounts
	emitRule [4]atomic.Int64 // emitter rules: unknown_year_majority, before_1975, 1975_2012, rt2012_and_later
	optionEm atomic.Int64    // buildings whose emitter came from Options.Emitter
	errs     atomic.Int64    // buildings whose heat model failed (not heated)
}

// withCounters returns a copy of h with fresh counters (a chunk's).
func (h *heatCtx) withCounters() *heatCtx {
	c := *h
	c.heatCounters = &heatCounters{}
	return &c
}

// heatPartial is the heat layer's part of a partial aggregate: the
// counters and the SCOPs whose medians the summary reports (a chunk's
// lists; the merge moves them to spilled sets, aggMerge).
type heatPartial struct {
	UseSources map[string]int64 `json:"use_sources,omitempty"`
	EmitRule   [4]int64         `json:"emit_rule"`
	OptionEm   int64            `json:"option_emitter"`
	Errs       int64            `json:"errors"`
	SCOPSystem []float64        `json:"scop_system,omitempty"`
	SCOPSpace  []float64        `json:"scop_space,omitempty"`
}

// addBuilding records a heated building's air-source SCOPs.
func (p *heatPartial) addBuilding(br *BuildingResult) {
	if hp := br.Field.HP; br.Heated && !math.IsNaN(hp.SCOPSystem) && hp.SpaceKWh > 0 {
		p.SCOPSystem = append(p.SCOPSystem, hp.SCOPSystem)
		p.SCOPSpace = append(p.SCOPSpace, hp.SCOPSpace)
	}
}

// count adds the counters of h to p.
func (p *heatPartial) count(h *heatCtx) {
	if p.UseSources == nil {
		p.UseSources = map[string]int64{}
	}
	for k, v := range h.counts.Snapshot() {
		p.UseSources[k] += v
	}
	for k := range p.EmitRule {
		p.EmitRule[k] += h.emitRule[k].Load()
	}
	p.OptionEm += h.optionEm.Load()
	p.Errs += h.errs.Load()
}

func (p *heatPartial) merge(o *heatPartial) {
	if p.UseSources == nil {
		p.UseSources = map[string]int64{}
	}
	for k, v := range o.UseSources {
		p.UseSources[k] += v
	}
	for k := range p.EmitRule {
		p.EmitRule[k] += o.EmitRule[k]
	}
	p.OptionEm += o.OptionEm
	p.Errs += o.Errs
	p.SCOPSystem = append(p.SCOPSystem, o.SCOPSystem...)
	p.SCOPSpace = append(p.SCOPSpace, o.SCOPSpace...)
}

type designTemp struct {
	c      float64
	source string
}

type perfSet struct {
	air, ground [3]*heat.SeasonalPerf
	// groundCOP is the brine/water lab COP model (design COP of a field).
	groundCOP heat.COPFunc
	classes   [3]heat.EmitterClass // ground classes (design flows)
}

var emitterRuleNames = [4]string{"unknown_year_majority", "before_1975", "1975_2012", "rt2012_and_later"}

// HeatSummary reports the territory climate and the heat layer's fallbacks
// of a study (stored in the summary, printed by the CLI).
type HeatSummary struct {
	StationAltitudeM   float64 `json:"station_altitude_m"`
	TerritoryAltitudeM float64 `json:"territory_altitude_m"`
	// AltitudeMissing counts buildings without a ground altitude (skipped in
	// the median; all missing: the station's altitude is used, shift 0).
	AltitudeMissing int     `json:"altitude_missing"`
	ShiftK          float64 `json:"temperature_shift_k"`
	StationHDD      float64 `json:"station_hdd"`
	TerritoryHDD    float64 `json:"territory_hdd"`
	// DesignC: design outdoor temperature per commune INSEE code, with its
	// source (3CL-DPE table or the scenario fallback).
	DesignC      map[string]float64 `json:"design_temperature_c"`
	DesignSource map[string]string  `json:"design_temperature_source"`
	// UseSources: how each building's use, storeys, kind and year were
	// decided (attribute or fallback rule; heat.UsageCounts names).
	UseSources map[string]int64 `json:"use_sources"`
	// EmitterRules: how each heated building's emitter class was chosen.
	EmitterRules map[string]int64 `json:"emitter_rules"`
	// ModelErrors: buildings whose heat model failed (counted unheated).
	ModelErrors   int64   `json:"model_errors"`
	OccupiedShare float64 `json:"occupied_share"`
	// Median air-source SCOP of the heated buildings (system incl. hot water,
	// and space heating alone).
	MedianSCOPSystem float64 `json:"median_ashp_scop_system"`
	MedianSCOPSpace  float64 `json:"median_ashp_scop_space"`
}

// BuildingHeatField is the field layer's result for one building.
type BuildingHeatField struct {
	Use heat.ResolvedUse
	// Conventional is the TABULA conventional need ("besoin conventionnel");
	// BuildingResult.Heat is the consumption-like demand.
	Conventional heat.HeatDemand
	// Ratio is consumption-like / conventional space heating (prebound).
	Ratio float64
	// Emitter class name and the rule that chose it.
	Emitter, EmitterRule string
	DesignC              float64
	Units                int
	HP                   heat.FieldHP
}

// ParcelHeatField is the field layer's result for one parcel.
type ParcelHeatField struct {
	Conventional heat.HeatDemand
	// HP sums the buildings' air-source heat pumps (SCOPs recomputed).
	HP      heat.FieldHP
	Emitter string
	// Bore is the ground-source field sized to the need; GSHP the
	// brine/water heat pump serving the whole need; CoverageEnergy the
	// share of the heat the installed field supplies.
	Bore           heat.Borefield
	BoreOK         bool
	GSHP           heat.FieldHP
	CoverageEnergy float64
}

// emitterIndex returns the class index of a class name.
func emitterClassIndex(name string) int {
	for i, e := range heat.EmitterClasses {
		if e.Name == name {
			return i
		}
	}
	return 2
}

// classes returns the emitter classes of a heat pump's curves (design flow
// and exponent from the scenario's floor, low-temperature radiator and
// radiator curves).
func classes(fl, lt, ra heat.HeatingCurve) [3]heat.EmitterClass {
	out := [3]heat.EmitterClass{heat.EmitterFloorLT, heat.EmitterRadiator55, heat.EmitterRadiatorHT}
	for i, c := range []heat.HeatingCurve{fl, lt, ra} {
		out[i].DesignFlowC, out[i].Exponent = c.FlowMaxC.Value, c.Exponent.Value
	}
	return out
}

// climateOf computes the heat model's territory-wide input from the
// buildings: the footprint-weighted median ground altitude
// (heat.TerritoryAltitudeM) and the communes.
func climateOf(alts, weights []float64, communes []string) HeatClimate {
	alt, missing, err := heat.TerritoryAltitudeM(alts, weights)
	if err != nil || math.IsNaN(alt) {
		alt, err = 0, fmt.Errorf("no altitude") // not used (the station's is), 0 keeps the plan JSON-encodable
	}
	return HeatClimate{AltitudeM: alt, Missing: missing, OK: err == nil, Communes: communes}
}

// territoryClimate is climateOf over a loaded territory.
func territoryClimate(t *geo.Territory) HeatClimate {
	alts, ws2 := make([]float64, len(t.Buildings)), make([]float64, len(t.Buildings))
	var communes []string
	seen := map[string]bool{}
	for i := range t.Buildings {
		alts[i], ws2[i] = t.Buildings[i].GroundAltM, t.Buildings[i].FootprintM2
		if c := t.Buildings[i].CommuneINSEE; !seen[c] {
			seen[c] = true
			communes = append(communes, c)
		}
	}
	return climateOf(alts, ws2, communes)
}

// newHeatCtx prepares the territory climate and the heat pumps' seasons.
func newHeatCtx(cl HeatClimate, ws *weather.Series, sc *model.Scenario, em heat.Emitter) (*heatCtx, []float64, error) {
	hp := sc.Heat
	h := &heatCtx{p: hp, usage: hp.Usage.Params(hp.Demand.StoreyHeightM.Value), cal: hp.Calibration.Params(),
		design: map[string]designTemp{}, perf: map[float64]*perfSet{}, emitter: -1, heatCounters: &heatCounters{}}
	if em != "" {
		i := slices.Index(heat.Emitters, em)
		if i < 0 {
			return nil, nil, fmt.Errorf("emitter %q: want floor, low_temp_radiator or radiator", em)
		}
		h.emitter = i
	}
	temps := make([]float64, len(ws.Records))
	for i, rec := range ws.Records {
		temps[i] = rec.TempAirC
	}
	s := &h.summary
	s.StationAltitudeM = ws.ElevationM
	alt := cl.AltitudeM
	s.AltitudeMissing = cl.Missing
	var err error
	if !cl.OK || math.IsNaN(ws.ElevationM) {
		alt = ws.ElevationM // no altitude known: the station's (reported)
	}
	s.TerritoryAltitudeM = alt
	if !math.IsNaN(alt) && !math.IsNaN(ws.ElevationM) {
		if s.ShiftK, err = heat.TerritoryShiftK(ws.ElevationM, alt, hp.Field.LapseRateKPerM.Value); err != nil {
			return nil, nil, err
		}
	}
	shifted := heat.ShiftTemperatures(temps, s.ShiftK)
	base := hp.Demand.BaseTempC.Value
	if s.StationHDD, err = heat.HDDHourly(temps, ws.StepH, base); err != nil {
		return nil, nil, err
	}
	if h.hdd, err = heat.HDDHourly(shifted, ws.StepH, base); err != nil {
		return nil, nil, err
	}
	s.TerritoryHDD = h.hdd

	// Design temperature per commune.
	s.DesignC, s.DesignSource = map[string]float64{}, map[string]string{}
	for _, c := range cl.Communes {
		if _, ok := h.design[c]; ok {
			continue
		}
		d := designTemp{hp.Demand.DesignOutdoorC.Value, "scenario heat.demand.design_outdoor_c"}
		if hp.Field.DesignTemperature == heat.DesignFromTerritory {
			if v, err := heat.BaseTemperatureC(c, alt); err == nil {
				d = designTemp{v, fmt.Sprintf("3CL-DPE 2021 base temperature, département %s, %.0f m", c[:2], alt)}
			} else {
				d.source += " (département unknown: " + err.Error() + ")"
			}
		}
		h.design[c] = d
		key := c
		if key == "" {
			key = "unknown"
		}
		s.DesignC[key], s.DesignSource[key] = d.c, d.source
	}

	// Heat-pump seasons per design temperature and emitter class.
	a, g := hp.ASHP, hp.GSHP
	airRow, err := heat.GenericHPLib(a.HPLibTitle, 1)
	if err != nil {
		return nil, nil, err
	}
	groundRow, err := heat.GenericHPLib(g.HPLibTitle, 2)
	if err != nil {
		return nil, nil, err
	}
	airCOP := func(src, flow float64) float64 {
		if a.Model == heat.COPWhen2Heat {
			return heat.When2HeatCOP(flow-src, a.When2HeatCorrection.Value)
		}
		c, _, _ := airRow.Simulate(src, flow, src)
		return c
	}
	// Brine/water: hplib's ambient term is taken at the brine temperature
	// (the COPFunc has no outdoor input; the generic brine rows' ambient
	// coefficient is small).
	groundCOP := func(src, flow float64) float64 {
		c, _, _ := groundRow.Simulate(src, flow, src)
		return c
	}
	brine := func(_, daily float64) float64 { return heat.BrineTempC(daily) }
	airCls := classes(a.Floor, a.LowTempRadiator, a.Radiator)
	groundCls := classes(g.Floor, g.LowTempRadiator, g.Radiator)
	for _, d := range h.design {
		if h.perf[d.c] != nil {
			continue
		}
		ps := &perfSet{groundCOP: groundCOP, classes: groundCls}
		for k := range 3 {
			in := heat.SeasonalInput{TempC: shifted, StepH: ws.StepH, HeatingLimitC: base, IndoorC: a.IndoorC.Value, DesignC: d.c,
				Emitter: airCls[k], COP: airCOP, Losses: hp.Field.Losses(a.DHWFlowC.Value, a.SizingFactor.Value)}
			if ps.air[k], err = heat.NewSeasonalPerf(in); err != nil {
				return nil, nil, fmt.Errorf("air-source season (%s, design %.1f °C): %w", airCls[k].Name, d.c, err)
			}
			in.IndoorC, in.Emitter, in.COP, in.SourceC = g.IndoorC.Value, groundCls[k], groundCOP, brine
			in.Losses = hp.Field.Losses(g.DHWFlowC.Value, a.SizingFactor.Value)
			if ps.ground[k], err = heat.NewSeasonalPerf(in); err != nil {
				return nil, nil, fmt.Errorf("ground-source season (%s, design %.1f °C): %w", groundCls[k].Name, d.c, err)
			}
		}
		h.perf[d.c] = ps
	}
	s.OccupiedShare = hp.Calibration.OccupiedShare.Value
	return h, shifted, nil
}

// elongation estimates length / width of a footprint from its area A and
// outer perimeter P as the rectangle with the same A and P (L + W = P/2,
// L·W = A); NaN when no such rectangle exists (very compact or complex
// shapes). A minimum rotated rectangle (which orb lacks) would be exact for
// rectangles too; the equivalent rectangle overstates elongation of
// ragged outlines, so it is only used for the "row of garages" fallback.
func elongation(fp orb.MultiPolygon, areaM2 float64) float64 {
	if len(fp) == 0 || len(fp[0]) == 0 || !(areaM2 > 0) {
		return math.NaN()
	}
	p := planar.Length(fp[0][0])
	half := p / 2
	disc := half*half - 4*areaM2
	if disc < 0 && disc > -1e-9*half*half { // a square, up to rounding
		disc = 0
	}
	if disc < 0 {
		return math.NaN()
	}
	l := (half + math.Sqrt(disc)) / 2
	w := (half - math.Sqrt(disc)) / 2
	if w <= 0 {
		return math.NaN()
	}
	return l / w
}

// heatBuilding fills br's heat fields (use, conventional need,
// consumption-like demand, air-source heat pump).
func (e *evaluator) heatBuilding(i int, br *BuildingResult) {
	h := e.heat
	b := &e.t.Buildings[i]
	attrs := heat.BuildingAttrs{Usage1: b.Use, Dwellings: -1, Storeys: -1, Year: -1, FootprintM2: b.FootprintM2,
		HeightM: math.NaN(), FlatRoof: b.RoofType == geo.RoofFlat, Elongation: elongation(b.Footprint, b.FootprintM2)}
	if b.Levels > 0 {
		attrs.Storeys = b.Levels
	}
	if b.Year > 0 {
		attrs.Year = b.Year
	}
	if b.HeightSource == "attribute" { // a levels- or default-derived height says nothing more
		attrs.HeightM = b.HeightM
	}
	r, err := h.usage.Resolve(attrs, &h.counts)
	if err != nil {
		h.errs.Add(1)
		return
	}
	f := &br.Field
	f.Use = r
	if !r.Heated {
		return
	}
	in := heat.BuildingHeatInput{FootprintM2: b.FootprintM2, Levels: r.Storeys, Use: heat.UseResidential, Kind: heat.SingleHouse}
	if r.StoreySource == "default" {
		in.Levels = h.p.Demand.DefaultLevels.Int()
	}
	if r.Use != heat.UseClassResidential {
		in.Use = heat.UseTertiary
	}
	if r.MultiFamily {
		in.Kind = heat.MultiFamily
	}
	if r.Year > 0 {
		in.Year = r.Year
	}
	d := h.design[b.CommuneINSEE]
	dp := h.p.Demand
	dp.DesignOutdoorC.Value = d.c
	conv, err := heat.EstimateHeatDemand(in, h.hdd, dp)
	if err != nil {
		h.errs.Add(1)
		return
	}
	f.Conventional, f.DesignC, f.Ratio = conv, d.c, 1
	dem := conv
	if in.Use == heat.UseResidential && conv.FloorAreaM2 > 0 {
		c, err := h.cal.ConsumptionLike(conv.SpecificSpaceKWhM2, conv.DHWKWh/conv.FloorAreaM2)
		if err != nil {
			h.errs.Add(1)
			return
		}
		occ := h.p.Calibration.OccupiedShare.Value
		f.Ratio = c.Ratio
		dem.SpaceKWh = c.SpaceKWhM2 * conv.FloorAreaM2 * occ
		dem.DHWKWh = conv.DHWKWh * occ
		dem.SpecificSpaceKWhM2 = dem.SpaceKWh / conv.FloorAreaM2
		dem.TotalKWh = dem.SpaceKWh + dem.DHWKWh
		dem.DesignLoadKW = heat.DesignLoadKW(dem.SpaceKWh, h.hdd, dp.BaseTempC.Value, d.c)
	}
	br.Heat, br.Heated = dem, true

	k := h.emitter
	if k >= 0 {
		f.EmitterRule = "option"
		h.optionEm.Add(1)
	} else {
		cls, rule := heat.EmitterForYear(r.Year)
		k, f.EmitterRule = emitterClassIndex(cls.Name), rule
		h.emitRule[slices.Index(emitterRuleNames[:], rule)].Add(1)
	}
	f.Emitter = heat.EmitterClasses[k].Name
	f.Units = 1
	if in.Use == heat.UseResidential && r.MultiFamily {
		if r.Dwellings > 0 {
			f.Units = r.Dwellings
		} else {
			f.Units = max(1, int(math.Round(conv.FloorAreaM2/h.p.Field.DwellingAreaM2.Value)))
		}
	}
	hp, err := h.perf[d.c].air[k].Building(dem.SpaceKWh, dem.DHWKWh, dem.DesignLoadKW, f.Units)
	if err != nil {
		h.errs.Add(1)
		return
	}
	f.HP = hp
	br.ASHP = ashpOf(hp, heat.Emitters[k])
}

// ashpOf is the field heat pump in the pipeline's ASHPResult form (SCOP =
// system SCOP including hot water).
func ashpOf(hp heat.FieldHP, em heat.Emitter) heat.ASHPResult {
	return heat.ASHPResult{Emitter: em, SpaceKWh: hp.SpaceKWh, DHWKWh: hp.DHWKWh, HeatKWh: hp.SpaceKWh + hp.DHWKWh,
		ElecKWh: hp.SpaceElecKWh + hp.DHWElecKWh + hp.AuxElecKWh + hp.StandbyElecKWh, SCOP: finite(hp.SCOPSystem),
		SCOPSpace: finite(hp.SCOPSpace), BackupShare: hp.BackupShare, DesignCapacityKW: hp.CapacityKW}
}

// addFieldHP adds b to a (sums; SCOPs recomputed by finishFieldHP).
func addFieldHP(a *heat.FieldHP, b heat.FieldHP) {
	a.BackupShare += b.BackupShare * b.SpaceKWh // weighted, divided in finish
	a.SpaceKWh += b.SpaceKWh
	a.DHWKWh += b.DHWKWh
	a.TankLossKWh += b.TankLossKWh
	a.SpaceElecKWh += b.SpaceElecKWh
	a.DHWElecKWh += b.DHWElecKWh
	a.AuxElecKWh += b.AuxElecKWh
	a.StandbyElecKWh += b.StandbyElecKWh
	a.CapacityKW += b.CapacityKW
}

func finishFieldHP(a *heat.FieldHP) {
	a.SCOPSpace, a.SCOPSystem, a.DHWCOP = math.NaN(), math.NaN(), math.NaN()
	if a.SpaceKWh > 0 {
		a.BackupShare /= a.SpaceKWh
		if e := a.SpaceElecKWh + a.AuxElecKWh + a.StandbyElecKWh; e > 0 {
			a.SCOPSpace = a.SpaceKWh / e
		}
	}
	if e := a.SpaceElecKWh + a.DHWElecKWh + a.AuxElecKWh + a.StandbyElecKWh; e > 0 {
		a.SCOPSystem = (a.SpaceKWh + a.DHWKWh) / e
	}
	if a.DHWKWh > 0 && a.DHWElecKWh > 0 {
		a.DHWCOP = a.DHWKWh / a.DHWElecKWh
	}
}

// heatParcel sums the parcel's heated buildings (pr.Heat is the
// consumption-like sum, done by the caller), sizes its ground-source field
// and computes the heat pumps' economics.
func (e *evaluator) heatParcel(pr *ParcelResult, p *geo.Parcel, bres []BuildingResult) {
	h := e.heat
	sc := e.o.Scenario
	f := &pr.Field
	units, best, bestSpace := 0, 2, -1.0
	design := math.NaN()
	for _, bi := range p.BuildingIdx {
		br := &bres[bi]
		if !br.Heated {
			continue
		}
		addDemand(&f.Conventional, br.Field.Conventional)
		addFieldHP(&f.HP, br.Field.HP)
		units += br.Field.Units
		if br.Heat.SpaceKWh > bestSpace {
			best, bestSpace = emitterClassIndex(br.Field.Emitter), br.Heat.SpaceKWh
			design = br.Field.DesignC
		}
	}
	finishFieldHP(&f.HP)
	if pr.HeatedBuilding == 0 || math.IsNaN(design) {
		return
	}
	f.Emitter = heat.EmitterClasses[best].Name
	pr.ASHP = ashpOf(f.HP, heat.Emitters[best])

	// Ground source: the field sized to the parcel's need.
	ps := h.perf[design]
	gp := sc.Heat.GSHP
	rates, _ := gp.Extraction.For(gp.Ground)
	cls := ps.classes[best]
	flow := math.Min(cls.DesignFlowC, sc.Heat.Field.FlowCapC.Value)
	copDesign := ps.groundCOP(heat.BrineTempC(design), flow) * sc.Heat.Field.ResidualFactor.Value
	bf, err := heat.SizeBorefield(heat.BorefieldInput{DesignLoadKW: sc.Heat.ASHP.SizingFactor.Value * pr.Heat.DesignLoadKW,
		AnnualHeatKWh: pr.Heat.TotalKWh, COPDesign: math.Max(1.01, copDesign), Ground: string(gp.Ground), DepthM: gp.ProbeDepthM.Value,
		PossibleBoreholes: len(pr.Boreholes.Points), SpacingM: pr.Boreholes.SpacingM, GMIZone: pr.GMIZone,
		RatesWm: [2]float64{rates.At1800hWm.Value, rates.At2400hWm.Value}})
	if err != nil {
		pr.Errors = append(pr.Errors, "gshp: "+err.Error())
		return
	}
	f.Bore, f.BoreOK = bf, true
	g, err := ps.ground[best].Building(pr.Heat.SpaceKWh, pr.Heat.DHWKWh, pr.Heat.DesignLoadKW, max(1, units))
	if err != nil {
		pr.Errors = append(pr.Errors, "gshp: "+err.Error())
		return
	}
	f.GSHP = g
	if bf.Installed > 0 {
		f.CoverageEnergy = ps.ground[best].EnergyCoverage(bf.Coverage)
	}
	// The pipeline's GSHPResult view (kept for readers of the old fields).
	pr.GSHP = heat.GSHPResult{Emitter: heat.Emitters[best], Ground: gp.Ground, FullLoadHours: bf.FullLoadHours,
		ExtractionWm: bf.RateWm, DepthM: gp.ProbeDepthM.Value, BoreholesPossible: bf.Possible, BoreholesNeeded: bf.Needed,
		HeatPumpKW: bf.CapacityKW, DesignCapacityKW: sc.Heat.ASHP.SizingFactor.Value * pr.Heat.DesignLoadKW,
		CoveragePower: bf.Coverage, CoverageEnergy: f.CoverageEnergy, SCOP: finite(g.SCOPSystem),
		ElecKWh: g.SpaceElecKWh + g.DHWElecKWh + g.AuxElecKWh + g.StandbyElecKWh}
	pr.GSHP.GMI.Feasible = bf.GMI.Feasible

	if pr.ASHPSiting.OK && pr.ASHP.HeatKWh > 0 && pr.ASHP.SCOP > 0 {
		if ec, err := econ.HeatPumpEconomics(&sc.Econ, econ.HeatPumpEconomicsOptions{Kind: econ.HeatPumpAir,
			HeatKWhYr: pr.ASHP.HeatKWh, ElecKWhYr: pr.ASHP.ElecKWh, SCOP: pr.ASHP.SCOP, CapacityKW: pr.ASHP.DesignCapacityKW,
			Segment: econ.SegmentResidential}); err == nil {
			pr.ASHPEcon, pr.ASHPEconOK = ec, true
		}
	}
	// Ground-source economics for an installed field that the GMI regime
	// does not exclude ("to verify" parcels are priced, and flagged by
	// gshp_gmi_status; the totals count them apart).
	if bf.Installed > 0 && bf.GMI.Status != heat.GMIOutside && pr.GSHP.SCOP > 0 {
		if ec, err := econ.HeatPumpEconomics(&sc.Econ, econ.HeatPumpEconomicsOptions{Kind: econ.HeatPumpGround,
			HeatKWhYr: f.CoverageEnergy * pr.Heat.TotalKWh, SCOP: pr.GSHP.SCOP, CapacityKW: bf.CapacityKW,
			Boreholes: bf.Installed, BoreholeDepthM: gp.ProbeDepthM.Value, Segment: econ.SegmentResidential}); err == nil {
			pr.GSHPEcon, pr.GSHPEconOK = ec, true
		}
	}
}

// finishHeat fills the study's heat summary and warnings after the
// evaluation; medSys and medSpace are the median air-source SCOPs of the
// heated buildings (aggMerge.scopMedians, exact), medOK false without any.
func (h *heatCtx) finish(r *Result, hp *heatPartial, medSys, medSpace float64, medOK bool) {
	sum := h.summary // a copy: the context may serve other chunks
	s := &sum
	s.UseSources = map[string]int64{}
	for k, v := range hp.UseSources {
		s.UseSources[k] = v
	}
	s.EmitterRules = map[string]int64{}
	for k, n := range emitterRuleNames {
		if v := hp.EmitRule[k]; v > 0 {
			s.EmitterRules[n] = v
		}
	}
	if v := hp.OptionEm; v > 0 {
		s.EmitterRules["option"] = v
	}
	s.ModelErrors = hp.Errs
	if medOK {
		s.MedianSCOPSystem, s.MedianSCOPSpace = medSys, medSpace
	}
	r.Heat = s

	var fb []string
	for _, k := range []string{"fallback_annex_small", "fallback_annex_low", "fallback_annex_row", "fallback_hall", "fallback_large", "fallback_default_residential"} {
		if n := s.UseSources[k]; n > 0 {
			fb = append(fb, fmt.Sprintf("%s %d", strings.TrimPrefix(k, "fallback_"), n))
		}
	}
	if len(fb) > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("heat: %d buildings without a use attribute, use from footprint and height (%s); storeys from height %d, default %d; construction year unknown %d",
			sumFallbacks(s.UseSources), strings.Join(fb, ", "), s.UseSources["storeys_height"], s.UseSources["storeys_default"], s.UseSources["year_unknown"]))
	}
	var designs []string
	for c, v := range s.DesignC {
		designs = append(designs, fmt.Sprintf("%s %.1f °C", c, v))
	}
	sort.Strings(designs)
	r.Warnings = append(r.Warnings, fmt.Sprintf("heat: territory climate at %.0f m (station %.0f m, %d buildings without altitude): temperatures %+.2f K, degree-days %.0f → %.0f K·d; design temperature %s",
		s.TerritoryAltitudeM, s.StationAltitudeM, s.AltitudeMissing, s.ShiftK, s.StationHDD, s.TerritoryHDD, strings.Join(designs, ", ")))
	for c, src := range s.DesignSource {
		if strings.Contains(src, "unknown") {
			r.Warnings = append(r.Warnings, fmt.Sprintf("heat: commune %q: %s", c, src))
		}
	}
	if n := s.EmitterRules["unknown_year_majority"]; n > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("heat: %d heated buildings without a construction year get high-temperature radiators (the majority class of French dwellings)", n))
	}
	if s.ModelErrors > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("heat: %d buildings whose heat model failed are counted unheated", s.ModelErrors))
	}
	if t := r.Totals; t.GSHPToVerifyParcels > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("ground source: %d parcels with boreholes lie in no GMI zone of the zones layer: regime to verify on the regulatory map (not counted feasible)", t.GSHPToVerifyParcels))
	}
}

func sumFallbacks(m map[string]int64) int64 {
	var n int64
	for k, v := range m {
		if strings.HasPrefix(k, "fallback_") {
			n += v
		}
	}
	return n
}

// addParcelHeat adds the field layer's parcel figures to t.
func addParcelHeat(t *Totals, p *ParcelResult) {
	f := &p.Field
	if !f.BoreOK || f.Bore.Possible == 0 {
		return
	}
	t.BoreholesPossible += f.Bore.Possible
	t.BoreholesNeeded += f.Bore.Needed
	switch f.Bore.GMI.Status {
	case heat.GMIOutside:
		t.GSHPOutsideParcels++
		return // excluded from the potential
	case heat.GMIToVerify:
		t.GSHPToVerifyParcels++
	}
	if f.Bore.Installed > 0 {
		t.GSHPParcels++
		t.Boreholes += f.Bore.Installed
		t.GSHPKW += f.Bore.CapacityKW
		if f.Bore.Method == heat.MethodNeedsTRT {
			t.GSHPNeedsSimulationParcels++
		}
	}
}

// finite returns v, or 0 when v is NaN or infinite: the economics inputs of
// an unheated building or a parcel without a field take 0 (no heat, no
// electricity); stored columns read the Heated/BoreOK flags and write NULL.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

package study

import (
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/model"
	"github.com/gisement/gisement/model/econ"
	"github.com/gisement/gisement/model/land"
	"github.com/gisement/gisement/model/pv"
)

// Layer names written by a study (the HTTP API and the web map read them).
const (
	LayerParcels    = "parcels"
	LayerBuildings  = "buildings"
	LayerRoofPlanes = "roof_planes"
	LayerCommunes   = "communes"
	LayerZones      = "zones"
	LayerCarParks   = "carparks"
)

// carParkRow is one car park with its canopy economics.
type carParkRow struct {
	c    *land.CarParkPV
	e    econ.Economics
	okEc bool
}

var carParkFields = []field[carParkRow]{
	textCol("carpark_id", "car-park id", func(c *carParkRow) string { return c.c.ID }),
	realCol("area_m2", "m2", "car-park area", func(c *carParkRow) float64 { return c.c.AreaM2 }),
	intCol("aper_obligated", "", "1 when over the APER threshold (outdoor car parks > 1,500 m² must cover ≥ 50 % with solar shades)", func(c *carParkRow) int { return boolInt(c.c.APERObligated) }),
	realCol("canopy_m2", "m2", "canopy (module) area", func(c *carParkRow) float64 { return c.c.CanopyM2 }),
	realCol("pv_kwp", "kWp", "canopy PV peak power", func(c *carParkRow) float64 { return c.c.KWp }),
	realCol("pv_kwh_yr", "kWh/yr", "canopy PV annual energy", func(c *carParkRow) float64 { return c.c.KWhYr }),
	realCol("pv_specific_yield_kwh_kwp", "kWh/kWp", "canopy specific yield", func(c *carParkRow) float64 { return c.c.SpecificYieldKWhKWp }),
	realCol("pv_investment_eur", "EUR", "canopy PV investment (econ.pv.capex_carport)", func(c *carParkRow) float64 { return nanIf(c.okEc, c.e.InvestmentEUR) }),
	realCol("pv_npv_eur", "EUR", "canopy PV NPV (tertiary segment, S21 classes)", func(c *carParkRow) float64 { return nanIf(c.okEc, c.e.NPVEUR) }),
}

// field is one output column with the function that reads it from a row.
type field[T any] struct {
	data.Column
	get func(*T) any
}

func realCol[T any](name, unit, doc string, get func(*T) float64) field[T] {
	return field[T]{data.Column{Name: name, Type: data.Real, Unit: unit, Doc: doc}, func(r *T) any { return get(r) }}
}

func intCol[T any](name, unit, doc string, get func(*T) int) field[T] {
	return field[T]{data.Column{Name: name, Type: data.Integer, Unit: unit, Doc: doc}, func(r *T) any { return get(r) }}
}

func textCol[T any](name, doc string, get func(*T) string) field[T] {
	return field[T]{data.Column{Name: name, Type: data.Text, Doc: doc}, func(r *T) any { return get(r) }}
}

func jsonCol[T any](name, unit, doc string, get func(*T) any) field[T] {
	return field[T]{data.Column{Name: name, Type: data.JSON, Unit: unit, Doc: doc}, func(r *T) any {
		b, err := json.Marshal(get(r))
		if err != nil {
			return nil
		}
		return json.RawMessage(b)
	}}
}

func columns[T any](fs []field[T]) []data.Column {
	out := make([]data.Column, len(fs))
	for i, f := range fs {
		out[i] = f.Column
	}
	return out
}

// rowsOf streams n rows through the fields.
func rowsOf[T any](fs []field[T], n int, row func(i int) (*T, orb.Geometry)) iter.Seq2[data.Feature, error] {
	return func(yield func(data.Feature, error) bool) {
		for i := 0; i < n; i++ {
			r, g := row(i)
			vals := make([]any, len(fs))
			for k, f := range fs {
				vals[k] = f.get(r)
			}
			if !yield(data.Feature{Geom: g, Values: vals}, nil) {
				return
			}
		}
	}
}

// parcelRow joins a parcel's geometry record and result.
type parcelRow struct {
	id, section, scenario string
	areaM2                float64
	buildings             int
	r                     *ParcelResult
}

// boreText returns s for a parcel with a sized field and room for a probe,
// else "" (not computed).
func boreText(r *ParcelResult, s string) string {
	if !r.Field.BoreOK || r.Field.Bore.Possible == 0 {
		return ""
	}
	return s
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// nanIf returns NaN (stored as NULL) when !ok.
func nanIf(ok bool, v float64) float64 {
	if !ok {
		return math.NaN()
	}
	return v
}

func monthly(m [12]float64) any {
	out := make([]float64, 12)
	for i, v := range m {
		out[i] = math.Round(v*10) / 10
	}
	return out
}

var parcelFields = []field[parcelRow]{
	textCol("parcel_id", "cadastral IDU (14 characters) or a geometry-derived id (G…)", func(p *parcelRow) string { return p.id }),
	textCol("commune_insee", "INSEE code of the commune", func(p *parcelRow) string { return p.r.CommuneINSEE }),
	textCol("section", "cadastral section", func(p *parcelRow) string { return p.section }),
	realCol("area_m2", "m2", "parcel area (Lambert-93)", func(p *parcelRow) float64 { return p.areaM2 }),
	intCol("building_count", "", "buildings assigned to the parcel (largest overlap)", func(p *parcelRow) int { return p.buildings }),
	realCol("pv_usable_m2", "m2", "usable roof area of the kept roof planes", func(p *parcelRow) float64 { return p.r.PV.UsableM2 }),
	realCol("pv_kwp", "kWp", "rooftop PV peak power (kept planes)", func(p *parcelRow) float64 { return p.r.PV.KWp }),
	realCol("pv_kwh_yr", "kWh/yr", "rooftop PV annual AC energy with shading", func(p *parcelRow) float64 { return p.r.PV.KWhYr }),
	realCol("pv_specific_yield_kwh_kwp", "kWh/kWp", "rooftop PV specific yield", func(p *parcelRow) float64 { return p.r.PV.SpecificYieldKWhKWp }),
	realCol("pv_shading_loss_pct", "%", "irradiation lost to the horizon (neighbours, terrain), usable-area weighted", func(p *parcelRow) float64 { return p.r.PV.ShadingLossPct }),
	textCol("pv_class", "best roof suitability class (Sonnendach-style, by in-plane irradiation)", func(p *parcelRow) string { return string(p.r.PV.BestClass) }),
	jsonCol("pv_monthly_kwh", "kWh", "rooftop PV energy per month (12 values, January first)", func(p *parcelRow) any { return monthly(p.r.PV.MonthlyKWh) }),
	// --- economic potential (pvecon.go) ---
	realCol("pv_econ_kwp", "kWp", "economic potential: peak power of the owners' systems with NPV ≥ 0 (NULL when no building's economics could be computed)", func(p *parcelRow) float64 { return nanIf(p.r.PVOwner.Systems > 0, p.r.PVOwner.EconKWp) }),
	realCol("pv_econ_kwh_yr", "kWh/yr", "economic potential: year-1 production of those systems", func(p *parcelRow) float64 { return nanIf(p.r.PVOwner.Systems > 0, p.r.PVOwner.EconKWhYr) }),
	realCol("pv_kwh_yr_p90", "kWh/yr", "P90 of the rooftop annual yield (exceeded with 90 % probability; Monte Carlo)", func(p *parcelRow) float64 { return nanIf(p.r.PVQuantilesOK, p.r.PVQuantiles.YieldP90KWh) }),
	realCol("pv_kwh_yr_p50", "kWh/yr", "P50 of the rooftop annual yield (Monte Carlo)", func(p *parcelRow) float64 { return nanIf(p.r.PVQuantilesOK, p.r.PVQuantiles.YieldP50KWh) }),
	realCol("pv_kwh_yr_p10", "kWh/yr", "P10 of the rooftop annual yield (exceeded with 10 % probability)", func(p *parcelRow) float64 { return nanIf(p.r.PVQuantilesOK, p.r.PVQuantiles.YieldP10KWh) }),
	// Heat (heatfield.go): consumption-like demand (the default) and the
	// conventional need beside it; field heat pumps; ground source sized
	// to the need.
	realCol("heat_demand_kwh_yr", "kWh/yr", "consumption-like heat demand (space heating calibrated to measured consumption + hot water) of the heated buildings: the default of totals and economics", func(p *parcelRow) float64 { return p.r.Heat.TotalKWh }),
	realCol("heat_need_conv_kwh_yr", "kWh/yr", "conventional heat need (TABULA standard need, space + hot water) of the heated buildings", func(p *parcelRow) float64 { return p.r.Field.Conventional.TotalKWh }),
	realCol("heat_design_load_kw", "kW", "space-heating load of the consumption-like demand at the territory's design outdoor temperature", func(p *parcelRow) float64 { return p.r.Heat.DesignLoadKW }),
	textCol("emitter_class", "emitter class of the largest heated building (floor_lt 35 °C, radiator_55, radiator_ht 70 °C)", func(p *parcelRow) string { return p.r.Field.Emitter }),
	realCol("ashp_scop", "", "air-source heat pump seasonal performance of the system incl. hot water, field losses and backup", func(p *parcelRow) float64 { return nanIf(p.r.HeatedBuilding > 0, p.r.Field.HP.SCOPSystem) }),
	realCol("ashp_scop_space", "", "air-source heat pump seasonal performance of space heating alone (pumps, standby and backup included)", func(p *parcelRow) float64 { return nanIf(p.r.HeatedBuilding > 0, p.r.Field.HP.SCOPSpace) }),
	realCol("ashp_backup_pct", "%", "share of space heat from the backup heater (flow cap and capacity)", func(p *parcelRow) float64 { return nanIf(p.r.HeatedBuilding > 0, 100*p.r.Field.HP.BackupShare) }),
	realCol("ashp_kw", "kW", "air-source heat pump thermal capacity", func(p *parcelRow) float64 { return p.r.ASHP.DesignCapacityKW }),
	intCol("ashp_siting_ok", "", "1 when an outdoor unit fits at the setback from the parcel boundary", func(p *parcelRow) int { return boolInt(p.r.ASHPSiting.OK) }),
	realCol("free_land_m2", "m2", "land free for boreholes (parcel minus setbacks and buildings)", func(p *parcelRow) float64 { return p.r.FreeLandM2 }),
	intCol("gshp_boreholes", "", "boreholes to drill: the field sized to the need, min(needed, possible)", func(p *parcelRow) int { return p.r.Field.Bore.Installed }),
	intCol("gshp_boreholes_needed", "", "boreholes needed to cover the design load", func(p *parcelRow) int { return p.r.Field.Bore.Needed }),
	intCol("gshp_boreholes_possible", "", "boreholes that fit on the free land at the NF X10-970 spacing (information, not a potential)", func(p *parcelRow) int { return p.r.Field.Bore.Possible }),
	realCol("gshp_kw", "kW", "ground-source heat pump capacity the drilled boreholes support, at most the design load", func(p *parcelRow) float64 { return p.r.Field.Bore.CapacityKW }),
	realCol("gshp_coverage_pct", "%", "share of the annual heat demand the drilled field supplies", func(p *parcelRow) float64 { return 100 * p.r.Field.CoverageEnergy }),
	realCol("gshp_scop", "", "ground-source heat pump seasonal performance of the system incl. hot water, field losses", func(p *parcelRow) float64 { return nanIf(p.r.Field.BoreOK, p.r.Field.GSHP.SCOPSystem) }),
	textCol("gshp_method", "sizing method: vdi4640_simplified inside its validity, else needs_trt_simulation (indicative count)", func(p *parcelRow) string { return boreText(p.r, p.r.Field.Bore.Method) }),
	textCol("gshp_gmi_status", "GMI regime: gmi_declaration, gmi_expert_certificate, gmi_to_verify (zone unknown, not feasible), outside_gmi_authorisation", func(p *parcelRow) string { return boreText(p.r, string(p.r.Field.Bore.GMI.Status)) }),
	textCol("gshp_notes", "why the VDI 4640 simplified method does not apply, and the GMI reason", func(p *parcelRow) string {
		if !p.r.Field.BoreOK || p.r.Field.Bore.Possible == 0 {
			return ""
		}
		return strings.Join(append(append([]string(nil), p.r.Field.Bore.Notes...), p.r.Field.Bore.GMI.Reason), "; ")
	}),
	realCol("ground_pv_kwp", "kWp", "ground-mounted PV on the free land (patches ≥ minimum size, ground coverage ratio)", func(p *parcelRow) float64 { return p.r.Ground.KWp }),
	realCol("ground_pv_kwh_yr", "kWh/yr", "ground-mounted PV annual energy", func(p *parcelRow) float64 { return p.r.Ground.KWhYr }),
	realCol("ground_pv_npv_eur", "EUR", "ground-mounted PV NPV", func(p *parcelRow) float64 { return nanIf(p.r.GroundEconOK, p.r.GroundEcon.NPVEUR) }),
	intCol("aper_carpark", "", "1 when a car park over the APER threshold (1,500 m²) lies in the parcel", func(p *parcelRow) int { return boolInt(p.r.APERCarPark) }),
	textCol("carparks", "car parks whose centroid lies in the parcel (semicolon-separated)", func(p *parcelRow) string { return strings.Join(p.r.CarParks, ";") }),
	textCol("gmi_zone", "GMI regulatory zone (green/orange/red) from the zones layer, '' if unknown", func(p *parcelRow) string { return p.r.GMIZone }),
	realCol("npv_eur", "EUR", "sum of the NPVs of the owners' best-sized rooftop systems, one per building (owner's discount rate, 30-yr life)", func(p *parcelRow) float64 { return nanIf(p.r.PVEconOK, p.r.PVEcon.NPVEUR) }),
	realCol("npv_eur_p90", "EUR", "P90 of that NPV sum (yield: weather year, model, resource bias; price escalation)", func(p *parcelRow) float64 { return nanIf(p.r.PVEconOK, p.r.PVOwner.NPVP90EUR) }),
	realCol("npv_eur_p10", "EUR", "P10 of that NPV sum", func(p *parcelRow) float64 { return nanIf(p.r.PVEconOK, p.r.PVOwner.NPVP10EUR) }),
	realCol("irr_pct", "%/yr", "rooftop PV internal rate of return when the parcel has one system (NULL: none, or several systems: see the buildings layer)", func(p *parcelRow) float64 { return nanIf(p.r.PVEconOK, p.r.PVEcon.IRRPct) }),
	realCol("payback_yr", "yr", "rooftop PV simple payback when the parcel has one system (NULL: never, or several systems)", func(p *parcelRow) float64 { return nanIf(p.r.PVEconOK, p.r.PVEcon.SimplePaybackYr) }),
	realCol("lcoe_eur_kwh", "EUR/kWh", "rooftop PV levelised cost of energy when the parcel has one system", func(p *parcelRow) float64 { return nanIf(p.r.PVEconOK, p.r.PVEcon.LCOEEURPerKWh) }),
	realCol("pv_investment_eur", "EUR", "sum of the investments of the owners' best-sized systems (TTC for households)", func(p *parcelRow) float64 { return nanIf(p.r.PVEconOK, p.r.PVEcon.InvestmentEUR) }),
	realCol("ashp_npv_eur", "EUR", "air-source heat pump NPV against the fossil baseline", func(p *parcelRow) float64 { return nanIf(p.r.ASHPEconOK, p.r.ASHPEcon.NPVEUR) }),
	realCol("gshp_npv_eur", "EUR", "ground-source heat pump NPV against the fossil baseline", func(p *parcelRow) float64 { return nanIf(p.r.GSHPEconOK, p.r.GSHPEcon.NPVEUR) }),
	realCol("co2_avoided_kg_yr", "kgCO2e/yr", "CO2 avoided by rooftop PV and the air-source heat pump (when sited)", func(p *parcelRow) float64 { return p.r.CO2AvoidedKgYr }),
	textCol("zones", "zones containing the parcel centroid (semicolon-separated)", func(p *parcelRow) string { return strings.Join(p.r.Zones, ";") }),
	textCol("model_errors", "non-fatal model failures on this parcel", func(p *parcelRow) string { return strings.Join(p.r.Errors, "; ") }),
	textCol("scenario_hash", "hash of the scenario behind these numbers", func(p *parcelRow) string { return p.scenario }),
}

type buildingRow struct {
	scenario string
	b        *BuildingResult
	id       string
	parcelID string
	commune  string
	heightM  float64
	hsrc     string
	fpM2     float64
	roofType string
	year     int
}

var buildingFields = []field[buildingRow]{
	textCol("building_id", "source building id", func(b *buildingRow) string { return b.id }),
	textCol("parcel_id", "parcel assigned by largest overlap ('' if none)", func(b *buildingRow) string { return b.parcelID }),
	textCol("commune_insee", "INSEE code", func(b *buildingRow) string { return b.commune }),
	realCol("height_m", "m", "building height used for roofs and shading", func(b *buildingRow) float64 { return b.heightM }),
	textCol("height_source", "attribute, levels or default", func(b *buildingRow) string { return b.hsrc }),
	realCol("footprint_m2", "m2", "footprint area (Lambert-93)", func(b *buildingRow) float64 { return b.fpM2 }),
	intCol("year", "", "construction year (0 = unknown)", func(b *buildingRow) int { return b.year }),
	textCol("roof_type", "flat or pitched", func(b *buildingRow) string { return b.roofType }),
	intCol("roof_planes", "", "roof planes (kept ones count in the potential)", func(b *buildingRow) int { return b.b.PV.Planes }),
	intCol("roof_planes_kept", "", "roof planes kept (irradiation and size thresholds)", func(b *buildingRow) int { return b.b.PV.PlanesKept }),
	realCol("pv_usable_m2", "m2", "usable roof area of the kept planes", func(b *buildingRow) float64 { return b.b.PV.UsableM2 }),
	realCol("pv_kwp", "kWp", "rooftop PV peak power", func(b *buildingRow) float64 { return b.b.PV.KWp }),
	realCol("pv_kwh_yr", "kWh/yr", "rooftop PV annual AC energy with shading", func(b *buildingRow) float64 { return b.b.PV.KWhYr }),
	realCol("pv_specific_yield_kwh_kwp", "kWh/kWp", "specific yield", func(b *buildingRow) float64 { return b.b.PV.SpecificYieldKWhKWp }),
	realCol("pv_shading_loss_pct", "%", "irradiation lost to the horizon, usable-area weighted", func(b *buildingRow) float64 { return b.b.PV.ShadingLossPct }),
	textCol("pv_class", "best roof suitability class", func(b *buildingRow) string { return string(b.b.PV.BestClass) }),
	jsonCol("pv_monthly_kwh", "kWh", "energy per month (12 values)", func(b *buildingRow) any { return monthly(b.b.PV.MonthlyKWh) }),
	// --- owner economics and economic potential (pvecon.go); NULL = not computed ---
	textCol("pv_owner", "owner type of the rooftop system: household, business, community, farm ('' when not computed)", func(b *buildingRow) string { return pvOwner(b.b) }),
	realCol("pv_dwellings", "", "dwellings served (households: floor area / econ.pv.flat_floor_area_m2)", func(b *buildingRow) float64 {
		return nanIf(b.b.PVEcon.OK && b.b.PVEcon.Dwellings > 0, float64(b.b.PVEcon.Dwellings))
	}),
	realCol("pv_annual_use_kwh", "kWh/yr", "electricity use matched hour by hour (BDEW profile scaled to it)", func(b *buildingRow) float64 { return nanIf(b.b.PVEcon.OK, b.b.PVEcon.AnnualUseKWh) }),
	realCol("pv_system_kwp", "kWp", "best-NPV system size on the technical-potential planes", func(b *buildingRow) float64 { return nanIf(b.b.PVEcon.OK, b.b.PVEcon.Best.KWp) }),
	realCol("pv_econ_kwp", "kWp", "economic potential: that system when its NPV ≥ 0, else 0", func(b *buildingRow) float64 { return b.b.PVEcon.EconKWp() }),
	realCol("pv_econ_kwh_yr", "kWh/yr", "economic potential: its year-1 production", func(b *buildingRow) float64 { return b.b.PVEcon.EconKWhYr() }),
	realCol("pv_self_consumed_kwh_yr", "kWh/yr", "year-1 self-consumed energy of the system (hourly matching, never above the load)", func(b *buildingRow) float64 { return nanIf(b.b.PVEcon.OK, b.b.PVEcon.Best.SelfConsumedKWhYr1) }),
	realCol("pv_self_consumption_pct", "%", "self-consumed share of the system's production", func(b *buildingRow) float64 { return nanIf(b.b.PVEcon.OK, 100*b.b.PVEcon.Best.SelfConsumptionShare) }),
	realCol("pv_vat_pct", "%", "VAT rate paid (0 when recovered)", func(b *buildingRow) float64 { return nanIf(b.b.PVEcon.OK, vatPaid(&b.b.PVEcon)) }),
	textCol("pv_band", "support scheme band and sale option of the system", func(b *buildingRow) string { return pvBand(&b.b.PVEcon) }),
	realCol("pv_investment_eur", "EUR", "system investment (TTC for households)", func(b *buildingRow) float64 { return nanIf(b.b.PVEcon.OK, b.b.PVEcon.Best.InvestmentEUR) }),
	realCol("npv_eur", "EUR", "system NPV (owner's discount rate, 30-yr life)", func(b *buildingRow) float64 { return nanIf(b.b.PVEcon.OK, b.b.PVEcon.Best.NPVEUR) }),
	realCol("npv_eur_p90", "EUR", "P90 of the system NPV", func(b *buildingRow) float64 { return nanIf(b.b.PVEcon.OK, b.b.PVEcon.NPVP90EUR) }),
	realCol("npv_eur_p10", "EUR", "P10 of the system NPV", func(b *buildingRow) float64 { return nanIf(b.b.PVEcon.OK, b.b.PVEcon.NPVP10EUR) }),
	realCol("irr_pct", "%/yr", "system internal rate of return (NULL when none)", func(b *buildingRow) float64 { return nanIf(b.b.PVEcon.OK, b.b.PVEcon.Best.IRRPct) }),
	realCol("payback_yr", "yr", "system simple payback (NULL when never)", func(b *buildingRow) float64 { return nanIf(b.b.PVEcon.OK, b.b.PVEcon.Best.SimplePaybackYr) }),
	realCol("lcoe_eur_kwh", "EUR/kWh", "system levelised cost of energy", func(b *buildingRow) float64 { return nanIf(b.b.PVEcon.OK, b.b.PVEcon.Best.LCOEEURPerKWh) }),
	intCol("heated", "", "1 if counted as heated (0: annex or unheated use)", func(b *buildingRow) int { return boolInt(b.b.Heated) }),
	realCol("floor_area_m2", "m2", "heated floor area", func(b *buildingRow) float64 { return b.b.Heat.FloorAreaM2 }),
	textCol("period", "construction period class used for the heat need", func(b *buildingRow) string { return b.b.Heat.Period }),
	// Heat (heatfield.go).
	textCol("use_class", "use retained by the heat model: residential, tertiary, industrial, unheated", func(b *buildingRow) string { return string(b.b.Field.Use.Use) }),
	textCol("use_source", "where the use came from: usage1, usage2, dwellings, or the fallback rule (annex_small, annex_low, annex_row, hall, large, default_residential)", func(b *buildingRow) string { return b.b.Field.Use.UseSource }),
	realCol("heat_demand_kwh_yr", "kWh/yr", "consumption-like heat demand (space heating calibrated to measured consumption + hot water): the default of totals and economics", func(b *buildingRow) float64 { return b.b.Heat.TotalKWh }),
	realCol("heat_need_conv_kwh_yr", "kWh/yr", "conventional heat need (TABULA standard need, space + hot water)", func(b *buildingRow) float64 { return b.b.Field.Conventional.TotalKWh }),
	realCol("heat_calibration_ratio", "", "consumption-like / conventional space heating (prebound ratio; 1 for tertiary)", func(b *buildingRow) float64 { return nanIf(b.b.Heated, b.b.Field.Ratio) }),
	textCol("emitter_class", "emitter class (floor_lt 35 °C, radiator_55, radiator_ht 70 °C): by construction year unless the study sets one", func(b *buildingRow) string { return b.b.Field.Emitter }),
	realCol("ashp_scop", "", "air-source heat pump seasonal performance of the system incl. hot water, field losses and backup", func(b *buildingRow) float64 { return nanIf(b.b.Heated, b.b.Field.HP.SCOPSystem) }),
	realCol("ashp_scop_space", "", "air-source heat pump seasonal performance of space heating alone", func(b *buildingRow) float64 { return nanIf(b.b.Heated, b.b.Field.HP.SCOPSpace) }),
	realCol("ashp_backup_pct", "%", "share of space heat from the backup heater", func(b *buildingRow) float64 { return nanIf(b.b.Heated, 100*b.b.Field.HP.BackupShare) }),
	realCol("ashp_kw", "kW", "air-source heat pump thermal capacity", func(b *buildingRow) float64 { return b.b.ASHP.DesignCapacityKW }),
	textCol("scenario_hash", "hash of the scenario", func(b *buildingRow) string { return b.scenario }),
}

type planeRow struct {
	id, buildingID string
	econKWp        float64 // capacity of the plane in the economic potential (NaN: not computed)
	pv             *pv.RoofPV
	heightM        float64
	horizon        []float64
	plane          *geo.RoofPlane // sources (roof_source, shading_source)
}

var planeFields = []field[planeRow]{
	textCol("plane_id", "building id + '#' + plane index", func(p *planeRow) string { return p.id }),
	textCol("building_id", "building", func(p *planeRow) string { return p.buildingID }),
	realCol("tilt_deg", "deg", "tilt from horizontal", func(p *planeRow) float64 { return p.pv.TiltDeg }),
	realCol("azimuth_deg", "deg", "azimuth clockwise from north (180 = south)", func(p *planeRow) float64 { return p.pv.AzimuthDeg }),
	realCol("usable_m2", "m2", "usable module area", func(p *planeRow) float64 { return p.pv.UsableM2 }),
	realCol("height_m", "m", "observer height of the horizon", func(p *planeRow) float64 { return p.heightM }),
	textCol("roof_source", "observed (surface model) or modelled (footprint rule)", func(p *planeRow) string { return p.plane.RoofSource }),
	textCol("shading_source", "what the horizon holds: dsm or buildings, +terrain with a DEM", func(p *planeRow) string { return p.plane.ShadingSource }),
	realCol("pv_kwp", "kWp", "peak power", func(p *planeRow) float64 { return p.pv.KWp }),
	realCol("pv_kwh_yr", "kWh/yr", "annual AC energy with shading", func(p *planeRow) float64 { return p.pv.KWhYr }),
	realCol("pv_specific_yield_kwh_kwp", "kWh/kWp", "specific yield", func(p *planeRow) float64 { return p.pv.SpecificYieldKWhKWp }),
	realCol("poa_kwh_m2", "kWh/m2/yr", "annual in-plane irradiation with shading", func(p *planeRow) float64 { return p.pv.POAKWhM2 }),
	realCol("poa_unshaded_kwh_m2", "kWh/m2/yr", "annual in-plane irradiation without horizon", func(p *planeRow) float64 { return p.pv.POAUnshadedKWhM2 }),
	realCol("shading_loss_pct", "%", "irradiation lost to the horizon", func(p *planeRow) float64 { return p.pv.ShadingLossPct }),
	textCol("class", "suitability class", func(p *planeRow) string { return string(p.pv.Class) }),
	intCol("kept", "", "1 if in the technical potential (specific yield ≥ pv.technical_min_share_of_optimum of the local optimum, usable area ≥ pv.min_usable_m2)", func(p *planeRow) int { return boolInt(p.pv.Kept) }),
	realCol("pv_mismatch_loss_pct", "%", "energy lost to the partial shading of modules in series (shading impact factor pv.shading_impact_factor; in pv_kwh_yr)", func(p *planeRow) float64 { return p.pv.MismatchLossPct }),
	realCol("pv_relative_yield_pct", "%", "specific yield in % of the local optimum (unshaded best orientation of the weather year)", func(p *planeRow) float64 { return p.pv.RelativeYieldPct }),
	realCol("pv_econ_kwp", "kWp", "capacity of the plane used by the building's economic potential (filled best-yield first)", func(p *planeRow) float64 { return p.econKWp }),
	jsonCol("horizon_deg", "deg", "horizon elevation per azimuth sector (sector i centred on i*360/n, clockwise from north)", func(p *planeRow) any { return p.horizon }),
}

type areaRow struct {
	key, name, kind string
	ps              *PlaneStats // communes only (nil: NULL)
	t               *Totals
	q10, q50, q90   float64
	shade50         float64
	// perParcel: the study has parcels. Without them the parcel-level
	// figures (P90 sums, free land, heat-pump siting, NPV and CO2 sums) are
	// not computed: NULL, never 0 (issue 13).
	perParcel bool
}

// pf returns v, or NaN (NULL) when the study has no parcels.
func (a *areaRow) pf(v float64) float64 { return nanIf(a.perParcel, v) }

// pi returns v, or nil (NULL) when the study has no parcels.
func (a *areaRow) pi(v int) any {
	if !a.perParcel {
		return nil
	}
	return v
}

// optIntCol is an integer column that may be NULL (get returns nil).
func optIntCol[T any](name, unit, doc string, get func(*T) any) field[T] {
	return field[T]{data.Column{Name: name, Type: data.Integer, Unit: unit, Doc: doc}, get}
}

func areaFields(keyName string) []field[areaRow] {
	return []field[areaRow]{
		textCol(keyName, "identifier", func(a *areaRow) string { return a.key }),
		textCol("name", "name", func(a *areaRow) string { return a.name }),
		textCol("kind", "kind of zone ('' for communes)", func(a *areaRow) string { return a.kind }),
		intCol("buildings", "", "buildings", func(a *areaRow) int { return a.t.Buildings }),
		intCol("heated_buildings", "", "heated buildings", func(a *areaRow) int { return a.t.HeatedBuildings }),
		intCol("parcels", "", "parcels", func(a *areaRow) int { return a.t.Parcels }),
		intCol("roof_planes_kept", "", "roof planes counted", func(a *areaRow) int { return a.t.RoofPlanesKept }),
		realCol("pv_kwp", "kWp", "rooftop PV peak power", func(a *areaRow) float64 { return a.t.PVKWp }),
		realCol("pv_kwh_yr", "kWh/yr", "rooftop PV annual energy", func(a *areaRow) float64 { return a.t.PVKWhYr }),
		realCol("pv_kwh_yr_p90_sum", "kWh/yr", "sum of parcel P90 yields (exact when the parcels' yield errors are fully correlated: one weather year, one model)", func(a *areaRow) float64 { return a.pf(a.t.PVKWhYrP90) }),
		// --- potentials (technical.go, pvecon.go) ---
		realCol("pv_kwp_low", "kWp", "technical potential, low end of the usable-area range (P90 of the area: uncertainty.usable_area_rel_sigma)", func(a *areaRow) float64 { return a.t.PVKWp * a.t.AreaLow }),
		realCol("pv_kwp_high", "kWp", "technical potential, high end of the usable-area range (P10 of the area)", func(a *areaRow) float64 { return a.t.PVKWp * a.t.AreaHigh }),
		realCol("pv_econ_kwp", "kWp", "economic potential: owners' systems with NPV ≥ 0", func(a *areaRow) float64 { return a.t.PVEconKWp }),
		realCol("pv_econ_kwh_yr", "kWh/yr", "economic potential: year-1 production", func(a *areaRow) float64 { return a.t.PVEconKWhYr }),
		intCol("pv_econ_systems", "", "buildings whose best system has NPV ≥ 0", func(a *areaRow) int { return a.t.PVEconSystems }),
		intCol("pv_systems", "", "buildings whose owner economics were computed", func(a *areaRow) int { return a.t.PVSystems }),
		realCol("pv_north_kwp", "kWp", "technical potential on planes facing within 67.5° of north", func(a *areaRow) float64 {
			return psVal(a.ps, func(s *PlaneStats) float64 { return s.TechnicalNorthKWp })
		}),
		realCol("pv_shading_loss_all_pct", "%", "shading loss over ALL roof planes (usable-area weighted)", func(a *areaRow) float64 {
			return psVal(a.ps, func(s *PlaneStats) float64 { return s.ShadingLossAllPct })
		}),
		realCol("pv_shading_loss_kept_pct", "%", "shading loss over the technical-potential planes (usable-area weighted)", func(a *areaRow) float64 {
			return psVal(a.ps, func(s *PlaneStats) float64 { return s.ShadingLossKeptPct })
		}),
		realCol("pv_shading_loss_all_q50", "%", "median plane shading loss over ALL roof planes", func(a *areaRow) float64 {
			return psVal(a.ps, func(s *PlaneStats) float64 { return s.ShadingLossAllQ50Pct })
		}),
		realCol("pv_shading_loss_kept_q50", "%", "median plane shading loss over the technical-potential planes", func(a *areaRow) float64 {
			return psVal(a.ps, func(s *PlaneStats) float64 { return s.ShadingLossKeptQ50Pct })
		}),
		realCol("ground_pv_kwp", "kWp", "ground-mounted PV on free land", func(a *areaRow) float64 { return a.pf(a.t.GroundPVKWp) }),
		realCol("ground_pv_kwh_yr", "kWh/yr", "ground-mounted PV annual energy", func(a *areaRow) float64 { return a.pf(a.t.GroundPVKWhYr) }),
		optIntCol("aper_carparks", "", "parcels holding a car park over the APER threshold", func(a *areaRow) any { return a.pi(a.t.APERCarParks) }),
		realCol("pv_specific_yield_q10", "kWh/kWp", "10th percentile of building specific yields", func(a *areaRow) float64 { return a.q10 }),
		realCol("pv_specific_yield_q50", "kWh/kWp", "median building specific yield", func(a *areaRow) float64 { return a.q50 }),
		realCol("pv_specific_yield_q90", "kWh/kWp", "90th percentile of building specific yields", func(a *areaRow) float64 { return a.q90 }),
		realCol("pv_shading_loss_q50", "%", "median building shading loss", func(a *areaRow) float64 { return a.shade50 }),
		realCol("heat_demand_kwh_yr", "kWh/yr", "consumption-like heat demand of heated buildings (the default)", func(a *areaRow) float64 { return a.t.HeatDemandKWhYr }),
		realCol("heat_need_conv_kwh_yr", "kWh/yr", "conventional heat need (TABULA) of heated buildings", func(a *areaRow) float64 { return a.t.HeatNeedConvKWhYr }),
		optIntCol("ashp_sited_parcels", "", "parcels with heated buildings where an outdoor unit fits", func(a *areaRow) any { return a.pi(a.t.ASHPSitedParcels) }),
		optIntCol("gshp_parcels", "", "parcels with at least one borehole to drill (GMI not excluding)", func(a *areaRow) any { return a.pi(a.t.GSHPParcels) }),
		optIntCol("gshp_boreholes", "", "boreholes to drill (fields sized to the need)", func(a *areaRow) any { return a.pi(a.t.Boreholes) }),
		optIntCol("gshp_boreholes_needed", "", "boreholes needed on parcels with room for a probe", func(a *areaRow) any { return a.pi(a.t.BoreholesNeeded) }),
		realCol("gshp_kw", "kW", "ground-source heat pump capacity of the fields sized to the need", func(a *areaRow) float64 { return a.pf(a.t.GSHPKW) }),
		optIntCol("gshp_to_verify_parcels", "", "parcels with boreholes whose GMI zone is unknown (to verify, not feasible)", func(a *areaRow) any { return a.pi(a.t.GSHPToVerifyParcels) }),
		realCol("pv_npv_eur", "EUR", "sum of rooftop PV NPVs", func(a *areaRow) float64 { return a.pf(a.t.PVNPVEUR) }),
		realCol("co2_avoided_kg_yr", "kgCO2e/yr", "CO2 avoided", func(a *areaRow) float64 { return a.pf(a.t.CO2AvoidedKgYr) }),
	}
}

// Summary is the study summary stored with it (JSON) and printed by the CLI.
type Summary struct {
	Totals       Totals            `json:"totals"`
	Elapsed      float64           `json:"elapsed_s"`
	Stages       []StageTime       `json:"stages"`
	WeatherScale float64           `json:"weather_scale"`
	PlaceScaling *PlaceScaling     `json:"place_scaling,omitempty"`
	Weather      string            `json:"weather"`
	Loads        map[string]any    `json:"loads"`
	Assignment   any               `json:"assignment,omitempty"`
	Warnings     []string          `json:"warnings,omitempty"`
	Inputs       map[string]string `json:"inputs"`
	// Heat: territory climate and heat fallbacks (heatfield.go).
	Heat *HeatSummary `json:"heat,omitempty"`
	// Issue 13: how buildings got their commune, the data sources with
	// their licences, and where the weather year came from.
	Communes    *CommuneAssignment `json:"communes,omitempty"`
	Attribution []Attribution      `json:"attribution,omitempty"`
	WeatherNote string             `json:"weather_note,omitempty"`
	// NotComputed lists the Totals fields that are not computed (their 0 is
	// not a value): the parcel-level ones of a study without parcels.
	NotComputed []string `json:"not_computed,omitempty"`
}

// StoredScenario is the scenario as stored with a study: the full
// parameter tree and the flat list of assumptions with their sources.
type StoredScenario struct {
	Hash        string             `json:"hash"`
	Scenario    *model.Scenario    `json:"scenario"`
	Assumptions []model.Assumption `json:"assumptions"`
}

// SummaryOf builds the summary of r.
func SummaryOf(r *Result) Summary {
	s := Summary{Totals: r.Totals, Elapsed: r.Elapsed.Seconds(), Stages: r.Stages, WeatherScale: r.WeatherScale, PlaceScaling: r.PlaceScaling,
		Warnings: r.Warnings, Inputs: baseNames(r.Inputs), Loads: map[string]any{},
		Communes: &r.CommuneAssignment, Attribution: r.Attribution, WeatherNote: r.WeatherNote, Heat: r.Heat}
	if (r.Territory != nil || r.plan != nil) && !r.hasParcels() {
		s.NotComputed = []string{"PVKWhYrP90", "PVKWhYrP10", "ASHPSitedParcels", "GSHPParcels", "Boreholes", "GSHPKW",
			"PVNPVEUR", "CO2AvoidedKgYr", "GroundPVKWp", "GroundPVKWhYr", "APERCarParks", "ParcelModelErrors"}
	}
	if r.Weather != nil {
		s.Weather = fmt.Sprintf("%s (%s, %.3f°, %.3f°)", filepath.Base(r.Weather.Source), r.Weather.Format, r.Weather.LatDeg, r.Weather.LonDeg)
	}
	if r.Territory != nil {
		if r.Territory.BuildingReport != nil {
			s.Loads["buildings"] = withBaseFile(r.Territory.BuildingReport)
		}
		if r.Territory.ParcelReport != nil {
			s.Loads["parcels"] = withBaseFile(r.Territory.ParcelReport)
		}
		if r.Territory.Assignment != nil {
			s.Assignment = r.Territory.Assignment
		}
	}
	return s
}

// Layers returns the study metadata and its layers for storage.
func Layers(r *Result) (data.Study, []data.LayerData, error) {
	st, err := studyMeta(r)
	if err != nil {
		return data.Study{}, nil, err
	}
	out := featureLayers(r, nil, nil)
	return st, append(out, areaLayers(r)...), nil
}

// studyMeta returns the study row: metadata, scenario and summary.
func studyMeta(r *Result) (data.Study, error) {
	sum, err := json.Marshal(SummaryOf(r))
	if err != nil {
		return data.Study{}, err
	}
	scen, err := json.Marshal(StoredScenario{Hash: r.ScenarioHash, Scenario: r.Scenario, Assumptions: r.Scenario.Assumptions()})
	if err != nil {
		return data.Study{}, err
	}
	return data.Study{ID: r.ID, Name: r.Name, ScenarioHash: r.ScenarioHash, Scenario: scen, CreatedAt: time.Now().UTC(),
		Summary: sum, Inputs: r.Inputs}, nil // full paths: API study jobs rerun on them; every displayed form is baseNames (summary, annex)
}

// HasParcels reports whether the study has parcels (parcel-level figures
// are then computed).
func (r *Result) HasParcels() bool { return r.hasParcels() }

func (r *Result) hasParcels() bool {
	if r.plan != nil {
		return r.plan.Parcels > 0
	}
	return r.Territory != nil && len(r.Territory.Parcels) > 0
}

// featureLayers returns the per-feature layers (parcels, buildings, roof
// planes) of the given parcels and buildings (indexes into r.Territory;
// nil = all): a chunk of the streaming study writes its core ones.
func featureLayers(r *Result, parcels, buildings []int) []data.LayerData {
	t := r.Territory
	all := func(idx []int, n int) []int {
		if idx != nil {
			return idx
		}
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	var out []data.LayerData
	if r.hasParcels() {
		ps := all(parcels, len(t.Parcels))
		out = append(out, data.LayerData{Layer: schemaLayer(LayerParcels), Features: rowsOf(parcelFields, len(ps), func(k int) (*parcelRow, orb.Geometry) {
			i := ps[k]
			p := &t.Parcels[i]
			return &parcelRow{id: p.ID, section: p.Section, scenario: r.ScenarioHash, areaM2: p.AreaM2, buildings: len(p.BuildingIdx), r: &r.Parcels[i]}, p.Geometry
		})})
	}
	bs := all(buildings, len(t.Buildings))
	out = append(out, data.LayerData{Layer: schemaLayer(LayerBuildings), Features: rowsOf(buildingFields, len(bs), func(k int) (*buildingRow, orb.Geometry) {
		i := bs[k]
		b := &t.Buildings[i]
		return &buildingRow{scenario: r.ScenarioHash, b: &r.Buildings[i], id: b.ID, parcelID: b.ParcelID, commune: b.CommuneINSEE,
			heightM: b.HeightM, hsrc: b.HeightSource, fpM2: b.FootprintM2, roofType: b.RoofType, year: b.Year}, b.Footprint
	})})
	planeEcon := planeEconAll(r) // pvecon.go
	var planes []int
	for _, i := range bs {
		for k := t.PlaneStart[i]; k < t.PlaneStart[i+1]; k++ {
			planes = append(planes, k)
		}
	}
	out = append(out, data.LayerData{Layer: schemaLayer(LayerRoofPlanes), Features: rowsOf(planeFields, len(planes), func(k int) (*planeRow, orb.Geometry) {
		i := planes[k]
		p := &t.Planes[i]
		bid := t.Buildings[p.BuildingIdx].ID
		// The plane's modelled part of the footprint (geo.PlaneFootprint),
		// not a point: maps and GIS draw the roof halves.
		var g orb.Geometry
		if fp := geo.PlaneFootprint(&t.Buildings[p.BuildingIdx], *p); len(fp) > 0 {
			g = fp
		}
		return &planeRow{id: fmt.Sprintf("%s#%d", bid, p.Index), buildingID: bid, pv: &r.PV.Roofs[i], heightM: p.HeightM, econKWp: planeEcon[i],
			horizon: roundAll(p.Horizon.ElevationDeg), plane: p}, g
	})})
	return out
}

// areaLayers returns the whole-study layers: communes, car parks, zones.
func areaLayers(r *Result) []data.LayerData {
	perParcel := r.hasParcels()
	var out []data.LayerData
	cf := areaFields("commune_insee")
	out = append(out, data.LayerData{Layer: schemaLayer(LayerCommunes), Features: rowsOf(cf, len(r.Communes), func(i int) (*areaRow, orb.Geometry) {
		c := &r.Communes[i]
		var g orb.Geometry
		if len(c.Geometry) > 0 {
			g = c.Geometry
		}
		return &areaRow{key: c.INSEE, name: c.Name, ps: &c.PlaneStats, t: &c.Totals, q10: c.SpecificYieldQ10, q50: c.SpecificYieldQ50, q90: c.SpecificYieldQ90, shade50: c.ShadingLossQ50,
			perParcel: perParcel}, g
	})})
	if len(r.CarParks) > 0 {
		out = append(out, data.LayerData{Layer: schemaLayer(LayerCarParks), Features: rowsOf(carParkFields, len(r.CarParks), func(i int) (*carParkRow, orb.Geometry) {
			return &carParkRow{c: &r.CarParks[i], e: r.CarParkEcon[i], okEc: r.CarParkEconOK[i]}, r.carParkGeoms[i].Geometry
		})})
	}
	if len(r.Zones) > 0 {
		zf := areaFields("zone_id")
		out = append(out, data.LayerData{Layer: schemaLayer(LayerZones), Features: rowsOf(zf, len(r.Zones), func(i int) (*areaRow, orb.Geometry) {
			z := &r.Zones[i]
			return &areaRow{key: fmt.Sprintf("z%d", i+1), name: z.Name, kind: z.Kind, t: &z.Totals, perParcel: perParcel}, z.Geometry
		})})
	}
	return out
}

func roundAll(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Round(x*100) / 100
	}
	return out
}

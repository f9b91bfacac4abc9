package econ

import (
	"fmt"
	"math"

	"github.com/gisement/gisement/model/scenario"
)

// Params are the economic assumptions of a scenario (YAML key "econ"): PV
// costs and lifetime, French support-scheme tariffs, energy prices and
// their escalation, the discount rate, CO₂ factors and heat-pump costs.
// Every number carries its unit, its source and, for prices and tariffs,
// the date it applies to.
type Params struct {
	PV        PVCosts   `json:"pv" yaml:"pv"`
	VAT       VAT       `json:"vat" yaml:"vat"`
	Tariffs   Tariffs   `json:"tariffs" yaml:"tariffs"`
	Prices    Prices    `json:"prices" yaml:"prices"`
	Finance   Finance   `json:"finance" yaml:"finance"`
	CO2       CO2       `json:"co2" yaml:"co2"`
	HeatPumps HeatPumps `json:"heat_pumps" yaml:"heat_pumps"`
}

// S21Class is one power class of the French "arrêté S21" support scheme for
// PV on buildings, car-park canopies and hangars (≤ 500 kWp): surplus
// purchase tariff and self-consumption premium (mode "vente du surplus") or
// full-sale tariff ("vente en totalité"). MaxKWp = 0 means unbounded.
type S21Class struct {
	MaxKWp float64 `json:"max_kwp" yaml:"max_kwp"`
	// SurplusEURPerKWh: purchase price of injected surplus, €/kWh (0 = not
	// eligible to surplus sale).
	SurplusEURPerKWh float64 `json:"surplus_eur_per_kwh" yaml:"surplus_eur_per_kwh" unit:"€/kWh"`
	// PremiumEURPerKWp: self-consumption premium, € per kWp, paid in equal
	// parts over PremiumYears years.
	PremiumEURPerKWp float64 `json:"premium_eur_per_kwp" yaml:"premium_eur_per_kwp" unit:"€/kWp"`
	PremiumYears     int     `json:"premium_years" yaml:"premium_years" unit:"yr"`
	// FullSaleEURPerKWh: tariff when all production is sold, €/kWh (0 =
	// not available).
	FullSaleEURPerKWh float64 `json:"full_sale_eur_per_kwh" yaml:"full_sale_eur_per_kwh" unit:"€/kWh"`
	Source            string  `json:"source" yaml:"source"`
	Date              string  `json:"date" yaml:"date"`
}

// PVCosts holds the economic assumptions of PV installations: lifetime,
// degradation, costs and self-consumption shares.
type PVCosts struct {
	DegradationPctYr scenario.Param `json:"degradation_pct_yr" yaml:"degradation_pct_yr"`
	LifetimeYr       scenario.Param `json:"lifetime_yr" yaml:"lifetime_yr"`
	// CapexRooftopPoints: cited turnkey prices of rooftop systems (€ HT/Wp
	// at a size), fitted by a continuous power law c(P) = A·P^B
	// (FitCapexCurve): no size-class cliff.
	CapexRooftopPoints []CapexPricePoint `json:"capex_rooftop_points" yaml:"capex_rooftop_points"`
	CapexGround        scenario.Param    `json:"capex_ground" yaml:"capex_ground"`
	CapexCarport       scenario.Param    `json:"capex_carport" yaml:"capex_carport"`
	// OPEX as a share of CAPEX per year (rooftop/carport, ground).
	OpexPctCapexYr       scenario.Param `json:"opex_pct_capex_yr" yaml:"opex_pct_capex_yr"`
	OpexGroundPctCapexYr scenario.Param `json:"opex_ground_pct_capex_yr" yaml:"opex_ground_pct_capex_yr"`
	// Inverter replacement: every InverterReplacementYr years within the
	// life, at InverterCostPctCapex of the capex HT.
	InverterReplacementYr scenario.Param `json:"inverter_replacement_yr" yaml:"inverter_replacement_yr"`
	InverterCostPctCapex  scenario.Param `json:"inverter_cost_pct_capex" yaml:"inverter_cost_pct_capex"`
	// SelfConsumption: flat self-consumed shares where no load is modelled
	// (car-park canopies, farm buildings); rooftops of households and
	// businesses match an hourly load profile instead.
	SelfConsumption SelfConsumption `json:"self_consumption" yaml:"self_consumption"`
	// Owner loads and sizing (the owner economics of rooftop systems).
	// HouseholdAnnualUseKWh: electricity use of one dwelling.
	HouseholdAnnualUseKWh scenario.Param `json:"household_annual_use_kwh" yaml:"household_annual_use_kwh"`
	// FlatFloorAreaM2: mean floor area of a flat, to count the dwellings of
	// a multi-family building from its floor area (a single house is one
	// dwelling).
	FlatFloorAreaM2 scenario.Param `json:"flat_floor_area_m2" yaml:"flat_floor_area_m2"`
	// NonResidentialElecKWhM2: specific electricity use of non-residential
	// buildings per m² of floor area (business and community owners).
	NonResidentialElecKWhM2 scenario.Param `json:"non_residential_elec_kwh_m2" yaml:"non_residential_elec_kwh_m2"`
	// ResidentialMinKWp, ResidentialMaxKWp: household system sizes scanned
	// (per dwelling for the maximum).
	ResidentialMinKWp scenario.Param `json:"residential_min_kwp" yaml:"residential_min_kwp"`
	ResidentialMaxKWp scenario.Param `json:"residential_max_kwp" yaml:"residential_max_kwp"`
}

// SelfConsumption: flat self-consumption shares (0–1) where no load
// profile is matched.
type SelfConsumption struct {
	// Tertiary: car-park canopies (valued as tertiary installations).
	Tertiary scenario.Param `json:"tertiary" yaml:"tertiary"`
	// Agricultural: farm buildings (no electricity use per m² is known).
	Agricultural scenario.Param `json:"agricultural" yaml:"agricultural"`
}

// VAT holds the VAT rates on PV systems by owner and size (see
// OwnerType.VATPct).
type VAT struct {
	StandardPct     scenario.Param `json:"standard_pct" yaml:"standard_pct"`
	ReducedPct      scenario.Param `json:"reduced_pct" yaml:"reduced_pct"`
	IntermediatePct scenario.Param `json:"intermediate_pct" yaml:"intermediate_pct"`
	ReducedMaxKWp   scenario.Param `json:"reduced_max_kwp" yaml:"reduced_max_kwp"`
	IntermMaxKWp    scenario.Param `json:"intermediate_max_kwp" yaml:"intermediate_max_kwp"`
	// HouseholdReducedEligible: 1 when household systems meet the 5.5 %
	// conditions, 0 otherwise.
	HouseholdReducedEligible scenario.Param `json:"household_reduced_eligible" yaml:"household_reduced_eligible"`
}

// Tariffs holds the support-scheme tariffs.
type Tariffs struct {
	// S21: classes by ascending MaxKWp (last may be 0 = unbounded).
	S21 []S21Class `json:"s21" yaml:"s21"`
	// ContractYears: duration of the purchase contract, yr.
	ContractYears scenario.Param `json:"contract_years" yaml:"contract_years"`
	// PostContractEURPerKWh: value of injected energy after the contract.
	PostContractEURPerKWh scenario.Param `json:"post_contract_eur_per_kwh" yaml:"post_contract_eur_per_kwh"`
	// TenderGroundEURPerKWh: ground-mounted tenders (rooftops above the
	// S21 bands: the last, unbounded class of S21).
	TenderGroundEURPerKWh scenario.Param `json:"tender_ground_eur_per_kwh" yaml:"tender_ground_eur_per_kwh"`
}

// Prices holds energy prices (first year) and their escalation.
type Prices struct {
	ElectricityResidential    scenario.Param `json:"electricity_residential" yaml:"electricity_residential"`
	ElectricityNonResidential scenario.Param `json:"electricity_non_residential" yaml:"electricity_non_residential"`
	Gas                       scenario.Param `json:"gas" yaml:"gas"`
	FuelOil                   scenario.Param `json:"fuel_oil" yaml:"fuel_oil"`
	ElectricityEscalationPct  scenario.Param `json:"electricity_escalation_pct" yaml:"electricity_escalation_pct"`
	GasEscalationPct          scenario.Param `json:"gas_escalation_pct" yaml:"gas_escalation_pct"`
	FuelOilEscalationPct      scenario.Param `json:"fuel_oil_escalation_pct" yaml:"fuel_oil_escalation_pct"`
}

// Finance holds the discount rates: DiscountRatePct for households (and
// the heat-pump and ground/car-park economics), the others for business
// and community owners of rooftop systems.
type Finance struct {
	DiscountRatePct          scenario.Param `json:"discount_rate_pct" yaml:"discount_rate_pct"`
	DiscountRateBusinessPct  scenario.Param `json:"discount_rate_business_pct" yaml:"discount_rate_business_pct"`
	DiscountRateCommunityPct scenario.Param `json:"discount_rate_community_pct" yaml:"discount_rate_community_pct"`
}

// CO2 holds emission factors, kgCO₂e per kWh of final energy.
type CO2 struct {
	ElectricityHeating   scenario.Param `json:"electricity_heating" yaml:"electricity_heating"`
	ElectricityOtherUses scenario.Param `json:"electricity_other_uses" yaml:"electricity_other_uses"`
	Gas                  scenario.Param `json:"gas" yaml:"gas"`
	FuelOil              scenario.Param `json:"fuel_oil" yaml:"fuel_oil"`
}

// HeatPumps holds heat-pump costs and the fossil baseline.
type HeatPumps struct {
	ASHPFixedEUR        scenario.Param `json:"ashp_fixed_eur" yaml:"ashp_fixed_eur"`
	ASHPEURPerKW        scenario.Param `json:"ashp_eur_per_kw" yaml:"ashp_eur_per_kw"`
	GSHPFixedEUR        scenario.Param `json:"gshp_fixed_eur" yaml:"gshp_fixed_eur"`
	GSHPEURPerKW        scenario.Param `json:"gshp_eur_per_kw" yaml:"gshp_eur_per_kw"`
	DrillingEURPerM     scenario.Param `json:"drilling_eur_per_m" yaml:"drilling_eur_per_m"`
	HPMaintenanceEURYr  scenario.Param `json:"hp_maintenance_eur_yr" yaml:"hp_maintenance_eur_yr"`
	BoilerMaintEURYr    scenario.Param `json:"boiler_maintenance_eur_yr" yaml:"boiler_maintenance_eur_yr"`
	LifetimeYr          scenario.Param `json:"lifetime_yr" yaml:"lifetime_yr"`
	GasBoilerEfficiency scenario.Param `json:"gas_boiler_efficiency" yaml:"gas_boiler_efficiency"`
	OilBoilerEfficiency scenario.Param `json:"oil_boiler_efficiency" yaml:"oil_boiler_efficiency"`
	// Baseline is the fuel replaced by default: "gas" or "fuel_oil".
	Baseline Fuel `json:"baseline" yaml:"baseline"`
}

// Fuel is the fossil heating baseline a heat pump replaces.
type Fuel string

const (
	FuelGas Fuel = "gas"
	FuelOil Fuel = "fuel_oil"
)

// Sources used repeatedly in Defaults.
const (
	srcAssumption = "our assumption"
	srcS21T13     = "CRE, arrêté S21 tariffs for connection requests 1 Apr–30 Jun 2025 (quarter T13, published 27 Mar 2025), as listed by CITEN (citen.fr, 'L'actualité') and tournesol-bclp.fr"
	srcDPECO2     = "arrêté du 31 mars 2021 (DPE method), GHG factors from ADEME Base Carbone, as tabulated by demarrezlestravaux.fr; SDES 'Les facteurs d'émission de GES' gives the same gas/fuel-oil values (227/324 g)"
	srcPVCost2025 = "order of magnitude from 2025 French market surveys (sciences-et-democratie.net: <3 kWp 2.5–3.0 € TTC/Wp, 3–9 kWp 2.0–2.5 € TTC/Wp, 36–100 kWp 1.0–1.2 € HT/Wp, >500 kWp <0.8 € HT/Wp); ≤9 kWp TTC (households), larger HT"
)

// Defaults returns the built-in economic assumptions (prices and tariffs of
// 2025, dated individually).
func Defaults() Params {
	d := DefaultSystemParams()
	return Params{
		PV: PVCosts{
			DegradationPctYr:      d.DegradationPctYr,
			LifetimeYr:            d.LifetimeYr,
			CapexRooftopPoints:    d.CapexPoints,
			CapexGround:           scenario.PD(700, "€/kWp", "our assumption: ground-mounted plants below rooftop >500 kWp (0.8 €/Wp)", "2025"),
			CapexCarport:          scenario.PD(1300, "€/kWp", "our assumption: canopy steel structure adds ≈0.3–0.5 €/Wp to a 100–500 kWp rooftop system", "2025"),
			OpexPctCapexYr:        d.OMPctCapexYr,
			OpexGroundPctCapexYr:  scenario.P(1.5, "%/yr of CAPEX", "our assumption (land lease, maintenance, insurance)"),
			InverterReplacementYr: d.InverterLifeYr,
			InverterCostPctCapex:  d.InverterCostPctCapex,
			SelfConsumption: SelfConsumption{
				Tertiary:     scenario.P(0.70, "fraction", "our assumption: daytime loads of offices, schools, shops under car-park canopies"),
				Agricultural: scenario.P(0.20, "fraction", "our assumption: farm buildings with little daytime load, range 0.1–0.4"),
			},
			HouseholdAnnualUseKWh:   d.HouseholdAnnualUseKWh,
			FlatFloorAreaM2:         scenario.PD(63, "m²", "INSEE, enquête Logement 2013: mean floor area of a flat 63 m² (houses 112 m², all dwellings 90.9 m²), used to count the dwellings of a multi-family building; range 50–75", "2013"),
			NonResidentialElecKWhM2: scenario.PD(71, "kWh/m²·yr", "specific electricity (lighting, IT, appliances; electric heating excluded) of the French tertiary stock: 30 % of 237.5 TWh final energy over ≈ 1 billion m² in 2019 (SNBC reference line as summarised by Institut Sapiens, 'Quelle stratégie pour décarboner le tertiaire'); a low value for self-consumption (heating and cooling loads excluded), range 50–150", "2019"),
			ResidentialMinKWp:       d.ResidentialMinKWp,
			ResidentialMaxKWp:       d.ResidentialMaxKWp,
		},
		VAT: VAT{
			StandardPct: d.VATStandardPct, ReducedPct: d.VATReducedPct, IntermediatePct: d.VATIntermediatePct,
			ReducedMaxKWp: d.VATReducedMaxKWp, IntermMaxKWp: d.VATIntermMaxKWp, HouseholdReducedEligible: d.HouseholdReducedVATEligible,
		},
		Tariffs: Tariffs{
			S21:                   s21Classes(d.S21),
			ContractYears:         d.ContractYears,
			PostContractEURPerKWh: d.PostContractEURPerKWh,
			TenderGroundEURPerKWh: scenario.PD(0.080, "€/kWh", "our assumption: order of magnitude of CRE ground-mounted PV tender results (PPE2)", "2025"),
		},
		Prices: Prices{
			ElectricityResidential:    scenario.PD(0.2016, "€/kWh", "CRE, TRVE 'Base' energy price TTC from 1 Feb 2025 (délibération CRE n° 2025-25 du 16 janvier 2025; 0.2016 €/kWh per revolution-energetique.com)", "2025-02"),
			ElectricityNonResidential: scenario.PD(0.168, "€/kWh", "our assumption: TRVE Base 0.2016 € TTC / 1.2 (VAT recovered by businesses)", "2025-02"),
			Gas:                       scenario.PD(0.1028, "€/kWh", "CRE 'prix repère' of gas for heating households, TTC, December 2025 (0.10282 €/kWh, planet.fr)", "2025-12"),
			FuelOil:                   scenario.PD(0.1183, "€/kWh", "Ministry of Ecological Transition (SDES/Pégase) mean domestic fuel-oil price, March 2025: 1,182.66 € per 1,000 L (deco-asaiss.com), ÷ 10 kWh/L (LHV)", "2025-03"),
			ElectricityEscalationPct:  d.PriceEscalationPct,
			GasEscalationPct:          scenario.P(2.0, "%/yr", srcAssumption),
			FuelOilEscalationPct:      scenario.P(2.0, "%/yr", srcAssumption),
		},
		Finance: Finance{
			DiscountRatePct:          d.DiscountRateHousehold,
			DiscountRateBusinessPct:  d.DiscountRateBusiness,
			DiscountRateCommunityPct: d.DiscountRateCommunity,
		},
		CO2: CO2{
			ElectricityHeating:   scenario.PD(0.079, "kgCO2e/kWh", srcDPECO2+": electricity, heating", "2021"),
			ElectricityOtherUses: scenario.PD(0.064, "kgCO2e/kWh", srcDPECO2+": electricity, other uses (taken as the grid electricity displaced by PV)", "2021"),
			Gas:                  scenario.PD(0.227, "kgCO2e/kWh", srcDPECO2+": natural gas", "2021"),
			FuelOil:              scenario.PD(0.324, "kgCO2e/kWh", srcDPECO2+": domestic fuel oil", "2021"),
		},
		HeatPumps: HeatPumps{
			ASHPFixedEUR:        scenario.PD(4000, "€", "our assumption, fitted so that 6–16 kW costs 8,000–16,000 € installed (empruntis.com, aude-location.fr, 2025)", "2025"),
			ASHPEURPerKW:        scenario.PD(700, "€/kW", "our assumption (see ashp_fixed_eur)", "2025"),
			GSHPFixedEUR:        scenario.PD(6000, "€", "our assumption, with gshp_eur_per_kw and drilling: a 10 kW brine/water system with 2×100 m probes ≈ 26,000 €, inside 16,000–31,000 € (ootravaux.fr, 2025)", "2025"),
			GSHPEURPerKW:        scenario.PD(800, "€/kW", "our assumption (see gshp_fixed_eur)", "2025"),
			DrillingEURPerM:     scenario.PD(60, "€/m", "our assumption: vertical probe drilling and loop, 50–80 €/m usual in France", "2025"),
			HPMaintenanceEURYr:  scenario.PD(200, "€/yr", "empruntis.com: heat-pump servicing 150–250 €/yr", "2025"),
			BoilerMaintEURYr:    scenario.PD(150, "€/yr", "our assumption (mandatory yearly boiler servicing)", "2025"),
			LifetimeYr:          scenario.P(20, "yr", "our assumption (heat pumps 15–20 yr; boreholes last longer, 50 yr in Hotmaps, no residual value counted)"),
			GasBoilerEfficiency: scenario.P(0.90, "fraction", "our assumption: seasonal efficiency on LHV of a condensing gas boiler in an existing house"),
			OilBoilerEfficiency: scenario.P(0.85, "fraction", "our assumption: seasonal efficiency of an oil boiler"),
			Baseline:            FuelGas,
		},
	}
}

// Validate checks every value against its allowed range; errors are
// *scenario.Error with the key path below "econ".
func (p *Params) Validate() error {
	bad := func(key, problem string) error { return &scenario.Error{Key: key, Problem: problem} }
	if err := scenario.CheckRanges([]scenario.Range{
		{Key: "pv.degradation_pct_yr", P: p.PV.DegradationPctYr, Lo: 0, Hi: 5},
		{Key: "pv.lifetime_yr", P: p.PV.LifetimeYr, Lo: 1, Hi: 60, Whole: true},
		{Key: "pv.capex_ground", P: p.PV.CapexGround, Lo: 0, Hi: 20000},
		{Key: "pv.capex_carport", P: p.PV.CapexCarport, Lo: 0, Hi: 20000},
		{Key: "pv.opex_pct_capex_yr", P: p.PV.OpexPctCapexYr, Lo: 0, Hi: 20},
		{Key: "pv.opex_ground_pct_capex_yr", P: p.PV.OpexGroundPctCapexYr, Lo: 0, Hi: 20},
		{Key: "pv.inverter_replacement_yr", P: p.PV.InverterReplacementYr, Lo: 0, Hi: 60, Whole: true},
		{Key: "pv.inverter_cost_pct_capex", P: p.PV.InverterCostPctCapex, Lo: 0, Hi: 100},
		{Key: "pv.self_consumption.tertiary", P: p.PV.SelfConsumption.Tertiary, Lo: 0, Hi: 1},
		{Key: "pv.self_consumption.agricultural", P: p.PV.SelfConsumption.Agricultural, Lo: 0, Hi: 1},
		{Key: "pv.household_annual_use_kwh", P: p.PV.HouseholdAnnualUseKWh, Lo: 0, Hi: 1e6},
		{Key: "pv.flat_floor_area_m2", P: p.PV.FlatFloorAreaM2, Lo: 10, Hi: 1000},
		{Key: "pv.non_residential_elec_kwh_m2", P: p.PV.NonResidentialElecKWhM2, Lo: 0, Hi: 2000},
		{Key: "pv.residential_min_kwp", P: p.PV.ResidentialMinKWp, Lo: 0.1, Hi: 1e4},
		{Key: "pv.residential_max_kwp", P: p.PV.ResidentialMaxKWp, Lo: 0.1, Hi: 1e4},
		{Key: "vat.standard_pct", P: p.VAT.StandardPct, Lo: 0, Hi: 100},
		{Key: "vat.reduced_pct", P: p.VAT.ReducedPct, Lo: 0, Hi: 100},
		{Key: "vat.intermediate_pct", P: p.VAT.IntermediatePct, Lo: 0, Hi: 100},
		{Key: "vat.reduced_max_kwp", P: p.VAT.ReducedMaxKWp, Lo: 0, Hi: 1e6},
		{Key: "vat.intermediate_max_kwp", P: p.VAT.IntermMaxKWp, Lo: 0, Hi: 1e6},
		{Key: "finance.discount_rate_business_pct", P: p.Finance.DiscountRateBusinessPct, Lo: -5, Hi: 50},
		{Key: "finance.discount_rate_community_pct", P: p.Finance.DiscountRateCommunityPct, Lo: -5, Hi: 50},
		{Key: "tariffs.contract_years", P: p.Tariffs.ContractYears, Lo: 0, Hi: 60, Whole: true},
		{Key: "tariffs.post_contract_eur_per_kwh", P: p.Tariffs.PostContractEURPerKWh, Lo: 0, Hi: 5},
		{Key: "tariffs.tender_ground_eur_per_kwh", P: p.Tariffs.TenderGroundEURPerKWh, Lo: 0, Hi: 5},
		{Key: "prices.electricity_residential", P: p.Prices.ElectricityResidential, Lo: 0, Hi: 5},
		{Key: "prices.electricity_non_residential", P: p.Prices.ElectricityNonResidential, Lo: 0, Hi: 5},
		{Key: "prices.gas", P: p.Prices.Gas, Lo: 0, Hi: 5},
		{Key: "prices.fuel_oil", P: p.Prices.FuelOil, Lo: 0, Hi: 5},
		{Key: "prices.electricity_escalation_pct", P: p.Prices.ElectricityEscalationPct, Lo: -20, Hi: 30},
		{Key: "prices.gas_escalation_pct", P: p.Prices.GasEscalationPct, Lo: -20, Hi: 30},
		{Key: "prices.fuel_oil_escalation_pct", P: p.Prices.FuelOilEscalationPct, Lo: -20, Hi: 30},
		{Key: "finance.discount_rate_pct", P: p.Finance.DiscountRatePct, Lo: -5, Hi: 50},
		{Key: "co2.electricity_heating", P: p.CO2.ElectricityHeating, Lo: 0, Hi: 2},
		{Key: "co2.electricity_other_uses", P: p.CO2.ElectricityOtherUses, Lo: 0, Hi: 2},
		{Key: "co2.gas", P: p.CO2.Gas, Lo: 0, Hi: 2},
		{Key: "co2.fuel_oil", P: p.CO2.FuelOil, Lo: 0, Hi: 2},
		{Key: "heat_pumps.ashp_fixed_eur", P: p.HeatPumps.ASHPFixedEUR, Lo: 0, Hi: 1e6},
		{Key: "heat_pumps.ashp_eur_per_kw", P: p.HeatPumps.ASHPEURPerKW, Lo: 0, Hi: 1e5},
		{Key: "heat_pumps.gshp_fixed_eur", P: p.HeatPumps.GSHPFixedEUR, Lo: 0, Hi: 1e6},
		{Key: "heat_pumps.gshp_eur_per_kw", P: p.HeatPumps.GSHPEURPerKW, Lo: 0, Hi: 1e5},
		{Key: "heat_pumps.drilling_eur_per_m", P: p.HeatPumps.DrillingEURPerM, Lo: 0, Hi: 1000},
		{Key: "heat_pumps.hp_maintenance_eur_yr", P: p.HeatPumps.HPMaintenanceEURYr, Lo: 0, Hi: 1e5},
		{Key: "heat_pumps.boiler_maintenance_eur_yr", P: p.HeatPumps.BoilerMaintEURYr, Lo: 0, Hi: 1e5},
		{Key: "heat_pumps.lifetime_yr", P: p.HeatPumps.LifetimeYr, Lo: 1, Hi: 60, Whole: true},
		{Key: "heat_pumps.gas_boiler_efficiency", P: p.HeatPumps.GasBoilerEfficiency, Lo: 0.3, Hi: 1.1},
		{Key: "heat_pumps.oil_boiler_efficiency", P: p.HeatPumps.OilBoilerEfficiency, Lo: 0.3, Hi: 1.1},
	}); err != nil {
		return err
	}
	if v := p.VAT.HouseholdReducedEligible.Value; v != 0 && v != 1 {
		return bad("vat.household_reduced_eligible", fmt.Sprintf("%g: want 0 or 1", v))
	}
	if p.PV.ResidentialMinKWp.Value > p.PV.ResidentialMaxKWp.Value {
		return bad("pv.residential_min_kwp", fmt.Sprintf("%g exceeds pv.residential_max_kwp %g", p.PV.ResidentialMinKWp.Value, p.PV.ResidentialMaxKWp.Value))
	}
	if len(p.PV.CapexRooftopPoints) < 2 {
		return bad("pv.capex_rooftop_points", "needs at least 2 price points for the capex curve")
	}
	for i, c := range p.PV.CapexRooftopPoints {
		if !(c.KWp > 0) || c.KWp > 1e6 {
			return bad(fmt.Sprintf("pv.capex_rooftop_points[%d].kwp", i), fmt.Sprintf("%g out of range (0, 1e6] kWp", c.KWp))
		}
		if !(c.EURPerWpHT > 0) || c.EURPerWpHT > 20 {
			return bad(fmt.Sprintf("pv.capex_rooftop_points[%d].eur_per_wp_ht", i), fmt.Sprintf("%g out of range (0, 20] €/Wp", c.EURPerWpHT))
		}
	}
	if _, err := FitCapexCurve(p.PV.CapexRooftopPoints); err != nil {
		return bad("pv.capex_rooftop_points", err.Error())
	}
	if err := checkClasses("tariffs.s21", len(p.Tariffs.S21), func(i int) (float64, []float64) {
		c := p.Tariffs.S21[i]
		return c.MaxKWp, []float64{c.SurplusEURPerKWh, c.PremiumEURPerKWp, c.FullSaleEURPerKWh}
	}, false, bad); err != nil {
		return err
	}
	for i, c := range p.Tariffs.S21 {
		k := fmt.Sprintf("tariffs.s21[%d]", i)
		switch {
		case c.SurplusEURPerKWh < 0 || c.SurplusEURPerKWh > 5:
			return bad(k+".surplus_eur_per_kwh", fmt.Sprintf("%g out of range [0, 5] €/kWh", c.SurplusEURPerKWh))
		case c.FullSaleEURPerKWh < 0 || c.FullSaleEURPerKWh > 5:
			return bad(k+".full_sale_eur_per_kwh", fmt.Sprintf("%g out of range [0, 5] €/kWh", c.FullSaleEURPerKWh))
		case c.PremiumEURPerKWp < 0 || c.PremiumEURPerKWp > 5000:
			return bad(k+".premium_eur_per_kwp", fmt.Sprintf("%g out of range [0, 5000] €/kWp", c.PremiumEURPerKWp))
		case c.PremiumYears < 1 || c.PremiumYears > 20:
			return bad(k+".premium_years", fmt.Sprintf("%d out of range [1, 20]", c.PremiumYears))
		case c.Date == "":
			return bad(k+".date", "a tariff needs the date it applies to (YYYY-MM)")
		}
	}
	if p.HeatPumps.Baseline != FuelGas && p.HeatPumps.Baseline != FuelOil {
		return bad("heat_pumps.baseline", fmt.Sprintf("%q: want %q or %q", p.HeatPumps.Baseline, FuelGas, FuelOil))
	}
	return nil
}

// checkClasses checks size classes: at least one, ascending MaxKWp > 0,
// only the last may be 0 (unbounded); lastUnbounded requires it.
func checkClasses(key string, n int, get func(int) (float64, []float64), lastUnbounded bool, bad func(string, string) error) error {
	if n == 0 {
		return bad(key, "needs at least one size class")
	}
	prev := 0.0
	for i := 0; i < n; i++ {
		m, vals := get(i)
		for _, v := range vals {
			if math.IsNaN(v) {
				return bad(fmt.Sprintf("%s[%d]", key, i), "NaN value")
			}
		}
		if m == 0 {
			if i != n-1 {
				return bad(fmt.Sprintf("%s[%d].max_kwp", key, i), "0 (unbounded) is allowed only for the last class")
			}
			continue
		}
		if !(m > prev) || math.IsInf(m, 0) {
			return bad(fmt.Sprintf("%s[%d].max_kwp", key, i), fmt.Sprintf("%g must be above the previous class (%g)", m, prev))
		}
		prev = m
	}
	if m, _ := get(n - 1); lastUnbounded && m != 0 {
		return bad(fmt.Sprintf("%s[%d].max_kwp", key, n-1), "the last class must be unbounded (max_kwp: 0)")
	}
	return nil
}

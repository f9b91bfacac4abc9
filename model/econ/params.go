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
	Tariffs   Tariffs   `json:"tariffs" yaml:"tariffs"`
	Prices    Prices    `json:"prices" yaml:"prices"`
	Finance   Finance   `json:"finance" yaml:"finance"`
	CO2       CO2       `json:"co2" yaml:"co2"`
	HeatPumps HeatPumps `json:"heat_pumps" yaml:"heat_pumps"`
}

// CostClass is a cost by PV size class: applies to systems of at most
// MaxKWp (the last class of a list has MaxKWp = 0, meaning unbounded).
type CostClass struct {
	MaxKWp    float64 `json:"max_kwp" yaml:"max_kwp"`
	EURPerKWp float64 `json:"eur_per_kwp" yaml:"eur_per_kwp" unit:"€/kWp"`
	Source    string  `json:"source" yaml:"source"`
	Date      string  `json:"date,omitempty" yaml:"date,omitempty"`
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
	// CapexRooftop: turnkey cost by size class, €/kWp (ascending MaxKWp,
	// last class unbounded).
	CapexRooftop []CostClass    `json:"capex_rooftop" yaml:"capex_rooftop"`
	CapexGround  scenario.Param `json:"capex_ground" yaml:"capex_ground"`
	CapexCarport scenario.Param `json:"capex_carport" yaml:"capex_carport"`
	// OPEX as a share of CAPEX per year (rooftop/carport, ground).
	OpexPctCapexYr       scenario.Param `json:"opex_pct_capex_yr" yaml:"opex_pct_capex_yr"`
	OpexGroundPctCapexYr scenario.Param `json:"opex_ground_pct_capex_yr" yaml:"opex_ground_pct_capex_yr"`
	// Inverter replacement: year and cost.
	InverterReplacementYr        scenario.Param `json:"inverter_replacement_yr" yaml:"inverter_replacement_yr"`
	InverterReplacementEURPerKWp scenario.Param `json:"inverter_replacement_eur_per_kwp" yaml:"inverter_replacement_eur_per_kwp"`
	// SelfConsumption: default self-consumed share of production by segment.
	SelfConsumption SelfConsumption `json:"self_consumption" yaml:"self_consumption"`
}

// SelfConsumption: default self-consumption shares (0–1) by segment.
type SelfConsumption struct {
	Residential  scenario.Param `json:"residential" yaml:"residential"`
	Tertiary     scenario.Param `json:"tertiary" yaml:"tertiary"`
	Industrial   scenario.Param `json:"industrial" yaml:"industrial"`
	Agricultural scenario.Param `json:"agricultural" yaml:"agricultural"`
}

// Tariffs holds the support-scheme tariffs.
type Tariffs struct {
	// S21: classes by ascending MaxKWp (last may be 0 = unbounded).
	S21 []S21Class `json:"s21" yaml:"s21"`
	// ContractYears: duration of the purchase contract, yr.
	ContractYears scenario.Param `json:"contract_years" yaml:"contract_years"`
	// PostContractEURPerKWh: value of injected energy after the contract.
	PostContractEURPerKWh scenario.Param `json:"post_contract_eur_per_kwh" yaml:"post_contract_eur_per_kwh"`
	// TenderRooftopEURPerKWh: price for rooftop PV above the largest S21
	// class (tenders); TenderGroundEURPerKWh: ground-mounted tenders.
	TenderRooftopEURPerKWh scenario.Param `json:"tender_rooftop_eur_per_kwh" yaml:"tender_rooftop_eur_per_kwh"`
	TenderGroundEURPerKWh  scenario.Param `json:"tender_ground_eur_per_kwh" yaml:"tender_ground_eur_per_kwh"`
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

// Finance holds the discount rate.
type Finance struct {
	DiscountRatePct scenario.Param `json:"discount_rate_pct" yaml:"discount_rate_pct"`
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
	return Params{
		PV: PVCosts{
			DegradationPctYr: scenario.P(0.5, "%/yr", "Google Solar API financial defaults (developers.google.com/maps/documentation/solar)"),
			LifetimeYr:       scenario.P(20, "yr", "Google Solar API default; equals the 20-year S21 purchase contract"),
			CapexRooftop: []CostClass{
				{MaxKWp: 3, EURPerKWp: 2750, Source: srcPVCost2025 + "; mid-range 2.75", Date: "2025"},
				{MaxKWp: 9, EURPerKWp: 2250, Source: srcPVCost2025 + "; mid-range 2.25", Date: "2025"},
				{MaxKWp: 36, EURPerKWp: 1500, Source: srcPVCost2025 + "; 9–36 kWp not given: our interpolation", Date: "2025"},
				{MaxKWp: 100, EURPerKWp: 1100, Source: srcPVCost2025 + "; mid-range 1.1", Date: "2025"},
				{MaxKWp: 500, EURPerKWp: 950, Source: srcPVCost2025 + "; 100–500 kWp not given: our interpolation", Date: "2025"},
				{MaxKWp: 0, EURPerKWp: 800, Source: srcPVCost2025 + "; upper bound 0.8", Date: "2025"},
			},
			CapexGround:                  scenario.PD(700, "€/kWp", "our assumption: ground-mounted plants below rooftop >500 kWp (0.8 €/Wp)", "2025"),
			CapexCarport:                 scenario.PD(1300, "€/kWp", "our assumption: canopy steel structure adds ≈0.3–0.5 €/Wp to a 100–500 kWp rooftop system", "2025"),
			OpexPctCapexYr:               scenario.P(1.0, "%/yr of CAPEX", "our assumption (1–2 %/yr typical; photovoltaique.info: no yearly servicing needed for small systems, monitoring advised)"),
			OpexGroundPctCapexYr:         scenario.P(1.5, "%/yr of CAPEX", "our assumption (land lease, maintenance, insurance)"),
			InverterReplacementYr:        scenario.P(12, "yr", "our assumption (string-inverter life 10–15 yr)"),
			InverterReplacementEURPerKWp: scenario.P(150, "€/kWp", "our assumption"),
			SelfConsumption: SelfConsumption{
				Residential:  scenario.P(0.35, "fraction", "our assumption: 25–50 % typical without battery (insunwetrust.solar); 35 %"),
				Tertiary:     scenario.P(0.70, "fraction", "our assumption: daytime loads of offices, schools, shops"),
				Industrial:   scenario.P(0.80, "fraction", "our assumption: continuous daytime loads"),
				Agricultural: scenario.P(0.20, "fraction", "our assumption: farm buildings with little daytime load"),
			},
		},
		Tariffs: Tariffs{
			S21: []S21Class{
				{MaxKWp: 3, SurplusEURPerKWh: 0.04, PremiumEURPerKWp: 80, PremiumYears: 1, FullSaleEURPerKWh: 0, Source: srcS21T13, Date: "2025-04"},
				{MaxKWp: 9, SurplusEURPerKWh: 0.04, PremiumEURPerKWp: 80, PremiumYears: 1, FullSaleEURPerKWh: 0, Source: srcS21T13, Date: "2025-04"},
				{MaxKWp: 36, SurplusEURPerKWh: 0.0761, PremiumEURPerKWp: 190, PremiumYears: 5, FullSaleEURPerKWh: 0.1295, Source: srcS21T13, Date: "2025-04"},
				{MaxKWp: 100, SurplusEURPerKWh: 0.0761, PremiumEURPerKWp: 100, PremiumYears: 5, FullSaleEURPerKWh: 0.1126, Source: srcS21T13, Date: "2025-04"},
				{MaxKWp: 500, SurplusEURPerKWh: 0, PremiumEURPerKWp: 0, PremiumYears: 1, FullSaleEURPerKWh: 0.095, Source: srcS21T13 + "; 95 €/MWh until 30 Jun 2025, then simplified tenders (arrêté S21 modified 26 March 2025)", Date: "2025-04"},
			},
			ContractYears:          scenario.P(20, "yr", "S21 purchase contracts last 20 years (EDF OA)"),
			PostContractEURPerKWh:  scenario.PD(0.04, "€/kWh", "our assumption: market value of injected PV after the contract", "2025"),
			TenderRooftopEURPerKWh: scenario.PD(0.095, "€/kWh", "our assumption: last S21 100–500 kWp open-window tariff as proxy for rooftop tenders", "2025-04"),
			TenderGroundEURPerKWh:  scenario.PD(0.080, "€/kWh", "our assumption: order of magnitude of CRE ground-mounted PV tender results (PPE2)", "2025"),
		},
		Prices: Prices{
			ElectricityResidential:    scenario.PD(0.2016, "€/kWh", "CRE, TRVE 'Base' energy price TTC from 1 Feb 2025 (délibération CRE n° 2025-25 du 16 janvier 2025; 0.2016 €/kWh per revolution-energetique.com)", "2025-02"),
			ElectricityNonResidential: scenario.PD(0.168, "€/kWh", "our assumption: TRVE Base 0.2016 € TTC / 1.2 (VAT recovered by businesses)", "2025-02"),
			Gas:                       scenario.PD(0.1028, "€/kWh", "CRE 'prix repère' of gas for heating households, TTC, December 2025 (0.10282 €/kWh, planet.fr)", "2025-12"),
			FuelOil:                   scenario.PD(0.1183, "€/kWh", "Ministry of Ecological Transition (SDES/Pégase) mean domestic fuel-oil price, March 2025: 1,182.66 € per 1,000 L (deco-asaiss.com), ÷ 10 kWh/L (LHV)", "2025-03"),
			ElectricityEscalationPct:  scenario.P(2.2, "%/yr", "Google Solar API electricity price growth default (developers.google.com/maps/documentation/solar)"),
			GasEscalationPct:          scenario.P(2.0, "%/yr", srcAssumption),
			FuelOilEscalationPct:      scenario.P(2.0, "%/yr", srcAssumption),
		},
		Finance: Finance{
			DiscountRatePct: scenario.P(4, "%/yr", "Google Solar API discount-rate default (developers.google.com/maps/documentation/solar); nominal, like the prices"),
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
		{Key: "pv.inverter_replacement_eur_per_kwp", P: p.PV.InverterReplacementEURPerKWp, Lo: 0, Hi: 5000},
		{Key: "pv.self_consumption.residential", P: p.PV.SelfConsumption.Residential, Lo: 0, Hi: 1},
		{Key: "pv.self_consumption.tertiary", P: p.PV.SelfConsumption.Tertiary, Lo: 0, Hi: 1},
		{Key: "pv.self_consumption.industrial", P: p.PV.SelfConsumption.Industrial, Lo: 0, Hi: 1},
		{Key: "pv.self_consumption.agricultural", P: p.PV.SelfConsumption.Agricultural, Lo: 0, Hi: 1},
		{Key: "tariffs.contract_years", P: p.Tariffs.ContractYears, Lo: 0, Hi: 60, Whole: true},
		{Key: "tariffs.post_contract_eur_per_kwh", P: p.Tariffs.PostContractEURPerKWh, Lo: 0, Hi: 5},
		{Key: "tariffs.tender_rooftop_eur_per_kwh", P: p.Tariffs.TenderRooftopEURPerKWh, Lo: 0, Hi: 5},
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
	if err := checkClasses("pv.capex_rooftop", len(p.PV.CapexRooftop), func(i int) (float64, []float64) {
		c := p.PV.CapexRooftop[i]
		return c.MaxKWp, []float64{c.EURPerKWp}
	}, true, bad); err != nil {
		return err
	}
	for i, c := range p.PV.CapexRooftop {
		if c.EURPerKWp <= 0 || c.EURPerKWp > 20000 {
			return bad(fmt.Sprintf("pv.capex_rooftop[%d].eur_per_kwp", i), fmt.Sprintf("%g out of range (0, 20000] €/kWp", c.EURPerKWp))
		}
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

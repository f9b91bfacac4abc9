package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"sort"
	"strings"

	"github.com/gisement/gisement/geo"
	"gopkg.in/yaml.v3"
)

// Scenario gathers every assumption of a study: PV sizing and losses,
// costs, French support-scheme tariffs, energy prices and their escalation,
// finance, CO₂ factors, heat-pump costs, the heat model's parameters and
// the Monte Carlo uncertainties. Every number is a Param carrying its unit,
// its source and, for prices and tariffs, the date it applies to; "our
// assumption" in a Source marks a value that is ours, not a published one.
//
// A scenario is built from DefaultScenario() and, optionally, a user's
// partial YAML (or JSON, which is YAML) file merged over it by
// LoadScenario. Hash() identifies the assumptions behind a result;
// Assumptions() lists them for reports.
type Scenario struct {
	Name        string `json:"name" yaml:"name"`
	Description string `json:"description" yaml:"description"`
	// PriceDate is the reference date (YYYY-MM) of the prices and tariffs
	// as a whole; each price also carries its own Date.
	PriceDate string `json:"price_date" yaml:"price_date"`

	PV          PVScenario          `json:"pv" yaml:"pv"`
	Tariffs     TariffScenario      `json:"tariffs" yaml:"tariffs"`
	Prices      PriceScenario       `json:"prices" yaml:"prices"`
	Finance     FinanceScenario     `json:"finance" yaml:"finance"`
	CO2         CO2Scenario         `json:"co2" yaml:"co2"`
	HeatPumps   HeatPumpScenario    `json:"heat_pumps" yaml:"heat_pumps"`
	Uncertainty UncertaintyScenario `json:"uncertainty" yaml:"uncertainty"`
	// Heat holds the heat-demand, air-source and ground-source model
	// parameters (HeatParams, heat_params.go: sources in its field docs).
	Heat HeatParams `json:"heat" yaml:"heat"`
}

// Param is one assumption: a value with its unit, its source and, for
// prices and tariffs, the date (YYYY-MM) it applies to.
//
// In a user's YAML file a Param is written either as a bare number
// (`discount_rate_pct: 5`; the source then becomes "set in <file>" and the
// date is cleared) or as a mapping with the keys value, unit, source, date
// (the unit, when given, must equal the built-in unit: no unit conversion).
type Param struct {
	Value  float64 `json:"value" yaml:"value"`
	Unit   string  `json:"unit" yaml:"unit"`
	Source string  `json:"source" yaml:"source"`
	Date   string  `json:"date,omitempty" yaml:"date,omitempty"`
}

func pp(v float64, unit, source string) Param { return Param{Value: v, Unit: unit, Source: source} }

func pd(v float64, unit, source, date string) Param {
	return Param{Value: v, Unit: unit, Source: source, Date: date}
}

// userSourceMarker is set by Param.UnmarshalYAML for bare-number overrides;
// LoadScenario replaces it with "set in <file>".
const userSourceMarker = "\x00user"

// UnmarshalYAML accepts a bare number or a {value, unit, source, date}
// mapping (see Param).
func (p *Param) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		var v float64
		if err := n.Decode(&v); err != nil {
			return fmt.Errorf("line %d: want a number, got %q", n.Line, n.Value)
		}
		p.Value, p.Source, p.Date = v, userSourceMarker, ""
		return nil
	case yaml.MappingNode:
		sourceSet := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch k.Value {
			case "value":
				if err := v.Decode(&p.Value); err != nil {
					return fmt.Errorf("line %d: value: want a number, got %q", v.Line, v.Value)
				}
			case "unit":
				if v.Value != p.Unit && p.Unit != "" {
					return fmt.Errorf("line %d: unit %q differs from the built-in unit %q (no unit conversion; give the value in %s)", v.Line, v.Value, p.Unit, p.Unit)
				}
				p.Unit = v.Value
			case "source":
				p.Source, sourceSet = v.Value, true
			case "date":
				p.Date = v.Value
			default:
				return fmt.Errorf("line %d: unknown key %q (want value, unit, source or date)", k.Line, k.Value)
			}
		}
		if !sourceSet {
			p.Source = userSourceMarker
		}
		return nil
	}
	return fmt.Errorf("line %d: want a number or a {value, unit, source, date} mapping", n.Line)
}

// RoofScenario mirrors geo.RoofOptions (geo.DefaultRoofOptions; sources and
// uncertainties in geo/roof.go), with units and sources attached.
type RoofScenario struct {
	PitchDeg          Param `json:"pitch_deg" yaml:"pitch_deg"`
	FlatAboveM2       Param `json:"flat_above_m2" yaml:"flat_above_m2"`
	FlatTiltDeg       Param `json:"flat_tilt_deg" yaml:"flat_tilt_deg"`
	FlatRackCoverage  Param `json:"flat_rack_coverage" yaml:"flat_rack_coverage"`
	SetbackM          Param `json:"setback_m" yaml:"setback_m"`
	ObstructionFactor Param `json:"obstruction_factor" yaml:"obstruction_factor"`
}

// CostClass is a cost by PV size class: applies to systems of at most
// MaxKWp (the last class of a list has MaxKWp = 0, meaning unbounded).
type CostClass struct {
	MaxKWp    float64 `json:"max_kwp" yaml:"max_kwp"`
	EURPerKWp float64 `json:"eur_per_kwp" yaml:"eur_per_kwp"`
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
	SurplusEURPerKWh float64 `json:"surplus_eur_per_kwh" yaml:"surplus_eur_per_kwh"`
	// PremiumEURPerKWp: self-consumption premium, € per kWp, paid in equal
	// parts over PremiumYears years.
	PremiumEURPerKWp float64 `json:"premium_eur_per_kwp" yaml:"premium_eur_per_kwp"`
	PremiumYears     int     `json:"premium_years" yaml:"premium_years"`
	// FullSaleEURPerKWh: tariff when all production is sold, €/kWh (0 =
	// not available).
	FullSaleEURPerKWh float64 `json:"full_sale_eur_per_kwh" yaml:"full_sale_eur_per_kwh"`
	Source            string  `json:"source" yaml:"source"`
	Date              string  `json:"date" yaml:"date"`
}

// PVScenario holds PV sizing, performance and cost assumptions.
type PVScenario struct {
	ModulePowerDensityWpM2 Param `json:"module_power_density_wp_m2" yaml:"module_power_density_wp_m2"`
	SystemLossPct          Param `json:"system_loss_pct" yaml:"system_loss_pct"`
	DegradationPctYr       Param `json:"degradation_pct_yr" yaml:"degradation_pct_yr"`
	LifetimeYr             Param `json:"lifetime_yr" yaml:"lifetime_yr"`
	// KeepMinPOAKWhM2, MinUsableM2: planes below these are not counted
	// (PVParams, pv.go).
	KeepMinPOAKWhM2 Param        `json:"keep_min_poa_kwh_m2" yaml:"keep_min_poa_kwh_m2"`
	MinUsableM2     Param        `json:"min_usable_m2" yaml:"min_usable_m2"`
	Roof            RoofScenario `json:"roof" yaml:"roof"`
	// GroundCoverageRatio: module area / land area of ground-mounted PV.
	GroundCoverageRatio Param `json:"ground_coverage_ratio" yaml:"ground_coverage_ratio"`
	// CarportCoverageRatio: module area / car-park area under canopies.
	CarportCoverageRatio Param `json:"carport_coverage_ratio" yaml:"carport_coverage_ratio"`
	// APERThresholdM2: outdoor car parks above this area must be covered
	// (APER law).
	APERThresholdM2 Param `json:"aper_threshold_m2" yaml:"aper_threshold_m2"`
	// CapexRooftop: turnkey cost by size class, €/kWp (ascending MaxKWp,
	// last class unbounded).
	CapexRooftop []CostClass `json:"capex_rooftop" yaml:"capex_rooftop"`
	CapexGround  Param       `json:"capex_ground" yaml:"capex_ground"`
	CapexCarport Param       `json:"capex_carport" yaml:"capex_carport"`
	// OPEX as a share of CAPEX per year (rooftop/carport, ground).
	OpexPctCapexYr       Param `json:"opex_pct_capex_yr" yaml:"opex_pct_capex_yr"`
	OpexGroundPctCapexYr Param `json:"opex_ground_pct_capex_yr" yaml:"opex_ground_pct_capex_yr"`
	// Inverter replacement: year and cost.
	InverterReplacementYr        Param `json:"inverter_replacement_yr" yaml:"inverter_replacement_yr"`
	InverterReplacementEURPerKWp Param `json:"inverter_replacement_eur_per_kwp" yaml:"inverter_replacement_eur_per_kwp"`
	// SelfConsumption: default self-consumed share of production by segment.
	SelfConsumption SelfConsumptionScenario `json:"self_consumption" yaml:"self_consumption"`
}

// SelfConsumptionScenario: default self-consumption shares (0–1) by segment.
type SelfConsumptionScenario struct {
	Residential  Param `json:"residential" yaml:"residential"`
	Tertiary     Param `json:"tertiary" yaml:"tertiary"`
	Industrial   Param `json:"industrial" yaml:"industrial"`
	Agricultural Param `json:"agricultural" yaml:"agricultural"`
}

// TariffScenario holds the support-scheme tariffs.
type TariffScenario struct {
	// S21: classes by ascending MaxKWp (last may be 0 = unbounded).
	S21 []S21Class `json:"s21" yaml:"s21"`
	// ContractYears: duration of the purchase contract, yr.
	ContractYears Param `json:"contract_years" yaml:"contract_years"`
	// PostContractEURPerKWh: value of injected energy after the contract.
	PostContractEURPerKWh Param `json:"post_contract_eur_per_kwh" yaml:"post_contract_eur_per_kwh"`
	// TenderRooftopEURPerKWh: price for rooftop PV above the largest S21
	// class (tenders); TenderGroundEURPerKWh: ground-mounted tenders.
	TenderRooftopEURPerKWh Param `json:"tender_rooftop_eur_per_kwh" yaml:"tender_rooftop_eur_per_kwh"`
	TenderGroundEURPerKWh  Param `json:"tender_ground_eur_per_kwh" yaml:"tender_ground_eur_per_kwh"`
}

// PriceScenario holds energy prices (first year) and their escalation.
type PriceScenario struct {
	ElectricityResidential    Param `json:"electricity_residential" yaml:"electricity_residential"`
	ElectricityNonResidential Param `json:"electricity_non_residential" yaml:"electricity_non_residential"`
	Gas                       Param `json:"gas" yaml:"gas"`
	FuelOil                   Param `json:"fuel_oil" yaml:"fuel_oil"`
	ElectricityEscalationPct  Param `json:"electricity_escalation_pct" yaml:"electricity_escalation_pct"`
	GasEscalationPct          Param `json:"gas_escalation_pct" yaml:"gas_escalation_pct"`
	FuelOilEscalationPct      Param `json:"fuel_oil_escalation_pct" yaml:"fuel_oil_escalation_pct"`
}

// FinanceScenario holds the discount rate.
type FinanceScenario struct {
	DiscountRatePct Param `json:"discount_rate_pct" yaml:"discount_rate_pct"`
}

// CO2Scenario holds emission factors, kgCO₂e per kWh of final energy.
type CO2Scenario struct {
	ElectricityHeating   Param `json:"electricity_heating" yaml:"electricity_heating"`
	ElectricityOtherUses Param `json:"electricity_other_uses" yaml:"electricity_other_uses"`
	Gas                  Param `json:"gas" yaml:"gas"`
	FuelOil              Param `json:"fuel_oil" yaml:"fuel_oil"`
}

// HeatPumpScenario holds heat-pump costs and the fossil baseline.
type HeatPumpScenario struct {
	ASHPFixedEUR        Param `json:"ashp_fixed_eur" yaml:"ashp_fixed_eur"`
	ASHPEURPerKW        Param `json:"ashp_eur_per_kw" yaml:"ashp_eur_per_kw"`
	GSHPFixedEUR        Param `json:"gshp_fixed_eur" yaml:"gshp_fixed_eur"`
	GSHPEURPerKW        Param `json:"gshp_eur_per_kw" yaml:"gshp_eur_per_kw"`
	DrillingEURPerM     Param `json:"drilling_eur_per_m" yaml:"drilling_eur_per_m"`
	HPMaintenanceEURYr  Param `json:"hp_maintenance_eur_yr" yaml:"hp_maintenance_eur_yr"`
	BoilerMaintEURYr    Param `json:"boiler_maintenance_eur_yr" yaml:"boiler_maintenance_eur_yr"`
	LifetimeYr          Param `json:"lifetime_yr" yaml:"lifetime_yr"`
	GasBoilerEfficiency Param `json:"gas_boiler_efficiency" yaml:"gas_boiler_efficiency"`
	OilBoilerEfficiency Param `json:"oil_boiler_efficiency" yaml:"oil_boiler_efficiency"`
	// Baseline is the fuel replaced by default: "gas" or "fuel_oil".
	Baseline Fuel `json:"baseline" yaml:"baseline"`
}

// Fuel is the fossil heating baseline a heat pump replaces.
type Fuel string

const (
	FuelGas Fuel = "gas"
	FuelOil Fuel = "fuel_oil"
)

// UncertaintyScenario holds the Monte Carlo input distributions (normal,
// 1σ values; see uncertainty.go).
type UncertaintyScenario struct {
	UsableAreaRelSigma  Param `json:"usable_area_rel_sigma" yaml:"usable_area_rel_sigma"`
	PitchSigmaDeg       Param `json:"pitch_sigma_deg" yaml:"pitch_sigma_deg"`
	WeatherSigmaPct     Param `json:"weather_sigma_pct" yaml:"weather_sigma_pct"`
	PerformanceSigmaPct Param `json:"performance_sigma_pct" yaml:"performance_sigma_pct"`
	EscalationSigmaPct  Param `json:"escalation_sigma_pct" yaml:"escalation_sigma_pct"`
	Draws               Param `json:"draws" yaml:"draws"`
	Seed                Param `json:"seed" yaml:"seed"`
}

// Sources used repeatedly in DefaultScenario.
const (
	srcAssumption = "our assumption"
	srcS21T13     = "CRE, arrêté S21 tariffs for connection requests 1 Apr–30 Jun 2025 (quarter T13, published 27 Mar 2025), as listed by CITEN (citen.fr, 'L'actualité') and tournesol-bclp.fr"
	srcDPECO2     = "arrêté du 31 mars 2021 (DPE method), GHG factors from ADEME Base Carbone, as tabulated by demarrezlestravaux.fr; SDES 'Les facteurs d'émission de GES' gives the same gas/fuel-oil values (227/324 g)"
	srcPVCost2025 = "order of magnitude from 2025 French market surveys (sciences-et-democratie.net: <3 kWp 2.5–3.0 € TTC/Wp, 3–9 kWp 2.0–2.5 € TTC/Wp, 36–100 kWp 1.0–1.2 € HT/Wp, >500 kWp <0.8 € HT/Wp); ≤9 kWp TTC (households), larger HT"
)

// DefaultScenario returns the built-in assumptions (prices and tariffs of
// 2025, dated individually).
func DefaultScenario() *Scenario {
	ro := geo.DefaultRoofOptions()
	return &Scenario{
		Name:        "default",
		Description: "gisement built-in defaults (France, 2025 prices and S21 tariffs)",
		PriceDate:   "2025-04",
		PV: PVScenario{
			ModulePowerDensityWpM2: pp(225, "Wp/m²", "REFERENCES.md: 200–230 Wp/m² today; Data For Good school-roof study took 225; photovoltaique.info (Hespul) 2024: about 220 Wc/m²"),
			SystemLossPct:          pp(14, "%", "PVGIS default system loss (JRC)"),
			DegradationPctYr:       pp(0.5, "%/yr", "Google Solar API financial defaults (REFERENCES.md)"),
			LifetimeYr:             pp(20, "yr", "Google Solar API default; equals the 20-year S21 purchase contract"),
			KeepMinPOAKWhM2:        pp(900, "kWh/m²·yr", "Data For Good school-roof study keep threshold (REFERENCES.md), as DefaultPVParams"),
			MinUsableM2:            pp(5, "m²", "our assumption (≈1 kWp, smallest sensible installation), as DefaultPVParams"),
			Roof: RoofScenario{
				PitchDeg:          pp(ro.PitchDeg, "deg", "geo.DefaultRoofOptions: our assumption, mid-range of French pitched roofs, ±10°"),
				FlatAboveM2:       pp(ro.FlatAboveM2, "m²", "geo.DefaultRoofOptions: our assumption (no published rule found)"),
				FlatTiltDeg:       pp(ro.FlatTiltDeg, "deg", "geo.DefaultRoofOptions: modules flat on flat roofs (our assumption)"),
				FlatRackCoverage:  pp(ro.FlatRackCoverage, "fraction", "geo.DefaultRoofOptions: typical GCR of 10–15° racks (our assumption, ±0.15)"),
				SetbackM:          pp(ro.SetbackM, "m", "geo.DefaultRoofOptions: our assumption (installers use 0.3–1 m)"),
				ObstructionFactor: pp(ro.ObstructionFactor, "fraction", "geo.DefaultRoofOptions: our assumption (±0.1)"),
			},
			GroundCoverageRatio:  pp(0.45, "fraction", "our assumption: rule of thumb ~1 MWp per hectare of ground-mounted PV at 225 Wp/m² of module ⇒ ≈0.45"),
			CarportCoverageRatio: pp(0.5, "fraction", "APER law (loi n° 2023-175 du 10 mars 2023, art. 40): at least 50 % of the car-park area covered by PV shades"),
			APERThresholdM2:      pp(1500, "m²", "APER law (loi n° 2023-175 du 10 mars 2023, art. 40): outdoor car parks over 1,500 m²"),
			CapexRooftop: []CostClass{
				{MaxKWp: 3, EURPerKWp: 2750, Source: srcPVCost2025 + "; mid-range 2.75", Date: "2025"},
				{MaxKWp: 9, EURPerKWp: 2250, Source: srcPVCost2025 + "; mid-range 2.25", Date: "2025"},
				{MaxKWp: 36, EURPerKWp: 1500, Source: srcPVCost2025 + "; 9–36 kWp not given: our interpolation", Date: "2025"},
				{MaxKWp: 100, EURPerKWp: 1100, Source: srcPVCost2025 + "; mid-range 1.1", Date: "2025"},
				{MaxKWp: 500, EURPerKWp: 950, Source: srcPVCost2025 + "; 100–500 kWp not given: our interpolation", Date: "2025"},
				{MaxKWp: 0, EURPerKWp: 800, Source: srcPVCost2025 + "; upper bound 0.8", Date: "2025"},
			},
			CapexGround:                  pd(700, "€/kWp", "our assumption: ground-mounted plants below rooftop >500 kWp (0.8 €/Wp)", "2025"),
			CapexCarport:                 pd(1300, "€/kWp", "our assumption: canopy steel structure adds ≈0.3–0.5 €/Wp to a 100–500 kWp rooftop system", "2025"),
			OpexPctCapexYr:               pp(1.0, "%/yr of CAPEX", "our assumption (1–2 %/yr typical; photovoltaique.info: no yearly servicing needed for small systems, monitoring advised)"),
			OpexGroundPctCapexYr:         pp(1.5, "%/yr of CAPEX", "our assumption (land lease, maintenance, insurance)"),
			InverterReplacementYr:        pp(12, "yr", "our assumption (string-inverter life 10–15 yr)"),
			InverterReplacementEURPerKWp: pp(150, "€/kWp", "our assumption"),
			SelfConsumption: SelfConsumptionScenario{
				Residential:  pp(0.35, "fraction", "our assumption: 25–50 % typical without battery (insunwetrust.solar); 35 %"),
				Tertiary:     pp(0.70, "fraction", "our assumption: daytime loads of offices, schools, shops"),
				Industrial:   pp(0.80, "fraction", "our assumption: continuous daytime loads"),
				Agricultural: pp(0.20, "fraction", "our assumption: farm buildings with little daytime load"),
			},
		},
		Tariffs: TariffScenario{
			S21: []S21Class{
				{MaxKWp: 3, SurplusEURPerKWh: 0.04, PremiumEURPerKWp: 80, PremiumYears: 1, FullSaleEURPerKWh: 0, Source: srcS21T13, Date: "2025-04"},
				{MaxKWp: 9, SurplusEURPerKWh: 0.04, PremiumEURPerKWp: 80, PremiumYears: 1, FullSaleEURPerKWh: 0, Source: srcS21T13, Date: "2025-04"},
				{MaxKWp: 36, SurplusEURPerKWh: 0.0761, PremiumEURPerKWp: 190, PremiumYears: 5, FullSaleEURPerKWh: 0.1295, Source: srcS21T13, Date: "2025-04"},
				{MaxKWp: 100, SurplusEURPerKWh: 0.0761, PremiumEURPerKWp: 100, PremiumYears: 5, FullSaleEURPerKWh: 0.1126, Source: srcS21T13, Date: "2025-04"},
				{MaxKWp: 500, SurplusEURPerKWh: 0, PremiumEURPerKWp: 0, PremiumYears: 1, FullSaleEURPerKWh: 0.095, Source: srcS21T13 + "; REFERENCES.md: 95 €/MWh until 30 Jun 2025, then simplified tenders", Date: "2025-04"},
			},
			ContractYears:          pp(20, "yr", "S21 purchase contracts last 20 years (EDF OA)"),
			PostContractEURPerKWh:  pd(0.04, "€/kWh", "our assumption: market value of injected PV after the contract", "2025"),
			TenderRooftopEURPerKWh: pd(0.095, "€/kWh", "our assumption: last S21 100–500 kWp open-window tariff as proxy for rooftop tenders", "2025-04"),
			TenderGroundEURPerKWh:  pd(0.080, "€/kWh", "our assumption: order of magnitude of CRE ground-mounted PV tender results (PPE2)", "2025"),
		},
		Prices: PriceScenario{
			ElectricityResidential:    pd(0.2016, "€/kWh", "CRE, TRVE 'Base' energy price TTC from 1 Feb 2025 (délibération CRE n° 2025-25 du 16 janvier 2025; 0.2016 €/kWh per revolution-energetique.com)", "2025-02"),
			ElectricityNonResidential: pd(0.168, "€/kWh", "our assumption: TRVE Base 0.2016 € TTC / 1.2 (VAT recovered by businesses)", "2025-02"),
			Gas:                       pd(0.1028, "€/kWh", "CRE 'prix repère' of gas for heating households, TTC, December 2025 (0.10282 €/kWh, planet.fr)", "2025-12"),
			FuelOil:                   pd(0.1183, "€/kWh", "Ministry of Ecological Transition (SDES/Pégase) mean domestic fuel-oil price, March 2025: 1,182.66 € per 1,000 L (deco-asaiss.com), ÷ 10 kWh/L (LHV)", "2025-03"),
			ElectricityEscalationPct:  pp(2.2, "%/yr", "Google Solar API electricity price growth default (REFERENCES.md)"),
			GasEscalationPct:          pp(2.0, "%/yr", srcAssumption),
			FuelOilEscalationPct:      pp(2.0, "%/yr", srcAssumption),
		},
		Finance: FinanceScenario{
			DiscountRatePct: pp(4, "%/yr", "Google Solar API discount-rate default (REFERENCES.md); nominal, like the prices"),
		},
		CO2: CO2Scenario{
			ElectricityHeating:   pd(0.079, "kgCO2e/kWh", srcDPECO2+": electricity, heating", "2021"),
			ElectricityOtherUses: pd(0.064, "kgCO2e/kWh", srcDPECO2+": electricity, other uses (taken as the grid electricity displaced by PV)", "2021"),
			Gas:                  pd(0.227, "kgCO2e/kWh", srcDPECO2+": natural gas", "2021"),
			FuelOil:              pd(0.324, "kgCO2e/kWh", srcDPECO2+": domestic fuel oil", "2021"),
		},
		HeatPumps: HeatPumpScenario{
			ASHPFixedEUR:        pd(4000, "€", "our assumption, fitted so that 6–16 kW costs 8,000–16,000 € installed (empruntis.com, aude-location.fr, 2025)", "2025"),
			ASHPEURPerKW:        pd(700, "€/kW", "our assumption (see ashp_fixed_eur)", "2025"),
			GSHPFixedEUR:        pd(6000, "€", "our assumption, with gshp_eur_per_kw and drilling: a 10 kW brine/water system with 2×100 m probes ≈ 26,000 €, inside 16,000–31,000 € (ootravaux.fr, 2025)", "2025"),
			GSHPEURPerKW:        pd(800, "€/kW", "our assumption (see gshp_fixed_eur)", "2025"),
			DrillingEURPerM:     pd(60, "€/m", "our assumption: vertical probe drilling and loop, 50–80 €/m usual in France", "2025"),
			HPMaintenanceEURYr:  pd(200, "€/yr", "empruntis.com: heat-pump servicing 150–250 €/yr", "2025"),
			BoilerMaintEURYr:    pd(150, "€/yr", "our assumption (mandatory yearly boiler servicing)", "2025"),
			LifetimeYr:          pp(20, "yr", "our assumption (heat pumps 15–20 yr; boreholes last longer, 50 yr in Hotmaps, no residual value counted)"),
			GasBoilerEfficiency: pp(0.90, "fraction", "our assumption: seasonal efficiency on LHV of a condensing gas boiler in an existing house"),
			OilBoilerEfficiency: pp(0.85, "fraction", "our assumption: seasonal efficiency of an oil boiler"),
			Baseline:            FuelGas,
		},
		Uncertainty: UncertaintyScenario{
			UsableAreaRelSigma:  pp(0.12, "fraction (1σ)", "from geo.RoofOptions obstruction factor 0.15 ± 0.1 taken as 1σ: 0.1/0.85 ≈ 0.12 of usable area"),
			PitchSigmaDeg:       pp(10, "deg (1σ)", "geo.RoofOptions: pitch 30° ± 10° (our assumption, taken as 1σ)"),
			WeatherSigmaPct:     pp(5, "% (1σ)", "inter-annual σ of annual irradiation, 4–6 % in France; PVsyst default after Ineichen 2011 (Univ. Geneva) year-to-year study; Thevenard & Pelland 2013 found 3.9 % (Toronto)"),
			PerformanceSigmaPct: pp(5, "% (1σ)", "our assumption, after Thevenard & Pelland 2013 (Solar Energy 91, doi:10.1016/j.solener.2011.05.006): plane-of-array 3 %, module rating 3 %, soiling 2 %, other 5 %"),
			EscalationSigmaPct:  pp(1.0, "%/yr (1σ)", srcAssumption),
			Draws:               pp(500, "draws", srcAssumption),
			Seed:                pp(1, "", srcAssumption+": fixed seed for reproducible results"),
		},
		Heat: DefaultHeatParams(),
	}
}

// PVParams returns the PV model parameters of the scenario: DefaultPVParams
// (pv.go) with the module power density, system loss, keep threshold and
// minimum usable area of the scenario. The performance model, mounting and
// suitability classes keep PVParams' defaults (not yet in the scenario).
func (s *Scenario) PVParams() PVParams {
	p := DefaultPVParams()
	p.ModulePowerWpM2 = s.PV.ModulePowerDensityWpM2.Value
	p.LossPct = s.PV.SystemLossPct.Value
	p.KeepMinPOAKWhM2 = s.PV.KeepMinPOAKWhM2.Value
	p.MinUsableM2 = s.PV.MinUsableM2.Value
	return p
}

// RoofOptions returns the geo.RoofOptions of the scenario.
func (s *Scenario) RoofOptions() geo.RoofOptions {
	r := s.PV.Roof
	return geo.RoofOptions{
		PitchDeg: r.PitchDeg.Value, FlatAboveM2: r.FlatAboveM2.Value, FlatTiltDeg: r.FlatTiltDeg.Value,
		FlatRackCoverage: r.FlatRackCoverage.Value, SetbackM: r.SetbackM.Value, ObstructionFactor: r.ObstructionFactor.Value,
	}
}

// ErrScenario marks an invalid scenario (unknown key, bad value).
var ErrScenario = errors.New("invalid scenario")

// ScenarioError locates a scenario problem: the file (empty for built-in
// values), the line (0 when unknown), the key path (e.g.
// "prices.gas.value") and the problem. It unwraps to ErrScenario.
type ScenarioError struct {
	File, Key, Problem string
	Line               int
}

func (e *ScenarioError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Problem)
	return b.String()
}

func (e *ScenarioError) Unwrap() error { return ErrScenario }

// LoadScenario reads a YAML (or JSON) scenario file and merges it over
// DefaultScenario(): keys present in the file replace the defaults, others
// keep them (lists such as pv.capex_rooftop and tariffs.s21 are replaced as
// a whole). Unknown keys (typos) and invalid values are rejected with a
// *ScenarioError naming the file, line, key path and problem.
func LoadScenario(path string) (*Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	defer f.Close()
	return ReadScenario(f, path)
}

// ReadScenario is LoadScenario on a reader; name labels errors.
func ReadScenario(r io.Reader, name string) (*Scenario, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", name, err)
	}
	sc := DefaultScenario()
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &ScenarioError{File: name, Problem: "not valid YAML/JSON: " + err.Error()}
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return sc, sc.validate(name) // empty file: defaults
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return nil, &ScenarioError{File: name, Line: doc.Line, Problem: "top level must be a mapping of keys"}
	}
	if err := checkKeys(doc, reflect.TypeOf(Scenario{}), "", name); err != nil {
		return nil, err
	}
	if err := doc.Decode(sc); err != nil {
		return nil, &ScenarioError{File: name, Problem: err.Error()}
	}
	markUserSources(reflect.ValueOf(sc).Elem(), "set in "+name)
	return sc, sc.validate(name)
}

var paramType = reflect.TypeOf(Param{})

// checkKeys walks a YAML node along the Go type and rejects keys that no
// field carries, reporting the full key path (yaml.v3's KnownFields gives
// only the line and the Go type).
func checkKeys(n *yaml.Node, t reflect.Type, path, file string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == paramType {
		return nil // Param.UnmarshalYAML checks its own keys
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return &ScenarioError{File: file, Line: n.Line, Key: path, Problem: "want a mapping of keys"}
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			f, ok := fields[k]
			if !ok {
				return &ScenarioError{File: file, Line: n.Content[i].Line, Key: join(path, k), Problem: "unknown key" + suggest(k, fields)}
			}
			if err := checkKeys(n.Content[i+1], f.Type, join(path, k), file); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return &ScenarioError{File: file, Line: n.Line, Key: path, Problem: "want a list"}
		}
		for i, c := range n.Content {
			if err := checkKeys(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i), file); err != nil {
				return err
			}
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return &ScenarioError{File: file, Line: n.Line, Key: path, Problem: "want a mapping"}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if err := checkKeys(n.Content[i+1], t.Elem(), join(path, n.Content[i].Value), file); err != nil {
				return err
			}
		}
	}
	return nil
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func yamlFields(t reflect.Type) map[string]reflect.StructField {
	m := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		m[name] = f
	}
	return m
}

// suggest proposes the closest known key (edit distance ≤ 3, or one key a
// prefix of the other, e.g. a forgotten unit suffix).
func suggest(k string, fields map[string]reflect.StructField) string {
	best, bestD := "", 4
	for name := range fields {
		d := editDistance(k, name)
		if strings.HasPrefix(name, k) || strings.HasPrefix(k, name) {
			d = min(d, 2)
		}
		if d < bestD || (d == bestD && name < best) {
			best, bestD = name, d
		}
	}
	if best == "" {
		names := make([]string, 0, len(fields))
		for n := range fields {
			names = append(names, n)
		}
		sort.Strings(names)
		return " (known keys: " + strings.Join(names, ", ") + ")"
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance (tiny strings; hand-written to
// avoid a dependency for ten lines).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func markUserSources(v reflect.Value, src string) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == paramType {
			if p := v.Addr().Interface().(*Param); p.Source == userSourceMarker {
				p.Source = src
			}
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				markUserSources(v.Field(i), src)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			markUserSources(v.Index(i), src)
		}
	}
}

// Validate checks every value against its allowed range.
func (s *Scenario) Validate() error { return s.validate("") }

type paramCheck struct {
	key    string
	p      Param
	lo, hi float64
	intg   bool
}

func (s *Scenario) paramChecks() []paramCheck {
	pv, t, pr, hp, u := &s.PV, &s.Tariffs, &s.Prices, &s.HeatPumps, &s.Uncertainty
	return []paramCheck{
		{"pv.module_power_density_wp_m2", pv.ModulePowerDensityWpM2, 50, 400, false},
		{"pv.system_loss_pct", pv.SystemLossPct, 0, 50, false},
		{"pv.degradation_pct_yr", pv.DegradationPctYr, 0, 5, false},
		{"pv.lifetime_yr", pv.LifetimeYr, 1, 60, true},
		{"pv.keep_min_poa_kwh_m2", pv.KeepMinPOAKWhM2, 0, 2999, false},
		{"pv.min_usable_m2", pv.MinUsableM2, 0, 1e6, false},
		{"pv.roof.pitch_deg", pv.Roof.PitchDeg, 0, 70, false},
		{"pv.roof.flat_above_m2", pv.Roof.FlatAboveM2, 0, 1e6, false},
		{"pv.roof.flat_tilt_deg", pv.Roof.FlatTiltDeg, 0, 60, false},
		{"pv.roof.flat_rack_coverage", pv.Roof.FlatRackCoverage, 0.05, 1, false},
		{"pv.roof.setback_m", pv.Roof.SetbackM, 0, 10, false},
		{"pv.roof.obstruction_factor", pv.Roof.ObstructionFactor, 0, 0.95, false},
		{"pv.ground_coverage_ratio", pv.GroundCoverageRatio, 0.05, 1, false},
		{"pv.carport_coverage_ratio", pv.CarportCoverageRatio, 0.05, 1, false},
		{"pv.aper_threshold_m2", pv.APERThresholdM2, 0, 1e6, false},
		{"pv.capex_ground", pv.CapexGround, 0, 20000, false},
		{"pv.capex_carport", pv.CapexCarport, 0, 20000, false},
		{"pv.opex_pct_capex_yr", pv.OpexPctCapexYr, 0, 20, false},
		{"pv.opex_ground_pct_capex_yr", pv.OpexGroundPctCapexYr, 0, 20, false},
		{"pv.inverter_replacement_yr", pv.InverterReplacementYr, 0, 60, true},
		{"pv.inverter_replacement_eur_per_kwp", pv.InverterReplacementEURPerKWp, 0, 5000, false},
		{"pv.self_consumption.residential", pv.SelfConsumption.Residential, 0, 1, false},
		{"pv.self_consumption.tertiary", pv.SelfConsumption.Tertiary, 0, 1, false},
		{"pv.self_consumption.industrial", pv.SelfConsumption.Industrial, 0, 1, false},
		{"pv.self_consumption.agricultural", pv.SelfConsumption.Agricultural, 0, 1, false},
		{"tariffs.contract_years", t.ContractYears, 0, 60, true},
		{"tariffs.post_contract_eur_per_kwh", t.PostContractEURPerKWh, 0, 5, false},
		{"tariffs.tender_rooftop_eur_per_kwh", t.TenderRooftopEURPerKWh, 0, 5, false},
		{"tariffs.tender_ground_eur_per_kwh", t.TenderGroundEURPerKWh, 0, 5, false},
		{"prices.electricity_residential", pr.ElectricityResidential, 0, 5, false},
		{"prices.electricity_non_residential", pr.ElectricityNonResidential, 0, 5, false},
		{"prices.gas", pr.Gas, 0, 5, false},
		{"prices.fuel_oil", pr.FuelOil, 0, 5, false},
		{"prices.electricity_escalation_pct", pr.ElectricityEscalationPct, -20, 30, false},
		{"prices.gas_escalation_pct", pr.GasEscalationPct, -20, 30, false},
		{"prices.fuel_oil_escalation_pct", pr.FuelOilEscalationPct, -20, 30, false},
		{"finance.discount_rate_pct", s.Finance.DiscountRatePct, -5, 50, false},
		{"co2.electricity_heating", s.CO2.ElectricityHeating, 0, 2, false},
		{"co2.electricity_other_uses", s.CO2.ElectricityOtherUses, 0, 2, false},
		{"co2.gas", s.CO2.Gas, 0, 2, false},
		{"co2.fuel_oil", s.CO2.FuelOil, 0, 2, false},
		{"heat_pumps.ashp_fixed_eur", hp.ASHPFixedEUR, 0, 1e6, false},
		{"heat_pumps.ashp_eur_per_kw", hp.ASHPEURPerKW, 0, 1e5, false},
		{"heat_pumps.gshp_fixed_eur", hp.GSHPFixedEUR, 0, 1e6, false},
		{"heat_pumps.gshp_eur_per_kw", hp.GSHPEURPerKW, 0, 1e5, false},
		{"heat_pumps.drilling_eur_per_m", hp.DrillingEURPerM, 0, 1000, false},
		{"heat_pumps.hp_maintenance_eur_yr", hp.HPMaintenanceEURYr, 0, 1e5, false},
		{"heat_pumps.boiler_maintenance_eur_yr", hp.BoilerMaintEURYr, 0, 1e5, false},
		{"heat_pumps.lifetime_yr", hp.LifetimeYr, 1, 60, true},
		{"heat_pumps.gas_boiler_efficiency", hp.GasBoilerEfficiency, 0.3, 1.1, false},
		{"heat_pumps.oil_boiler_efficiency", hp.OilBoilerEfficiency, 0.3, 1.1, false},
		{"uncertainty.usable_area_rel_sigma", u.UsableAreaRelSigma, 0, 1, false},
		{"uncertainty.pitch_sigma_deg", u.PitchSigmaDeg, 0, 45, false},
		{"uncertainty.weather_sigma_pct", u.WeatherSigmaPct, 0, 50, false},
		{"uncertainty.performance_sigma_pct", u.PerformanceSigmaPct, 0, 50, false},
		{"uncertainty.escalation_sigma_pct", u.EscalationSigmaPct, 0, 20, false},
		{"uncertainty.draws", u.Draws, 1, 1e6, true},
		{"uncertainty.seed", u.Seed, 0, 1 << 53, true},
	}
}

func (s *Scenario) validate(file string) error {
	bad := func(key, problem string) error {
		return &ScenarioError{File: file, Key: key, Problem: problem}
	}
	for _, c := range s.paramChecks() {
		v := c.p.Value
		if math.IsNaN(v) || v < c.lo || v > c.hi {
			return bad(c.key, fmt.Sprintf("%g %s out of range [%g, %g]", v, c.p.Unit, c.lo, c.hi))
		}
		if c.intg && v != math.Trunc(v) {
			return bad(c.key, fmt.Sprintf("%g must be a whole number", v))
		}
	}
	if err := checkClasses("pv.capex_rooftop", len(s.PV.CapexRooftop), func(i int) (float64, []float64) {
		c := s.PV.CapexRooftop[i]
		return c.MaxKWp, []float64{c.EURPerKWp}
	}, true, bad); err != nil {
		return err
	}
	for i, c := range s.PV.CapexRooftop {
		if c.EURPerKWp <= 0 || c.EURPerKWp > 20000 {
			return bad(fmt.Sprintf("pv.capex_rooftop[%d].eur_per_kwp", i), fmt.Sprintf("%g out of range (0, 20000] €/kWp", c.EURPerKWp))
		}
	}
	if err := checkClasses("tariffs.s21", len(s.Tariffs.S21), func(i int) (float64, []float64) {
		c := s.Tariffs.S21[i]
		return c.MaxKWp, []float64{c.SurplusEURPerKWh, c.PremiumEURPerKWp, c.FullSaleEURPerKWh}
	}, false, bad); err != nil {
		return err
	}
	for i, c := range s.Tariffs.S21 {
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
	if s.HeatPumps.Baseline != FuelGas && s.HeatPumps.Baseline != FuelOil {
		return bad("heat_pumps.baseline", fmt.Sprintf("%q: want %q or %q", s.HeatPumps.Baseline, FuelGas, FuelOil))
	}
	if err := s.Heat.Validate(); err != nil {
		return &ScenarioError{File: file, Key: "heat", Problem: err.Error()}
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

// CanonicalJSON is the scenario's canonical encoding: encoding/json of the
// struct (fields in declaration order, map keys sorted).
func (s *Scenario) CanonicalJSON() ([]byte, error) { return json.Marshal(s) }

// Hash returns the first 12 hex digits of the SHA-256 of CanonicalJSON:
// results carry it so that every number traces to its assumptions (sources
// and dates included: changing a source changes the hash).
func (s *Scenario) Hash() string {
	b, err := s.CanonicalJSON()
	if err != nil { // only NaN/Inf values, which Validate rejects
		b = []byte(fmt.Sprintf("%#v", s))
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])[:12]
}

// WriteYAML writes the whole scenario (every
// value with unit, source and date).
func (s *Scenario) WriteYAML(w io.Writer) error {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(s); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Assumption is one line of the assumptions table of a report.
type Assumption struct {
	Key    string  `json:"key"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	Source string  `json:"source"`
	Date   string  `json:"date,omitempty"`
}

// heatSource is the source used for HeatParams values in Assumptions: their
// sources live in the field docs of heat_params.go (helper H's file).
const heatSource = "see model.HeatParams field documentation (heat_params.go)"

// Assumptions lists every numeric assumption with its key path (YAML keys),
// unit, source and date, in declaration order: Params, the size-class
// tables (one line per value) and the heat-model parameters.
func (s *Scenario) Assumptions() []Assumption {
	var out []Assumption
	collectAssumptions(reflect.ValueOf(s).Elem(), "", &out)
	return out
}

func collectAssumptions(v reflect.Value, path string, out *[]Assumption) {
	t := v.Type()
	switch {
	case t == paramType:
		p := v.Interface().(Param)
		*out = append(*out, Assumption{Key: path, Value: p.Value, Unit: p.Unit, Source: p.Source, Date: p.Date})
	case t == reflect.TypeOf(CostClass{}):
		c := v.Interface().(CostClass)
		*out = append(*out, Assumption{Key: path + ".eur_per_kwp" + classLabel(c.MaxKWp), Value: c.EURPerKWp, Unit: "€/kWp", Source: c.Source, Date: c.Date})
	case t == reflect.TypeOf(S21Class{}):
		c := v.Interface().(S21Class)
		l := classLabel(c.MaxKWp)
		*out = append(*out,
			Assumption{Key: path + ".surplus_eur_per_kwh" + l, Value: c.SurplusEURPerKWh, Unit: "€/kWh", Source: c.Source, Date: c.Date},
			Assumption{Key: path + ".premium_eur_per_kwp" + l, Value: c.PremiumEURPerKWp, Unit: "€/kWp", Source: c.Source, Date: c.Date},
			Assumption{Key: path + ".premium_years" + l, Value: float64(c.PremiumYears), Unit: "yr", Source: c.Source, Date: c.Date},
			Assumption{Key: path + ".full_sale_eur_per_kwh" + l, Value: c.FullSaleEURPerKWh, Unit: "€/kWh", Source: c.Source, Date: c.Date})
	default:
		switch t.Kind() {
		case reflect.Struct:
			for i := 0; i < t.NumField(); i++ {
				f := t.Field(i)
				if !f.IsExported() {
					continue
				}
				name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
				collectAssumptions(v.Field(i), join(path, name), out)
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				collectAssumptions(v.Index(i), fmt.Sprintf("%s[%d]", path, i), out)
			}
		case reflect.Map:
			keys := v.MapKeys()
			sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
			for _, k := range keys {
				collectAssumptions(v.MapIndex(k), join(path, fmt.Sprint(k)), out)
			}
		case reflect.Float64, reflect.Float32:
			*out = append(*out, Assumption{Key: path, Value: v.Float(), Unit: unitFromKey(path), Source: heatSourceFor(path)})
		case reflect.Int, reflect.Int64, reflect.Int32:
			*out = append(*out, Assumption{Key: path, Value: float64(v.Int()), Unit: unitFromKey(path), Source: heatSourceFor(path)})
		}
	}
}

func heatSourceFor(path string) string {
	if strings.HasPrefix(path, "heat.") {
		return heatSource
	}
	return srcAssumption
}

func classLabel(maxKWp float64) string {
	if maxKWp == 0 {
		return "(unbounded)"
	}
	return fmt.Sprintf("(≤%g kWp)", maxKWp)
}

// unitFromKey derives a unit from a snake_case key suffix (HeatParams keys
// carry their unit in the name).
func unitFromKey(key string) string {
	k := key
	if i := strings.LastIndexByte(k, '.'); i >= 0 {
		k = k[i+1:]
	}
	for _, s := range []struct{ suffix, unit string }{
		{"_kwh_m2", "kWh/m²·yr"}, {"_w_m", "W/m"}, {"_c", "°C"}, {"_m", "m"}, {"_hdd", "K·d/yr"},
		{"hdd", "K·d/yr"}, {"_pct", "%"}, {"_kw", "kW"},
	} {
		if strings.HasSuffix(k, s.suffix) {
			return s.unit
		}
	}
	return "–"
}

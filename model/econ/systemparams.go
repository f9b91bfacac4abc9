package econ

import (
	"errors"

	"fmt"
	"github.com/gisement/gisement/model/scenario"
	"math"
	"sort"
)

// SystemParam is one dated, sourced scenario value: scenario.Param (the
// owner economics' defaults are the scenario's, see Params.SystemParams).
type SystemParam = scenario.Param

// CapexPricePoint is one cited French market price of a turnkey rooftop PV
// system, converted to € HT per Wp (VAT excluded) at the VAT rate that
// applied when the price was published.
type CapexPricePoint struct {
	KWp        float64 `json:"kwp" yaml:"kwp" unit:"kWp"`
	EURPerWpHT float64 `json:"eur_per_wp_ht" yaml:"eur_per_wp_ht" unit:"€/Wp HT"`
	Source     string  `json:"source" yaml:"source"`
	Date       string  `json:"date" yaml:"date"`
}

// S21Band is one power band of the French rooftop PV support scheme (arrêté
// du 6 octobre 2021 "S21", as amended by the arrêté du 26 mars 2025), for
// the quarter given in Date. A band holds installations with
// MinKWp < P ≤ MaxKWp (the arrêté counts P + Q, Q being the power of
// neighbouring installations within 100 m that were connected in the
// previous 18 months; gisement assumes Q = 0).
type S21Band struct {
	MinKWp float64 `json:"min_kwp" yaml:"min_kwp"`
	MaxKWp float64 `json:"max_kwp" yaml:"max_kwp"` // +Inf: open-ended
	// SurplusEURPerKWh: purchase tariff of the injected surplus ("vente
	// avec injection du surplus"), € HT/kWh; 0 = no surplus tariff.
	SurplusEURPerKWh float64 `json:"surplus_eur_per_kwh" yaml:"surplus_eur_per_kwh"`
	// PremiumEURPerKWp: self-consumption investment premium, €/kWp of the
	// whole installation, paid in PremiumYears equal yearly parts.
	PremiumEURPerKWp float64 `json:"premium_eur_per_kwp" yaml:"premium_eur_per_kwp"`
	PremiumYears     int     `json:"premium_years" yaml:"premium_years"`
	// FullSaleEURPerKWh: tariff when all production is injected ("vente en
	// totalité"), € HT/kWh; 0 = full sale not open in this band.
	FullSaleEURPerKWh float64 `json:"full_sale_eur_per_kwh" yaml:"full_sale_eur_per_kwh"`
	// Scheme is a short French label of the support mechanism.
	Scheme string `json:"scheme" yaml:"scheme"`
	Source string `json:"source" yaml:"source"`
	Date   string `json:"date" yaml:"date"`
}

// SystemParams are every assumption of the owner economics of one rooftop
// PV system (this file's DefaultSystemParams is the single place where they
// are set). Fractions are 0–1, rates in %/yr.
type SystemParams struct {
	// Capex price points (fitted by a power law, see FitCapexCurve).
	CapexPoints []CapexPricePoint `json:"capex_points" yaml:"capex_points"`
	// VAT rates, %.
	VATStandardPct     SystemParam `json:"vat_standard_pct" yaml:"vat_standard_pct"`
	VATReducedPct      SystemParam `json:"vat_reduced_pct" yaml:"vat_reduced_pct"`
	VATIntermediatePct SystemParam `json:"vat_intermediate_pct" yaml:"vat_intermediate_pct"`
	VATReducedMaxKWp   SystemParam `json:"vat_reduced_max_kwp" yaml:"vat_reduced_max_kwp"`
	VATIntermMaxKWp    SystemParam `json:"vat_intermediate_max_kwp" yaml:"vat_intermediate_max_kwp"`
	// HouseholdReducedVATEligible: 1 when the household system meets the
	// 5.5 % VAT conditions (low-carbon certified modules and an energy
	// management system), 0 otherwise.
	HouseholdReducedVATEligible SystemParam `json:"household_reduced_vat_eligible" yaml:"household_reduced_vat_eligible"`

	// S21 bands of the current CRE quarter, ascending; the last band's
	// MaxKWp may be +Inf (tender above).
	S21 []S21Band `json:"s21" yaml:"s21"`
	// ContractYears: length of the purchase / complement contract.
	ContractYears SystemParam `json:"contract_years" yaml:"contract_years"`
	// PostContractEURPerKWh: value of injected energy after the contract.
	PostContractEURPerKWh SystemParam `json:"post_contract_eur_per_kwh" yaml:"post_contract_eur_per_kwh"`

	// Retail electricity prices (energy part, what self-consumption saves).
	PriceHouseholdEURPerKWh SystemParam `json:"price_household_eur_per_kwh" yaml:"price_household_eur_per_kwh"`
	PriceBusinessEURPerKWh  SystemParam `json:"price_business_eur_per_kwh" yaml:"price_business_eur_per_kwh"`
	PriceEscalationPct      SystemParam `json:"price_escalation_pct" yaml:"price_escalation_pct"`

	// Life and costs.
	LifetimeYr            SystemParam `json:"lifetime_yr" yaml:"lifetime_yr"`
	DegradationPctYr      SystemParam `json:"degradation_pct_yr" yaml:"degradation_pct_yr"`
	OMPctCapexYr          SystemParam `json:"om_pct_capex_yr" yaml:"om_pct_capex_yr"`
	InverterLifeYr        SystemParam `json:"inverter_life_yr" yaml:"inverter_life_yr"`
	InverterCostPctCapex  SystemParam `json:"inverter_cost_pct_capex" yaml:"inverter_cost_pct_capex"`
	DiscountRateHousehold SystemParam `json:"discount_rate_household_pct" yaml:"discount_rate_household_pct"`
	DiscountRateBusiness  SystemParam `json:"discount_rate_business_pct" yaml:"discount_rate_business_pct"`
	DiscountRateCommunity SystemParam `json:"discount_rate_community_pct" yaml:"discount_rate_community_pct"`

	// Loads.
	HouseholdAnnualUseKWh SystemParam `json:"household_annual_use_kwh" yaml:"household_annual_use_kwh"`

	// Residential sizing.
	ResidentialMinKWp SystemParam `json:"residential_min_kwp" yaml:"residential_min_kwp"`
	ResidentialMaxKWp SystemParam `json:"residential_max_kwp" yaml:"residential_max_kwp"`
}

// Sources shared by several defaults.
const (
	srcQ12026 = "CRE, tarifs et primes S21 (arrêté du 6 octobre 2021 modifié par l'arrêté du 26 mars 2025) pour les demandes complètes de raccordement du 1er janvier au 31 mars 2026 (CRE open data, as listed by revolution-energetique.com 9 Jan 2026 and pilotagegroupe.fr)"
	srcAOS    = "CRE délibération on the 1st period of the 'Petit PV Bâtiment' simplified tender (closed 2 Oct 2025): 157 winners, weighted mean price 88.73 €/MWh, 20-year complément de rémunération on the injected energy (pv-magazine.fr 18 Nov 2025; plein-soleil.info 20 Nov 2025)"
	srcVAT    = "CGI art. 278-0 bis (loi de finances 2025) and arrêté du 8 septembre 2025 (JORF 9 Sept 2025, CGI annexe IV art. 30-0 E): 5.5 % VAT from 1 Oct 2025 on ≤ 9 kWc systems in dwellings if modules ≤ 530 kgCO2eq/kWc, silver < 14 mg/W, lead < 0.1 %, cadmium < 0.01 % and an energy management system is installed; otherwise 10 % for ≤ 3 kWc in dwellings over 2 years old, 20 % above (Fédération Française du Bâtiment summary, batisseurs-outremer.com; pv-magazine.fr 9 Sept 2025)"
	srcCapex  = "French market price surveys, TTC prices converted to HT with the VAT of their date (10 % ≤ 3 kWc, 20 % above)"
)

// DefaultSystemParams returns every default of the owner economics with its
// value, unit, source and date. It is the one place the lead converts into
// scenario.Param fields after the package split.
func DefaultSystemParams() SystemParams {
	inf := math.Inf(1)
	return SystemParams{
		CapexPoints: []CapexPricePoint{
			// sciences-et-democratie.net (2025): 3 kWc 6,000–9,300 € TTC →
			// mid 7,650 € TTC at 10 % VAT = 6,955 € HT = 2.32 €/Wc HT.
			{KWp: 3, EURPerWpHT: 2.32, Source: srcCapex + ": sciences-et-democratie.net 'Quel est le prix d'une installation photovoltaïque' (2025): 3 kWc 6,000–9,300 € TTC, mid 7,650 € TTC / 1.10", Date: "2025"},
			// renovation-et-construction.fr (Oct 2025): 6 kWc 9,500–17,000 € TTC;
			// rayonvertenergies.fr (2025): 9,500–13,500 € → mid of both ranges
			// 12,375 € TTC / 1.20 / 6,000 W = 1.72 €/Wc HT.
			{KWp: 6, EURPerWpHT: 1.72, Source: srcCapex + ": renovation-et-construction.fr (Oct 2025) 6 kWc 9,500–17,000 € TTC and rayonvertenergies.fr (2025) 9,500–13,500 € TTC, mean of the mid-points 12,375 € TTC / 1.20", Date: "2025-10"},
			// sciences-et-democratie.net (2025): 9 kWc 15,000–20,000 € TTC;
			// rayonvertenergies.fr: 13,500–18,500 → mean of mids 16,750 € TTC
			// / 1.20 / 9,000 W = 1.55 €/Wc HT.
			{KWp: 9, EURPerWpHT: 1.55, Source: srcCapex + ": sciences-et-democratie.net (2025) 9 kWc 15,000–20,000 € TTC and rayonvertenergies.fr (2025) 13,500–18,500 € TTC, mean of the mid-points 16,750 € TTC / 1.20", Date: "2025"},
			// sciences-et-democratie.net: 36–100 kWc 1.0–1.2 € HT/Wc, placed
			// at the band's geometric middle, 60 kWc.
			{KWp: 60, EURPerWpHT: 1.10, Source: "sciences-et-democratie.net (2025): 36–100 kWc 1.0–1.2 € HT/Wc, mid-point placed at the geometric middle of the band (60 kWc)", Date: "2025"},
			// sciences-et-democratie.net: 100 kWc 100,000–140,000 € TTC →
			// 120,000 / 1.20 / 100,000 W = 1.00 €/Wc HT.
			{KWp: 100, EURPerWpHT: 1.00, Source: srcCapex + ": sciences-et-democratie.net (2025) 100 kWc 100,000–140,000 € TTC, mid 120,000 € / 1.20", Date: "2025"},
			// sciences-et-democratie.net: > 500 kWc < 0.8 € HT/Wc.
			{KWp: 500, EURPerWpHT: 0.80, Source: "sciences-et-democratie.net (2025): > 500 kWc below 0.8 € HT/Wc (upper bound taken at 500 kWc); CRE 'Coûts et rentabilités du grand photovoltaïque' (Feb 2019) already gave ~1,100 €/kWc for 100 kWc–8 MWc buildings in 2018", Date: "2025"},
		},
		VATStandardPct:              scenario.PD(20, "%", "CGI art. 278 (standard VAT rate)", "2025"),
		VATReducedPct:               scenario.PD(5.5, "%", srcVAT, "2025-10-01"),
		VATIntermediatePct:          scenario.PD(10, "%", srcVAT+" (10 % fallback for ≤ 3 kWc)", "2025-10-01"),
		VATReducedMaxKWp:            scenario.PD(9, "kWc", srcVAT, "2025-10-01"),
		VATIntermMaxKWp:             scenario.PD(3, "kWc", srcVAT, "2025-10-01"),
		HouseholdReducedVATEligible: scenario.PD(1, "0/1", "our assumption: new ≤ 9 kWc household systems are sold in the 5.5 % configuration (certified low-carbon modules + energy management system); in Sept 2025 no module was yet certified (plein-soleil.info 10 Sept 2025), so set 0 for the 10 %/20 % case — shown in the sensitivity table", "2025-10"),
		S21: []S21Band{
			{MinKWp: 0, MaxKWp: 9, SurplusEURPerKWh: 0.04, PremiumEURPerKWp: 80, PremiumYears: 1, FullSaleEURPerKWh: 0,
				Scheme: "S21 0–9 kWc : autoconsommation + vente du surplus (vente totale supprimée), prime versée en une fois",
				Source: srcQ12026 + "; premium paid once, at the first anniversary (CITEN, citen.fr)", Date: "2026-01"},
			{MinKWp: 9, MaxKWp: 36, SurplusEURPerKWh: 0.0536, PremiumEURPerKWp: 140, PremiumYears: 5, FullSaleEURPerKWh: 0.0911,
				Scheme: "S21 9–36 kWc : surplus + prime sur 5 ans, ou vente totale",
				Source: srcQ12026 + "; premium paid over 5 years for 9–100 kWc (CITEN, citen.fr)", Date: "2026-01"},
			{MinKWp: 36, MaxKWp: 100, SurplusEURPerKWh: 0.0536, PremiumEURPerKWp: 70, PremiumYears: 5, FullSaleEURPerKWh: 0.0792,
				Scheme: "S21 36–100 kWc : surplus + prime sur 5 ans, ou vente totale",
				Source: srcQ12026 + "; premium paid over 5 years for 9–100 kWc (CITEN, citen.fr)", Date: "2026-01"},
			{MinKWp: 100, MaxKWp: inf, SurplusEURPerKWh: 0.08873, PremiumEURPerKWp: 0, PremiumYears: 1, FullSaleEURPerKWh: 0.08873,
				Scheme: "appel d'offres simplifié « Petit PV Bâtiment » 100–500 kWc (complément de rémunération sur l'énergie injectée) ; au-delà de 500 kWc, même prix faute de mieux",
				Source: srcAOS + "; above 500 kWc the 'PV Bâtiment' tender is not modelled separately (our assumption: same price)", Date: "2025-11"},
		},
		ContractYears:         scenario.PD(20, "yr", "S21 purchase contracts and AOS complément de rémunération last 20 years (arrêté du 6 octobre 2021; CRE AOS cahier des charges 2025)", "2025"),
		PostContractEURPerKWh: scenario.PD(0.04, "€/kWh", "our assumption: market value of injected rooftop PV after the contract, range 0.02–0.06 (equal to the ≤ 9 kWc surplus tariff)", "2025"),

		PriceHouseholdEURPerKWh: scenario.PD(0.2016, "€/kWh", "CRE, TRVE 'Base' energy price TTC from 1 Feb 2025 (délibération CRE n° 2025-25 du 16 janvier 2025; 0.2016 €/kWh per revolution-energetique.com); the subscription is not saved by self-consumption", "2025-02"),
		PriceBusinessEURPerKWh:  scenario.PD(0.168, "€/kWh", "our assumption: TRVE Base 0.2016 € TTC / 1.2 (VAT recovered by businesses and by communities selling electricity), range 0.13–0.20", "2025-02"),
		PriceEscalationPct:      scenario.PD(2.2, "%/yr", "Google Solar API financial default electricity price growth (developers.google.com/maps/documentation/solar); nominal, like the tariffs", "2024"),

		LifetimeYr:            scenario.PD(30, "yr", "module performance warranties of 25–30 years (IEA PVPS Task 12 'Methodology guidelines on LCA of PV', 4th ed. 2020: 30-year life for rooftop modules)", "2020"),
		DegradationPctYr:      scenario.PD(0.5, "%/yr", "Google Solar API financial default panel degradation; Jordan & Kurtz 2013 (Prog. Photovolt. 21(1), doi:10.1002/pip.1182) median 0.5 %/yr", "2013"),
		OMPctCapexYr:          scenario.PD(1.0, "%/yr of capex", "our assumption, range 0.5–2: CRE 'Coûts et rentabilités du grand photovoltaïque' (Feb 2019) found yearly operating costs below 20 €/kWc (≈ 1.8 % of 1,100 €/kWc) for large roofs; small systems need no yearly servicing (photovoltaique.info), insurance and monitoring remain", "2019"),
		InverterLifeYr:        scenario.PD(15, "yr", "our assumption, range 10–20: string-inverter warranties of 10–15 years, extendable to 20; one replacement within a 30-year life", "2025"),
		InverterCostPctCapex:  scenario.PD(10, "% of capex HT", "our assumption, range 8–15: inverter share of a residential system's cost (photovoltaique.blog 2025 cost breakdown: inverters 20 % incl. installation; NREL PV cost benchmarks: ≈ 10 % hardware share)", "2025"),
		DiscountRateHousehold: scenario.PD(4, "%/yr", "Google Solar API financial default discount rate; CRE targets 4.2 % return on equity for a household (CRE avis on PV tariffs, juriblio.fr)", "2024"),
		DiscountRateBusiness:  scenario.PD(6, "%/yr", "our assumption, range 5–8: nominal weighted cost of capital of a small business, between the household 4 % and the 9.5 % return on equity (70 % debt) CRE assumed for businesses (CRE avis on PV tariffs, juriblio.fr)", "2025"),
		DiscountRateCommunity: scenario.PD(3, "%/yr", "our assumption, range 2–4: long-term local-authority borrowing rate (Banque des Territoires / Agence France Locale loans ≈ 3 % in 2025)", "2025"),

		HouseholdAnnualUseKWh: scenario.PD(4700, "kWh/yr", "≈ 160 TWh of residential electricity on the Enedis network in 2023 (RTE/Enedis, as cited by hellowatt.fr) over 33.8 M residential sites (CRE observatoire des marchés de détail, T4 2021) = 4.7 MWh per site; Selectra gives 4,255 kWh per household (RTE 2024); range 4.2–5.7", "2023"),

		ResidentialMinKWp: scenario.PD(3, "kWc", "issue 12 brief: residential systems sized 3–9 kWp; 3 kWc is the common smallest turnkey offer (Observ'ER 2023: 64.5 % of French PV systems ≤ 3 kW)", "2023"),
		ResidentialMaxKWp: scenario.PD(9, "kWc", "S21 0–9 kWc band and 5.5 % VAT ceiling (arrêté du 26 mars 2025; CGI art. 278-0 bis)", "2025"),
	}
}

// ErrSystemParams marks an invalid SystemParams.
var ErrSystemParams = errors.New("invalid owner economics parameters")

// CheckSystem validates the parameters and names the first bad field.
func (p *SystemParams) CheckSystem() error {
	bad := func(field string, v float64, why string) error {
		return fmt.Errorf("%w: %s = %g: %s", ErrSystemParams, field, v, why)
	}
	if len(p.CapexPoints) < 2 {
		return fmt.Errorf("%w: capex_points: need at least 2 price points, have %d", ErrSystemParams, len(p.CapexPoints))
	}
	for i, c := range p.CapexPoints {
		if !(c.KWp > 0) || math.IsInf(c.KWp, 0) {
			return bad(fmt.Sprintf("capex_points[%d].kwp", i), c.KWp, "must be finite and > 0")
		}
		if !(c.EURPerWpHT > 0) || math.IsInf(c.EURPerWpHT, 0) {
			return bad(fmt.Sprintf("capex_points[%d].eur_per_wp_ht", i), c.EURPerWpHT, "must be finite and > 0")
		}
	}
	type rng struct {
		name   string
		v      float64
		lo, hi float64
	}
	for _, r := range []rng{
		{"vat_standard_pct", p.VATStandardPct.Value, 0, 100},
		{"vat_reduced_pct", p.VATReducedPct.Value, 0, 100},
		{"vat_intermediate_pct", p.VATIntermediatePct.Value, 0, 100},
		{"vat_reduced_max_kwp", p.VATReducedMaxKWp.Value, 0, 1e6},
		{"vat_intermediate_max_kwp", p.VATIntermMaxKWp.Value, 0, 1e6},
		{"household_reduced_vat_eligible", p.HouseholdReducedVATEligible.Value, 0, 1},
		{"contract_years", p.ContractYears.Value, 0, 60},
		{"post_contract_eur_per_kwh", p.PostContractEURPerKWh.Value, 0, 5},
		{"price_household_eur_per_kwh", p.PriceHouseholdEURPerKWh.Value, 0, 5},
		{"price_business_eur_per_kwh", p.PriceBusinessEURPerKWh.Value, 0, 5},
		{"price_escalation_pct", p.PriceEscalationPct.Value, -20, 30},
		{"lifetime_yr", p.LifetimeYr.Value, 1, 60},
		{"degradation_pct_yr", p.DegradationPctYr.Value, 0, 10},
		{"om_pct_capex_yr", p.OMPctCapexYr.Value, 0, 20},
		{"inverter_life_yr", p.InverterLifeYr.Value, 0, 60},
		{"inverter_cost_pct_capex", p.InverterCostPctCapex.Value, 0, 100},
		{"discount_rate_household_pct", p.DiscountRateHousehold.Value, -5, 50},
		{"discount_rate_business_pct", p.DiscountRateBusiness.Value, -5, 50},
		{"discount_rate_community_pct", p.DiscountRateCommunity.Value, -5, 50},
		{"household_annual_use_kwh", p.HouseholdAnnualUseKWh.Value, 0, 1e7},
		{"residential_min_kwp", p.ResidentialMinKWp.Value, 0, 1e4},
		{"residential_max_kwp", p.ResidentialMaxKWp.Value, 0, 1e4},
	} {
		if !(r.v >= r.lo && r.v <= r.hi) {
			return bad(r.name, r.v, fmt.Sprintf("must be in [%g, %g]", r.lo, r.hi))
		}
	}
	if v := p.HouseholdReducedVATEligible.Value; v != 0 && v != 1 {
		return bad("household_reduced_vat_eligible", v, "must be 0 or 1")
	}
	for _, r := range []rng{{"lifetime_yr", p.LifetimeYr.Value, 0, 0}, {"contract_years", p.ContractYears.Value, 0, 0}, {"inverter_life_yr", p.InverterLifeYr.Value, 0, 0}} {
		if r.v != math.Trunc(r.v) {
			return bad(r.name, r.v, "must be a whole number of years")
		}
	}
	if p.ResidentialMinKWp.Value > p.ResidentialMaxKWp.Value {
		return bad("residential_min_kwp", p.ResidentialMinKWp.Value, "must not exceed residential_max_kwp")
	}
	if len(p.S21) == 0 {
		return fmt.Errorf("%w: s21: no band", ErrSystemParams)
	}
	if !sort.SliceIsSorted(p.S21, func(i, j int) bool { return p.S21[i].MaxKWp < p.S21[j].MaxKWp }) {
		return fmt.Errorf("%w: s21: bands must be in ascending max_kwp order", ErrSystemParams)
	}
	for i, b := range p.S21 {
		f := func(n string) string { return fmt.Sprintf("s21[%d].%s", i, n) }
		if i > 0 && b.MinKWp != p.S21[i-1].MaxKWp {
			return bad(f("min_kwp"), b.MinKWp, fmt.Sprintf("must equal the previous band's max_kwp %g (bands must tile the power axis)", p.S21[i-1].MaxKWp))
		}
		if !(b.MaxKWp > b.MinKWp) {
			return bad(f("max_kwp"), b.MaxKWp, "must exceed min_kwp")
		}
		for _, v := range []struct {
			n string
			x float64
		}{{"surplus_eur_per_kwh", b.SurplusEURPerKWh}, {"full_sale_eur_per_kwh", b.FullSaleEURPerKWh}} {
			if !(v.x >= 0 && v.x <= 5) {
				return bad(f(v.n), v.x, "must be in [0, 5] €/kWh")
			}
		}
		if !(b.PremiumEURPerKWp >= 0 && b.PremiumEURPerKWp <= 5000) {
			return bad(f("premium_eur_per_kwp"), b.PremiumEURPerKWp, "must be in [0, 5000] €/kWp")
		}
		if b.PremiumYears < 1 || b.PremiumYears > 30 {
			return bad(f("premium_years"), float64(b.PremiumYears), "must be 1–30")
		}
		if b.SurplusEURPerKWh == 0 && b.FullSaleEURPerKWh == 0 {
			return fmt.Errorf("%w: %s: band %g–%g kWc has neither a surplus nor a full-sale tariff", ErrSystemParams, f("surplus_eur_per_kwh"), b.MinKWp, b.MaxKWp)
		}
	}
	if p.S21[0].MinKWp != 0 {
		return bad("s21[0].min_kwp", p.S21[0].MinKWp, "must be 0")
	}
	return nil
}

// BandFor returns the S21 band holding kWp (MinKWp < kWp ≤ MaxKWp; kWp = 0
// falls into the first band), or false above the last band.
func (p *SystemParams) BandFor(kWp float64) (S21Band, bool) {
	for _, b := range p.S21 {
		if kWp <= b.MaxKWp {
			return b, true
		}
	}
	return S21Band{}, false
}

// TariffBoundariesKWp lists the cited power boundaries (kWp) at which the
// support scheme or the household VAT rate changes: the only places where
// the owner economics may jump (9 kWc for the 5.5 % rate when its conditions
// are met, 3 kWc for the 10 % rate otherwise).
func (p *SystemParams) TariffBoundariesKWp() []float64 {
	set := map[float64]bool{}
	for _, b := range p.S21 {
		if b.MinKWp > 0 {
			set[b.MinKWp] = true
		}
		if !math.IsInf(b.MaxKWp, 1) {
			set[b.MaxKWp] = true
		}
	}
	if p.HouseholdReducedVATEligible.Value == 1 {
		set[p.VATReducedMaxKWp.Value] = true
	} else {
		set[p.VATIntermMaxKWp.Value] = true
	}
	out := make([]float64, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Float64s(out)
	return out
}

package report

import (
	"regexp"
	"strings"
)

// assumptionLabels are the French labels of the scenario keys
// (model.Scenario.Assumptions(): the yaml paths of model/scenarios/
// default.yaml). Keys are normalised by labelKey: list indices become "[]"
// and the size-class suffix "(≤36 kWp)" is dropped (labelFR adds it back
// in French). TestAssumptionLabelsCoverDefaultScenario fails when a key of
// the default scenario has no label here.
var assumptionLabels = map[string]string{
	// Photovoltaïque
	"pv.module_power_density_wp_m2":                "Puissance surfacique des modules",
	"pv.system_loss_pct":                           "Pertes du système photovoltaïque",
	"econ.pv.degradation_pct_yr":                   "Dégradation annuelle des modules",
	"econ.pv.lifetime_yr":                          "Durée de vie d'une installation photovoltaïque",
	"pv.technical_min_share_of_optimum":            "Potentiel technique : productible minimal d'un pan, en part de l'optimum local",
	"pv.min_usable_m2":                             "Surface utile minimale d'un pan retenu",
	"pv.shading_impact_factor":                     "Facteur d'impact de l'ombrage partiel (modules en série)",
	"pv.roof.pitch_deg":                            "Pente des toitures à pans",
	"pv.roof.flat_above_m2":                        "Emprise au-delà de laquelle un toit est supposé plat (type inconnu)",
	"pv.roof.flat_tilt_deg":                        "Inclinaison des modules sur toit plat",
	"pv.roof.flat_rack_coverage":                   "Taux de couverture des supports sur toit plat",
	"pv.roof.flat_east_west_coverage":              "Taux de couverture des modules est-ouest sur toit plat",
	"pv.roof.setback_m":                            "Retrait des modules par rapport aux rives",
	"pv.roof.obstruction_factor":                   "Part de toiture occupée par des obstacles (cheminées, lucarnes…)",
	"land.ground.coverage_ratio":                   "Taux d'occupation du sol d'une centrale au sol",
	"land.car_parks.coverage_ratio":                "Part d'un parking couverte d'ombrières (loi APER)",
	"land.ground.boundary_setback_m":               "Centrale au sol : distance minimale à la limite de parcelle",
	"land.ground.building_setback_m":               "Centrale au sol : distance minimale aux bâtiments",
	"land.ground.min_patch_m2":                     "Centrale au sol : surface libre minimale d'un îlot",
	"land.ground.tilt_deg":                         "Centrale au sol : inclinaison des rangées",
	"land.ground.azimuth_deg":                      "Centrale au sol : orientation des rangées",
	"land.car_parks.canopy_tilt_deg":               "Ombrières : inclinaison des modules",
	"land.car_parks.canopy_azimuth_deg":            "Ombrières : orientation des modules",
	"land.car_parks.aper_threshold_m2":             "Surface de parking soumise à l'obligation d'ombrières (loi APER)",
	"econ.pv.capex_rooftop_points[].eur_per_wp_ht": "Prix de référence en toiture (courbe continue ajustée)",
	"econ.pv.capex_ground":                         "Coût d'investissement d'une centrale au sol",
	"econ.pv.capex_carport":                        "Coût d'investissement d'une ombrière de parking",
	"econ.pv.opex_pct_capex_yr":                    "Exploitation et maintenance en toiture",
	"econ.pv.opex_ground_pct_capex_yr":             "Exploitation et maintenance au sol (dont loyer du terrain)",
	"econ.pv.inverter_replacement_yr":              "Année de remplacement de l'onduleur",
	"econ.pv.inverter_cost_pct_capex":              "Coût de remplacement de l'onduleur (part de l'investissement)",
	"econ.pv.self_consumption.tertiary":            "Taux d'autoconsommation — ombrières de parking",
	"econ.pv.self_consumption.agricultural":        "Taux d'autoconsommation — bâtiments agricoles",
	"econ.pv.household_annual_use_kwh":             "Consommation d'électricité d'un logement",
	"econ.pv.flat_floor_area_m2":                   "Surface moyenne d'un appartement",
	"econ.pv.non_residential_elec_kwh_m2":          "Consommation d'électricité spécifique du non-résidentiel",
	"econ.pv.residential_min_kwp":                  "Puissance minimale d'une installation résidentielle",
	"econ.pv.residential_max_kwp":                  "Puissance maximale d'une installation résidentielle (par logement)",
	"econ.vat.standard_pct":                        "TVA — taux normal",
	"econ.vat.reduced_pct":                         "TVA — taux réduit (résidentiel ≤ 9 kWc, conditions de l'arrêté du 8 septembre 2025)",
	"econ.vat.intermediate_pct":                    "TVA — taux intermédiaire (résidentiel ≤ 3 kWc)",
	"econ.vat.reduced_max_kwp":                     "TVA réduite : puissance maximale",
	"econ.vat.intermediate_max_kwp":                "TVA intermédiaire : puissance maximale",
	"econ.vat.household_reduced_eligible":          "Installations résidentielles éligibles à la TVA à 5,5 % (1 = oui)",

	// Tarifs d'achat (arrêté S21) et appels d'offres
	"econ.tariffs.s21[].surplus_eur_per_kwh":   "Tarif d'achat du surplus (vente du surplus, S21)",
	"econ.tariffs.s21[].premium_eur_per_kwp":   "Prime à l'autoconsommation (S21)",
	"econ.tariffs.s21[].premium_years":         "Durée de versement de la prime à l'autoconsommation",
	"econ.tariffs.s21[].full_sale_eur_per_kwh": "Tarif d'achat en vente totale (S21)",
	"econ.tariffs.contract_years":              "Durée du contrat d'obligation d'achat",
	"econ.tariffs.post_contract_eur_per_kwh":   "Valeur de l'électricité injectée après le contrat",
	"econ.tariffs.tender_ground_eur_per_kwh":   "Prix de vente d'une centrale au sol (appel d'offres)",

	// Prix de l'énergie
	"econ.prices.electricity_residential":      "Prix de l'électricité — résidentiel (TTC)",
	"econ.prices.electricity_non_residential":  "Prix de l'électricité — non résidentiel (HT)",
	"econ.prices.gas":                          "Prix du gaz naturel",
	"econ.prices.fuel_oil":                     "Prix du fioul domestique",
	"econ.prices.electricity_escalation_pct":   "Évolution annuelle du prix de l'électricité",
	"econ.prices.gas_escalation_pct":           "Évolution annuelle du prix du gaz",
	"econ.prices.fuel_oil_escalation_pct":      "Évolution annuelle du prix du fioul",
	"econ.finance.discount_rate_pct":           "Taux d'actualisation (nominal) — ménages",
	"econ.finance.discount_rate_business_pct":  "Taux d'actualisation (nominal) — entreprises",
	"econ.finance.discount_rate_community_pct": "Taux d'actualisation (nominal) — collectivités",

	// Facteurs d'émission
	"econ.co2.electricity_heating":    "Facteur d'émission de l'électricité — chauffage",
	"econ.co2.electricity_other_uses": "Facteur d'émission de l'électricité — autres usages",
	"econ.co2.gas":                    "Facteur d'émission du gaz naturel",
	"econ.co2.fuel_oil":               "Facteur d'émission du fioul domestique",

	// Pompes à chaleur : économie
	"econ.heat_pumps.ashp_fixed_eur":            "Coût fixe d'une PAC air/eau installée",
	"econ.heat_pumps.ashp_eur_per_kw":           "Coût d'une PAC air/eau par kW",
	"econ.heat_pumps.gshp_fixed_eur":            "Coût fixe d'une PAC géothermique installée",
	"econ.heat_pumps.gshp_eur_per_kw":           "Coût d'une PAC géothermique par kW",
	"econ.heat_pumps.drilling_eur_per_m":        "Coût du forage des sondes géothermiques",
	"econ.heat_pumps.hp_maintenance_eur_yr":     "Entretien annuel d'une pompe à chaleur",
	"econ.heat_pumps.boiler_maintenance_eur_yr": "Entretien annuel d'une chaudière",
	"econ.heat_pumps.lifetime_yr":               "Durée de vie d'une pompe à chaleur",
	"econ.heat_pumps.gas_boiler_efficiency":     "Rendement saisonnier d'une chaudière gaz à condensation",
	"econ.heat_pumps.oil_boiler_efficiency":     "Rendement saisonnier d'une chaudière fioul",

	// Incertitudes (tirages de Monte-Carlo)
	"uncertainty.usable_area_rel_sigma":       "Incertitude relative sur la surface utile de toiture",
	"uncertainty.pitch_sigma_deg":             "Incertitude sur la pente des toitures",
	"uncertainty.weather_sigma_pct":           "Variabilité interannuelle de l'ensoleillement",
	"uncertainty.performance_sigma_pct":       "Incertitude sur la performance du système",
	"uncertainty.escalation_sigma_pct":        "Incertitude sur l'évolution des prix de l'énergie",
	"uncertainty.resource_bias_pct_per_100km": "Biais de la ressource solaire selon la distance à la station météo",
	"uncertainty.draws":                       "Nombre de tirages de Monte-Carlo",
	"uncertainty.seed":                        "Graine du générateur aléatoire (résultats reproductibles)",

	// Besoin de chaleur
	"heat.demand.base_temp_c":                 "Température de base des degrés-jours",
	"heat.demand.reference_hdd":               "Degrés-jours du climat de référence (TABULA)",
	"heat.demand.design_outdoor_c":            "Température extérieure de base (dimensionnement)",
	"heat.demand.net_to_gross":                "Rapport surface de référence / surface brute de plancher",
	"heat.demand.storey_height_m":             "Hauteur d'un étage",
	"heat.demand.default_levels":              "Nombre d'étages par défaut",
	"heat.demand.dhw_kwh_m2":                  "Besoin d'eau chaude sanitaire — maison individuelle",
	"heat.demand.dhw_multi_kwh_m2":            "Besoin d'eau chaude sanitaire — logement collectif",
	"heat.demand.terraced_share":              "Part des maisons mitoyennes",
	"heat.demand.apartment_block_min_levels":  "Étages à partir desquels un collectif suit le type « immeuble » (TABULA AB)",
	"heat.demand.measured_to_calculated":      "Rapport consommation mesurée / besoin conventionnel",
	"heat.demand.tertiary_space_factor":       "Coefficient du besoin de chauffage du tertiaire",
	"heat.demand.tertiary_dhw_kwh_m2":         "Besoin d'eau chaude sanitaire — tertiaire",
	"heat.demand.unknown_period_space_kwh_m2": "Besoin de chauffage, année de construction inconnue — maison",
	"heat.demand.unknown_period_multi_kwh_m2": "Besoin de chauffage, année de construction inconnue — collectif",
	"heat.demand.rel_uncertainty_known":       "Incertitude relative du besoin, période de construction connue",
	"heat.demand.rel_uncertainty_unknown":     "Incertitude relative du besoin, période de construction inconnue",
	"heat.demand.rel_uncertainty_dpe":         "Incertitude relative du besoin déduit du DPE",
	"heat.demand.dpe_primary_factor":          "Coefficient énergie primaire / finale du DPE",
	"heat.demand.dpe_system_efficiency":       "Rendement de l'installation de chauffage (DPE)",
	"heat.demand.dpe_heat_share":              "Part du chauffage dans la consommation du DPE",

	// PAC air/eau
	"heat.ashp.indoor_c":                       "PAC air/eau : consigne intérieure de la loi d'eau",
	"heat.ashp.curve_design_c":                 "PAC air/eau : température extérieure de départ maximal",
	"heat.ashp.floor.flow_max_c":               "PAC air/eau : départ maximal, plancher chauffant",
	"heat.ashp.floor.exponent":                 "PAC air/eau : exposant des émetteurs, plancher chauffant",
	"heat.ashp.low_temp_radiator.flow_max_c":   "PAC air/eau : départ maximal, radiateurs basse température",
	"heat.ashp.low_temp_radiator.exponent":     "PAC air/eau : exposant des émetteurs, radiateurs basse température",
	"heat.ashp.radiator.flow_max_c":            "PAC air/eau : départ maximal, radiateurs",
	"heat.ashp.radiator.exponent":              "PAC air/eau : exposant des émetteurs, radiateurs",
	"heat.ashp.dhw_flow_c":                     "PAC air/eau : température de production d'eau chaude sanitaire",
	"heat.ashp.sizing_factor":                  "PAC air/eau : puissance / déperditions de base",
	"heat.ashp.when2heat_correction":           "PAC air/eau : correction du COP (modèle When2Heat)",
	"land.outdoor_unit_setback_m":              "PAC air/eau : distance minimale de l'unité extérieure à la limite",
	"heat.gshp.extraction.high.at_1800h_w_m":   "Sondes : puissance extraite, sol favorable, 1 800 h/an",
	"heat.gshp.extraction.high.at_2400h_w_m":   "Sondes : puissance extraite, sol favorable, 2 400 h/an",
	"heat.gshp.extraction.normal.at_1800h_w_m": "Sondes : puissance extraite, sol moyen, 1 800 h/an",
	"heat.gshp.extraction.normal.at_2400h_w_m": "Sondes : puissance extraite, sol moyen, 2 400 h/an",
	"heat.gshp.extraction.poor.at_1800h_w_m":   "Sondes : puissance extraite, sol défavorable, 1 800 h/an",
	"heat.gshp.extraction.poor.at_2400h_w_m":   "Sondes : puissance extraite, sol défavorable, 2 400 h/an",
	"heat.gshp.probe_depth_m":                  "Sondes : profondeur",
	"land.boreholes.spacing_short_m":           "Sondes : espacement minimal (sondes de 40 à 50 m)",
	"land.boreholes.spacing_long_m":            "Sondes : espacement minimal (sondes plus longues)",
	"land.boreholes.boundary_setback_m":        "Sondes : distance minimale à la limite de parcelle",
	"land.boreholes.building_setback_m":        "Sondes : distance minimale aux bâtiments",
	"land.boreholes.rotations":                 "Sondes : orientations de maillage essayées",
	"land.boreholes.offsets":                   "Sondes : décalages de maillage essayés par axe",
	"heat.gshp.indoor_c":                       "PAC géothermique : consigne intérieure de la loi d'eau",
	"heat.gshp.curve_design_c":                 "PAC géothermique : température extérieure de départ maximal",
	"heat.gshp.floor.flow_max_c":               "PAC géothermique : départ maximal, plancher chauffant",
	"heat.gshp.floor.exponent":                 "PAC géothermique : exposant des émetteurs, plancher chauffant",
	"heat.gshp.low_temp_radiator.flow_max_c":   "PAC géothermique : départ maximal, radiateurs basse température",
	"heat.gshp.low_temp_radiator.exponent":     "PAC géothermique : exposant des émetteurs, radiateurs basse température",
	"heat.gshp.radiator.flow_max_c":            "PAC géothermique : départ maximal, radiateurs",
	"heat.gshp.radiator.exponent":              "PAC géothermique : exposant des émetteurs, radiateurs",
	"heat.gshp.dhw_flow_c":                     "PAC géothermique : température de production d'eau chaude sanitaire",
	// Heat: field-grade layer (issue 11; model/heat/fieldparams.go).
	"heat.field.cycling_cdh":                 "PAC : coefficient de dégradation en cycles marche/arrêt (EN 14825)",
	"heat.field.min_modulation":              "PAC : taux de modulation minimal du compresseur",
	"heat.field.standby_w":                   "PAC : consommation en veille",
	"heat.field.pumps_controls_w":            "PAC : circulateur et régulation",
	"heat.field.dhw_tank_loss_w":             "Pertes du ballon d'eau chaude sanitaire",
	"heat.field.flow_cap_c":                  "PAC : température de départ maximale (au-delà : appoint)",
	"heat.field.residual_factor":             "PAC : facteur terrain résiduel (calé sur le suivi Fraunhofer ISE)",
	"heat.field.lapse_rate_k_per_m":          "Gradient thermique vertical (station → territoire)",
	"heat.field.dwelling_area_m2":            "Surface moyenne d'un logement collectif",
	"heat.calibration.prebound_a":            "Calage consommation / besoin : coefficient a",
	"heat.calibration.prebound_b":            "Calage consommation / besoin : coefficient b",
	"heat.calibration.ratio_min":             "Calage consommation / besoin : rapport minimal",
	"heat.calibration.ratio_max":             "Calage consommation / besoin : rapport maximal",
	"heat.calibration.rating_efficiency":     "Rendement saisonnier du parc de chaudières (besoin → énergie finale)",
	"heat.calibration.scale_min":             "Calage sur consommations observées : facteur minimal appliqué",
	"heat.calibration.scale_max":             "Calage sur consommations observées : facteur maximal appliqué",
	"heat.calibration.gas_heat_share_res":    "Part du gaz résidentiel pour le chauffage et l'eau chaude",
	"heat.calibration.gas_boiler_efficiency": "Rendement saisonnier des chaudières gaz",
	"heat.calibration.occupied_share":        "Part des résidences principales dans les logements",
	"heat.usage.annex_max_footprint_m2":      "Usage inconnu : emprise maximale d'une annexe",
	"heat.usage.annex_low_max_footprint_m2":  "Usage inconnu : emprise maximale d'une annexe basse",
	"heat.usage.annex_low_max_height_m":      "Usage inconnu : hauteur maximale d'une annexe basse",
	"heat.usage.annex_row_max_footprint_m2":  "Usage inconnu : emprise maximale d'une rangée de garages",
	"heat.usage.annex_row_min_elongation":    "Usage inconnu : allongement minimal d'une rangée de garages",
	"heat.usage.annex_row_max_height_m":      "Usage inconnu : hauteur maximale d'une rangée de garages",
	"heat.usage.hall_min_footprint_m2":       "Usage inconnu : emprise minimale d'un hall non résidentiel",
	"heat.usage.hall_max_height_m":           "Usage inconnu : hauteur maximale d'un hall non résidentiel",
	"heat.usage.large_min_footprint_m2":      "Usage inconnu : emprise à partir de laquelle un bâtiment est non résidentiel",
	"heat.usage.roof_allowance_m":            "Hauteur de toiture déduite avant le calcul des étages",
	"heat.usage.multi_family_min_dwellings":  "Nombre de logements à partir duquel un bâtiment est collectif",
}

var (
	indexRe = regexp.MustCompile(`\[\d+\]`)
	// classRe is the size-class suffix of model's cost and tariff classes:
	// "(≤36 kWp)" or "(unbounded)".
	classRe = regexp.MustCompile(`\((≤\s*([0-9.,]+)\s*kWp|at\s+([0-9.,]+)\s*kWp|unbounded)\)$`)
)

// labelKey normalises a scenario key for assumptionLabels: list indices
// become "[]" and the size-class suffix is cut off (returned apart).
func labelKey(key string) (norm, class string) {
	if m := classRe.FindStringSubmatchIndex(key); m != nil {
		class = key[m[2]:m[3]]
		key = key[:m[0]]
	}
	return indexRe.ReplaceAllString(key, "[]"), class
}

// AssumptionLabel returns the French label of a scenario key, with its
// size class ("(≤36 kWp)" → "jusqu'à 36 kWc", "(unbounded)" → "tranche
// supérieure"); ok is false for a key without a label (the annex then
// shows the key alone).
func AssumptionLabel(key string) (label string, ok bool) {
	norm, class := labelKey(key)
	label, ok = assumptionLabels[norm]
	if !ok {
		return "", false
	}
	switch {
	case class == "unbounded":
		label += " — tranche supérieure"
	case strings.HasPrefix(class, "at "):
		n := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(class, "at "), "kWp"))
		label += " — à " + strings.ReplaceAll(n, ".", ",") + " kWc"
	case strings.HasPrefix(class, "≤"):
		n := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(class, "≤"), "kWp"))
		label += " — jusqu'à " + strings.ReplaceAll(n, ".", ",") + " kWc"
	}
	return label, true
}

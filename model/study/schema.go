package study

import (
	"fmt"
	"sync"

	"github.com/gisement/gisement/data"
)

// This file declares, once, what readers need to know about the columns a
// study writes besides their storage (layers.go gives name, type, unit and
// description with the value): the French and English labels, the rounding
// for reading, the kind and the flags (summable over an area, sortable by
// the list endpoint, carried by the vector tiles, left out of CSV, hidden
// in the web panel). The HTTP API, the CSV and GeoJSON exports, the web
// map's labels (api/web, go generate) and the README tables all read
// Schema().

// facts are the reading facts of a column name (the same in every layer:
// the web map keys its labels by column name).
type facts struct {
	fr, en string
	d      int // decimals kept for reading (real columns only)
	kind   data.Kind
	flags  data.Flags
}

const (
	summ     = data.Summable
	sortable = data.Sortable
)

// columnFacts holds the facts of every column name of every layer
// (TestSchemaDescribesEveryColumn checks none is missing).
var columnFacts = map[string]facts{
	// identifiers and names
	"parcel_id":     {"Parcelle", "Parcel", 0, data.KindID, sortable},
	"building_id":   {"Bâtiment", "Building", 0, data.KindID, 0},
	"plane_id":      {"Pan de toiture", "Roof plane", 0, data.KindID, 0},
	"carpark_id":    {"Parking", "Car park", 0, data.KindID, 0},
	"commune_insee": {"Code INSEE", "INSEE code", 0, data.KindID, 0},
	"zone_id":       {"Zone", "Zone", 0, data.KindID, 0},
	"name":          {"Nom", "Name", 0, data.KindID, 0},
	"kind":          {"Type de zone", "Zone kind", 0, data.KindCode, 0},
	"section":       {"Section cadastrale", "Cadastral section", 0, "", 0},
	"scenario_hash": {"Empreinte du scénario", "Scenario hash", 0, "", data.Hidden},
	"model_errors":  {"Anomalies de calcul", "Model errors", 0, "", 0},
	"zones":         {"Zones", "Zones", 0, "", 0},
	"carparks":      {"Parkings", "Car parks", 0, "", 0},
	"gmi_zone":      {"Zone GMI (géothermie de minime importance)", "GMI zone (minor geothermal)", 0, data.KindCode, 0},

	// land and buildings
	"area_m2":        {"Surface", "Area", 0, "", summ | sortable},
	"building_count": {"Bâtiments sur la parcelle", "Buildings on the parcel", 0, "", summ | sortable},
	"height_m":       {"Hauteur", "Height", 1, "", 0},
	"height_source":  {"Source de la hauteur", "Height source", 0, data.KindCode, 0},
	"footprint_m2":   {"Emprise au sol", "Footprint", 0, "", summ},
	"year":           {"Année de construction", "Construction year", 0, data.KindYear, 0},
	"roof_type":      {"Type de toiture", "Roof type", 0, data.KindCode, 0},
	"roof_planes":    {"Pans de toiture", "Roof planes", 0, "", summ},
	"heated":         {"Bâtiment chauffé", "Heated building", 0, data.KindBool, 0},
	"floor_area_m2":  {"Surface chauffée", "Heated floor area", 0, "", summ},
	"period":         {"Période de construction", "Construction period", 0, data.KindCode, 0},
	"free_land_m2":   {"Terrain libre (sondes)", "Free land (boreholes)", 0, "", summ},

	// rooftop PV
	"roof_planes_kept":          {"Pans du potentiel technique", "Roof planes in the technical potential", 0, "", summ},
	"pv_usable_m2":              {"Surface de toiture utile", "Usable roof area", 0, "", summ},
	"pv_kwp":                    {"Potentiel technique PV (puissance)", "Technical PV potential (power)", 1, "", summ | sortable},
	"pv_kwh_yr":                 {"Potentiel technique PV (production annuelle)", "Technical PV potential (annual production)", 0, "", summ | sortable},
	"pv_specific_yield_kwh_kwp": {"Productible spécifique", "Specific yield", 0, "", sortable},
	"pv_shading_loss_pct":       {"Pertes d'ombrage", "Shading loss", 1, "", sortable},
	"pv_class":                  {"Classe de toiture", "Roof class", 0, data.KindCode, 0},
	"pv_monthly_kwh":            {"Production mensuelle", "Monthly production", 0, "", 0},
	// Sums of parcel P90 (P10) yields bound the area's P90 (P10) from below
	// (above) when parcels are not perfectly correlated; they are summed as
	// such bounds (the communes layer names its column pv_kwh_yr_p90_sum).
	"pv_kwh_yr_p90":     {"Production P90 (dépassée 9 ans sur 10)", "P90 production (exceeded 9 years in 10)", 0, "", summ},
	"pv_kwh_yr_p50":     {"Production P50", "P50 production", 0, "", 0},
	"pv_kwh_yr_p10":     {"Production P10 (dépassée 1 an sur 10)", "P10 production (exceeded 1 year in 10)", 0, "", summ},
	"pv_kwh_yr_p90_sum": {"Somme des productions P90 des parcelles", "Sum of parcel P90 productions", 0, "", summ},
	"tilt_deg":          {"Inclinaison", "Tilt", 1, "", 0},
	"azimuth_deg":       {"Orientation (azimut)", "Azimuth", 1, "", 0},
	"usable_m2":         {"Surface utile", "Usable area", 1, "", summ},
	"poa_kwh_m2":        {"Irradiation dans le plan", "In-plane irradiation", 0, "", 0},
	"poa_unshaded_kwh_m2": {"Irradiation dans le plan sans masque", "In-plane irradiation without horizon",
		0, "", 0},
	"shading_loss_pct": {"Pertes d'ombrage du pan", "Plane shading loss", 1, "", 0},
	"class":            {"Classe du pan", "Plane class", 0, data.KindCode, 0},
	"kept":             {"Pan du potentiel technique", "Plane in the technical potential", 0, data.KindBool, 0},
	// --- potentials and owner economics (technical.go, pvecon.go) ---
	"pv_mismatch_loss_pct":     {"Pertes de désadaptation (ombrage partiel)", "Mismatch loss (partial shading)", 2, "", 0},
	"pv_shading_loss_all_q50":  {"Pertes d'ombrage médianes, tous les pans", "Median shading loss, all roof planes", 2, "", 0},
	"pv_shading_loss_kept_q50": {"Pertes d'ombrage médianes, pans du potentiel technique", "Median shading loss, technical-potential planes", 2, "", 0},
	"pv_relative_yield_pct":    {"Productible en part de l'optimum local", "Specific yield as a share of the local optimum", 0, "", 0},
	"pv_econ_kwp":              {"Potentiel économique PV (puissance)", "Economic PV potential (power)", 1, "", summ | sortable},
	"pv_econ_kwh_yr":           {"Potentiel économique PV (production annuelle)", "Economic PV potential (annual production)", 0, "", summ | sortable},
	"pv_owner":                 {"Propriétaire-type de l'installation", "Owner type of the system", 0, data.KindCode, 0},
	"pv_dwellings":             {"Logements desservis", "Dwellings served", 0, "", summ},
	"pv_annual_use_kwh":        {"Consommation d'électricité du bâtiment", "Building electricity use", 0, "", summ},
	"pv_system_kwp":            {"Installation à VAN maximale", "Best-NPV system size", 1, "", summ | sortable},
	"pv_self_consumed_kwh_yr":  {"Électricité autoconsommée", "Self-consumed electricity", 0, "", summ},
	"pv_self_consumption_pct":  {"Taux d'autoconsommation", "Self-consumption share", 0, "", sortable},
	"pv_vat_pct":               {"TVA payée", "VAT paid", 1, "", 0},
	"pv_band":                  {"Dispositif de soutien et mode de vente", "Support scheme and sale option", 0, "", 0},
	"pv_kwp_low":               {"Potentiel technique, bas de la fourchette de surface utile", "Technical potential, low end of the usable-area range", 1, "", summ},
	"pv_kwp_high":              {"Potentiel technique, haut de la fourchette de surface utile", "Technical potential, high end of the usable-area range", 1, "", summ},
	"pv_econ_systems":          {"Installations rentables (VAN ≥ 0)", "Systems with NPV ≥ 0", 0, "", summ},
	"pv_systems":               {"Installations évaluées", "Systems evaluated", 0, "", summ},
	"pv_north_kwp":             {"Potentiel technique sur pans orientés au nord", "Technical potential on north-facing planes", 1, "", summ},
	"pv_shading_loss_all_pct":  {"Pertes d'ombrage, tous les pans", "Shading loss, all roof planes", 2, "", 0},
	"pv_shading_loss_kept_pct": {"Pertes d'ombrage, pans du potentiel technique", "Shading loss, technical-potential planes", 2, "", 0},
	"roof_source":              {"Origine du toit", "Roof source", 0, data.KindCode, 0},
	"shading_source":           {"Origine des masques", "Shading source", 0, data.KindCode, 0},
	"pitch_source":             {"Origine de la pente", "Pitch source", 0, data.KindCode, 0},
	"horizon_deg":              {"Horizon", "Horizon", 0, "", data.NoCSV},

	// heat and heat pumps
	// (issue 11, heatfield.go: consumption-like demand by default, the
	// conventional need beside it; field heat pumps; boreholes sized to the need)
	"heat_demand_kwh_yr":      {"Consommation de chaleur estimée (chauffage + ECS)", "Consumption-like heat demand (space + hot water)", 0, "", summ | sortable},
	"heat_need_conv_kwh_yr":   {"Besoin de chaleur conventionnel (TABULA)", "Conventional heat need (TABULA)", 0, "", summ},
	"heat_calibration_ratio":  {"Rapport consommation / besoin conventionnel (chauffage)", "Consumption / conventional need (space heating)", 2, "", 0},
	"heat_design_load_kw":     {"Puissance de chauffage à la température de base", "Design heat load", 1, "", 0},
	"use_class":               {"Usage retenu (chaleur)", "Use (heat model)", 0, data.KindCode, 0},
	"use_source":              {"Source de l'usage", "Use source", 0, data.KindCode, 0},
	"emitter_class":           {"Émetteurs de chaleur", "Heat emitters", 0, data.KindCode, 0},
	"ashp_scop":               {"SCOP PAC air/eau (système, ECS comprise)", "ASHP SCOP (system incl. hot water)", 2, "", 0},
	"ashp_scop_space":         {"SCOP PAC air/eau (chauffage seul)", "ASHP SCOP (space heating)", 2, "", 0},
	"ashp_backup_pct":         {"Part de l'appoint électrique (chauffage)", "Backup heater share (space heating)", 1, "", 0},
	"ashp_kw":                 {"Puissance PAC air/eau", "ASHP capacity", 1, "", summ | sortable},
	"ashp_siting_ok":          {"Unité extérieure PAC implantable", "ASHP outdoor unit fits", 0, data.KindBool, 0},
	"gshp_boreholes":          {"Sondes géothermiques à forer (dimensionnées au besoin)", "Boreholes to drill (sized to the need)", 0, "", summ | sortable},
	"gshp_boreholes_needed":   {"Sondes géothermiques nécessaires", "Boreholes needed", 0, "", summ},
	"gshp_boreholes_possible": {"Sondes possibles sur le terrain libre (information)", "Boreholes that fit (information)", 0, "", 0},
	"gshp_kw":                 {"Puissance PAC géothermique (au plus le besoin)", "GSHP capacity (at most the design load)", 1, "", summ | sortable},
	"gshp_coverage_pct":       {"Couverture géothermique du besoin", "GSHP share of the heat demand", 0, "", 0},
	"gshp_scop":               {"SCOP PAC géothermique (système, ECS comprise)", "GSHP SCOP (system incl. hot water)", 2, "", 0},
	"gshp_method":             {"Méthode de dimensionnement des sondes", "Borehole sizing method", 0, data.KindCode, 0},
	"gshp_gmi_status":         {"Régime GMI (géothermie de minime importance)", "GMI regime (minor geothermal)", 0, data.KindCode, 0},
	"gshp_notes":              {"Remarques géothermie", "Ground-source notes", 0, "", 0},
	"gshp_to_verify_parcels":  {"Parcelles à sondes, zone GMI à vérifier", "Parcels with boreholes, GMI zone to verify", 0, "", summ},

	// ground PV and car parks
	"ground_pv_kwp":     {"PV au sol", "Ground-mounted PV", 1, "", summ | sortable},
	"ground_pv_kwh_yr":  {"Production PV au sol", "Ground-mounted PV production", 0, "", summ | sortable},
	"ground_pv_npv_eur": {"VAN PV au sol", "Ground-mounted PV NPV", 0, "", summ},
	"aper_carpark":      {"Parking soumis à la loi APER", "Car park under the APER law", 0, data.KindBool, 0},
	"aper_obligated":    {"Soumis à la loi APER", "Under the APER law", 0, data.KindBool, 0},
	"canopy_m2":         {"Surface des ombrières", "Canopy area", 0, "", summ},

	// economics and CO2
	"npv_eur":           {"VAN PV en toiture (installations des propriétaires)", "Rooftop PV NPV (owners' systems)", 0, "", summ | sortable},
	"npv_eur_p90":       {"VAN P90", "NPV P90", 0, "", summ},
	"npv_eur_p10":       {"VAN P10", "NPV P10", 0, "", summ},
	"irr_pct":           {"TRI PV", "PV IRR", 1, "", sortable},
	"payback_yr":        {"Temps de retour PV", "PV payback", 1, "", sortable},
	"lcoe_eur_kwh":      {"Coût actualisé (LCOE)", "Levelised cost (LCOE)", 3, "", sortable},
	"pv_investment_eur": {"Investissement PV", "PV investment", 0, "", summ},
	"ashp_npv_eur":      {"VAN PAC air/eau", "ASHP NPV", 0, "", summ},
	"gshp_npv_eur":      {"VAN PAC géothermique", "GSHP NPV", 0, "", summ},
	"co2_avoided_kg_yr": {"CO₂ évité", "CO₂ avoided", 0, "", summ | sortable},

	// area totals (communes and zones)
	"buildings":             {"Bâtiments", "Buildings", 0, "", summ},
	"heated_buildings":      {"Bâtiments chauffés", "Heated buildings", 0, "", summ},
	"parcels":               {"Parcelles", "Parcels", 0, "", summ},
	"aper_carparks":         {"Parcelles avec parking soumis à APER", "Parcels with an APER car park", 0, "", summ},
	"pv_specific_yield_q10": {"Productible spécifique, 10e centile", "Specific yield, 10th percentile", 0, "", 0},
	"pv_specific_yield_q50": {"Productible spécifique médian", "Median specific yield", 0, "", 0},
	"pv_specific_yield_q90": {"Productible spécifique, 90e centile", "Specific yield, 90th percentile", 0, "", 0},
	"pv_shading_loss_q50":   {"Pertes d'ombrage médianes", "Median shading loss", 1, "", 0},
	"ashp_sited_parcels":    {"Parcelles où une PAC air/eau est implantable", "Parcels where an ASHP fits", 0, "", summ},
	"gshp_parcels":          {"Parcelles avec au moins une sonde", "Parcels with at least one borehole", 0, "", summ},
	"pv_npv_eur":            {"Somme des VAN PV", "Sum of PV NPVs", 0, "", summ},
}

// tileColumns are the columns the vector tiles carry per layer: every
// indicator the web map colours or filters by (api/web/src/app.js
// INDICATORS and filters; heat-pump suitability is derived from
// ashp_siting_ok and gshp_boreholes) plus the ids the map needs to open a
// feature.
var tileColumns = map[string][]string{
	LayerParcels: {"parcel_id", "pv_kwp", "pv_kwh_yr", "pv_specific_yield_kwh_kwp", "pv_shading_loss_pct", "pv_class",
		"heat_demand_kwh_yr", "ashp_scop", "ashp_siting_ok", "gshp_boreholes", "ground_pv_kwp", "npv_eur", "payback_yr"},
	LayerBuildings: {"building_id", "parcel_id", "height_m", "roof_type", "pv_kwp", "pv_kwh_yr", "pv_specific_yield_kwh_kwp",
		"pv_shading_loss_pct", "heat_demand_kwh_yr", "ashp_scop"},
}

// layerSpec is a layer's storage description besides its columns.
type layerSpec struct {
	name, title, description, key, geom string
	columns                             []data.Column
}

var layerSpecs = []layerSpec{
	{LayerParcels, "Parcels", "Potential per cadastral parcel: rooftop PV, heat pumps, economics, uncertainty", "parcel_id", data.GeomMultiPolygon, columns(parcelFields)},
	{LayerBuildings, "Buildings", "Potential per building", "building_id", data.GeomMultiPolygon, columns(buildingFields)},
	{LayerRoofPlanes, "Roof planes", "Rooftop PV per roof plane (the part of the building footprint the plane covers)", "plane_id", data.GeomMultiPolygon, columns(planeFields)},
	{LayerCommunes, "Communes", "Totals per commune (outline when boundaries were given)", "commune_insee", data.GeomMultiPolygon, columns(areaFields("commune_insee"))},
	{LayerCarParks, "Car parks", "Car-park canopy potential and APER-law obligation", "carpark_id", data.GeomMultiPolygon, columns(carParkFields)},
	{LayerZones, "Zones", "Totals per zone of the zones layer", "zone_id", data.GeomMultiPolygon, columns(areaFields("zone_id"))},
}

var (
	schemaOnce sync.Once
	schema     data.Schema
	schemaErr  error
)

// Schema returns the layers a study writes (parcels, buildings,
// roof_planes, communes, carparks, zones) with every column's reading
// facts. Callers must not modify it.
func Schema() data.Schema {
	schemaOnce.Do(func() {
		for _, sp := range layerSpecs {
			l := data.Layer{Name: sp.name, Title: sp.title, Description: sp.description, GeomType: sp.geom,
				SRID: data.SRIDLambert93, Key: sp.key, Columns: make([]data.Column, len(sp.columns))}
			for i, c := range sp.columns {
				l.Columns[i] = describe(c)
			}
			for _, name := range tileColumns[sp.name] {
				if i := l.Index(name); i >= 0 {
					l.Columns[i].Flags |= data.InTiles
				} else if schemaErr == nil {
					schemaErr = fmt.Errorf("study schema: tile column %s is not in layer %s", name, sp.name)
				}
			}
			schema = append(schema, l)
		}
		if schemaErr == nil {
			schemaErr = schema.Validate()
		}
	})
	if schemaErr != nil { // a programming error, caught by the package tests
		panic(schemaErr)
	}
	return schema
}

// schemaLayer returns the schema of a layer the study writes.
func schemaLayer(name string) data.Layer {
	l, ok := Schema().Layer(name)
	if !ok {
		panic("study schema: no layer " + name)
	}
	return l
}

// describe adds the reading facts of c's name to c (a column without
// declared facts is left as it is; the tests require every column to have
// them).
func describe(c data.Column) data.Column {
	f, ok := columnFacts[c.Name]
	if !ok {
		return c
	}
	c.Label = data.Label{FR: f.fr, EN: f.en}
	c.Kind, c.Flags = f.kind, f.flags
	if c.Type == data.Real {
		c.Decimals = data.Decimals(f.d)
	}
	return c
}

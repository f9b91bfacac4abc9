// Labels of the web map, French (default) and English (?lang=en).
export const dict = {
  fr: {
    indicator: 'Indicateur', technology: 'Technologie', tech_all: 'Toutes', tech_pv: 'Photovoltaïque',
    tech_ashp: 'PAC air/eau', tech_gshp: 'PAC géothermique', min_yield: 'Productible min.', min_kwp: 'Puissance min.',
    search: 'Chercher', search_ph: 'Identifiant de parcelle', insee_ph: 'INSEE', commune_summary: 'Bilan communal',
    download_csv: 'Télécharger CSV', download_geojson: 'Télécharger GeoJSON', download_gpkg: 'Télécharger GeoPackage', unknown: 'inconnue', online_basemap: 'Fond de plan en ligne',
    ind_hp_suitability: 'Aptitude aux pompes à chaleur',
    hp_0: 'Aucune implantation favorable', hp_1: 'PAC air/eau seule', hp_2: 'PAC géothermique seule', hp_3: 'Géothermie et air/eau',
    zoom_in: 'Zoomez pour voir les parcelles', zoom_buildings: 'Zoomez pour voir les bâtiments',
    warnings: 'Avertissements de l\'étude', info: 'Informations',
    zoom_in_buildings: 'Étude sans parcelles : zoomez pour voir les bâtiments',
    no_data: 'Sans donnée', parcel: 'Parcelle', building: 'Bâtiment', commune: 'Commune', section: 'section',
    results: 'Résultats', monthly: 'Production mensuelle', assumptions: 'Hypothèses du scénario',
    loading: 'Chargement…', not_found: 'Introuvable :', error: 'Erreur', empty: 'Aucune parcelle dans la base',
    yes: 'oui', no: 'non', years: 'ans', months: 'J,F,M,A,M,J,J,A,S,O,N,D',
    attribution: 'gisement — cadastre DGFiP (Etalab), BDNB (CSTB)',
  },
  en: {
    indicator: 'Indicator', technology: 'Technology', tech_all: 'All', tech_pv: 'Solar PV',
    tech_ashp: 'Air-source heat pump', tech_gshp: 'Ground-source heat pump', min_yield: 'Min. yield', min_kwp: 'Min. power',
    search: 'Search', search_ph: 'Parcel id', insee_ph: 'INSEE', commune_summary: 'Commune summary',
    download_csv: 'Download CSV', download_geojson: 'Download GeoJSON', download_gpkg: 'Download GeoPackage', unknown: 'unknown', online_basemap: 'Online base map',
    ind_hp_suitability: 'Heat-pump suitability',
    hp_0: 'No favourable siting', hp_1: 'Air-source only', hp_2: 'Ground-source only', hp_3: 'Ground- and air-source',
    zoom_in: 'Zoom in to see the parcels', zoom_buildings: 'Zoom in to see the buildings',
    warnings: 'Warnings of the study', info: 'Information',
    zoom_in_buildings: 'Study without parcels: zoom in to see the buildings',
    no_data: 'No data', parcel: 'Parcel', building: 'Building', commune: 'Commune', section: 'section',
    results: 'Results', monthly: 'Monthly production', assumptions: 'Scenario assumptions',
    loading: 'Loading…', not_found: 'Not found:', error: 'Error', empty: 'No parcel in the store',
    yes: 'yes', no: 'no', years: 'yr', months: 'J,F,M,A,M,J,J,A,S,O,N,D',
    attribution: 'gisement — cadastre DGFiP (Etalab), BDNB (CSTB)',
  },
};

// Labels of the result columns: generated from the study's schema
// (model/study.Schema) by `go generate` into columns.js.
export { columns, codes, scales } from './columns.js';

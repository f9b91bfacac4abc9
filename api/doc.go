// Package api is gisement's HTTP API (echo v5): per-parcel and per-building
// results, bbox screening, commune and zone totals, Mapbox vector tiles,
// a PVGIS PVcalc-compatible endpoint answered offline, study jobs, health and
// Prometheus metrics.
//
// Conventions: geometries are GeoJSON in EPSG:4326 (lon, lat); energies in
// kWh, powers in kW/kWp, irradiation in kWh/m². Errors are RFC 7807
// application/problem+json naming the bad parameter. Every list is
// keyset-paginated (limit ≤ 1000). The OpenAPI 3 document (openapi.yaml,
// embedded) is served at /v1/openapi.json and validates every request, so the
// document and the code cannot drift.
//
// Handlers are thin: bind, validate, call the store or the solar core, write.
package api

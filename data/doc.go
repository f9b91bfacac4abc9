// Package data stores gisement study results and reads them back for the
// HTTP API and exports.
//
// A study result is a set of layers (roof planes, buildings, parcels, ...).
// Each layer is described generically by a [Layer]: a name, a geometry type,
// a spatial reference (EPSG:2154 Lambert-93 by default), a unique key column
// and typed, documented attribute [Column]s (unit and description, and the
// facts readers need: French and English labels, decimals for reading, a
// [Kind] and [Flags] such as summable, sortable, in tiles, left out of CSV).
// The study code declares its layers once as a [Schema]; readers of a store
// apply it with [Schema.Describe]. This package knows nothing of the
// model's structs. The one CSV writer is in data/export. A [Feature] carries a geometry in the layer's SRID and its values
// as a slice aligned with Layer.Columns.
//
// Two implementations of [Store] exist: data/gpkg (an OGC GeoPackage 1.3
// file, the embedded default, pure Go) and data/postgis (PostgreSQL +
// PostGIS, for production). Both give the same answers to the same [Query]
// (checked by the shared conformance test in data/storetest): what they
// share is written once (data/internal/sqlq: keyset paging plan, WHERE
// builder, metadata queries; CheckWrite; geometry blobs through geo/gpb).
// Clients walk the pages of a query with [Pages]. Coordinates are converted
// with geo/crs ([ToWGS84], [FromWGS84], [BoundFromWGS84]).
//
// Every layer table holds the rows of every study written to the store,
// tagged with a study_id column. Writing a study is atomic and replaces any
// earlier study with the same id. Read methods take a study id; "" means the
// most recent study (largest CreatedAt).
package data

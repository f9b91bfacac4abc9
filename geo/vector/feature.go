// Package vector reads vector layers (GeoJSON and GeoJSON.gz, ESRI Shapefile
// plain or zipped, GeoPackage) as a stream of features, detects their
// coordinate reference system (with geo/crs, which also projects them to
// Lambert-93).
//
// # Reading
//
// Open picks the format from the file content and extension and returns a
// *Reader; Reader.Next returns one Feature at a time and io.EOF after the
// last one. Nothing is held in memory beyond the current feature (GeoJSON is
// walked with encoding/json's token API up to the features array, whose
// features are read one at a time with jsontext, see geojson_fast.go;
// shapefiles and GeoPackages are read record by record), so a
// département-sized layer streams in constant memory.
//
// # Errors
//
// Next returns either a nil error, io.EOF, a *FeatureError or a fatal error:
//
//   - *FeatureError (errors.As) is NON-FATAL: one feature was rejected (bad
//     geometry, bad id, bad attribute). The returned Feature still carries its
//     Index, ID and whatever could be read (Geometry is nil when the geometry
//     was the problem). The caller counts it (FeatureError.Err wraps a
//     sentinel: ErrInvalidGeometry, ErrInvalidProperty, ...) and calls Next
//     again. IsFeatureError reports this case.
//   - any other error is FATAL (malformed or truncated file, I/O error,
//     CRS mismatch discovered late): the Reader is unusable afterwards and
//     every later Next returns the same error. Malformed JSON is reported as a
//     *SyntaxError with the byte offset and line.
//
// All errors name the file and wrap a sentinel usable with errors.Is:
// ErrMalformed, ErrInvalidGeometry, ErrInvalidProperty, ErrUnsupportedCRS,
// ErrCRSMismatch, ErrUnsupportedFormat, ErrNoLayer.
//
// # Coordinate reference systems
//
// The layer CRS (LayerInfo.EPSG) comes, in order of precedence, from
// OpenOptions.EPSG ("flag"), from the file ("declared": GeoJSON crs member,
// shapefile .prj, GeoPackage gpkg_spatial_ref_sys), from RFC 7946 for a GeoJSON
// without crs member ("assumed-rfc7946", EPSG:4326) or, for a shapefile
// without .prj, from the coordinate ranges ("detected-from-bounds", see
// crs.Detect). Whatever its origin, Open checks the layer's bounds (shapefile
// header, GeoPackage contents extent, else the first feature with a geometry)
// against the CRS with crs.CheckBounds and fails with ErrCRSMismatch when they do
// not fit (e.g. degrees in a layer whose .prj says Lambert-93). A GeoJSON
// without crs member whose first geometry is clearly in Lambert-93 metres is
// read as EPSG:2154 ("detected-from-bounds") rather than rejected.
// Supported CRSs: EPSG:4326 (WGS84 lon/lat), EPSG:4171 (RGF93 lon/lat),
// EPSG:2154 (Lambert-93), EPSG:3857 (Web Mercator). Projections (to
// Lambert-93 and back) are package geo/crs's.
package vector

import (
	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo/crs"
)

// EPSG codes this package understands (crs.Supported), for Info.EPSG and
// OpenOptions.EPSG.
const (
	EPSG4326 = crs.EPSG4326 // WGS84 longitude/latitude, degrees (orb points are [lon, lat])
	EPSG4171 = crs.EPSG4171 // RGF93 longitude/latitude, degrees (same as WGS84 to a few cm)
	EPSG2154 = crs.EPSG2154 // RGF93 / Lambert-93, metres (metropolitan France)
	EPSG3857 = crs.EPSG3857 // Web Mercator, metres
)

// Feature is one feature as read from a file, in the file's CRS.
type Feature struct {
	// Index is the 0-based position of the feature in its file.
	Index int
	// ID is the feature id when the format carries one ("id" member, fid), else "".
	ID string
	// Geometry in the layer's CRS; nil when the feature has none.
	Geometry orb.Geometry
	// Props holds the attributes: string, float64, int64, bool or nil.
	// GeoJSON numbers whose literal is integral (no '.', no exponent) and fit
	// in int64 are int64, other numbers float64; nested objects and arrays are
	// kept as their raw JSON text (string). Shapefile N fields without
	// decimals are int64 when they fit, F/N with decimals float64, L bool,
	// D string "YYYY-MM-DD"; GeoPackage INTEGER int64, REAL float64, TEXT
	// string, BLOB string.
	Props map[string]any
}

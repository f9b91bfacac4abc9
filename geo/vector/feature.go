// Package vector reads vector layers (GeoJSON and GeoJSON.gz, ESRI Shapefile
// plain or zipped, GeoPackage) as a stream of features, detects their
// coordinate reference system and projects them to Lambert-93.
package vector

import "github.com/paulmach/orb"

// EPSG codes this package understands.
const (
	EPSG4326 = 4326 // WGS84 longitude/latitude, degrees (orb points are [lon, lat])
	EPSG2154 = 2154 // RGF93 / Lambert-93, metres (metropolitan France)
	EPSG3857 = 3857 // Web Mercator, metres
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
	Props map[string]any
}

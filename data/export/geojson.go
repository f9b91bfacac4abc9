package export

import (
	"math"

	"github.com/gisement/gisement/data"
)

// Properties returns a feature's values by column name, as GeoJSON
// (`gisement export --format geojson`, the API's feature answers and
// summaries) carries them: a value that was not computed (NULL, NaN, ±Inf;
// the last two are not representable in JSON) is null, never 0.
func Properties(l data.Layer, f data.Feature) map[string]any {
	out := make(map[string]any, len(l.Columns))
	for i, c := range l.Columns {
		var v any
		if i < len(f.Values) {
			v = f.Values[i]
		}
		if x, ok := v.(float64); ok && (math.IsNaN(x) || math.IsInf(x, 0)) {
			v = nil
		}
		out[c.Name] = v
	}
	return out
}

// RoundedProperties is Properties with real values rounded to the decimals
// the schema declares for their column (data.Column.Round: the rounding of
// the csv-fr dialect), so that a GeoJSON or GeoPackage written for people
// shows the same figures as the French CSV; columns without declared
// decimals keep their full value.
func RoundedProperties(l data.Layer, f data.Feature) map[string]any {
	out := Properties(l, f)
	for _, c := range l.Columns {
		if x, ok := out[c.Name].(float64); ok && c.Decimals != nil {
			out[c.Name] = c.Round(x)
		}
	}
	return out
}

// RoundValues returns a copy of a feature's values rounded as
// RoundedProperties does (for writers that take values in column order,
// such as a GeoPackage).
func RoundValues(l data.Layer, values []any) []any {
	out := make([]any, len(values))
	for i, v := range values {
		if x, ok := v.(float64); ok && i < len(l.Columns) && l.Columns[i].Decimals != nil {
			v = l.Columns[i].Round(x)
		}
		out[i] = v
	}
	return out
}

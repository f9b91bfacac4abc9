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

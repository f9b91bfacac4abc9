package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// FuzzAttributeParsing: the lenient attribute parsers never panic and return
// finite values or "not found".
func FuzzAttributeParsing(f *testing.F) {
	for _, s := range []string{"12.5 m", "7,5", "", "-", "1e400", "1950-01-01", "3", "flat", "NaN", "+.5m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		props := map[string]any{"HAUTEUR": s, "date_app": s, "roof:shape": s}
		am := DefaultAttributeMap()
		if v, ok := lookupFloat(props, am.Height); ok && math.IsNaN(v) && s != "NaN" {
			t.Errorf("%q parsed to NaN", s)
		}
		if y := lookupYear(props, am.Year); y != 0 && (y < 1000 || y > 2100) {
			t.Errorf("year %d", y)
		}
		_ = roofTypeFromAttribute(s)
	})
}

// FuzzCleanPolygons: validation/repair never panics and what it keeps is a
// valid polygon with positive area.
func FuzzCleanPolygons(f *testing.F) {
	f.Add(0.0, 0.0, 10.0, 0.0, 10.0, 10.0, 0.0, 10.0, 5.0, 5.0)
	f.Add(0.0, 0.0, 10.0, 10.0, 10.0, 0.0, 0.0, 10.0, 0.0, 0.0)
	f.Add(0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 2.0, 2.0, math.NaN(), 1.0)
	f.Fuzz(func(t *testing.T, a, b, c, d, e, g, h, i, j, k float64) {
		r := orb.Ring{{a, b}, {c, d}, {e, g}, {h, i}, {j, k}}
		if checkCoordinates(orb.Polygon{r}, false) != nil {
			return
		}
		mp, _, err := cleanPolygons(orb.Polygon{r}, 0.01)
		if err != nil {
			return
		}
		if mpArea(mp) < 0.01 {
			t.Errorf("kept area %v", mpArea(mp))
		}
		if _, err := toSF(mp, true); err != nil {
			t.Errorf("kept invalid polygon %v: %v", mp, err)
		}
	})
}

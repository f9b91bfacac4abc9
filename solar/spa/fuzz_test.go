package spa

import (
	"math"
	"testing"
	"time"
)

// FuzzPosition: for any finite instant within ±3000 years of J2000 and any
// valid latitude/longitude, Position must not panic and must return angles in
// range (azimuth in [0, 360), zenith in [0, 180], incidence in [0, 180]).
// SPA has no parser; this guards the numerics the CLI exposes.
func FuzzPosition(f *testing.F) {
	f.Add(int64(1066419030), 39.742476, -105.1786, 1830.14, 30.0, -10.0)
	f.Add(int64(0), 90.0, 180.0, 0.0, 0.0, 0.0)
	f.Add(int64(-5e10), -90.0, -180.0, -400.0, 90.0, 180.0)
	f.Fuzz(func(t *testing.T, unix int64, lat, lon, elev, slope, rot float64) {
		if unix < -1e11 || unix > 3e10 || !(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180) ||
			!(elev >= -500 && elev <= 10000) || !(slope >= 0 && slope <= 180) || math.IsNaN(rot) || math.IsInf(rot, 0) {
			return
		}
		r := Position(time.Unix(unix, 0), lat, lon, Options{ElevationM: elev})
		if !(r.AzimuthDeg >= 0 && r.AzimuthDeg < 360) || !(r.ZenithDeg >= 0 && r.ZenithDeg <= 180) ||
			!(r.ApparentZenithDeg >= -1e-9 && r.ApparentZenithDeg <= 180) {
			t.Fatalf("out of range: az %v zen %v app %v", r.AzimuthDeg, r.ZenithDeg, r.ApparentZenithDeg)
		}
		if i := Incidence(r, slope, rot); !(i >= 0 && i <= 180) {
			t.Fatalf("incidence %v", i)
		}
		_ = RiseTransitSet(time.Unix(unix, 0).UTC(), lat, lon, Options{})
	})
}

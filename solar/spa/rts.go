package spa

import (
	"math"
	"time"
)

// DayKind says whether the sun rises and sets on a day.
type DayKind int

const (
	// Normal: the sun rises and sets.
	Normal DayKind = iota
	// PolarDay: the sun's centre stays above −(0.26667° + refraction) all day.
	PolarDay
	// PolarNight: the sun stays below that altitude all day.
	PolarNight
)

// SunEvents holds the sun transit, sunrise and sunset of one local day.
type SunEvents struct {
	Kind DayKind
	// Transit is the local solar noon (always set).
	Transit time.Time
	// Sunrise and Sunset are the instants the top of the solar disc crosses
	// the horizon with the given refraction; zero when Kind != Normal.
	Sunrise, Sunset time.Time
	// TransitElevationDeg is the geometric elevation at transit, °.
	TransitElevationDeg float64
}

// RiseTransitSet returns the sun transit, sunrise and sunset for the calendar
// date of day in day's location, following SPA report appendix A.2 and NREL's
// spa.c: geocentric α and δ at 0 h TT of the date −1, 0, +1 day are
// interpolated, the sidereal time at 0 h UT is used, and the altitude of
// rise/set is −(0.26667° + Options.AtmosRefractDeg). As in spa.c, the
// computation is for 0 h UT of the date and the resulting hours are expressed
// in the local UTC offset (taken at local noon) wrapped to [0, 24) h, so all
// three events fall on the requested local date. Parallax and the observer's
// elevation are neglected (as in SPA). One deliberate deviation from spa.c:
// day-to-day differences of α are wrapped to [−180°, 180°) rather than to
// [0, 1), which removes spa.c's glitch when α crosses 0° (around 20 March).
func RiseTransitSet(day time.Time, latDeg, lonDeg float64, o Options) SunEvents {
	loc := day.Location()
	y, mo, d := day.Date()
	_, offS := time.Date(y, mo, d, 12, 0, 0, 0, loc).Zone()
	t0 := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	ro := o.resolved()
	deltaT := o.deltaTFor(t0)

	var r Result
	position(&r, t0, 0, 0, ro, deltaT)
	nu := r.Intermediate.Nu
	var alpha, delta [3]float64
	for i := range 3 {
		position(&r, t0.AddDate(0, 0, i-1), 0, 0, ro, 0)
		alpha[i], delta[i] = r.Intermediate.Alpha, r.Intermediate.Delta
	}
	h0p := -(sunRadiusDeg + ro.AtmosRefractDeg)
	sinLat, cosLat := math.Sincos(latDeg * deg)

	// m: approximate day fractions (UT) of transit, rise, set.
	mT := (alpha[1] - lonDeg - nu) / 360
	var ev SunEvents
	arg := (math.Sin(h0p*deg) - sinLat*math.Sin(delta[1]*deg)) / (cosLat * math.Cos(delta[1]*deg))
	m := [3]float64{frac(mT), 0, 0}
	switch {
	case arg < -1:
		ev.Kind = PolarDay
	case arg > 1:
		ev.Kind = PolarNight
	case math.IsNaN(arg):
		ev.Kind = PolarNight
	default:
		h0 := math.Acos(arg) / deg
		m[1] = frac(mT - h0/360)
		m[2] = frac(mT + h0/360)
	}
	var hp, h, dp [3]float64
	n := 1
	if ev.Kind == Normal {
		n = 3
	}
	for i := range n {
		nui := nu + 360.985647*m[i]
		ni := m[i] + deltaT/86400
		ap := interpolate(alpha, ni, true)
		dp[i] = interpolate(delta, ni, false)
		hp[i] = limitDeg180pm(nui + lonDeg - ap)
		sd, cd := math.Sincos(dp[i] * deg)
		h[i] = math.Asin(sinLat*sd+cosLat*cd*math.Cos(hp[i]*deg)) / deg
	}
	midnight := t0.Add(-time.Duration(offS) * time.Second) // local midnight instant
	at := func(dayFrac float64) time.Time {
		hours := 24 * frac(dayFrac+float64(offS)/86400)
		return midnight.Add(time.Duration(math.Round(hours * 3600e9))).In(loc)
	}
	ev.Transit = at(m[0] - hp[0]/360)
	ev.TransitElevationDeg = h[0]
	if ev.Kind == Normal {
		for i := 1; i <= 2; i++ {
			f := m[i] + (h[i]-h0p)/(360*math.Cos(dp[i]*deg)*cosLat*math.Sin(hp[i]*deg))
			if i == 1 {
				ev.Sunrise = at(f)
			} else {
				ev.Sunset = at(f)
			}
		}
	}
	return ev
}

// frac reduces x to [0, 1).
func frac(x float64) float64 {
	x -= math.Floor(x)
	if x >= 1 {
		x = 0
	}
	return x
}

// interpolate evaluates the SPA report's eq. A.2 interpolation of v (values
// at day −1, 0, +1) at day fraction n; wrap treats v as angles in [0, 360).
func interpolate(v [3]float64, n float64, wrap bool) float64 {
	a, b := v[1]-v[0], v[2]-v[1]
	if wrap {
		a, b = limitDeg180pm(a), limitDeg180pm(b)
	}
	return v[1] + n*(a+b+(b-a)*n)/2
}

package solar

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/gisement/gisement/solar/spa"
	"github.com/gisement/gisement/solar/weather"
)

// SkyOptions control PrepareSky.
type SkyOptions struct {
	// Transposition is the sky-diffuse model (zero value: Perez).
	Transposition Transposition
	// Albedo is the ground reflectance (0–1); 0 means DefaultAlbedo (0.2)
	// unless AlbedoKnown is set.
	Albedo      float64
	AlbedoKnown bool
	// NoSunriseAdjust disables the sunrise/sunset-hour correction (see
	// PrepareSky).
	NoSunriseAdjust bool
}

// Sky is a weather series prepared once for fast per-plane simulation: for
// every interval with the sun above the horizon it holds the sun direction,
// the completed irradiance components, the plane-independent transposition
// coefficients, temperature and wind, in flat arrays.
type Sky struct {
	Source, Format             string
	LatDeg, LonDeg, ElevationM float64
	Transposition              Transposition
	Albedo                     float64
	// StepH is the interval length (hours); NRecords the series length.
	StepH    float64
	NRecords int
	// Completed counts sun-up records where an irradiance component was
	// derived (closure or Erbs); NoIrradiance counts sun-up records with no
	// usable irradiance (treated as 0 W/m²); DefaultedTemp and DefaultedWind
	// count sun-up records whose missing air temperature / wind were set to
	// 20 °C / 1 m/s (NOCT conditions).
	Completed, NoIrradiance, DefaultedTemp, DefaultedWind int

	rec          []int32 // record index of each kept step
	start        []time.Time
	month        []uint8 // 0–11, month of the representative instant (UTC)
	sx, sy, sz   []float64
	azDeg, elDeg []float64 // sun azimuth, apparent elevation (degrees)
	ghi, dni     []float64
	dhi          []float64
	f1, f2, invB []float64
	tempC, wind  []float64
}

// Len is the number of sun-up steps kept.
func (k *Sky) Len() int { return len(k.rec) }

// ErrNoSite is returned when the series has no usable site coordinates.
var ErrNoSite = errors.New("weather series has no site latitude/longitude")

// sunAt computes the sun position for a record at instant t.
func sunAt(t time.Time, lat, lon, elev float64, r *weather.Record) spa.Result {
	o := spa.Options{ElevationM: elev, PressureHPa: PressureFromAltitude(elev)}
	if !math.IsNaN(r.PressureHPa) && r.PressureHPa > 0 {
		o.PressureHPa = r.PressureHPa
	}
	if !math.IsNaN(r.TempAirC) {
		o.TempC, o.TempKnown = r.TempAirC, true
	}
	return spa.Position(t, lat, lon, o)
}

// representativeSun returns the sun position to use for record r and
// whether the sun is up during the interval. The sun is computed at
// Record.Sun. When Record.Sun is the interval midpoint and the sun rises or
// sets during the interval (and adjust is set), the position is taken at the
// midpoint of the part of the interval when the sun is up, as NREL SAM/
// PVWatts do for hourly averaged data (ssc irradproc, sunup codes 2/3); the
// crossing time is interpolated linearly in apparent elevation.
func representativeSun(r *weather.Record, stepH, lat, lon, elev float64, adjust bool) (spa.Result, bool) {
	mid := sunAt(r.Sun, lat, lon, elev, r)
	step := time.Duration(stepH * float64(time.Hour))
	isMid := step > 0 && absDur(r.Sun.Sub(r.Start.Add(step/2))) < time.Minute
	// The sun's elevation changes by at most 15°/h: far from the horizon
	// the whole interval is on one side.
	margin := 15*stepH/2 + 1
	if !adjust || !isMid || math.Abs(mid.ApparentElevationDeg) > margin {
		return mid, mid.ApparentElevationDeg > 0
	}
	end := r.Start.Add(step)
	e0 := sunAt(r.Start, lat, lon, elev, r).ApparentElevationDeg
	e1 := sunAt(end, lat, lon, elev, r).ApparentElevationDeg
	switch {
	case e0 > 0 && e1 > 0, e0 <= 0 && e1 <= 0:
		return mid, mid.ApparentElevationDeg > 0
	case e0 <= 0: // sunrise in the interval
		tr := r.Start.Add(time.Duration(float64(step) * (-e0) / (e1 - e0)))
		t := tr.Add(end.Sub(tr) / 2)
		p := sunAt(t, lat, lon, elev, r)
		return p, p.ApparentElevationDeg > 0
	default: // sunset
		ts := r.Start.Add(time.Duration(float64(step) * e0 / (e0 - e1)))
		t := r.Start.Add(ts.Sub(r.Start) / 2)
		p := sunAt(t, lat, lon, elev, r)
		return p, p.ApparentElevationDeg > 0
	}
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// PrepareSky computes, once per weather series, everything the per-plane
// simulation needs: for each record the sun position (NREL SPA at
// Record.Sun, site elevation, the record's pressure — or the standard
// atmosphere at the site elevation — and air temperature for refraction),
// keeping only intervals with the sun above the horizon (apparent
// elevation > 0 at the representative instant, see representativeSun);
// completed GHI/DNI/DHI (see Complete); DNI_extra (Spencer), relative
// airmass (Kasten–Young, apparent zenith); the Perez F1/F2 or Hay–Davies
// anisotropy index, which do not depend on the plane.
func PrepareSky(s *weather.Series, o SkyOptions) (*Sky, error) {
	if s == nil {
		return nil, errors.New("nil weather series")
	}
	if math.IsNaN(s.LatDeg) || math.IsNaN(s.LonDeg) || math.Abs(s.LatDeg) > 90 || math.Abs(s.LonDeg) > 180 {
		return nil, fmt.Errorf("%s: %w", s.Source, ErrNoSite)
	}
	elev := s.ElevationM
	if math.IsNaN(elev) {
		elev = 0
	}
	step := s.StepH
	if !(step > 0) {
		step = 1
	}
	alb := o.Albedo
	if alb == 0 && !o.AlbedoKnown {
		alb = DefaultAlbedo
	}
	if !(alb >= 0 && alb <= 1) {
		return nil, fmt.Errorf("albedo %g not in [0, 1]", alb)
	}
	switch o.Transposition {
	case Perez, HayDavies, Isotropic:
	default:
		return nil, fmt.Errorf("unknown transposition %v", o.Transposition)
	}
	k := &Sky{Source: s.Source, Format: s.Format, LatDeg: s.LatDeg, LonDeg: s.LonDeg, ElevationM: elev,
		Transposition: o.Transposition, Albedo: alb, StepH: step, NRecords: len(s.Records)}
	n := len(s.Records)/2 + 16
	k.rec = make([]int32, 0, n)
	k.month = make([]uint8, 0, n)
	for _, p := range []*[]float64{&k.sx, &k.sy, &k.sz, &k.azDeg, &k.elDeg, &k.ghi, &k.dni, &k.dhi, &k.f1, &k.f2, &k.invB, &k.tempC, &k.wind} {
		*p = make([]float64, 0, n)
	}
	for i := range s.Records {
		r := &s.Records[i]
		pos, up := representativeSun(r, step, s.LatDeg, s.LonDeg, elev, !o.NoSunriseAdjust)
		if !up {
			continue
		}
		z := pos.ApparentZenithDeg
		extra := ExtraRadiationAt(r.Sun)
		ghi, dni, dhi, ok := completeComponents(r.GHIWm2, r.DNIWm2, r.DHIWm2, z, extra)
		if !ok {
			k.NoIrradiance++
			ghi, dni, dhi = 0, 0, 0
		} else if math.IsNaN(r.GHIWm2) || math.IsNaN(r.DNIWm2) || math.IsNaN(r.DHIWm2) {
			k.Completed++
		}
		ghi, dni, dhi = math.Max(ghi, 0), math.Max(dni, 0), math.Max(dhi, 0)
		e, nn, u := unitVector(z, pos.AzimuthDeg)
		var f1, f2, invB float64
		switch o.Transposition {
		case Perez:
			am := RelativeAirmass(z)
			if a, b, ok := PerezCoefficients(dhi, dni, extra, z, am); ok {
				f1, f2 = a, b
			}
			invB = 1 / math.Max(u, cos85)
		case HayDavies:
			f1 = math.Min(dni/extra, 1)
			invB = 1 / math.Max(u, 0.01745)
		}
		t, w := r.TempAirC, r.WindMS
		if math.IsNaN(t) {
			t = 20
			k.DefaultedTemp++
		}
		if math.IsNaN(w) {
			w = 1
			k.DefaultedWind++
		}
		k.rec = append(k.rec, int32(i))
		k.start = append(k.start, r.Start)
		k.month = append(k.month, uint8(r.Sun.UTC().Add(time.Duration(s.UTCOffsetH*float64(time.Hour))).Month()-1))
		k.sx, k.sy, k.sz = append(k.sx, e), append(k.sy, nn), append(k.sz, u)
		k.azDeg, k.elDeg = append(k.azDeg, pos.AzimuthDeg), append(k.elDeg, pos.ApparentElevationDeg)
		k.ghi, k.dni, k.dhi = append(k.ghi, ghi), append(k.dni, dni), append(k.dhi, dhi)
		k.f1, k.f2, k.invB = append(k.f1, f1), append(k.f2, f2), append(k.invB, invB)
		k.tempC, k.wind = append(k.tempC, t), append(k.wind, w)
	}
	return k, nil
}

// Complete fills, in place, the missing (NaN) irradiance components of every
// record of s from the sun position (NREL SPA at Record.Sun, apparent
// zenith): GHI = DNI·cos z + DHI when GHI is missing, DNI = (GHI−DHI)/cos z
// (0 below cos z = 0.065), DHI = GHI − DNI·cos z, and with GHI alone the Erbs
// decomposition. Night records (sun below the horizon) get DNI = 0 and
// DHI = GHI (or 0). It returns the number of records changed.
func Complete(s *weather.Series) (int, error) {
	if s == nil {
		return 0, errors.New("nil weather series")
	}
	if math.IsNaN(s.LatDeg) || math.IsNaN(s.LonDeg) {
		return 0, fmt.Errorf("%s: %w", s.Source, ErrNoSite)
	}
	elev := s.ElevationM
	if math.IsNaN(elev) {
		elev = 0
	}
	changed := 0
	for i := range s.Records {
		r := &s.Records[i]
		if !math.IsNaN(r.GHIWm2) && !math.IsNaN(r.DNIWm2) && !math.IsNaN(r.DHIWm2) {
			continue
		}
		pos := sunAt(r.Sun, s.LatDeg, s.LonDeg, elev, r)
		ghi, dni, dhi, ok := completeComponents(r.GHIWm2, r.DNIWm2, r.DHIWm2, pos.ApparentZenithDeg, ExtraRadiationAt(r.Sun))
		if !ok {
			continue
		}
		if pos.ApparentZenithDeg >= 90 {
			dni = 0
			if math.IsNaN(r.DHIWm2) {
				dhi = math.Max(ghi, 0)
			}
		}
		r.GHIWm2, r.DNIWm2, r.DHIWm2 = ghi, dni, dhi
		changed++
	}
	return changed, nil
}

package heat

import (
	"fmt"
	"math"
)

// HoursPerYear is the length of the normalised year, h (365 days).
const HoursPerYear = 8760.0

// checkTemps validates a temperature series and its step.
func checkTemps(tempC []float64, stepH float64) error {
	if !(stepH > 0 && stepH <= 24) || math.Abs(24/stepH-math.Round(24/stepH)) > 1e-9 {
		return fmt.Errorf("%w: time step %g h must divide 24 h", ErrHeatInput, stepH)
	}
	if len(tempC) == 0 {
		return fmt.Errorf("%w: empty temperature series", ErrHeatInput)
	}
	for i, t := range tempC {
		if math.IsNaN(t) || t < -80 || t > 70 {
			return fmt.Errorf("%w: temperature[%d] = %g °C is missing or out of range", ErrHeatInput, i, t)
		}
	}
	return nil
}

// HDDHourly returns heating degree-days per year, K·day/yr, by the hourly
// (degree-hour) method: HDD = Σ_h max(0, base − T_h)·Δt / 24, scaled to a
// 365-day year by 8760 h / (n·Δt) so that leap or partial years compare.
// tempC are interval-mean air temperatures, °C, at step stepH hours.
//
// The hourly method counts a mild day with a cold night, which the daily
// method below partly misses; it is the quantity the degree-hour demand
// profile of the heat-pump model uses.
func HDDHourly(tempC []float64, stepH, baseC float64) (float64, error) {
	if err := checkTemps(tempC, stepH); err != nil {
		return 0, err
	}
	s := 0.0
	for _, t := range tempC {
		if t < baseC {
			s += baseC - t
		}
	}
	return s * stepH / 24 * HoursPerYear / (float64(len(tempC)) * stepH), nil
}

// HDDDaily returns heating degree-days per year, K·day/yr, by the French
// "DJU" daily method (Météo-France "méthode météo", as defined in ADEME Base
// Carbone "Corrections climatiques"): for each day, DJU = max(0, base −
// (Tmin + Tmax)/2), summed over the year and scaled to 365 days. Days are
// consecutive blocks of 24/stepH records from the start of the series (the
// series should start at 00:00 local time; EPW files do); a trailing partial
// day is ignored. Unlike ADEME's heating-season sum (1 October – 20 May),
// this sums the whole year; the difference is small in France (summer days
// with a mean below 18 °C).
func HDDDaily(tempC []float64, stepH, baseC float64) (float64, error) {
	if err := checkTemps(tempC, stepH); err != nil {
		return 0, err
	}
	per := int(math.Round(24 / stepH))
	days := len(tempC) / per
	if days == 0 {
		return 0, fmt.Errorf("%w: series shorter than one day", ErrHeatInput)
	}
	s := 0.0
	for d := 0; d < days; d++ {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, t := range tempC[d*per : (d+1)*per] {
			lo = math.Min(lo, t)
			hi = math.Max(hi, t)
		}
		if m := (lo + hi) / 2; m < baseC {
			s += baseC - m
		}
	}
	return s * 365 / float64(days), nil
}

// dailyMeans returns, for each record, the mean temperature of the day
// (block of 24/stepH records) that holds it; a trailing partial day uses its
// own mean.
func dailyMeans(tempC []float64, stepH float64) []float64 {
	per := int(math.Round(24 / stepH))
	out := make([]float64, len(tempC))
	for start := 0; start < len(tempC); start += per {
		end := min(start+per, len(tempC))
		m := 0.0
		for _, t := range tempC[start:end] {
			m += t
		}
		m /= float64(end - start)
		for i := start; i < end; i++ {
			out[i] = m
		}
	}
	return out
}

// Package weather reads hourly weather and irradiance years (EnergyPlus EPW,
// PVGIS TMY and seriescalc, NREL PVWatts 8760 output, a generic CSV) into one
// Series whose records carry the instant at which the sun position must be
// computed for each interval.
//
// Time conventions differ between formats; each reader documents and applies
// its own so that callers never have to:
//   - EPW: hour h is the interval ending at h:00 local standard time; the sun
//     is computed at the interval midpoint (h−0.5).
//   - PVGIS TMY/seriescalc: UTC stamps (HH:MM) of the interval start;
//     "Irradiance Time Offset" is applied when present.
//   - PVWatts 8760: hour = interval start in local standard time.
//   - generic CSV: time = start of an hourly interval in RFC 3339 with offset;
//     sun at the interval midpoint.
//
// Irradiances are W/m², temperatures °C, wind m/s. A component absent from the
// file is NaN; solar.Complete derives it (GHI = DNI·cos z + DHI, or Erbs).
package weather

import "time"

// Series is one weather year (or any hourly series) at one location.
type Series struct {
	// Source is the file the series was read from (for error messages and reports).
	Source string
	// Format names the reader that produced the series (e.g. "epw", "pvgis-tmy-csv").
	Format string
	// LatDeg and LonDeg are the site coordinates in degrees (WGS84, east positive);
	// ElevationM is metres above sea level. NaN when the file does not give them.
	LatDeg, LonDeg, ElevationM float64
	// UTCOffsetH is the file's local standard time offset from UTC in hours,
	// informational (records are already in UTC).
	UTCOffsetH float64
	// StepH is the interval length in hours (1 for hourly files).
	StepH   float64
	Records []Record
}

// Record is one interval of weather.
type Record struct {
	// Start is the start of the interval, UTC.
	Start time.Time
	// Sun is the representative instant at which to compute the sun position
	// (usually the interval midpoint), UTC.
	Sun time.Time
	// GHIWm2, DNIWm2, DHIWm2: global horizontal, direct normal and diffuse
	// horizontal irradiance, W/m² (mean over the interval). NaN if absent.
	GHIWm2, DNIWm2, DHIWm2 float64
	// TempAirC is the dry-bulb air temperature, °C; WindMS the wind speed at
	// 10 m, m/s; PressureHPa the station pressure, hPa (NaN if absent).
	TempAirC, WindMS, PressureHPa float64
}

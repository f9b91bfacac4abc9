// Package weather reads hourly weather and irradiance years (EnergyPlus EPW,
// PVGIS TMY and seriescalc, NREL PVWatts 8760 output, a generic CSV) into one
// Series whose records carry the instant at which the sun position must be
// computed for each interval.
//
// Time conventions differ between formats; each reader documents and applies
// its own so that callers never have to:
//   - EPW: hour h is the interval ending at h:00 local standard time; the sun
//     is computed at the interval midpoint (h−0.5).
//   - PVGIS TMY/seriescalc: UTC stamps; Start = HH:00 UTC and Sun = HH:00 +
//     "Irradiance Time Offset" when the file (or Options) gives it, else the
//     stamp HH:MM as written (seriescalc writes the instant, e.g. HH:10).
//   - PVWatts 8760: hour = interval start in local standard time.
//   - generic CSV: time = start of an hourly interval in RFC 3339 with offset;
//     sun at the interval midpoint.
//
// Typical years (EPW TMYx, PVGIS TMY, PVWatts TMY output) mix calendar years
// month by month; their records are placed on the fixed non-leap
// ReferenceYear (1990, the default coerce_year of pvlib's PVGIS TMY reader)
// keeping month, day and hour, so that the series is monotonic.
//
// Irradiances are W/m², temperatures °C, wind m/s. A component absent from the
// file is NaN; solar.Complete derives it (GHI = DNI·cos z + DHI, or Erbs).
//
// Readers validate at the boundary: a bad value, a missing column, a time
// going backwards or jumping, a truncated file is a *ParseError naming the
// file, the line (or JSON record) and the field, wrapping one of the sentinel
// errors (ErrNotANumber, ErrOutOfRange, ...) for errors.Is. Nothing is
// skipped silently: values replaced by NaN (EPW missing-value codes) or
// clamped (tiny negative irradiances) are counted in Series.Missing and
// Series.ClampedNegative.
package weather

import "time"

// Series is one weather year (or any hourly series) at one location.
type Series struct {
	// Source is the file the series was read from (for error messages and reports).
	Source string
	// Format names the reader that produced the series (one of the Format*
	// constants, e.g. "epw", "pvgis-tmy-csv").
	Format string
	// Site is the station or site name when the file gives one ("" otherwise).
	Site string
	// LatDeg and LonDeg are the site coordinates in degrees (WGS84, east positive);
	// ElevationM is metres above sea level. NaN when the file does not give them.
	LatDeg, LonDeg, ElevationM float64
	// UTCOffsetH is the file's local standard time offset from UTC in hours,
	// informational (records are already in UTC). 0 for UTC formats (PVGIS).
	UTCOffsetH float64
	// StepH is the interval length in hours (1 for hourly files).
	StepH   float64
	Records []Record

	// TypicalYear is true when the records were placed on ReferenceYear
	// (typical meteorological year mixing calendar years).
	TypicalYear bool
	// IrradianceTimeOffsetH is the offset applied from the interval start to
	// the instant the irradiance refers to (Record.Sun − Record.Start, hours):
	// 0.5 for interval means, PVGIS's "Irradiance Time Offset" for PVGIS files.
	IrradianceTimeOffsetH float64
	// PlaneTiltDeg and PlaneAzimuthDeg describe the plane of the in-plane
	// (POA) columns and PV output in the file: tilt from horizontal, azimuth
	// clockwise from north (180 = south; PVGIS's aspect 0 = south is
	// converted). NaN when the file does not give them (or for trackers).
	PlaneTiltDeg, PlaneAzimuthDeg float64
	// Mounting is the PVGIS mounting system or PVWatts array type when given
	// ("fixed", "two_axis", "Fixed (roof mount)", ...).
	Mounting string
	// PeakPowerKW is the nominal PV power of the simulated system in the
	// file (PVGIS peak_power, PVWatts DC System Size), NaN when absent.
	PeakPowerKW float64
	// IgnoredColumns lists the columns present in the file that the reader
	// does not load (e.g. RH, IR(h), WD10m, Int).
	IgnoredColumns []string
	// Missing counts, per field, values flagged as missing by the format
	// (EPW missing-value codes) and stored as NaN.
	Missing map[string]int
	// ClampedNegative counts irradiance values in [−NegativeToleranceWm2, 0)
	// that were set to 0 (sensor/model noise at night, PVGIS writes "-0.0").
	ClampedNegative int
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

	// In-plane (plane of array) irradiance given by the file, W/m², NaN when
	// absent: global, beam, sky diffuse, ground-reflected. The plane is
	// Series.PlaneTiltDeg / PlaneAzimuthDeg.
	POAGlobalWm2, POABeamWm2, POADiffuseWm2, POAGroundWm2 float64
	// SunHeightDeg is the sun elevation the file's producer used (PVGIS
	// H_sun), degrees, NaN when absent.
	SunHeightDeg float64
	// PowerW is the PV system output computed by PVGIS ("P", "PV_power"), W,
	// NaN when absent.
	PowerW float64
	// CellTempC, DCW, ACW: PVWatts cell temperature (°C), DC array output (W)
	// and AC system output (W), NaN when absent.
	CellTempC, DCW, ACW float64
}

package weather

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// pos locates a value: a line of a text file or a record of a JSON array.
type pos struct {
	file   string
	line   int
	record int
}

func (p pos) err(field string, sentinel error, format string, args ...any) *ParseError {
	e := errf(p.file, p.line, field, sentinel, format, args...)
	e.Record = p.record
	return e
}

// num parses a finite float (NaN and ±Inf are rejected).
func (p pos) num(field, s string) (float64, error) {
	t := strings.TrimSpace(s)
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		if len(t) > 40 {
			t = t[:40] + "…"
		}
		return 0, p.err(field, ErrNotANumber, "%q", t)
	}
	return v, nil
}

// integer parses a whole number in [lo, hi].
func (p pos) integer(field, s string, lo, hi int) (int, error) {
	t := strings.TrimSpace(s)
	v, err := strconv.Atoi(t)
	if err != nil {
		if len(t) > 40 {
			t = t[:40] + "…"
		}
		return 0, p.err(field, ErrNotANumber, "%q", t)
	}
	if v < lo || v > hi {
		return 0, p.err(field, ErrOutOfRange, "%d outside [%d, %d]", v, lo, hi)
	}
	return v, nil
}

// irradiance validates an irradiance in W/m²: values in
// [−NegativeToleranceWm2, 0) become 0 and are counted in s.ClampedNegative.
func (p pos) irradiance(s *Series, field string, v float64) (float64, error) {
	if v < -NegativeToleranceWm2 {
		return 0, p.err(field, ErrOutOfRange, "negative irradiance %g W/m² (tolerance %g)", v, NegativeToleranceWm2)
	}
	if v > MaxIrradianceWm2 {
		return 0, p.err(field, ErrOutOfRange, "irradiance %g W/m² above %g", v, MaxIrradianceWm2)
	}
	if v < 0 {
		s.ClampedNegative++
		return 0, nil
	}
	return v, nil
}

func (p pos) irrField(s *Series, field, text string) (float64, error) {
	v, err := p.num(field, text)
	if err != nil {
		return 0, err
	}
	return p.irradiance(s, field, v)
}

func (p pos) temperature(field string, v float64) (float64, error) {
	if v < minTempC || v > maxTempC {
		return 0, p.err(field, ErrOutOfRange, "temperature %g °C outside [%g, %g]", v, minTempC, maxTempC)
	}
	return v, nil
}

func (p pos) wind(field string, v float64) (float64, error) {
	if v < 0 || v > maxWindMS {
		return 0, p.err(field, ErrOutOfRange, "wind speed %g m/s outside [0, %g]", v, maxWindMS)
	}
	return v, nil
}

func (p pos) pressure(field string, hPa float64) (float64, error) {
	if hPa < minPressureHPa || hPa > maxPressureHPa {
		return 0, p.err(field, ErrOutOfRange, "pressure %g hPa outside [%g, %g]", hPa, minPressureHPa, maxPressureHPa)
	}
	return hPa, nil
}

// newRecord returns a record with every value NaN.
func newRecord() Record {
	n := math.NaN()
	return Record{
		GHIWm2: n, DNIWm2: n, DHIWm2: n, TempAirC: n, WindMS: n, PressureHPa: n,
		POAGlobalWm2: n, POABeamWm2: n, POADiffuseWm2: n, POAGroundWm2: n,
		SunHeightDeg: n, PowerW: n, CellTempC: n, DCW: n, ACW: n,
	}
}

// newSeries returns a series with unknown (NaN) site and plane.
func newSeries(name, format string) *Series {
	n := math.NaN()
	return &Series{
		Source: name, Format: format, LatDeg: n, LonDeg: n, ElevationM: n,
		StepH: 1, PlaneTiltDeg: n, PlaneAzimuthDeg: n, PeakPowerKW: n,
	}
}

// appendRecord adds r after checking that it starts exactly one step after
// the previous record.
func (p pos) appendRecord(s *Series, field string, r Record) error {
	if n := len(s.Records); n > 0 {
		prev := s.Records[n-1].Start
		step := time.Duration(s.StepH * float64(time.Hour))
		if !r.Start.After(prev) {
			return p.err(field, ErrNonMonotonicTime, "interval start %s not after previous %s", r.Start.Format(time.RFC3339), prev.Format(time.RFC3339))
		}
		if d := r.Start.Sub(prev); d != step {
			return p.err(field, ErrTimeGap, "interval start %s is %s after previous %s, want %s", r.Start.Format(time.RFC3339), d, prev.Format(time.RFC3339), step)
		}
	}
	s.Records = append(s.Records, r)
	return nil
}

// checkDate validates a calendar date (time.Date would normalise 31 Feb silently).
func (p pos) checkDate(field string, year, month, day int) error {
	if month < 1 || month > 12 {
		return p.err(field, ErrOutOfRange, "month %d outside [1, 12]", month)
	}
	if dim := daysIn(year, month); day < 1 || day > dim {
		if month == 2 && day == 29 {
			return p.err(field, ErrOutOfRange, "29 February does not exist in %d (typical years are placed on the non-leap ReferenceYear %d)", year, ReferenceYear)
		}
		return p.err(field, ErrOutOfRange, "day %d outside [1, %d] for month %d", day, dim, month)
	}
	return nil
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// fixedZone returns the zone UTC+offsetH (fractional hours allowed).
func fixedZone(offsetH float64) *time.Location {
	return time.FixedZone("", int(math.Round(offsetH*3600)))
}

// checkUTCOffset validates a time-zone offset in hours.
func (p pos) checkUTCOffset(field string, h float64) error {
	if h < -12 || h > 14 {
		return p.err(field, ErrOutOfRange, "UTC offset %g h outside [-12, 14]", h)
	}
	return nil
}

// leadingNumber parses the number at the start of s ("30 deg." → 30).
func leadingNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	end := 0
	for end < len(s) && strings.IndexByte("+-.0123456789eE", s[end]) >= 0 {
		end++
	}
	v, err := strconv.ParseFloat(s[:end], 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// pvgisAspectToAzimuth converts PVGIS's aspect (0 = south, 90 = west,
// −90 = east) to our azimuth (clockwise from north, 180 = south), in [0, 360).
func pvgisAspectToAzimuth(aspectDeg float64) float64 {
	a := math.Mod(aspectDeg+180, 360)
	if a < 0 {
		a += 360
	}
	return a
}

func (s *Series) countMissing(field string) {
	if s.Missing == nil {
		s.Missing = map[string]int{}
	}
	s.Missing[field]++
}

package weather

import (
	"bufio"
	"math"
	"strconv"
	"strings"
	"time"
)

// EPW (EnergyPlus weather, "EnergyPlus Weather File (EPW) Data Dictionary",
// EnergyPlus Auxiliary Programs, ch. 2):
//
//   - 8 header lines: LOCATION, DESIGN CONDITIONS, TYPICAL/EXTREME PERIODS,
//     GROUND TEMPERATURES, HOLIDAYS/DAYLIGHT SAVINGS, COMMENTS 1, COMMENTS 2,
//     DATA PERIODS. LOCATION gives latitude (N+), longitude (E+), time zone
//     (hours from UTC, standard time) and elevation (m).
//   - data rows: year, month, day, hour 1–24, minute, flags, then (1-based
//     columns) 7 dry-bulb °C, 10 station pressure Pa, 14 GHI, 15 DNI,
//     16 DHI (Wh/m² over the hour = mean W/m²), 22 wind speed m/s.
//
// Time convention: hour h is the interval ENDING at h:00 local standard time
// (no daylight saving), so Start = (h−1):00 LST converted to UTC and Sun =
// Start + 30 min (interval midpoint). Typical years (TMY/TMYx) take each
// month from a different calendar year: when the year column is not
// constant, records are placed on ReferenceYear (non-leap) keeping month,
// day and hour; a file with a single year (actual meteorological year) keeps
// it, leap day included.
//
// Missing values: the data dictionary marks a value "missing" when it is ≥
// its \missing code (dry bulb 99.9, pressure 999999, GHI/DNI/DHI 9999, wind
// speed 999). Such values become NaN and are counted in Series.Missing; the
// caller decides (solar.Complete derives one missing irradiance component).
// Anything else outside the dictionary's physical range is an error.
//
// Only one data period with one record per hour is supported (sub-hourly
// EPW is ErrUnsupported). The records must cover exactly the DATA PERIODS
// start and end dates, hourly without gap.

const (
	epwColYear     = 0
	epwColMonth    = 1
	epwColDay      = 2
	epwColHour     = 3
	epwColDryBulb  = 6
	epwColPressure = 9
	epwColGHI      = 13
	epwColDNI      = 14
	epwColDHI      = 15
	epwColWind     = 21
	epwMinFields   = 22
)

var epwHeaderKeys = [8]string{"LOCATION", "DESIGN CONDITIONS", "TYPICAL/EXTREME PERIODS",
	"GROUND TEMPERATURES", "HOLIDAYS/DAYLIGHT SAVINGS", "COMMENTS 1", "COMMENTS 2", "DATA PERIODS"}

type epwStamp struct {
	year, month, day, hour int
	line                   int
}

func readEPW(br *bufio.Reader, name string, o Options) (*Series, error) {
	s := newSeries(name, FormatEPW)
	lr := newLineReader(br, name)
	var startM, startD, endM, endD int
	for i, key := range epwHeaderKeys {
		if !lr.next() {
			if err := lr.Err(); err != nil {
				return nil, err
			}
			return nil, errf(name, i+1, key, ErrTruncated, "file ends in the 8-line EPW header")
		}
		if !strings.HasPrefix(lr.text, key) {
			return nil, lr.fieldErr(key, ErrMissingColumn, "header line %d should start with %q", i+1, key)
		}
		p := pos{file: name, line: lr.line}
		switch i {
		case 0:
			f := strings.Split(lr.text, ",")
			if len(f) < 10 {
				return nil, lr.fieldErr(key, ErrFieldCount, "%d fields, want 10", len(f))
			}
			s.Site = strings.TrimSpace(f[1])
			var err error
			if s.LatDeg, err = p.num("latitude", f[6]); err != nil {
				return nil, err
			}
			if s.LonDeg, err = p.num("longitude", f[7]); err != nil {
				return nil, err
			}
			if s.UTCOffsetH, err = p.num("time zone", f[8]); err != nil {
				return nil, err
			}
			if s.ElevationM, err = p.num("elevation", f[9]); err != nil {
				return nil, err
			}
			if err := checkSite(name, lr.line, s.LatDeg, s.LonDeg, s.ElevationM); err != nil {
				return nil, err
			}
			if err := p.checkUTCOffset("time zone", s.UTCOffsetH); err != nil {
				return nil, err
			}
		case 7:
			f := strings.Split(lr.text, ",")
			if len(f) < 7 {
				return nil, lr.fieldErr(key, ErrFieldCount, "%d fields, want 7", len(f))
			}
			n, err := p.integer("number of data periods", f[1], 0, 1<<20)
			if err != nil {
				return nil, err
			}
			if n != 1 {
				return nil, lr.fieldErr("number of data periods", ErrUnsupported, "%d data periods (only 1 is supported)", n)
			}
			perHour, err := p.integer("records per hour", f[2], 0, 1<<20)
			if err != nil {
				return nil, err
			}
			if perHour != 1 {
				return nil, lr.fieldErr("records per hour", ErrUnsupported, "%d records per hour (only hourly EPW is supported)", perHour)
			}
			if startM, startD, err = p.monthDay("data period start", f[5]); err != nil {
				return nil, err
			}
			if endM, endD, err = p.monthDay("data period end", f[6]); err != nil {
				return nil, err
			}
		}
	}
	if o.UTCOffsetH != nil {
		s.UTCOffsetH = *o.UTCOffsetH
		if err := (pos{file: name}).checkUTCOffset("UTCOffsetH", s.UTCOffsetH); err != nil {
			return nil, err
		}
	}

	// Preallocate the hours of the declared period (leap-year calendar, ≤ 8784).
	hours := 24 * (1 + int(time.Date(2000, time.Month(endM), endD, 0, 0, 0, 0, time.UTC).Sub(
		time.Date(2000, time.Month(startM), startD, 0, 0, 0, 0, time.UTC)).Hours()/24))
	hours = max(24, min(hours, 8784))
	stamps := make([]epwStamp, 0, hours)
	s.Records = make([]Record, 0, hours)
	nFields := 0
	var f []string
	for lr.next() {
		p := pos{file: name, line: lr.line}
		if strings.TrimSpace(lr.text) == "" {
			return nil, lr.fieldErr("", ErrFieldCount, "blank line in the data block")
		}
		f = splitInto(f[:0], lr.text)
		if nFields == 0 {
			if len(f) < epwMinFields {
				if err := lr.rowCount(len(f), 35); err != nil {
					return nil, err
				}
			}
			nFields = len(f)
		}
		if err := lr.rowCount(len(f), nFields); err != nil {
			return nil, err
		}
		var st epwStamp
		var err error
		st.line = lr.line
		if st.year, err = p.integer("year", f[epwColYear], 1, 9999); err != nil {
			return nil, err
		}
		if st.month, err = p.integer("month", f[epwColMonth], 1, 12); err != nil {
			return nil, err
		}
		if st.day, err = p.integer("day", f[epwColDay], 1, 31); err != nil {
			return nil, err
		}
		if st.hour, err = p.integer("hour", f[epwColHour], 1, 24); err != nil {
			return nil, err
		}
		r := newRecord()
		if r.TempAirC, err = p.epwValue(s, "dry bulb temperature", f[epwColDryBulb], 99.9, -70, 70); err != nil {
			return nil, err
		}
		pa, err := p.epwValue(s, "atmospheric pressure", f[epwColPressure], 999999, 31000, 120000)
		if err != nil {
			return nil, err
		}
		r.PressureHPa = pa / 100
		for _, c := range [...]struct {
			field string
			col   int
			dst   *float64
		}{{"GHI", epwColGHI, &r.GHIWm2}, {"DNI", epwColDNI, &r.DNIWm2}, {"DHI", epwColDHI, &r.DHIWm2}} {
			v, err := p.num(c.field, f[c.col])
			if err != nil {
				return nil, err
			}
			if v >= 9999 {
				s.countMissing(c.field)
				*c.dst = math.NaN()
				continue
			}
			if *c.dst, err = p.irradiance(s, c.field, v); err != nil {
				return nil, err
			}
		}
		if r.WindMS, err = p.epwValue(s, "wind speed", f[epwColWind], 999, 0, 40); err != nil {
			return nil, err
		}
		stamps = append(stamps, st)
		s.Records = append(s.Records, r)
	}
	if err := lr.Err(); err != nil {
		return nil, err
	}
	if len(stamps) == 0 {
		return nil, errf(name, lr.line, "", ErrTruncated, "no data rows after the EPW header")
	}

	year := stamps[0].year
	for _, st := range stamps {
		if st.year != year {
			s.TypicalYear = true
			year = ReferenceYear
			break
		}
	}
	zone := fixedZone(s.UTCOffsetH)
	recs := s.Records
	s.Records = recs[:0]
	s.IrradianceTimeOffsetH = 0.5
	for i, st := range stamps {
		p := pos{file: name, line: st.line}
		if err := p.checkDate("day", year, st.month, st.day); err != nil {
			return nil, err
		}
		r := recs[i]
		r.Start = time.Date(year, time.Month(st.month), st.day, st.hour-1, 0, 0, 0, zone).UTC()
		r.Sun = r.Start.Add(30 * time.Minute)
		if err := p.appendRecord(s, "hour", r); err != nil {
			return nil, err
		}
	}
	first, last := stamps[0], stamps[len(stamps)-1]
	if first.month != startM || first.day != startD || first.hour != 1 {
		return nil, errf(name, first.line, "hour", ErrOutOfRange, "first record %d/%d hour %d, but DATA PERIODS starts %d/%d (hour 1)", first.month, first.day, first.hour, startM, startD)
	}
	if last.month != endM || last.day != endD || last.hour != 24 {
		return nil, errf(name, last.line, "hour", ErrTruncated, "last record %d/%d hour %d, but DATA PERIODS ends %d/%d (hour 24)", last.month, last.day, last.hour, endM, endD)
	}
	return s, nil
}

// epwValue parses an EPW value with its missing code (v ≥ missing → NaN,
// counted) and its data-dictionary range [lo, hi].
func (p pos) epwValue(s *Series, field, text string, missing, lo, hi float64) (float64, error) {
	v, err := p.num(field, text)
	if err != nil {
		return 0, err
	}
	if v >= missing {
		s.countMissing(field)
		return math.NaN(), nil
	}
	if v < lo || v > hi {
		return 0, p.err(field, ErrOutOfRange, "%g outside [%g, %g] (EPW data dictionary)", v, lo, hi)
	}
	return v, nil
}

// monthDay parses an EPW header date "M/D" (spaces allowed: "1/ 1").
func (p pos) monthDay(field, s string) (int, int, error) {
	ms, ds, ok := strings.Cut(s, "/")
	if !ok {
		return 0, 0, p.err(field, ErrNotANumber, "%q (want month/day)", strings.TrimSpace(s))
	}
	m, err1 := strconv.Atoi(strings.TrimSpace(ms))
	d, err2 := strconv.Atoi(strings.TrimSpace(ds))
	if err1 != nil || err2 != nil {
		return 0, 0, p.err(field, ErrNotANumber, "%q (want month/day)", strings.TrimSpace(s))
	}
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, 0, p.err(field, ErrOutOfRange, "%d/%d is not a date", m, d)
	}
	return m, d, nil
}

// splitInto splits a comma-separated line into dst (reused to avoid allocations).
func splitInto(dst []string, line string) []string {
	for {
		i := strings.IndexByte(line, ',')
		if i < 0 {
			return append(dst, strings.TrimRight(line, "\r"))
		}
		dst = append(dst, line[:i])
		line = line[i+1:]
	}
}

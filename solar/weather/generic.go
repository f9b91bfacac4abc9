package weather

import (
	"bufio"
	"strings"
	"time"
)

// Generic hourly CSV, for data from any other source:
//
//	time,ghi,dni,dhi,temp_air,wind_speed
//	2022-06-21T12:00:00+02:00,850.5,700,150,24.1,3.2
//
// Column names are case-insensitive and in any order; other columns are
// ignored and listed in Series.IgnoredColumns. Units: W/m², °C, m/s (wind at
// 10 m). time is the START of an hourly interval in RFC 3339 with an offset
// (or Z); records must be consecutive hours. Sun = Start + 30 min. Any one of
// ghi, dni, dhi may be absent or empty (NaN, derived later by
// solar.Complete); two missing on a row (or two absent columns) is an error
// naming them. temp_air and wind_speed are required. The file has no site:
// Options.LatDeg and LonDeg are required, ElevationM defaults to 0.

var genericIrrColumns = [3]string{"ghi", "dni", "dhi"}

func readGeneric(br *bufio.Reader, name string, o Options) (*Series, error) {
	s := newSeries(name, FormatGenericCSV)
	s.IrradianceTimeOffsetH = 0.5
	if o.LatDeg == nil || o.LonDeg == nil {
		return nil, errf(name, 0, "latitude", ErrMissingColumn, "a generic CSV has no site: Options.LatDeg and Options.LonDeg are required")
	}
	s.ElevationM = 0
	lr := newLineReader(br, name)
	if !lr.next() {
		if err := lr.Err(); err != nil {
			return nil, err
		}
		return nil, errf(name, 1, "time", ErrTruncated, "empty file")
	}
	header := splitHeader(strings.TrimRight(lr.text, "\r"))
	idx := map[string]int{}
	for i, c := range header {
		if _, dup := idx[c]; dup {
			return nil, lr.fieldErr(c, ErrFieldCount, "column %q appears twice", c)
		}
		idx[c] = i
		switch c {
		case "time", "ghi", "dni", "dhi", "temp_air", "wind_speed":
		default:
			s.IgnoredColumns = append(s.IgnoredColumns, c)
		}
	}
	for _, c := range []string{"time", "temp_air", "wind_speed"} {
		if _, ok := idx[c]; !ok {
			return nil, lr.fieldErr(c, ErrMissingColumn, "header lacks %q (want time,ghi,dni,dhi,temp_air,wind_speed)", c)
		}
	}
	var absent []string
	for _, c := range genericIrrColumns {
		if _, ok := idx[c]; !ok {
			absent = append(absent, c)
		}
	}
	if len(absent) > 1 {
		return nil, lr.fieldErr(strings.Join(absent, ","), ErrMissingColumn, "columns %s absent: at least two of ghi, dni, dhi are needed", strings.Join(absent, " and "))
	}
	blankLine := 0
	var f []string
	for lr.next() {
		p := pos{file: name, line: lr.line}
		if strings.TrimSpace(lr.text) == "" {
			if blankLine == 0 {
				blankLine = lr.line
			}
			continue
		}
		if blankLine != 0 {
			return nil, errf(name, blankLine, "", ErrFieldCount, "blank line inside the data")
		}
		f = splitInto(f[:0], lr.text)
		if err := lr.rowCount(len(f), len(header)); err != nil {
			return nil, err
		}
		ts := strings.TrimSpace(f[idx["time"]])
		t, err := time.Parse(time.RFC3339, ts)
		if err != nil {
			return nil, p.err("time", ErrNotANumber, "%q (want RFC 3339 with offset, e.g. 2022-06-21T12:00:00+02:00)", truncate(ts))
		}
		r := newRecord()
		r.Start = t.UTC()
		r.Sun = r.Start.Add(30 * time.Minute)
		if len(s.Records) == 0 {
			_, off := t.Zone()
			s.UTCOffsetH = float64(off) / 3600
		}
		var empty []string
		for _, c := range genericIrrColumns {
			i, ok := idx[c]
			if !ok {
				continue
			}
			if strings.TrimSpace(f[i]) == "" {
				empty = append(empty, c)
				continue
			}
			v, err := p.irrField(s, c, f[i])
			if err != nil {
				return nil, err
			}
			switch c {
			case "ghi":
				r.GHIWm2 = v
			case "dni":
				r.DNIWm2 = v
			case "dhi":
				r.DHIWm2 = v
			}
		}
		if len(empty)+len(absent) > 1 {
			miss := append(append([]string{}, absent...), empty...)
			return nil, p.err(strings.Join(miss, ","), ErrMissingColumn, "%s missing: at least two of ghi, dni, dhi are needed", strings.Join(miss, " and "))
		}
		v, err := p.num("temp_air", f[idx["temp_air"]])
		if err != nil {
			return nil, err
		}
		if r.TempAirC, err = p.temperature("temp_air", v); err != nil {
			return nil, err
		}
		if v, err = p.num("wind_speed", f[idx["wind_speed"]]); err != nil {
			return nil, err
		}
		if r.WindMS, err = p.wind("wind_speed", v); err != nil {
			return nil, err
		}
		if err := p.appendRecord(s, "time", r); err != nil {
			return nil, err
		}
	}
	if err := lr.Err(); err != nil {
		return nil, err
	}
	if len(s.Records) == 0 {
		return nil, errf(name, lr.line, "", ErrTruncated, "no data rows after the header")
	}
	return s, nil
}

package weather

import (
	"bufio"
	"encoding/csv"
	"math"
	"strings"
	"time"
)

// NREL PVWatts (v5/v6/v8 web calculator) hourly output CSV:
//
//	PVWatts: Hourly PV Performance Data,,,
//	Location:,"Lat, Lon: 39.73, -105.18",,,       (signed, east positive)
//	Lat (deg N):,39.73,,
//	Long (deg W):,105.18,,                        (WEST positive)
//	Elev (m):,1819.599976,,
//	DC System Size (kW):,4,, / Array Type: / Array Tilt (deg): / Array Azimuth (deg):
//	Month,Day,Hour,Beam Irradiance (W/m^2),Diffuse Irradiance (W/m^2),
//	  Ambient Temperature (C),Wind Speed (m/s),Plane of Array Irradiance (W/m^2),
//	  Cell Temperature (C),DC Array Output (W),AC System Output (W)
//	1,1,0,0,0,-17,3,0,-17,0,0                     8760 rows
//	Totals, , ,2041421,...                        end of data (required)
//
// Time convention: Hour 0–23 is the START of the hourly interval in local
// standard time (PVWatts runs on TMY data whose hour h, ending at h:00, it
// writes as h−1). The file has no year and no time zone: records are
// placed on ReferenceYear, and the standard offset is taken as
// round(lon/15) h (Denver −105.18° → UTC−7, its true standard offset)
// unless Options.UTCOffsetH is given. Sun = Start + 30 min.
//
// Beam Irradiance is DNI and Diffuse Irradiance is DHI; the file has no GHI
// (NaN; solar.Complete derives it). The POA, cell temperature, DC and AC
// columns go to POAGlobalWm2, CellTempC, DCW and ACW for comparisons.
// Longitude: when the "Location:" line gives signed coordinates they are
// used (and must match |Long (deg W)|); otherwise lon = −Long (deg W).
// Array Azimuth is already clockwise from north (180 = south).

var pvwattsColumns = map[string]pvgisColumn{
	"Beam Irradiance (W/m^2)":           pcDNI,
	"Diffuse Irradiance (W/m^2)":        pcDHI,
	"Ambient Temperature (C)":           pcTemp,
	"Wind Speed (m/s)":                  pcWind,
	"Plane of Array Irradiance (W/m^2)": pcPOAGlobal,
}

const (
	pwCellTemp pvgisColumn = 100 + iota
	pwDC
	pwAC
)

func readPVWatts(br *bufio.Reader, name string, o Options) (*Series, error) {
	s := newSeries(name, FormatPVWatts)
	s.TypicalYear = true
	s.IrradianceTimeOffsetH = 0.5
	lr := newLineReader(br, name)
	longW, locLat, locLon := math.NaN(), math.NaN(), math.NaN()
	var header []string
	for header == nil {
		if !lr.next() {
			if err := lr.Err(); err != nil {
				return nil, err
			}
			return nil, errf(name, lr.line, "Month", ErrTruncated, "no PVWatts column header (Month,Day,Hour,...) found")
		}
		line := strings.TrimRight(lr.text, "\r")
		if strings.HasPrefix(line, "Month,Day,Hour") {
			header = strings.Split(line, ",")
			break
		}
		if lr.line == 1 && !strings.HasPrefix(line, "PVWatts:") {
			return nil, lr.fieldErr("", ErrUnknownFormat, "first line does not start with \"PVWatts:\"")
		}
		// Metadata lines may quote values holding commas: parse with encoding/csv.
		cr := csv.NewReader(strings.NewReader(line))
		cr.FieldsPerRecord = -1
		cr.LazyQuotes = true
		rec, err := cr.Read()
		if err != nil || len(rec) < 2 {
			continue
		}
		p := pos{file: name, line: lr.line}
		key, val := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
		var dst *float64
		switch key {
		case "Lat (deg N):":
			dst = &s.LatDeg
		case "Long (deg W):":
			dst = &longW
		case "Elev (m):":
			dst = &s.ElevationM
		case "DC System Size (kW):":
			dst = &s.PeakPowerKW
		case "Array Tilt (deg):":
			dst = &s.PlaneTiltDeg
		case "Array Azimuth (deg):":
			dst = &s.PlaneAzimuthDeg
		case "Array Type:":
			s.Mounting = val
		case "Requested Location:":
			s.Site = val
		case "Location:":
			if rest, ok := strings.CutPrefix(val, "Lat, Lon:"); ok {
				la, lo, ok := strings.Cut(rest, ",")
				if !ok {
					return nil, p.err(key, ErrNotANumber, "%q (want \"Lat, Lon: <lat>, <lon>\")", val)
				}
				var err error
				if locLat, err = p.num(key, la); err != nil {
					return nil, err
				}
				if locLon, err = p.num(key, lo); err != nil {
					return nil, err
				}
			}
		}
		if dst != nil {
			v, err := p.num(key, val)
			if err != nil {
				return nil, err
			}
			*dst = v
		}
	}
	hp := pos{file: name, line: lr.line}
	switch {
	case math.IsNaN(s.LatDeg) && math.IsNaN(locLat):
		return nil, hp.err("Lat (deg N):", ErrMissingColumn, "PVWatts metadata line absent before the header")
	case math.IsNaN(s.LatDeg):
		s.LatDeg = locLat
	}
	switch {
	case !math.IsNaN(locLon):
		if !math.IsNaN(longW) && math.Abs(math.Abs(locLon)-math.Abs(longW)) > 0.01 {
			return nil, hp.err("Long (deg W):", ErrOutOfRange, "|%g| disagrees with the Location line longitude %g", longW, locLon)
		}
		s.LonDeg = locLon
	case !math.IsNaN(longW):
		s.LonDeg = -longW
	default:
		return nil, hp.err("Long (deg W):", ErrMissingColumn, "PVWatts metadata line absent before the header")
	}
	if err := checkSite(name, 0, s.LatDeg, s.LonDeg, s.ElevationM); err != nil {
		return nil, err
	}
	if !math.IsNaN(s.PlaneTiltDeg) && (s.PlaneTiltDeg < 0 || s.PlaneTiltDeg > 90) {
		return nil, errf(name, 0, "Array Tilt (deg):", ErrOutOfRange, "%g° outside [0, 90]", s.PlaneTiltDeg)
	}
	if !math.IsNaN(s.PlaneAzimuthDeg) && (s.PlaneAzimuthDeg < 0 || s.PlaneAzimuthDeg > 360) {
		return nil, errf(name, 0, "Array Azimuth (deg):", ErrOutOfRange, "%g° outside [0, 360]", s.PlaneAzimuthDeg)
	}
	s.UTCOffsetH = math.Round(s.LonDeg / 15)
	if o.UTCOffsetH != nil {
		s.UTCOffsetH = *o.UTCOffsetH
		if err := (pos{file: name}).checkUTCOffset("UTCOffsetH", s.UTCOffsetH); err != nil {
			return nil, err
		}
	}
	zone := fixedZone(s.UTCOffsetH)

	kinds := make([]pvgisColumn, len(header))
	seen := map[string]bool{}
	for i, c := range header {
		c = strings.TrimSpace(c)
		header[i] = c
		if seen[c] {
			return nil, hp.err(c, ErrFieldCount, "column %q appears twice", c)
		}
		seen[c] = true
		if k, ok := pvwattsColumns[c]; ok {
			kinds[i] = k
			continue
		}
		switch c {
		case "Month", "Day", "Hour":
		case "Cell Temperature (C)":
			kinds[i] = pwCellTemp
		case "DC Array Output (W)":
			kinds[i] = pwDC
		case "AC System Output (W)":
			kinds[i] = pwAC
		default:
			s.IgnoredColumns = append(s.IgnoredColumns, c)
		}
	}
	for _, c := range []string{"Month", "Day", "Hour", "Beam Irradiance (W/m^2)", "Diffuse Irradiance (W/m^2)", "Ambient Temperature (C)", "Wind Speed (m/s)"} {
		if !seen[c] {
			return nil, hp.err(c, ErrMissingColumn, "PVWatts header lacks %q", c)
		}
	}
	// Month, Day, Hour are the first three columns (checked by the prefix above).
	layout := &pvgisLayout{kinds: kinds}
	totals := false
	var f []string
	for lr.next() {
		p := pos{file: name, line: lr.line}
		if strings.HasPrefix(lr.text, "Totals") {
			totals = true
			break
		}
		f = splitInto(f[:0], lr.text)
		if err := lr.rowCount(len(f), len(header)); err != nil {
			return nil, err
		}
		mo, err := p.integer("Month", f[0], 1, 12)
		if err != nil {
			return nil, err
		}
		d, err := p.integer("Day", f[1], 1, 31)
		if err != nil {
			return nil, err
		}
		h, err := p.integer("Hour", f[2], 0, 23)
		if err != nil {
			return nil, err
		}
		if err := p.checkDate("Day", ReferenceYear, mo, d); err != nil {
			return nil, err
		}
		r := newRecord()
		r.Start = time.Date(ReferenceYear, time.Month(mo), d, h, 0, 0, 0, zone).UTC()
		r.Sun = r.Start.Add(30 * time.Minute)
		for i := 3; i < len(f); i++ {
			switch kinds[i] {
			case pwCellTemp, pwDC, pwAC:
				v, err := p.num(header[i], f[i])
				if err != nil {
					return nil, err
				}
				switch kinds[i] {
				case pwCellTemp:
					if v < minTempC || v > 150 {
						return nil, p.err(header[i], ErrOutOfRange, "cell temperature %g °C outside [%g, 150]", v, minTempC)
					}
					r.CellTempC = v
				case pwDC:
					r.DCW = v
				case pwAC:
					r.ACW = v
				}
			default:
				if err := layout.setValue(s, p, &r, kinds[i], header[i], f[i]); err != nil {
					return nil, err
				}
			}
		}
		if err := p.appendRecord(s, "Hour", r); err != nil {
			return nil, err
		}
	}
	if err := lr.Err(); err != nil {
		return nil, err
	}
	if !totals {
		return nil, errf(name, lr.line, "", ErrTruncated, "no \"Totals\" row after %d data rows (PVWatts always writes one)", len(s.Records))
	}
	if len(s.Records) == 0 {
		return nil, errf(name, lr.line, "", ErrTruncated, "no data rows before the Totals row")
	}
	return s, nil
}

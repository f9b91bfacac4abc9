package weather

import (
	"bufio"
	"math"
	"strings"
	"time"
)

// PVGIS CSV output (PVGIS 5.x non-interactive service, tools "tmy" and
// "seriescalc"; https://joint-research-centre.ec.europa.eu/pvgis-online-tool):
//
//	Latitude (decimal degrees): 45.000        metadata, "key: value"
//	Longitude (decimal degrees): 8.000
//	Elevation (m): 250.0
//	Irradiance Time Offset (h): 0.1761        (files since Dec 2024)
//	month,year / 1,2018 ...                   (TMY only)
//	Slope: 30 deg. / Azimuth: 0 deg.          (seriescalc only)
//	time(UTC),T2m,RH,G(h),Gb(n),Gd(h),...     TMY header
//	time,Gb(i),Gd(i),Gr(i),H_sun,T2m,...      seriescalc header (or P, G(i))
//	20180101:0000,2.04,...                    data, YYYYMMDD:HHMM in UTC
//	(blank line)                              then a legend footer
//
// Time convention. PVGIS stamps are UTC. The satellite (SARAH) irradiance
// of an hour is an instantaneous sample taken a few minutes after HH:00
// (the SEVIRI scan reaches a latitude some minutes after the slot start);
// ERA5 irradiance is an hourly mean centred on HH:30. Seriescalc writes the
// instant in the minutes of the stamp (HH:10 in the fixtures); TMY files
// write HH:00 and, since December 2024, give the instant as "Irradiance
// Time Offset (h)" (JSON inputs.location.irradiance_time_offset), to be
// added to the stamp for the solar position (SunSolve documentation "Using
// PVGIS weather data": t_effective = t_timestamp + irradiance_time_offset;
// PVGIS issue pvgis-x#326 on the SEVIRI scan-time shift). We therefore set
//
//	Start = HH:00 UTC (the hour the value stands for; PVGIS itself treats
//	        each value as the power of the whole hour when summing energy),
//	Sun   = HH:00 + offset when the offset is known (file or
//	        Options.IrradianceTimeOffsetH), else the stamp HH:MM as written.
//
// Sun must fall inside [Start, Start+1h). Older TMY files without the
// offset therefore get Sun = HH:00; pass Options.IrradianceTimeOffsetH
// (≈0.17 h for SARAH in France, 0.5 for ERA5) to correct them.
//
// TMY records are placed on ReferenceYear (the file mixes years month by
// month) and must number 8760; seriescalc records keep their years and must
// be followed by the footer (its absence means a truncated file).
// Seriescalc in-plane columns go to the POA fields; PVGIS's azimuth (aspect,
// 0 = south, 90 = west) is converted to ours (180 = south). When the plane
// is horizontal (slope 0), GHI = Gb(i)+Gd(i)+Gr(i) (or G(i)), DHI = Gd(i),
// DNI stays NaN.

// pvgisColumn says where a PVGIS column goes.
type pvgisColumn int

const (
	pcIgnore pvgisColumn = iota
	pcTemp
	pcGHI
	pcDNI
	pcDHI
	pcWind
	pcPressurePa
	pcPOAGlobal
	pcPOABeam
	pcPOADiffuse
	pcPOAGround
	pcSunHeight
	pcPower
)

var pvgisColumns = map[string]pvgisColumn{
	"T2m": pcTemp, "G(h)": pcGHI, "Gb(n)": pcDNI, "Gd(h)": pcDHI, "WS10m": pcWind, "SP": pcPressurePa,
	"G(i)": pcPOAGlobal, "Gb(i)": pcPOABeam, "Gd(i)": pcPOADiffuse, "Gr(i)": pcPOAGround,
	"H_sun": pcSunHeight, "P": pcPower,
}

// pvgisLayout maps a header to column kinds and checks the required ones.
type pvgisLayout struct {
	kinds []pvgisColumn
	has   map[pvgisColumn]bool
}

func newPVGISLayout(cols []string, tmy bool, p pos) (*pvgisLayout, []string, error) {
	l := &pvgisLayout{kinds: make([]pvgisColumn, len(cols)), has: map[pvgisColumn]bool{}}
	var ignored []string
	seen := map[string]bool{}
	for i, c := range cols {
		if i == 0 {
			continue
		}
		if seen[c] {
			return nil, nil, p.err(c, ErrFieldCount, "column %q appears twice", c)
		}
		seen[c] = true
		k, ok := pvgisColumns[c]
		if !ok {
			ignored = append(ignored, c)
			continue
		}
		l.kinds[i] = k
		l.has[k] = true
	}
	required := []string{"T2m", "WS10m"}
	if tmy {
		required = append(required, "G(h)", "Gb(n)", "Gd(h)")
	} else if seen["Gb(i)"] {
		required = append(required, "Gd(i)", "Gr(i)")
	}
	for _, c := range required {
		if !seen[c] {
			return nil, nil, p.err(c, ErrMissingColumn, "PVGIS header lacks %q", c)
		}
	}
	if !tmy && !seen["P"] && !seen["G(i)"] && !seen["Gb(i)"] {
		return nil, nil, p.err("G(i)", ErrMissingColumn, "PVGIS seriescalc header has none of P, G(i), Gb(i)")
	}
	return l, ignored, nil
}

// setValue parses one PVGIS value into r.
func (l *pvgisLayout) setValue(s *Series, p pos, r *Record, k pvgisColumn, field, text string) error {
	if k == pcIgnore {
		return nil
	}
	v, err := p.num(field, text)
	if err != nil {
		return err
	}
	switch k {
	case pcTemp:
		r.TempAirC, err = p.temperature(field, v)
	case pcWind:
		r.WindMS, err = p.wind(field, v)
	case pcPressurePa:
		r.PressureHPa, err = p.pressure(field, v/100)
	case pcSunHeight:
		if v < -90 || v > 90 {
			err = p.err(field, ErrOutOfRange, "sun height %g° outside [-90, 90]", v)
		}
		r.SunHeightDeg = v
	case pcPower:
		r.PowerW = v
	default:
		var dst *float64
		switch k {
		case pcGHI:
			dst = &r.GHIWm2
		case pcDNI:
			dst = &r.DNIWm2
		case pcDHI:
			dst = &r.DHIWm2
		case pcPOAGlobal:
			dst = &r.POAGlobalWm2
		case pcPOABeam:
			dst = &r.POABeamWm2
		case pcPOADiffuse:
			dst = &r.POADiffuseWm2
		case pcPOAGround:
			dst = &r.POAGroundWm2
		}
		*dst, err = p.irradiance(s, field, v)
	}
	return err
}

// pvgisTime parses "YYYYMMDD:HHMM" (UTC). With typical, the year is
// replaced by ReferenceYear. It returns the hour start and the stamp.
func (p pos) pvgisTime(field, text string, typical bool) (start, stamp time.Time, err error) {
	t := strings.TrimSpace(text)
	if len(t) != 13 || t[8] != ':' {
		return start, stamp, p.err(field, ErrNotANumber, "%q (want YYYYMMDD:HHMM)", t)
	}
	var y, mo, d, h, mi int
	for _, x := range [...]struct {
		dst    *int
		s      string
		name   string
		lo, hi int
	}{{&y, t[0:4], "year", 1, 9999}, {&mo, t[4:6], "month", 1, 12}, {&d, t[6:8], "day", 1, 31}, {&h, t[9:11], "hour", 0, 23}, {&mi, t[11:13], "minute", 0, 59}} {
		v := 0
		for _, c := range []byte(x.s) {
			if c < '0' || c > '9' {
				return start, stamp, p.err(field, ErrNotANumber, "%q (want YYYYMMDD:HHMM)", t)
			}
			v = v*10 + int(c-'0')
		}
		if v < x.lo || v > x.hi {
			return start, stamp, p.err(field, ErrOutOfRange, "%s %d outside [%d, %d] in %q", x.name, v, x.lo, x.hi, t)
		}
		*x.dst = v
	}
	if typical {
		y = ReferenceYear
	}
	if err := p.checkDate(field, y, mo, d); err != nil {
		return start, stamp, err
	}
	start = time.Date(y, time.Month(mo), d, h, 0, 0, 0, time.UTC)
	return start, start.Add(time.Duration(mi) * time.Minute), nil
}

// sunInstant applies the PVGIS time convention (see above).
func (p pos) sunInstant(field string, start, stamp time.Time, offsetH float64) (time.Time, error) {
	sun := stamp
	if !math.IsNaN(offsetH) {
		sun = start.Add(time.Duration(math.Round(offsetH * float64(time.Hour))))
	}
	if sun.Before(start) || !sun.Before(start.Add(time.Hour)) {
		return sun, p.err(field, ErrOutOfRange, "irradiance instant %s outside its hour starting %s", sun.Format(time.RFC3339), start.Format(time.RFC3339))
	}
	return sun, nil
}

// fillHorizontal fills GHI/DHI from in-plane values when the plane is horizontal.
func fillHorizontal(s *Series) {
	if s.PlaneTiltDeg != 0 {
		return
	}
	for i := range s.Records {
		r := &s.Records[i]
		switch {
		case !math.IsNaN(r.POABeamWm2):
			gr := r.POAGroundWm2
			if math.IsNaN(gr) {
				gr = 0
			}
			r.GHIWm2 = r.POABeamWm2 + r.POADiffuseWm2 + gr
			r.DHIWm2 = r.POADiffuseWm2
		case !math.IsNaN(r.POAGlobalWm2):
			r.GHIWm2 = r.POAGlobalWm2
		}
	}
}

func readPVGISCSV(br *bufio.Reader, name string, o Options, format string) (*Series, error) {
	s := newSeries(name, format)
	lr := newLineReader(br, name)
	offsetH := math.NaN()
	var header []string
	for header == nil {
		if !lr.next() {
			if err := lr.Err(); err != nil {
				return nil, err
			}
			return nil, errf(name, lr.line, "time", ErrTruncated, "no PVGIS column header (time(UTC),... or time,...) found")
		}
		p := pos{file: name, line: lr.line}
		line := strings.TrimRight(lr.text, "\r")
		if strings.HasPrefix(line, "time(UTC),") || strings.HasPrefix(line, "time,") {
			header = strings.Split(line, ",")
			for i := range header {
				header[i] = strings.TrimSpace(header[i])
			}
			break
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue // blank line, "month,year" block
		}
		key = strings.TrimSpace(key)
		var dst *float64
		switch key {
		case "Latitude (decimal degrees)":
			dst = &s.LatDeg
		case "Longitude (decimal degrees)":
			dst = &s.LonDeg
		case "Elevation (m)":
			dst = &s.ElevationM
		case "Irradiance Time Offset (h)":
			dst = &offsetH
		case "Slope":
			v, ok := leadingNumber(val)
			if !ok {
				return nil, p.err(key, ErrNotANumber, "%q", strings.TrimSpace(val))
			}
			if v < 0 || v > 90 {
				return nil, p.err(key, ErrOutOfRange, "slope %g° outside [0, 90]", v)
			}
			s.PlaneTiltDeg = v
			continue
		case "Azimuth":
			v, ok := leadingNumber(val)
			if !ok {
				return nil, p.err(key, ErrNotANumber, "%q", strings.TrimSpace(val))
			}
			if v < -180 || v > 180 {
				return nil, p.err(key, ErrOutOfRange, "PVGIS azimuth %g° outside [-180, 180]", v)
			}
			s.PlaneAzimuthDeg = pvgisAspectToAzimuth(v)
			continue
		default:
			continue
		}
		v, err := p.num(key, val)
		if err != nil {
			return nil, err
		}
		*dst = v
	}
	tmy := header[0] == "time(UTC)"
	if got := map[bool]string{true: FormatPVGISTMYCSV, false: FormatPVGISSeriescalcCSV}[tmy]; got != format {
		return nil, errf(name, lr.line, header[0], ErrUnknownFormat, "header %q is %s, not the requested %s", header[0], got, format)
	}
	s.TypicalYear = tmy
	if tmy {
		s.Records = make([]Record, 0, 8760)
	}
	hp := pos{file: name, line: lr.line}
	if math.IsNaN(s.LatDeg) {
		return nil, hp.err("Latitude (decimal degrees)", ErrMissingColumn, "PVGIS metadata line absent before the header")
	}
	if math.IsNaN(s.LonDeg) {
		return nil, hp.err("Longitude (decimal degrees)", ErrMissingColumn, "PVGIS metadata line absent before the header")
	}
	if err := checkSite(name, 0, s.LatDeg, s.LonDeg, s.ElevationM); err != nil {
		return nil, err
	}
	if o.IrradianceTimeOffsetH != nil {
		offsetH = *o.IrradianceTimeOffsetH
	}
	layout, ignored, err := newPVGISLayout(header, tmy, hp)
	if err != nil {
		return nil, err
	}
	s.IgnoredColumns = ignored
	ended := false
	var f []string
	for lr.next() {
		p := pos{file: name, line: lr.line}
		if strings.TrimSpace(lr.text) == "" {
			ended = true
			break
		}
		f = splitInto(f[:0], lr.text)
		if err := lr.rowCount(len(f), len(header)); err != nil {
			return nil, err
		}
		start, stamp, err := p.pvgisTime(header[0], f[0], tmy)
		if err != nil {
			return nil, err
		}
		r := newRecord()
		r.Start = start
		if r.Sun, err = p.sunInstant(header[0], start, stamp, offsetH); err != nil {
			return nil, err
		}
		for i := 1; i < len(f); i++ {
			if err := layout.setValue(s, p, &r, layout.kinds[i], header[i], f[i]); err != nil {
				return nil, err
			}
		}
		if err := p.appendRecord(s, header[0], r); err != nil {
			return nil, err
		}
	}
	if err := lr.Err(); err != nil {
		return nil, err
	}
	if ended {
		// Footer: free text; a time stamp there means data after a blank line.
		for lr.next() {
			t := strings.TrimSpace(lr.text)
			if len(t) >= 13 && t[8] == ':' && strings.Count(t, ",") == len(header)-1 {
				if _, _, err := (pos{file: name, line: lr.line}).pvgisTime(header[0], strings.SplitN(t, ",", 2)[0], tmy); err == nil {
					return nil, lr.fieldErr(header[0], ErrTimeGap, "data row after the blank line that ends the data block")
				}
			}
		}
		if err := lr.Err(); err != nil {
			return nil, err
		}
	}
	if len(s.Records) == 0 {
		return nil, errf(name, lr.line, "", ErrTruncated, "no data rows after the PVGIS header")
	}
	if tmy && len(s.Records) != 8760 {
		return nil, errf(name, lr.line, header[0], ErrTruncated, "%d TMY rows, want 8760", len(s.Records))
	}
	if !tmy && !ended {
		return nil, errf(name, lr.line, "", ErrTruncated, "file ends inside the data block (PVGIS always writes a blank line and a legend after the data)")
	}
	setOffset(s)
	if !tmy {
		fillHorizontal(s)
	}
	return s, nil
}

// setOffset records Sun − Start of the first record as the series offset.
func setOffset(s *Series) {
	if len(s.Records) > 0 {
		s.IrradianceTimeOffsetH = s.Records[0].Sun.Sub(s.Records[0].Start).Hours()
	}
}

package weather

import (
	"bufio"
	"math"
	"strings"
	"time"
)

// PVGIS seriescalc output flattened for several sites in one CSV, as
// written by scripts that loop over points (e.g. the Brest/Montpellier
// file in shared data):
//
//	longitude,latitude,year,month,day,hour,PV_power,WS10m
//	-4.48333,48.400002,2022,01,01,00,0.0,8.97
//
// Rows are grouped by site (consecutive rows with the same longitude and
// latitude text); a site must not reappear after another one. Times are UTC
// hours; the writer dropped PVGIS's minutes, which are HH:10 for seriescalc
// (see pvgis_csv.go), so Sun = HH:00 + 10 min by default
// (Options.IrradianceTimeOffsetH overrides) and Start = HH:00. PV_power (W)
// goes to PowerW; other PVGIS column names (T2m, G(i), ...) are mapped as
// in seriescalc, unknown ones listed in IgnoredColumns. The file gives no
// plane: PlaneTiltDeg/AzimuthDeg stay NaN. Read returns ErrMultipleSites
// for such a file unless Options.Site selects one; ReadSites returns all.

// sitesDefaultOffsetH is the PVGIS seriescalc stamp minute (HH:10) in hours.
const sitesDefaultOffsetH = 10.0 / 60

func readPVGISSites(br *bufio.Reader, name string, o Options) ([]*Series, error) {
	lr := newLineReader(br, name)
	if !lr.next() {
		if err := lr.Err(); err != nil {
			return nil, err
		}
		return nil, errf(name, 1, "", ErrTruncated, "empty file")
	}
	header := strings.Split(strings.TrimRight(lr.text, "\r"), ",")
	idx := map[string]int{}
	kinds := make([]pvgisColumn, len(header))
	var ignored []string
	for i, c := range header {
		c = strings.TrimSpace(c)
		header[i] = c
		if _, dup := idx[c]; dup {
			return nil, lr.fieldErr(c, ErrFieldCount, "column %q appears twice", c)
		}
		idx[c] = i
		switch c {
		case "longitude", "latitude", "year", "month", "day", "hour":
		case "PV_power":
			kinds[i] = pcPower
		default:
			if k, ok := pvgisColumns[c]; ok {
				kinds[i] = k
			} else {
				ignored = append(ignored, c)
			}
		}
	}
	for _, c := range []string{"longitude", "latitude", "year", "month", "day", "hour"} {
		if _, ok := idx[c]; !ok {
			return nil, lr.fieldErr(c, ErrMissingColumn, "header lacks %q", c)
		}
	}
	offsetH := sitesDefaultOffsetH
	if o.IrradianceTimeOffsetH != nil {
		offsetH = *o.IrradianceTimeOffsetH
	}
	layout := &pvgisLayout{kinds: kinds}
	var all []*Series
	var cur *Series
	curKey := ""
	seen := map[string]bool{}
	var f []string
	for lr.next() {
		p := pos{file: name, line: lr.line}
		f = splitInto(f[:0], lr.text)
		if err := lr.rowCount(len(f), len(header)); err != nil {
			return nil, err
		}
		key := strings.TrimSpace(f[idx["longitude"]]) + "," + strings.TrimSpace(f[idx["latitude"]])
		if cur == nil || key != curKey {
			if seen[key] {
				return nil, p.err("longitude", ErrNonMonotonicTime, "site (%s) reappears after another site", key)
			}
			seen[key] = true
			lon, err := p.num("longitude", f[idx["longitude"]])
			if err != nil {
				return nil, err
			}
			lat, err := p.num("latitude", f[idx["latitude"]])
			if err != nil {
				return nil, err
			}
			if err := checkSite(name, lr.line, lat, lon, math.NaN()); err != nil {
				return nil, err
			}
			cur = newSeries(name, FormatPVGISSitesCSV)
			cur.LatDeg, cur.LonDeg = lat, lon
			cur.IgnoredColumns = ignored
			cur.IrradianceTimeOffsetH = offsetH
			curKey = key
			all = append(all, cur)
		}
		y, err := p.integer("year", f[idx["year"]], 1, 9999)
		if err != nil {
			return nil, err
		}
		mo, err := p.integer("month", f[idx["month"]], 1, 12)
		if err != nil {
			return nil, err
		}
		d, err := p.integer("day", f[idx["day"]], 1, 31)
		if err != nil {
			return nil, err
		}
		h, err := p.integer("hour", f[idx["hour"]], 0, 23)
		if err != nil {
			return nil, err
		}
		if err := p.checkDate("day", y, mo, d); err != nil {
			return nil, err
		}
		r := newRecord()
		r.Start = time.Date(y, time.Month(mo), d, h, 0, 0, 0, time.UTC)
		if r.Sun, err = p.sunInstant("hour", r.Start, r.Start, offsetH); err != nil {
			return nil, err
		}
		for i, k := range kinds {
			if err := layout.setValue(cur, p, &r, k, header[i], f[i]); err != nil {
				return nil, err
			}
		}
		if err := p.appendRecord(cur, "hour", r); err != nil {
			return nil, err
		}
	}
	if err := lr.Err(); err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, errf(name, lr.line, "", ErrTruncated, "no data rows after the header")
	}
	return all, nil
}

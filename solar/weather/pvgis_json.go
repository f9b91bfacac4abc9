package weather

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"sort"
	"strings"
)

// PVGIS JSON output of the "tmy" and "seriescalc" tools:
//
//	{"inputs": {"location": {"latitude", "longitude", "elevation",
//	            "irradiance_time_offset"},            (offset since Dec 2024)
//	            "mounting_system": {"fixed": {"slope": {"value"}, "azimuth": {"value"}}},
//	            "pv_module": {"peak_power", "system_loss"}},
//	 "outputs": {"tmy_hourly": [{"time(UTC)": "20180101:0000", "T2m", ...}]}   TMY
//	 "outputs": {"hourly": [{"time": "20130101:0010", "P", "G(i)", ...}]}      seriescalc
//
// Same columns and time convention as the CSV (see pvgis_csv.go). The whole
// document is decoded at once (a JSON array cannot be read line by line);
// errors name the 1-based record of the output array. Records must all have
// the keys of the first one.

type pvgisJSONDoc struct {
	Inputs struct {
		Location struct {
			Latitude             *float64 `json:"latitude"`
			Longitude            *float64 `json:"longitude"`
			Elevation            *float64 `json:"elevation"`
			IrradianceTimeOffset *float64 `json:"irradiance_time_offset"`
		} `json:"location"`
		MountingSystem map[string]json.RawMessage `json:"mounting_system"`
		PVModule       struct {
			PeakPower *float64 `json:"peak_power"`
		} `json:"pv_module"`
	} `json:"inputs"`
	Outputs struct {
		TMYHourly []map[string]json.RawMessage `json:"tmy_hourly"`
		Hourly    []map[string]json.RawMessage `json:"hourly"`
	} `json:"outputs"`
}

type pvgisMount struct {
	Slope struct {
		Value any `json:"value"`
	} `json:"slope"`
	Azimuth struct {
		Value any `json:"value"`
	} `json:"azimuth"`
}

func readPVGISJSON(br *bufio.Reader, name string, o Options, format string) (*Series, error) {
	data, err := io.ReadAll(br)
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errf(name, 0, "", ErrTruncated, "compressed stream ends early: %v", err)
		}
		return nil, &ParseError{File: name, Err: err}
	}
	var doc pvgisJSONDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, jsonError(name, data, err)
	}
	recs, timeKey, got := doc.Outputs.TMYHourly, "time(UTC)", FormatPVGISTMYJSON
	if recs == nil {
		recs, timeKey, got = doc.Outputs.Hourly, "time", FormatPVGISSeriescalcJSON
	}
	if doc.Outputs.TMYHourly == nil && doc.Outputs.Hourly == nil {
		var probe struct {
			Type string `json:"type"`
		}
		if json.Unmarshal(data, &probe) == nil && (probe.Type == "FeatureCollection" || probe.Type == "Feature") {
			return nil, errf(name, 0, "", ErrUnknownFormat, "a GeoJSON %s, not a weather file (EPW, PVGIS TMY/seriescalc, PVWatts or generic CSV)", probe.Type)
		}
		return nil, errf(name, 0, "outputs.tmy_hourly", ErrMissingColumn, "PVGIS JSON has neither outputs.tmy_hourly nor outputs.hourly")
	}
	if got != format {
		return nil, errf(name, 0, "outputs", ErrUnknownFormat, "content is %s, not the requested %s", got, format)
	}
	tmy := got == FormatPVGISTMYJSON
	s := newSeries(name, format)
	s.TypicalYear = tmy
	s.Records = make([]Record, 0, len(recs))
	loc := doc.Inputs.Location
	if loc.Latitude == nil {
		return nil, errf(name, 0, "inputs.location.latitude", ErrMissingColumn, "absent")
	}
	if loc.Longitude == nil {
		return nil, errf(name, 0, "inputs.location.longitude", ErrMissingColumn, "absent")
	}
	s.LatDeg, s.LonDeg = *loc.Latitude, *loc.Longitude
	if loc.Elevation != nil {
		s.ElevationM = *loc.Elevation
	}
	if err := checkSite(name, 0, s.LatDeg, s.LonDeg, s.ElevationM); err != nil {
		return nil, err
	}
	offsetH := math.NaN()
	if loc.IrradianceTimeOffset != nil {
		offsetH = *loc.IrradianceTimeOffset
	}
	if o.IrradianceTimeOffsetH != nil {
		offsetH = *o.IrradianceTimeOffsetH
	}
	if doc.Inputs.PVModule.PeakPower != nil {
		s.PeakPowerKW = *doc.Inputs.PVModule.PeakPower
	}
	for kind, raw := range doc.Inputs.MountingSystem {
		var m pvgisMount
		if json.Unmarshal(raw, &m) != nil {
			continue // e.g. a plain string entry: no plane to read
		}
		s.Mounting = kind
		if kind != "fixed" {
			continue // trackers: no fixed plane
		}
		if v, ok := m.Slope.Value.(float64); ok {
			if v < 0 || v > 90 {
				return nil, errf(name, 0, "inputs.mounting_system.fixed.slope", ErrOutOfRange, "slope %g° outside [0, 90]", v)
			}
			s.PlaneTiltDeg = v
		}
		if v, ok := m.Azimuth.Value.(float64); ok {
			if v < -180 || v > 180 {
				return nil, errf(name, 0, "inputs.mounting_system.fixed.azimuth", ErrOutOfRange, "PVGIS azimuth %g° outside [-180, 180]", v)
			}
			s.PlaneAzimuthDeg = pvgisAspectToAzimuth(v)
		}
	}
	if len(recs) == 0 {
		return nil, errf(name, 0, "outputs", ErrTruncated, "no records")
	}
	// Columns from the first record, in a stable order.
	keys := make([]string, 0, len(recs[0]))
	for k := range recs[0] {
		if k != timeKey {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	cols := append([]string{timeKey}, keys...)
	if _, ok := recs[0][timeKey]; !ok {
		return nil, (pos{file: name, record: 1}).err(timeKey, ErrMissingColumn, "record has no %q key", timeKey)
	}
	layout, ignored, err := newPVGISLayout(cols, tmy, pos{file: name, record: 1})
	if err != nil {
		return nil, err
	}
	s.IgnoredColumns = ignored
	for i, rec := range recs {
		p := pos{file: name, record: i + 1}
		if len(rec) != len(cols) {
			return nil, p.err("", ErrFieldCount, "%d keys, want %d (%s)", len(rec), len(cols), strings.Join(cols, ","))
		}
		rawTime, ok := rec[timeKey]
		if !ok {
			return nil, p.err(timeKey, ErrMissingColumn, "record has no %q key", timeKey)
		}
		var ts string
		if json.Unmarshal(rawTime, &ts) != nil {
			return nil, p.err(timeKey, ErrNotANumber, "%s (want a string YYYYMMDD:HHMM)", truncate(string(rawTime)))
		}
		start, stamp, err := p.pvgisTime(timeKey, ts, tmy)
		if err != nil {
			return nil, err
		}
		r := newRecord()
		r.Start = start
		if r.Sun, err = p.sunInstant(timeKey, start, stamp, offsetH); err != nil {
			return nil, err
		}
		for j := 1; j < len(cols); j++ {
			raw, ok := rec[cols[j]]
			if !ok {
				return nil, p.err(cols[j], ErrMissingColumn, "record has no %q key", cols[j])
			}
			if err := layout.setValue(s, p, &r, layout.kinds[j], cols[j], string(raw)); err != nil {
				return nil, err
			}
		}
		if err := p.appendRecord(s, timeKey, r); err != nil {
			return nil, err
		}
	}
	if tmy && len(s.Records) != 8760 {
		return nil, errf(name, 0, "outputs.tmy_hourly", ErrTruncated, "%d TMY records, want 8760", len(s.Records))
	}
	setOffset(s)
	if !tmy {
		fillHorizontal(s)
	}
	return s, nil
}

// jsonError turns a decoding error into a ParseError with the line of the
// offending byte.
func jsonError(name string, data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte{'\n'})
		if se.Offset >= int64(len(data)) || strings.Contains(se.Error(), "unexpected end") {
			return errf(name, line, "", ErrTruncated, "JSON ends early: %v", err)
		}
		return errf(name, line, "", ErrUnknownFormat, "invalid JSON: %v", err)
	case errors.As(err, &te):
		line := 1 + bytes.Count(data[:min(int(te.Offset), len(data))], []byte{'\n'})
		return errf(name, line, te.Field, ErrNotANumber, "%s (JSON %s, want %s)", te.Value, te.Value, te.Type)
	}
	return errf(name, 0, "", ErrUnknownFormat, "invalid JSON: %v", err)
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

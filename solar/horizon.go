package solar

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// Horizon is a horizon profile: ElevationDeg[i] is the elevation (degrees
// above the horizontal) of the skyline in the direction of azimuth
// i·360/n degrees clockwise from north (n = len(ElevationDeg), i = 0 is
// north). Between two directions the skyline is interpolated linearly in
// azimuth (wrapping at 360°), as PVGIS does with its 7.5° (n = 48) profiles.
// A nil or empty Horizon is a flat horizon.
type Horizon struct {
	ElevationDeg []float64
}

// ElevationAt returns the interpolated skyline elevation (degrees) at an
// azimuth (degrees clockwise from north).
func (h *Horizon) ElevationAt(azDeg float64) float64 {
	if h == nil || len(h.ElevationDeg) == 0 {
		return 0
	}
	n := len(h.ElevationDeg)
	x := math.Mod(azDeg, 360)
	if x < 0 {
		x += 360
	}
	x *= float64(n) / 360
	i := int(x)
	if i >= n {
		i = n - 1
	}
	f := x - float64(i)
	j := i + 1
	if j == n {
		j = 0
	}
	return h.ElevationDeg[i] + f*(h.ElevationDeg[j]-h.ElevationDeg[i])
}

// Blocked reports whether the sun at (azimuth, elevation), degrees, is
// below the skyline: the beam (and the Perez circumsolar part) is then
// shaded.
func (h *Horizon) Blocked(azDeg, elevDeg float64) bool {
	if h == nil || len(h.ElevationDeg) == 0 {
		return elevDeg <= 0
	}
	return elevDeg <= h.ElevationAt(azDeg)
}

// SkyViewReduction returns the fraction (0–1) of the isotropic sky-diffuse
// irradiance on a plane (tilt, azimuth in degrees) that the horizon leaves:
// the isotropic radiance L weighted by cos(incidence) is integrated over the
// part of the sky the plane sees (incidence < 90°) above the skyline, and
// divided by the same integral over the unobstructed sky, π(1+cos β)/2.
// Sky direction (azimuth φ, elevation e); cos incidence = cos β sin e +
// sin β cos e cos(φ − γ); solid angle cos e de dφ. Integrated numerically:
// 360 azimuth steps × 0.25° elevation steps below the skyline (evaluated once
// per plane and horizon). This is the isotropic sky-view approximation: the
// Perez circumsolar part is shaded with the beam instead, and the horizon
// brightening band (F2) is not reduced (documented approximation, as in
// PVGIS which reduces only the diffuse sky view).
func (h *Horizon) SkyViewReduction(tiltDeg, azDeg float64) float64 {
	if h == nil || len(h.ElevationDeg) == 0 {
		return 1
	}
	sb, cb := math.Sincos(tiltDeg * deg2rad)
	full := math.Pi * (1 + cb) / 2
	if full <= 0 {
		return 1
	}
	const nAz = 360
	const de = 0.25 * deg2rad
	dphi := 2 * math.Pi / nAz
	blocked := 0.0
	for k := 0; k < nAz; k++ {
		phi := (float64(k) + 0.5) * 360 / nAz
		hz := h.ElevationAt(phi) * deg2rad
		if hz <= 0 {
			continue
		}
		cd := math.Cos((phi - azDeg) * deg2rad)
		for e := de / 2; e < hz; e += de {
			se, ce := math.Sincos(e)
			step := de
			if e+de/2 > hz {
				step = hz - (e - de/2)
			}
			c := cb*se + sb*ce*cd
			if c > 0 {
				blocked += c * ce * step * dphi
			}
		}
	}
	r := 1 - blocked/full
	return math.Max(0, math.Min(1, r))
}

// HorizonParseError locates a problem in a horizon file.
type HorizonParseError struct {
	File  string
	Line  int
	Field string
	Err   error
}

func (e *HorizonParseError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s:%d: field %s: %v", e.File, e.Line, e.Field, e.Err)
	}
	return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
}

func (e *HorizonParseError) Unwrap() error { return e.Err }

// Sentinel errors wrapped by HorizonParseError.
var (
	ErrHorizonFormat   = errors.New("not a horizon profile (want a 'horizon_azimuth,horizon_elevation' header or PVGIS printhorizon 'A H_hor' table)")
	ErrHorizonValue    = errors.New("invalid number")
	ErrHorizonRange    = errors.New("value out of range")
	ErrHorizonSpacing  = errors.New("azimuths must start at north (0°) and be evenly spaced in increasing order")
	ErrHorizonTooShort = errors.New("horizon profile has fewer than 4 directions")
)

// ReadHorizonFile reads a horizon profile (optionally gzip-compressed, by
// the .gz suffix) with ReadHorizon.
func ReadHorizonFile(path string) (*Horizon, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return nil, &HorizonParseError{File: path, Line: 0, Err: fmt.Errorf("%w: gzip: %v", ErrHorizonFormat, err)}
		}
		defer gz.Close()
		r = gz
	}
	return ReadHorizon(r, path)
}

// ReadHorizon parses a horizon profile in one of two layouts:
//
//   - pvlib's CSV of PVGIS data, header "horizon_azimuth,horizon_elevation",
//     azimuth in pvlib's convention (0 = north, clockwise, 180 = south): pvlib
//     get_pvgis_horizon adds 180° to PVGIS's azimuths and drops the duplicate
//     360° point (the fixture test_read_pvgis_horizon.csv has 48 rows 0…352.5).
//   - PVGIS's own printhorizon CSV (outputformat=csv): metadata lines, then a
//     table whose header starts with "A" and contains "H_hor" (tab or comma
//     separated), azimuth A in PVGIS's convention 0 = south, −90 = east,
//     90 = west, from −180 to 180; converted here with +180° (the 360° duplicate
//     of −180° is dropped); the table ends at the first blank or non-numeric
//     line.
//
// Azimuths must start at 0 (north, after conversion) and be evenly spaced;
// elevations must lie in [−90, 90]. Errors are *HorizonParseError naming the
// file, line and field.
func ReadHorizon(r io.Reader, name string) (*Horizon, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	line := 0
	offset := math.NaN()
	var az, el []float64
	var lines []int
	inTable := false
	for sc.Scan() {
		line++
		txt := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if !inTable {
			low := strings.ToLower(txt)
			switch {
			case strings.HasPrefix(low, "horizon_azimuth"):
				offset = 0
				inTable = true
			case (strings.HasPrefix(txt, "A\t") || strings.HasPrefix(txt, "A,") || strings.HasPrefix(txt, "A ")) && strings.Contains(txt, "H_hor"):
				offset = 180
				inTable = true
			}
			continue
		}
		if txt == "" {
			if offset == 180 {
				break
			}
			continue
		}
		fields := splitHorizonFields(txt)
		if len(fields) < 2 {
			if offset == 180 {
				break
			}
			return nil, &HorizonParseError{File: name, Line: line, Err: fmt.Errorf("%w: want 2 fields, got %d", ErrHorizonFormat, len(fields))}
		}
		a, err := strconv.ParseFloat(fields[0], 64)
		if err != nil || math.IsNaN(a) || math.IsInf(a, 0) {
			if offset == 180 {
				break // end of the PVGIS table (footer text)
			}
			return nil, &HorizonParseError{File: name, Line: line, Field: "horizon_azimuth", Err: fmt.Errorf("%w: %q", ErrHorizonValue, fields[0])}
		}
		e, err := strconv.ParseFloat(fields[1], 64)
		if err != nil || math.IsNaN(e) || math.IsInf(e, 0) {
			return nil, &HorizonParseError{File: name, Line: line, Field: "horizon_elevation", Err: fmt.Errorf("%w: %q", ErrHorizonValue, fields[1])}
		}
		if e < -90 || e > 90 {
			return nil, &HorizonParseError{File: name, Line: line, Field: "horizon_elevation", Err: fmt.Errorf("%w: %g not in [-90, 90]", ErrHorizonRange, e)}
		}
		a += offset
		if a < 0 || a > 360 {
			return nil, &HorizonParseError{File: name, Line: line, Field: "horizon_azimuth", Err: fmt.Errorf("%w: %g not in [0, 360]", ErrHorizonRange, a-offset)}
		}
		az = append(az, a)
		el = append(el, e)
		lines = append(lines, line)
	}
	if err := sc.Err(); err != nil {
		return nil, &HorizonParseError{File: name, Line: line, Err: err}
	}
	if math.IsNaN(offset) {
		return nil, &HorizonParseError{File: name, Line: line, Err: ErrHorizonFormat}
	}
	// Drop a closing 360° point duplicating north.
	if n := len(az); n > 1 && az[n-1] == 360 {
		az, el, lines = az[:n-1], el[:n-1], lines[:n-1]
	}
	if len(az) < 4 {
		return nil, &HorizonParseError{File: name, Line: line, Err: fmt.Errorf("%w (%d)", ErrHorizonTooShort, len(az))}
	}
	step := 360 / float64(len(az))
	for i, a := range az {
		if math.Abs(a-float64(i)*step) > 1e-6 {
			return nil, &HorizonParseError{File: name, Line: lines[i], Field: "horizon_azimuth",
				Err: fmt.Errorf("%w: got %g, want %g for %d directions", ErrHorizonSpacing, a-offset, float64(i)*step-offset, len(az))}
		}
	}
	return &Horizon{ElevationDeg: el}, nil
}

func splitHorizonFields(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\t' || r == ' ' || r == ';' })
	return f
}

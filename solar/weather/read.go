package weather

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
)

// Format names (Series.Format and Options.Format).
const (
	FormatEPW                 = "epw"
	FormatPVGISTMYCSV         = "pvgis-tmy-csv"
	FormatPVGISTMYJSON        = "pvgis-tmy-json"
	FormatPVGISSeriescalcCSV  = "pvgis-seriescalc-csv"
	FormatPVGISSeriescalcJSON = "pvgis-seriescalc-json"
	// FormatPVGISSitesCSV is the flat CSV longitude,latitude,year,month,day,
	// hour,PV_power,WS10m holding seriescalc output for several sites.
	FormatPVGISSitesCSV = "pvgis-sites-csv"
	FormatPVWatts       = "pvwatts-csv"
	FormatGenericCSV    = "generic-csv"
)

// ReferenceYear is the non-leap year on which typical-year records are
// placed (month, day and hour kept). 1990 is the default coerce_year of
// pvlib.iotools.get_pvgis_tmy (pvlib ≥ 0.13), so our times match pvlib's.
const ReferenceYear = 1990

// NegativeToleranceWm2 is the most negative irradiance accepted (and set to
// 0, counted in Series.ClampedNegative); anything below is an error.
const NegativeToleranceWm2 = 5.0

// Plausibility bounds applied to every reader (ErrOutOfRange outside).
const (
	// MaxIrradianceWm2 bounds any irradiance: 1.5 × the solar constant
	// (1361 W/m², Kopp & Lean 2011) leaves room for cloud enhancement and
	// ground reflection on tilted planes.
	MaxIrradianceWm2 = 2000.0
	minTempC         = -90.0 // below the lowest recorded surface air temperature (−89.2 °C, Vostok)
	maxTempC         = 70.0  // above the highest (56.7 °C)
	maxWindMS        = 100.0
	minPressureHPa   = 300.0 // above Everest summit (~330 hPa)
	maxPressureHPa   = 1100.0
)

// Options control Read. The zero value detects the format and takes the
// site from the file.
type Options struct {
	// Format forces a reader (one of the Format* constants); "" detects it
	// from the content, with the file extension as a hint.
	Format string
	// LatDeg, LonDeg (east positive) and ElevationM override the site of the
	// file. LatDeg and LonDeg are required for the generic CSV (which has no
	// site); ElevationM defaults to 0 there.
	LatDeg, LonDeg, ElevationM *float64
	// UTCOffsetH overrides the local standard time offset of formats in
	// local time (EPW, PVWatts). PVWatts files carry none: by default it is
	// round(lon/15).
	UTCOffsetH *float64
	// IrradianceTimeOffsetH overrides the offset (hours after HH:00) of the
	// instant PVGIS irradiance refers to (PVGIS formats only).
	IrradianceTimeOffsetH *float64
	// Site selects, 1-based in file order, one site of a file holding
	// several (FormatPVGISSitesCSV). 0: the file must hold exactly one site.
	Site int
}

// Read reads a weather file (plain or gzip-compressed, detected from the
// magic bytes) into a Series. See ReadFrom.
func Read(path string, o Options) (*Series, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadFrom(f, path, o)
}

// ReadFrom reads a weather series from r; name is used for format hints
// (extension) and in error messages. A file holding several sites is an
// ErrMultipleSites error unless o.Site selects one (see ReadSites).
func ReadFrom(r io.Reader, name string, o Options) (*Series, error) {
	all, err := ReadSitesFrom(r, name, o)
	if err != nil {
		return nil, err
	}
	if o.Site > 0 {
		if o.Site > len(all) {
			return nil, errf(name, 0, "", ErrOutOfRange, "site %d asked for (--site) but the file holds %d site(s)", o.Site, len(all))
		}
		return all[o.Site-1], nil
	}
	if len(all) != 1 {
		var names []string
		for _, s := range all {
			names = append(names, fmt.Sprintf("(lat %.5f, lon %.5f)", s.LatDeg, s.LonDeg))
		}
		return nil, errf(name, 0, "", ErrMultipleSites, "%d sites %s: select one with --site N (1-based, in file order)", len(all), strings.Join(names, ", "))
	}
	return all[0], nil
}

// ReadSites reads every site of a weather file: one Series per site in file
// order (a single element for all formats but FormatPVGISSitesCSV).
// Options.Site is ignored; a lat/lon override is refused when there are
// several sites.
func ReadSites(path string, o Options) ([]*Series, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadSitesFrom(f, path, o)
}

// ReadSitesFrom is ReadSites on a reader.
func ReadSitesFrom(r io.Reader, name string, o Options) ([]*Series, error) {
	br, err := decompress(r, name)
	if err != nil {
		return nil, err
	}
	format := o.Format
	if format == "" {
		head, _ := br.Peek(4096)
		format, err = detect(head, name)
		if err != nil {
			return nil, err
		}
	}
	var all []*Series
	switch format {
	case FormatEPW:
		var s *Series
		s, err = readEPW(br, name, o)
		all = []*Series{s}
	case FormatPVGISTMYCSV, FormatPVGISSeriescalcCSV:
		var s *Series
		s, err = readPVGISCSV(br, name, o, format)
		all = []*Series{s}
	case FormatPVGISTMYJSON, FormatPVGISSeriescalcJSON:
		var s *Series
		s, err = readPVGISJSON(br, name, o, format)
		all = []*Series{s}
	case FormatPVGISSitesCSV:
		all, err = readPVGISSites(br, name, o)
	case FormatPVWatts:
		var s *Series
		s, err = readPVWatts(br, name, o)
		all = []*Series{s}
	case FormatGenericCSV:
		var s *Series
		s, err = readGeneric(br, name, o)
		all = []*Series{s}
	default:
		return nil, errf(name, 0, "", ErrUnknownFormat, "Options.Format %q (want one of %s)", format,
			strings.Join([]string{FormatEPW, FormatPVGISTMYCSV, FormatPVGISTMYJSON, FormatPVGISSeriescalcCSV,
				FormatPVGISSeriescalcJSON, FormatPVGISSitesCSV, FormatPVWatts, FormatGenericCSV}, ", "))
	}
	if err != nil {
		return nil, err
	}
	if len(all) > 1 && (o.LatDeg != nil || o.LonDeg != nil || o.ElevationM != nil) {
		return nil, errf(name, 0, "", ErrMultipleSites, "a lat/lon/elevation override is ambiguous for %d sites", len(all))
	}
	for _, s := range all {
		if err := applySiteOverride(s, name, o); err != nil {
			return nil, err
		}
	}
	return all, nil
}

// applySiteOverride applies Options' site and validates the final site.
func applySiteOverride(s *Series, name string, o Options) error {
	if o.LatDeg != nil {
		s.LatDeg = *o.LatDeg
	}
	if o.LonDeg != nil {
		s.LonDeg = *o.LonDeg
	}
	if o.ElevationM != nil {
		s.ElevationM = *o.ElevationM
	}
	return checkSite(name, 0, s.LatDeg, s.LonDeg, s.ElevationM)
}

// checkSite validates coordinates (NaN is allowed: unknown).
func checkSite(name string, line int, lat, lon, elev float64) error {
	if math.IsInf(lat, 0) || !(math.IsNaN(lat) || (lat >= -90 && lat <= 90)) {
		return errf(name, line, "latitude", ErrOutOfRange, "%g° outside [-90, 90]", lat)
	}
	if math.IsInf(lon, 0) || !(math.IsNaN(lon) || (lon >= -180 && lon <= 180)) {
		return errf(name, line, "longitude", ErrOutOfRange, "%g° outside [-180, 180]", lon)
	}
	if math.IsInf(elev, 0) || !(math.IsNaN(elev) || (elev >= -500 && elev <= 9000)) {
		return errf(name, line, "elevation", ErrOutOfRange, "%g m outside [-500, 9000]", elev)
	}
	return nil
}

// decompress returns a buffered reader over r, gunzipping it when it starts
// with the gzip magic bytes 1f 8b (whatever the file name), and skipping a
// UTF-8 byte-order mark.
func decompress(r io.Reader, name string) (*bufio.Reader, error) {
	br := bufio.NewReaderSize(r, 16<<10)
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, errf(name, 0, "", ErrTruncated, "gzip header: %v", err)
		}
		br = bufio.NewReaderSize(gz, 16<<10)
	}
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	return br, nil
}

// detect picks the format from the first bytes of the (decompressed)
// content; the extension of name is only a hint used in the error message
// and to tell JSON flavours apart when the head is inconclusive.
func detect(head []byte, name string) (string, error) {
	text := string(head)
	first, _, _ := strings.Cut(text, "\n")
	first = strings.TrimRight(first, "\r")
	lower := strings.ToLower(first)
	trim := strings.TrimLeft(text, " \t\r\n")
	switch {
	case strings.HasPrefix(first, "LOCATION,"):
		return FormatEPW, nil
	case strings.HasPrefix(first, "PVWatts:"):
		return FormatPVWatts, nil
	case strings.HasPrefix(trim, "{"):
		if strings.Contains(text, `"tmy_hourly"`) || strings.Contains(text, `"months_selected"`) {
			return FormatPVGISTMYJSON, nil
		}
		return FormatPVGISSeriescalcJSON, nil // readPVGISJSON re-checks the outputs key
	case strings.HasPrefix(first, "Latitude (decimal degrees):") || strings.Contains(text, "(decimal degrees):"):
		if strings.Contains(text, "\nmonth,year") || strings.Contains(text, "\ntime(UTC),") {
			return FormatPVGISTMYCSV, nil
		}
		return FormatPVGISSeriescalcCSV, nil
	case strings.HasPrefix(lower, "longitude,latitude,year,month,day,hour"):
		return FormatPVGISSitesCSV, nil
	}
	cols := splitHeader(first)
	hasTime, hasIrr := false, false
	for _, c := range cols {
		switch c {
		case "time":
			hasTime = true
		case "ghi", "dni", "dhi":
			hasIrr = true
		}
	}
	if hasTime && hasIrr {
		return FormatGenericCSV, nil
	}
	ext := strings.ToLower(strings.TrimSuffix(strings.ToLower(name), ".gz"))
	hint := ""
	switch filepath.Ext(ext) {
	case ".epw":
		hint = ` (extension .epw but the first line does not start with "LOCATION,")`
	case ".json":
		hint = " (extension .json but the content is not a JSON object)"
	case ".csv":
		hint = ` (CSV, but neither PVGIS ("Latitude (decimal degrees):"), PVWatts ("PVWatts:") nor a generic header "time,ghi,dni,dhi,temp_air,wind_speed")`
	}
	if len(first) > 60 {
		first = first[:60] + "…"
	}
	return "", errf(name, 1, "", ErrUnknownFormat, "first line %q%s", first, hint)
}

// splitHeader lowercases and trims the comma-separated names of a header line.
func splitHeader(line string) []string {
	cols := strings.Split(line, ",")
	for i, c := range cols {
		cols[i] = strings.ToLower(strings.TrimSpace(c))
	}
	return cols
}

// lineReader streams lines, counting them. It is hand-written rather than
// encoding/csv because the formats need blank lines (PVGIS ends its data
// block with one, csv.Reader skips them) and free-text header/footer lines;
// data rows never contain quotes.
type lineReader struct {
	sc     *bufio.Scanner
	name   string
	line   int
	text   string
	noEOL  bool // the last line read had no terminating newline
	err    error
	atLast bool
}

func newLineReader(r io.Reader, name string) *lineReader {
	lr := &lineReader{name: name}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4<<10), 1<<20)
	sc.Split(func(data []byte, atEOF bool) (int, []byte, error) {
		adv, tok, err := bufio.ScanLines(data, atEOF)
		if tok != nil && atEOF && bytes.IndexByte(data[:adv], '\n') < 0 {
			lr.atLast = true
		}
		return adv, tok, err
	})
	lr.sc = sc
	return lr
}

// next advances to the next line; false at EOF or on error (see Err).
func (l *lineReader) next() bool {
	if !l.sc.Scan() {
		if err := l.sc.Err(); err != nil {
			switch {
			case errors.Is(err, io.ErrUnexpectedEOF):
				l.err = errf(l.name, l.line+1, "", ErrTruncated, "compressed stream ends early: %v", err)
			case errors.Is(err, bufio.ErrTooLong):
				l.err = errf(l.name, l.line+1, "", ErrFieldCount, "line longer than 1 MiB")
			default:
				l.err = &ParseError{File: l.name, Line: l.line + 1, Err: err}
			}
		}
		return false
	}
	l.line++
	l.text = l.sc.Text()
	l.noEOL = l.atLast
	return true
}

// Err returns the read error that stopped next, if any.
func (l *lineReader) Err() error { return l.err }

// fieldErr is shorthand for a ParseError on the current line.
func (l *lineReader) fieldErr(field string, sentinel error, format string, args ...any) *ParseError {
	return errf(l.name, l.line, field, sentinel, format, args...)
}

// rowCount checks the number of fields of a data row; a short last line
// without newline is reported as truncation.
func (l *lineReader) rowCount(got, want int) error {
	if got == want {
		return nil
	}
	if l.noEOL && got < want {
		return l.fieldErr("", ErrTruncated, "last line has %d of %d fields and no newline", got, want)
	}
	return l.fieldErr("", ErrFieldCount, "%d fields, want %d", got, want)
}

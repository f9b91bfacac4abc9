package weather

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func f64(v float64) *float64 { return &v }

// TestBadFixtures: each corrupted fixture (testdata/README.md) must fail with
// a *ParseError naming the file, the line and the field, matching errors.Is.
func TestBadFixtures(t *testing.T) {
	site := Options{LatDeg: f64(46.1781), LonDeg: f64(-1.1931)}
	for _, tc := range []struct {
		file  string
		o     Options
		want  error
		line  int
		field string
	}{
		{"epw_truncated.epw", Options{}, ErrTruncated, 56, ""},
		{"epw_nan_ghi.epw", Options{}, ErrNotANumber, 11, "GHI"},
		{"epw_lat95.epw", Options{}, ErrOutOfRange, 1, "latitude"},
		{"epw_nonmonotonic.epw", Options{}, ErrNonMonotonicTime, 21, "hour"},
		{"epw_swapped.epw", Options{}, ErrTimeGap, 20, "hour"},
		{"epw_field_count.epw", Options{}, ErrFieldCount, 30, ""},
		{"pvgis_tmy_24h.csv", Options{}, ErrTruncated, 54, "time(UTC)"},
		{"pvgis_tmy_missing_column.csv", Options{}, ErrMissingColumn, 18, "Gb(n)"},
		{"pvgis_tmy_24h.json", Options{}, ErrTruncated, 0, "outputs.tmy_hourly"},
		{"pvwatts_no_totals.csv", Options{}, ErrTruncated, 66, ""},
		{"generic_two_missing.csv", site, ErrMissingColumn, 14, "ghi,dhi"},
		{"generic_larochelle_2days.csv", Options{}, ErrMissingColumn, 0, "latitude"},
		{"pvgis_sites_2x24h.csv", Options{}, ErrMultipleSites, 0, ""},
		{"pvgis_sites_2x24h.csv", Options{Site: 3}, ErrOutOfRange, 0, ""},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", tc.file)
			_, err := Read(path, tc.o)
			checkParseError(t, err, path, tc.want, tc.line, tc.field)
		})
	}
}

func checkParseError(t *testing.T, err error, file string, want error, line int, field string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want errors.Is %v", err, want)
	}
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("err %T is not a *ParseError", err)
	}
	if pe.File != file || pe.Line != line || pe.Field != field {
		t.Errorf("ParseError{File %q Line %d Field %q}, want {%q %d %q}: %v", pe.File, pe.Line, pe.Field, file, line, field, err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, file) {
		t.Errorf("message %q does not start with the file name", msg)
	}
	if line > 0 && !strings.Contains(msg, fmt.Sprintf(": line %d:", line)) {
		t.Errorf("message %q does not name line %d", msg, line)
	}
	if field != "" && !strings.Contains(msg, fmt.Sprintf("field %q", field)) {
		t.Errorf("message %q does not name field %q", msg, field)
	}
}

func TestErrorMessageFormat(t *testing.T) {
	_, err := Read("testdata/epw_nan_ghi.epw", Options{})
	want := `testdata/epw_nan_ghi.epw: line 11: field "GHI": not a number "NaN"`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// In-memory corruptions of real fixtures (synthetic edits, described inline).
func TestBadContent(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	epw := read("epw_larochelle_2days.epw")
	tmy := read("pvgis_tmy_24h.csv")
	sc := read("pvgis_seriescalc_30deg.csv")
	gen := read("generic_larochelle_2days.csv")
	pvw := read("pvwatts_roofmount_48h.csv")
	site := Options{LatDeg: f64(46.1781), LonDeg: f64(-1.1931)}
	for _, tc := range []struct {
		name, content string
		o             Options
		want          error
		line          int
		field         string
	}{
		{"unknown.epw", "hello\nworld\n", Options{}, ErrUnknownFormat, 1, ""},
		{"empty.csv", "", Options{}, ErrUnknownFormat, 1, ""},
		{"forced.csv", tmy, Options{Format: "nope"}, ErrUnknownFormat, 0, ""},
		{"tmy_as_seriescalc.csv", tmy, Options{Format: FormatPVGISSeriescalcCSV}, ErrUnknownFormat, 18, "time(UTC)"},
		{"tmy_lat95.csv", strings.Replace(tmy, "Latitude (decimal degrees): 45.000", "Latitude (decimal degrees): 95.000", 1), Options{}, ErrOutOfRange, 0, "latitude"},
		{"tmy_no_lat.csv", strings.Replace(tmy, "Latitude (decimal degrees): 45.000\n", "", 1), Options{}, ErrMissingColumn, 17, "Latitude (decimal degrees)"},
		{"tmy_inf.csv", strings.Replace(tmy, "20180101:0300,1.85,", "20180101:0300,Inf,", 1), Options{}, ErrNotANumber, 22, "T2m"},
		{"tmy_offset.csv", tmy, Options{IrradianceTimeOffsetH: f64(1.2)}, ErrOutOfRange, 19, "time(UTC)"},
		{"tmy_bad_stamp.csv", strings.Replace(tmy, "20180101:0300", "20180132:0300", 1), Options{}, ErrOutOfRange, 22, "time(UTC)"},
		{"sc_negative.csv", strings.Replace(sc, "20160101:0910,14.69,", "20160101:0910,-14.69,", 1), Options{}, ErrOutOfRange, 19, "Gb(i)"},
		{"sc_no_footer.csv", sc[:strings.Index(sc, "\n\nGb(i)")+1], Options{}, ErrTruncated, 23, ""},
		{"sc_dup.csv", strings.Replace(sc, "20160101:0910", "20160101:0810", 1), Options{}, ErrNonMonotonicTime, 19, "time"},
		{"gen_negative.csv", strings.Replace(gen, "2005-01-01T12:00:00+01:00,93,", "2005-01-01T12:00:00+01:00,-93,", 1), site, ErrOutOfRange, 14, "ghi"},
		{"gen_no_dni_dhi.csv", "time,ghi,temp_air,wind_speed\n", site, ErrMissingColumn, 1, "dni,dhi"},
		{"gen_bad_time.csv", strings.Replace(gen, "2005-01-01T12:00:00+01:00", "2005-01-01 12:00", 1), site, ErrNotANumber, 14, "time"},
		{"gen_lon200.csv", gen, Options{LatDeg: f64(46), LonDeg: f64(200)}, ErrOutOfRange, 0, "longitude"},
		{"epw_hour25.epw", strings.Replace(epw, "2005,1,1,3,60,", "2005,1,1,25,60,", 1), Options{}, ErrOutOfRange, 11, "hour"},
		{"epw_wind_negative.epw", strings.Replace(epw, ",270,4.1,10,10,", ",270,-4.1,10,10,", 1), Options{}, ErrOutOfRange, 11, "wind speed"},
		{"epw_short_header.epw", epw[:200], Options{}, ErrTruncated, 3, "TYPICAL/EXTREME PERIODS"},
		{"pvw_no_lat.csv", strings.Replace(strings.Replace(pvw, "Lat (deg N):,39.73,", "Latitude:,39.73,", 1), "\nLocation:,", "\nPlace:,", 1), Options{}, ErrMissingColumn, 18, "Lat (deg N):"},
		{"pvw_lon_mismatch.csv", strings.Replace(pvw, "Long (deg W):,105.18,", "Long (deg W):,95.18,", 1), Options{}, ErrOutOfRange, 18, "Long (deg W):"},
		{"pvw_feb29.csv", strings.Replace(pvw, "\n1,2,0,", "\n2,29,0,", 1), Options{}, ErrOutOfRange, 43, "Day"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadFrom(strings.NewReader(tc.content), tc.name, tc.o)
			checkParseError(t, err, tc.name, tc.want, tc.line, tc.field)
		})
	}
}

// A gzip stream cut short is ErrTruncated, whatever the file name.
func TestTruncatedGzip(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	b, _ := os.ReadFile("testdata/epw_larochelle_2days.epw")
	zw.Write(b)
	zw.Close()
	cut := buf.Bytes()[:buf.Len()/2]
	_, err := ReadFrom(bytes.NewReader(cut), "cut", Options{})
	if !errors.Is(err, ErrTruncated) {
		t.Fatalf("err = %v, want ErrTruncated", err)
	}
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line == 0 {
		t.Errorf("want a ParseError with the line reached, got %#v", err)
	}
}

// A GeoJSON file given as weather is named as such, not as a broken PVGIS file.
func TestGeoJSONIsNotWeather(t *testing.T) {
	_, err := ReadFrom(strings.NewReader(`{"type":"FeatureCollection","features":[]}`), "parcels.geojson", Options{})
	if !errors.Is(err, ErrUnknownFormat) || !strings.Contains(err.Error(), "GeoJSON") || !strings.Contains(err.Error(), "parcels.geojson") {
		t.Errorf("err = %v, want ErrUnknownFormat naming the file and GeoJSON", err)
	}
}

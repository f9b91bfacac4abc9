package weather

import (
	"bytes"
	"compress/gzip"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
)

func mustRead(t *testing.T, path string, o Options) *Series {
	t.Helper()
	s, err := Read(path, o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDetect(t *testing.T) {
	site := Options{LatDeg: f64(46), LonDeg: f64(-1)}
	for file, want := range map[string]string{
		"epw_larochelle_2days.epw":     FormatEPW,
		"pvgis_seriescalc_30deg.csv":   FormatPVGISSeriescalcCSV,
		"pvgis_seriescalc_2axis.json":  FormatPVGISSeriescalcJSON,
		"pvgis_sites_2x24h.csv":        FormatPVGISSitesCSV,
		"pvwatts_roofmount_48h.csv":    FormatPVWatts,
		"generic_larochelle_2days.csv": FormatGenericCSV,
	} {
		o := Options{Site: 1}
		if want == FormatGenericCSV {
			o = site
		}
		s, err := Read("testdata/"+file, o)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if s.Format != want {
			t.Errorf("%s: format %s, want %s", file, s.Format, want)
		}
	}
}

// The EPW fixture holds 48 rows of January 2005 only: a single year, so it
// is kept (not placed on ReferenceYear). Hour 1 = 00:00–01:00 UTC+1.
func TestEPWFixture(t *testing.T) {
	s := mustRead(t, "testdata/epw_larochelle_2days.epw", Options{})
	if len(s.Records) != 48 || s.TypicalYear || s.Site != "La Rochelle Intl AP" {
		t.Fatalf("%d records, typical %v, site %q", len(s.Records), s.TypicalYear, s.Site)
	}
	sameTime(t, "first Start", s.Records[0].Start, "2004-12-31T23:00:00Z")
	sameTime(t, "first Sun", s.Records[0].Sun, "2004-12-31T23:30:00Z")
	// Line 21 = hour 13 of 1 Jan: compare with its raw 1-based columns 7, 10, 14, 15, 16, 22.
	r := s.Records[12]
	f := strings.Split(readLine(t, "testdata/epw_larochelle_2days.epw", 21), ",")
	for _, c := range []struct {
		col  int
		got  float64
		unit float64
	}{{7, r.TempAirC, 1}, {10, r.PressureHPa, 100}, {14, r.GHIWm2, 1}, {15, r.DNIWm2, 1}, {16, r.DHIWm2, 1}, {22, r.WindMS, 1}} {
		want, err := (pos{}).num("", f[c.col-1])
		if err != nil {
			t.Fatal(err)
		}
		near(t, "column "+f[c.col-1], c.got*c.unit, want, 1e-9)
	}
	if r.GHIWm2 <= 0 {
		t.Errorf("hour 13 GHI %v should be daylight", r.GHIWm2)
	}

	m := mustRead(t, "testdata/epw_missing_codes.epw", Options{})
	if m.Missing["GHI"] != 1 || m.Missing["dry bulb temperature"] != 1 || len(m.Missing) != 2 {
		t.Errorf("Missing = %v, want GHI 1, dry bulb 1", m.Missing)
	}
	if !math.IsNaN(m.Records[13].GHIWm2) || !math.IsNaN(m.Records[13].TempAirC) || math.IsNaN(m.Records[13].DHIWm2) {
		t.Errorf("record 14: %+v, want GHI and T NaN, DHI kept", m.Records[13])
	}
	// Overrides.
	o := mustRead(t, "testdata/epw_larochelle_2days.epw", Options{LatDeg: f64(45), LonDeg: f64(2), ElevationM: f64(100), UTCOffsetH: f64(0)})
	if o.LatDeg != 45 || o.LonDeg != 2 || o.ElevationM != 100 {
		t.Errorf("override site: %v %v %v", o.LatDeg, o.LonDeg, o.ElevationM)
	}
	sameTime(t, "Start with UTCOffsetH 0", o.Records[0].Start, "2005-01-01T00:00:00Z")
}

// Gzip is detected from the magic bytes, not the name.
func TestGzipSniff(t *testing.T) {
	raw, err := os.ReadFile("testdata/epw_larochelle_2days.epw")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(raw)
	zw.Close()
	a, err := ReadFrom(bytes.NewReader(raw), "plain", Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadFrom(&buf, "no-extension", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Records) != 48 || len(b.Records) != len(a.Records) {
		t.Fatalf("%d plain vs %d gzip records", len(a.Records), len(b.Records))
	}
	for i := range a.Records {
		if !recordsEqualNaN(a.Records[i], b.Records[i]) {
			t.Fatalf("record %d: gzip and plain reads differ", i)
		}
	}
}

// pvgis_seriescalc_30deg.csv: slope 30, PVGIS azimuth 0 (south) → ours 180.
// Row 20160101:0810: Gb(i) 26.71, Gd(i) 8.28, Gr(i) 0.21, H_sun 8.06, T2m 3.87, WS10m 1.22.
func TestSeriescalcCSV(t *testing.T) {
	s := mustRead(t, "testdata/pvgis_seriescalc_30deg.csv", Options{})
	if len(s.Records) != 14 || s.PlaneTiltDeg != 30 || s.PlaneAzimuthDeg != 180 || s.TypicalYear {
		t.Fatalf("%d records, tilt %v, azimuth %v, typical %v", len(s.Records), s.PlaneTiltDeg, s.PlaneAzimuthDeg, s.TypicalYear)
	}
	if !reflect.DeepEqual(s.IgnoredColumns, []string{"Int"}) {
		t.Errorf("IgnoredColumns %v", s.IgnoredColumns)
	}
	r := s.Records[8]
	sameTime(t, "Start", r.Start, "2016-01-01T08:00:00Z")
	sameTime(t, "Sun (stamp minutes HH:10)", r.Sun, "2016-01-01T08:10:00Z")
	near(t, "Gb(i)", r.POABeamWm2, 26.71, 0)
	near(t, "Gd(i)", r.POADiffuseWm2, 8.28, 0)
	near(t, "Gr(i)", r.POAGroundWm2, 0.21, 0)
	near(t, "H_sun", r.SunHeightDeg, 8.06, 0)
	near(t, "T2m", r.TempAirC, 3.87, 0)
	near(t, "WS10m", r.WindMS, 1.22, 0)
	if !math.IsNaN(r.GHIWm2) || !math.IsNaN(r.DHIWm2) {
		t.Error("tilted plane: GHI/DHI must stay NaN")
	}

	// Synthetic edit: the same file declared horizontal and facing east.
	b, _ := os.ReadFile("testdata/pvgis_seriescalc_30deg.csv")
	h := strings.Replace(strings.Replace(string(b), "Slope: 30 deg.", "Slope: 0 deg.", 1), "Azimuth: 0 deg.", "Azimuth: -90 deg.", 1)
	hs, err := ReadFrom(strings.NewReader(h), "horizontal.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	r = hs.Records[8]
	near(t, "east azimuth", hs.PlaneAzimuthDeg, 90, 0)
	near(t, "horizontal GHI = Gb+Gd+Gr", r.GHIWm2, 26.71+8.28+0.21, 1e-12)
	near(t, "horizontal DHI = Gd", r.DHIWm2, 8.28, 0)
	if !math.IsNaN(r.DNIWm2) {
		t.Error("DNI must stay NaN")
	}
}

func TestPVGISAspect(t *testing.T) {
	for aspect, want := range map[float64]float64{0: 180, 90: 270, -90: 90, 180: 0, -180: 0, 45: 225} {
		if got := pvgisAspectToAzimuth(aspect); got != want {
			t.Errorf("aspect %v → %v, want %v", aspect, got, want)
		}
	}
}

// pvgis_seriescalc_2axis.json: two-axis tracker (no fixed plane), 10 kWp;
// record "20130101:0910": P 3950.1 W, G(i) 423.28, H_sun 14.8.
func TestSeriescalcJSON(t *testing.T) {
	s := mustRead(t, "testdata/pvgis_seriescalc_2axis.json", Options{})
	if len(s.Records) != 10 || s.Mounting != "two_axis" || !math.IsNaN(s.PlaneTiltDeg) || s.PeakPowerKW != 10 {
		t.Fatalf("%d records, mounting %q, tilt %v, peak %v", len(s.Records), s.Mounting, s.PlaneTiltDeg, s.PeakPowerKW)
	}
	r := s.Records[9]
	sameTime(t, "Sun", r.Sun, "2013-01-01T09:10:00Z")
	near(t, "P", r.PowerW, 3950.1, 0)
	near(t, "G(i)", r.POAGlobalWm2, 423.28, 0)
	near(t, "H_sun", r.SunHeightDeg, 14.8, 0)
	if !math.IsNaN(r.GHIWm2) {
		t.Error("GHI must be NaN for a tracker")
	}
	// An explicit offset replaces the stamp minutes.
	o := mustRead(t, "testdata/pvgis_seriescalc_2axis.json", Options{IrradianceTimeOffsetH: f64(0.5)})
	sameTime(t, "Sun with offset 0.5 h", o.Records[9].Sun, "2013-01-01T09:30:00Z")
}

func TestSitesFixture(t *testing.T) {
	all, err := ReadSites("testdata/pvgis_sites_2x24h.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || len(all[0].Records) != 24 || len(all[1].Records) != 24 {
		t.Fatalf("sites %d", len(all))
	}
	if all[0].LatDeg != 48.400002 || all[1].LatDeg != 43.62505 {
		t.Errorf("lats %v %v", all[0].LatDeg, all[1].LatDeg)
	}
	off := 0.0
	s, err := Read("testdata/pvgis_sites_2x24h.csv", Options{Site: 1, IrradianceTimeOffsetH: &off})
	if err != nil {
		t.Fatal(err)
	}
	sameTime(t, "Sun with offset 0", s.Records[0].Sun, "2022-01-01T00:00:00Z")
}

// pvwatts_roofmount_48h.csv line 31 = "1,1,12,...": hour 12 MST = 19:00 UTC.
func TestPVWattsFixture(t *testing.T) {
	s := mustRead(t, "testdata/pvwatts_roofmount_48h.csv", Options{})
	if len(s.Records) != 48 || s.Mounting != "Fixed (roof mount)" || s.Site != "15013 Denver W Pkwy" {
		t.Fatalf("%d records, mounting %q, site %q", len(s.Records), s.Mounting, s.Site)
	}
	r := s.Records[12]
	sameTime(t, "Start", r.Start, "1990-01-01T19:00:00Z")
	sameTime(t, "Sun", r.Sun, "1990-01-01T19:30:00Z")
	line := strings.Split(readLine(t, "testdata/pvwatts_roofmount_48h.csv", 31), ",")
	for i, got := range []float64{r.DNIWm2, r.DHIWm2, r.TempAirC, r.WindMS, r.POAGlobalWm2, r.CellTempC, r.DCW, r.ACW} {
		want, err := (pos{}).num("", line[3+i])
		if err != nil {
			t.Fatal(err)
		}
		near(t, "column "+line[3+i], got, want, 0)
	}
}

func readLine(t *testing.T, path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(string(b), "\n")[n-1]
}

// The generic fixture is the EPW fixture converted: every value must agree.
func TestGenericMatchesEPW(t *testing.T) {
	g := mustRead(t, "testdata/generic_larochelle_2days.csv", Options{LatDeg: f64(46.1781), LonDeg: f64(-1.1931)})
	e := mustRead(t, "testdata/epw_larochelle_2days.epw", Options{})
	if len(g.Records) != len(e.Records) || g.UTCOffsetH != 1 || g.ElevationM != 0 {
		t.Fatalf("%d vs %d records, offset %v, elevation %v", len(g.Records), len(e.Records), g.UTCOffsetH, g.ElevationM)
	}
	if !reflect.DeepEqual(g.IgnoredColumns, []string{"relative_humidity"}) {
		t.Errorf("IgnoredColumns %v", g.IgnoredColumns)
	}
	for i := range g.Records {
		a, b := g.Records[i], e.Records[i]
		if !a.Start.Equal(b.Start) || !a.Sun.Equal(b.Sun) || a.GHIWm2 != b.GHIWm2 || a.DNIWm2 != b.DNIWm2 ||
			a.DHIWm2 != b.DHIWm2 || a.TempAirC != b.TempAirC || a.WindMS != b.WindMS {
			t.Fatalf("record %d: generic %+v epw %+v", i, a, b)
		}
	}
	// One empty component is allowed (NaN).
	b, _ := os.ReadFile("testdata/generic_larochelle_2days.csv")
	one := strings.Replace(string(b), "2005-01-01T12:00:00+01:00,93,0,93,", "2005-01-01T12:00:00+01:00,,0,93,", 1)
	s, err := ReadFrom(strings.NewReader(one), "one_empty.csv", Options{LatDeg: f64(46), LonDeg: f64(-1)})
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(s.Records[12].GHIWm2) || s.Records[12].DHIWm2 != 93 {
		t.Errorf("record 13: %+v", s.Records[12])
	}
}

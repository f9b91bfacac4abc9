package weather

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/gisement/gisement/internal/shareddata"
)

// sums returns annual sums in kWh/m² (W·h/1000 per record, StepH = 1) and the mean temperature.
func sums(s *Series) (ghi, dni, dhi, meanT float64) {
	for _, r := range s.Records {
		ghi += r.GHIWm2 / 1000
		dni += r.DNIWm2 / 1000
		dhi += r.DHIWm2 / 1000
		meanT += r.TempAirC
	}
	return ghi, dni, dhi, meanT / float64(len(s.Records))
}

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.6g, want %.6g ± %g", what, got, want, tol)
	}
}

func sameTime(t *testing.T, what string, got time.Time, want string) {
	t.Helper()
	w, err := time.Parse(time.RFC3339Nano, want)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(w) || got.Location() != time.UTC {
		t.Errorf("%s = %s, want %s (UTC)", what, got.Format(time.RFC3339Nano), want)
	}
}

// Expected values: shared/data/SOURCES.md §1 (measured by the data helper,
// rounded to 0.1 kWh/m² and 0.01 °C, hence the tolerances).
func TestEPWRealFiles(t *testing.T) {
	for _, tc := range []struct {
		file                 string
		lat, lon, elev, tz   float64
		ghi, dni, dhi, meanT float64
	}{
		{"weather/FRA_AC_La.Rochelle.Intl.AP.073160_TMYx.epw.gz", 46.1781, -1.1931, 18, 1, 1377.9, 1303.8, 588.9, 13.12},
		{"weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw.gz", 45.7261, 4.9378, 198, 1, 1321.0, 1131.5, 640.7, 13.02},
		{"weather/FRA_AR_Grenoble.074850_TMYx.epw.gz", 45.167, 5.767, 212, 1, 1472.2, 1331.9, 640.1, 11.06},
	} {
		t.Run(tc.file, func(t *testing.T) {
			s, err := Read(shareddata.Path(t, tc.file), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if s.Format != FormatEPW || len(s.Records) != 8760 || !s.TypicalYear {
				t.Fatalf("format %s, %d records, typical %v; want epw, 8760, true", s.Format, len(s.Records), s.TypicalYear)
			}
			near(t, "lat", s.LatDeg, tc.lat, 1e-9)
			near(t, "lon", s.LonDeg, tc.lon, 1e-9)
			near(t, "elevation", s.ElevationM, tc.elev, 1e-9)
			near(t, "UTC offset", s.UTCOffsetH, tc.tz, 0)
			ghi, dni, dhi, meanT := sums(s)
			near(t, "GHI kWh/m²", ghi, tc.ghi, 0.05)
			near(t, "DNI kWh/m²", dni, tc.dni, 0.05)
			near(t, "DHI kWh/m²", dhi, tc.dhi, 0.05)
			near(t, "mean T °C", meanT, tc.meanT, 0.005)
			// Hour 1 of 1 Jan = 00:00–01:00 LST (UTC+1) on ReferenceYear 1990
			// = 1989-12-31 23:00–24:00 UTC; sun at its midpoint.
			sameTime(t, "first Start", s.Records[0].Start, "1989-12-31T23:00:00Z")
			sameTime(t, "first Sun", s.Records[0].Sun, "1989-12-31T23:30:00Z")
			sameTime(t, "last Start", s.Records[8759].Start, "1990-12-31T22:00:00Z")
			if len(s.Missing) != 0 || s.ClampedNegative != 0 {
				t.Errorf("missing %v clamped %d, want none (SOURCES.md: no bad rows)", s.Missing, s.ClampedNegative)
			}
		})
	}
}

func TestPVGISTMYRealFiles(t *testing.T) {
	csvS, err := Read(shareddata.Path(t, "weather/pvgis_format_fixtures/tmy_45.000_8.000_2005_2023.csv.gz"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	jsonS, err := Read(shareddata.Path(t, "weather/pvgis_format_fixtures/tmy_45.000_8.000_2005_2023.json.gz"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Series{csvS, jsonS} {
		if len(s.Records) != 8760 || !s.TypicalYear {
			t.Fatalf("%s: %d records, typical %v", s.Format, len(s.Records), s.TypicalYear)
		}
		near(t, s.Format+" lat", s.LatDeg, 45, 0)
		near(t, s.Format+" lon", s.LonDeg, 8, 0)
		near(t, s.Format+" elev", s.ElevationM, 250, 0)
		// Irradiance Time Offset (h): 0.1761 → sun 10 min 33.96 s after HH:00 UTC.
		near(t, s.Format+" offset", s.IrradianceTimeOffsetH, 0.1761, 1e-9)
		sameTime(t, s.Format+" first Start", s.Records[0].Start, "1990-01-01T00:00:00Z")
		sameTime(t, s.Format+" first Sun", s.Records[0].Sun, "1990-01-01T00:10:33.96Z")
		sameTime(t, s.Format+" last Start", s.Records[8759].Start, "1990-12-31T23:00:00Z")
		// Row 20180101:0900 of both files: G(h) 149.0, Gb(n) 125.3, Gd(h) 117.0, T2m 3.23, SP 99600 Pa.
		r := s.Records[9]
		near(t, s.Format+" G(h)", r.GHIWm2, 149, 0)
		near(t, s.Format+" Gb(n)", r.DNIWm2, 125.3, 0)
		near(t, s.Format+" Gd(h)", r.DHIWm2, 117, 0)
		near(t, s.Format+" T2m", r.TempAirC, 3.23, 0)
		near(t, s.Format+" SP", r.PressureHPa, 996, 1e-9)
	}
	// CSV and JSON are the same TMY: every record must agree exactly.
	for i := range csvS.Records {
		if !recordsEqualNaN(csvS.Records[i], jsonS.Records[i]) {
			t.Fatalf("record %d differs: csv %+v json %+v", i, csvS.Records[i], jsonS.Records[i])
		}
	}
}

// recordsEqualNaN compares records treating NaN == NaN.
func recordsEqualNaN(a, b Record) bool {
	eq := func(x, y float64) bool { return x == y || (math.IsNaN(x) && math.IsNaN(y)) }
	return a.Start.Equal(b.Start) && a.Sun.Equal(b.Sun) && eq(a.GHIWm2, b.GHIWm2) && eq(a.DNIWm2, b.DNIWm2) &&
		eq(a.DHIWm2, b.DHIWm2) && eq(a.TempAirC, b.TempAirC) && eq(a.WindMS, b.WindMS) && eq(a.PressureHPa, b.PressureHPa) &&
		eq(a.POAGlobalWm2, b.POAGlobalWm2) && eq(a.POABeamWm2, b.POABeamWm2) && eq(a.POADiffuseWm2, b.POADiffuseWm2) &&
		eq(a.POAGroundWm2, b.POAGroundWm2) && eq(a.SunHeightDeg, b.SunHeightDeg) && eq(a.PowerW, b.PowerW) &&
		eq(a.CellTempC, b.CellTempC) && eq(a.DCW, b.DCW) && eq(a.ACW, b.ACW)
}

// SOURCES.md: annual PV energy Brest 1168.4 kWh/kWp, Montpellier 1431.9;
// mean WS10m 4.92 / 3.21 m/s; 8760 rows per point.
func TestPVGISSitesRealFile(t *testing.T) {
	p := shareddata.Path(t, "weather/pvgis_seriescalc_2022_brest_montpellier_1kWp_horizontal.csv.gz")
	_, err := Read(p, Options{})
	if !errors.Is(err, ErrMultipleSites) {
		t.Fatalf("Read without Site: err %v, want ErrMultipleSites", err)
	}
	all, err := ReadSites(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 {
		t.Fatalf("%d sites, want 2", len(all))
	}
	for i, want := range []struct{ lat, lon, kWh, wind float64 }{{48.400002, -4.48333, 1168.4, 4.92}, {43.62505, 3.862038, 1431.9, 3.21}} {
		s := all[i]
		if len(s.Records) != 8760 {
			t.Fatalf("site %d: %d records", i+1, len(s.Records))
		}
		near(t, "lat", s.LatDeg, want.lat, 0)
		near(t, "lon", s.LonDeg, want.lon, 0)
		var e, w float64
		for _, r := range s.Records {
			e += r.PowerW / 1000
			w += r.WindMS
		}
		near(t, "PV kWh/kWp", e, want.kWh, 0.05)
		near(t, "mean wind", w/8760, want.wind, 0.005)
		sameTime(t, "first Start", s.Records[0].Start, "2022-01-01T00:00:00Z")
		sameTime(t, "first Sun", s.Records[0].Sun, "2022-01-01T00:10:00Z")
		if !math.IsNaN(s.PlaneTiltDeg) || !math.IsNaN(s.Records[0].GHIWm2) {
			t.Errorf("plane/GHI should be NaN: tilt %v GHI %v", s.PlaneTiltDeg, s.Records[0].GHIWm2)
		}
	}
	s2, err := Read(p, Options{Site: 2})
	if err != nil || s2.LonDeg != 3.862038 {
		t.Fatalf("Site 2: %v, %v", err, s2)
	}
}

// pvwatts_8760_*.csv Totals rows (Beam 2041421, Diffuse 550373 Wh/m²; AC
// 5938052.618 / 6023.67 kWh per SOURCES.md) and its header (Denver, 39.73 N,
// 105.18 W, 1819.6 m, tilt 20, azimuth 180, 4 kW).
func TestPVWattsRealFiles(t *testing.T) {
	for _, tc := range []struct {
		file                     string
		beamWh, diffuseWh, acKWh float64
		acTol                    float64
	}{
		{"reference/pvwatts/pvwatts_8760_roofmount.csv.gz", 2041421, 550373, 5938.052618, 1e-6},
		{"reference/pvwatts/pvwatts_8760_rackmount.csv.gz", math.NaN(), math.NaN(), 6023.67, 0.005},
	} {
		t.Run(tc.file, func(t *testing.T) {
			s, err := Read(shareddata.Path(t, tc.file), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Records) != 8760 || s.Format != FormatPVWatts {
				t.Fatalf("%d records, format %s", len(s.Records), s.Format)
			}
			near(t, "lat", s.LatDeg, 39.73, 0)
			near(t, "lon (east positive)", s.LonDeg, -105.18, 0)
			near(t, "elev", s.ElevationM, 1819.599976, 0)
			near(t, "UTC offset = round(lon/15)", s.UTCOffsetH, -7, 0)
			near(t, "tilt", s.PlaneTiltDeg, 20, 0)
			near(t, "azimuth", s.PlaneAzimuthDeg, 180, 0)
			near(t, "DC size", s.PeakPowerKW, 4, 0)
			var beam, diff, ac float64
			for _, r := range s.Records {
				beam += r.DNIWm2
				diff += r.DHIWm2
				ac += r.ACW / 1000
				if !math.IsNaN(r.GHIWm2) {
					t.Fatal("PVWatts GHI should be NaN")
				}
			}
			if !math.IsNaN(tc.beamWh) {
				near(t, "beam Wh/m²", beam, tc.beamWh, 0.5)
				near(t, "diffuse Wh/m²", diff, tc.diffuseWh, 0.5)
			}
			near(t, "AC kWh", ac, tc.acKWh, tc.acTol)
			// Hour 0 of 1 Jan = 00:00–01:00 MST (UTC−7) = 07:00 UTC.
			sameTime(t, "first Start", s.Records[0].Start, "1990-01-01T07:00:00Z")
			sameTime(t, "first Sun", s.Records[0].Sun, "1990-01-01T07:30:00Z")
		})
	}
	off := 0.0
	s, err := Read(shareddata.Path(t, "reference/pvwatts/pvwatts_8760_roofmount.csv.gz"), Options{UTCOffsetH: &off})
	if err != nil {
		t.Fatal(err)
	}
	sameTime(t, "first Start with UTCOffsetH=0", s.Records[0].Start, "1990-01-01T00:00:00Z")
}

package weather

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// fuzzRead reads data with the given options, and checks the invariants of
// a successful read and that every failure is a *ParseError.
func fuzzRead(t *testing.T, data []byte, o Options) {
	all, err := ReadSitesFrom(bytes.NewReader(data), "fuzz", o)
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("error %T is not a *ParseError: %v", err, err)
		}
		if pe.Err == nil || pe.Error() == "" {
			t.Fatalf("empty ParseError %#v", pe)
		}
		return
	}
	for _, s := range all {
		if len(s.Records) == 0 {
			t.Fatal("success with no records")
		}
		if !(math.IsNaN(s.LatDeg) || math.Abs(s.LatDeg) <= 90) || !(math.IsNaN(s.LonDeg) || math.Abs(s.LonDeg) <= 180) {
			t.Fatalf("site %v %v out of range", s.LatDeg, s.LonDeg)
		}
		for i, r := range s.Records {
			if r.Sun.Before(r.Start) || !r.Sun.Before(r.Start.Add(time.Hour)) {
				t.Fatalf("record %d: Sun %v outside [Start %v, +1h)", i, r.Sun, r.Start)
			}
			if i > 0 && r.Start.Sub(s.Records[i-1].Start) != time.Hour {
				t.Fatalf("record %d: not one hour after the previous", i)
			}
			for _, v := range []float64{r.GHIWm2, r.DNIWm2, r.DHIWm2, r.POAGlobalWm2, r.POABeamWm2, r.POADiffuseWm2, r.POAGroundWm2} {
				if v < 0 || v > MaxIrradianceWm2 || math.IsInf(v, 0) {
					t.Fatalf("record %d: irradiance %v", i, v)
				}
			}
		}
	}
}

func addSeeds(f *testing.F, names ...string) {
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func FuzzEPW(f *testing.F) {
	addSeeds(f, "epw_larochelle_2days.epw", "epw_missing_codes.epw", "epw_truncated.epw", "epw_nonmonotonic.epw", "epw_lat95.epw")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, Options{Format: FormatEPW})
		fuzzRead(t, data, Options{})
	})
}

func FuzzPVGISTMYCSV(f *testing.F) {
	addSeeds(f, "pvgis_tmy_24h.csv", "pvgis_tmy_missing_column.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, Options{Format: FormatPVGISTMYCSV})
		fuzzRead(t, data, Options{})
	})
}

func FuzzPVGISJSON(f *testing.F) {
	addSeeds(f, "pvgis_tmy_24h.json", "pvgis_seriescalc_2axis.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, Options{Format: FormatPVGISSeriescalcJSON})
		fuzzRead(t, data, Options{})
	})
}

func FuzzSeriescalcCSV(f *testing.F) {
	addSeeds(f, "pvgis_seriescalc_30deg.csv", "pvgis_sites_2x24h.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, Options{Format: FormatPVGISSeriescalcCSV})
		fuzzRead(t, data, Options{Format: FormatPVGISSitesCSV})
		fuzzRead(t, data, Options{})
	})
}

func FuzzPVWatts(f *testing.F) {
	addSeeds(f, "pvwatts_roofmount_48h.csv", "pvwatts_no_totals.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, Options{Format: FormatPVWatts})
		fuzzRead(t, data, Options{})
	})
}

func FuzzGenericCSV(f *testing.F) {
	addSeeds(f, "generic_larochelle_2days.csv", "generic_two_missing.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, Options{Format: FormatGenericCSV, LatDeg: f64(46), LonDeg: f64(-1)})
		fuzzRead(t, data, Options{LatDeg: f64(46), LonDeg: f64(-1)})
	})
}

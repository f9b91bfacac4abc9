package solar

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/gisement/gisement/internal/shareddata"
)

// The pvlib fixture test_read_pvgis_horizon.csv (PVGIS printhorizon for
// 45° N 8° E after pvlib's +180° conversion, north = 0): 48 rows, 7.5° step.
func TestReadPVGISHorizonFixture(t *testing.T) {
	p := shareddata.Path(t, "weather/pvgis_format_fixtures/test_read_pvgis_horizon.csv.gz")
	h, err := ReadHorizonFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.ElevationDeg) != 48 {
		t.Fatalf("%d directions, want 48", len(h.ElevationDeg))
	}
	// Values from the file: 0° → 9.9, 180° → 4.6, 270° → 0; 3.75° halfway 9.9/13.
	for _, c := range []struct{ az, want float64 }{{0, 9.9}, {180, 4.6}, {270, 0}, {3.75, 11.45}, {356.25, 9.55}} {
		if got := h.ElevationAt(c.az); abs(got-c.want) > 1e-9 {
			t.Errorf("ElevationAt(%g) = %g, want %g", c.az, got, c.want)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestReadPVGISRawHorizon(t *testing.T) {
	// PVGIS printhorizon CSV layout (A: 0 = south, −90 = east), synthetic values.
	var b strings.Builder
	b.WriteString("Latitude (decimal degrees):\t45.000\nLongitude (decimal degrees):\t8.000\n\nA\tH_hor\tA_sun(w)\tH_sun(w)\tA_sun(s)\tH_sun(s)\n")
	for i := 0; i <= 8; i++ {
		a := -180 + 45*i
		b.WriteString(strings.Join([]string{itoa(a), itoa(i), "0", "0", "0", "0"}, "\t") + "\n")
	}
	b.WriteString("\nA: Azimuth (0 = S, 90 = W, -90 = E) (degree)\n")
	h, err := ReadHorizon(strings.NewReader(b.String()), "raw.csv")
	if err != nil {
		t.Fatal(err)
	}
	// PVGIS A = −180 (north) has H 0 → our index 0; A = 0 (south) H 4 → 180°.
	if len(h.ElevationDeg) != 8 || h.ElevationDeg[0] != 0 || h.ElevationAt(180) != 4 || h.ElevationAt(90) != 2 {
		t.Fatalf("converted horizon %v", h.ElevationDeg)
	}
}

func itoa(i int) string {
	return strings.TrimSpace(strings.Replace(string(rune('0'+0)), "0", "", 1) + fmtInt(i))
}

func fmtInt(i int) string {
	if i < 0 {
		return "-" + fmtInt(-i)
	}
	if i < 10 {
		return string(rune('0' + i))
	}
	return fmtInt(i/10) + string(rune('0'+i%10))
}

func TestReadHorizonErrors(t *testing.T) {
	cases := []struct {
		name, in, field string
		err             error
		line            int
	}{
		{"no header", "1,2\n", "", ErrHorizonFormat, 1},
		{"bad elevation", "horizon_azimuth,horizon_elevation\n0,1\n90,x\n", "horizon_elevation", ErrHorizonValue, 3},
		{"elevation range", "horizon_azimuth,horizon_elevation\n0,1\n90,95\n", "horizon_elevation", ErrHorizonRange, 3},
		{"uneven", "horizon_azimuth,horizon_elevation\n0,1\n90,1\n200,1\n270,1\n", "horizon_azimuth", ErrHorizonSpacing, 4},
		{"short", "horizon_azimuth,horizon_elevation\n0,1\n180,1\n", "", ErrHorizonTooShort, 3},
	}
	for _, c := range cases {
		_, err := ReadHorizon(strings.NewReader(c.in), "h.csv")
		var pe *HorizonParseError
		if !errors.As(err, &pe) || !errors.Is(err, c.err) || pe.Field != c.field || pe.Line != c.line || pe.File != "h.csv" {
			t.Errorf("%s: got %v (%+v)", c.name, err, pe)
		}
	}
}

func FuzzHorizonCSV(f *testing.F) {
	f.Add([]byte("horizon_azimuth,horizon_elevation\n0,9.9\n90,13\n180,4.6\n270,0\n"))
	f.Add([]byte("A\tH_hor\n-180\t1\n-90\t2\n0\t3\n90\t4\n180\t1\n"))
	f.Add([]byte("horizon_azimuth,horizon_elevation\n0,NaN\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ReadHorizon(bytes.NewReader(data), "fuzz")
		if err != nil {
			var pe *HorizonParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error not a *HorizonParseError: %v", err)
			}
			return
		}
		if len(h.ElevationDeg) < 4 {
			t.Fatalf("accepted %d directions", len(h.ElevationDeg))
		}
		for _, e := range h.ElevationDeg {
			if !(e >= -90 && e <= 90) {
				t.Fatalf("accepted elevation %g", e)
			}
		}
		_ = h.ElevationAt(123.4)
		_ = h.SkyViewReduction(30, 180)
	})
}

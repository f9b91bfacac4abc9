package econ

import (
	"bytes"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gisement/gisement/internal/shareddata"
)

// The embedded copies must be the shared data files, byte for byte.
func TestEmbeddedProfilesMatchSharedData(t *testing.T) {
	for _, name := range []string{"bdew_h25.csv", "bdew_g25.csv", "bdew_l25.csv"} {
		p := shareddata.Path(t, "loadprofiles/"+name)
		want, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := bdewFiles.ReadFile("loadprofiles/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: embedded copy differs from the shared data file", name)
		}
	}
}

// Summing the tables over the 2025 calendar with holidays as working days
// (no DST, no dynamisation) must give the totals measured independently in
// the shared data's SOURCES.md: 998,627 (H25), 1,018,013 (G25), 1,000,191
// (L25) kWh.
func TestBDEWTableAnnualSums(t *testing.T) {
	for k, want := range map[ProfileKind]float64{ProfileH25: 998627, ProfileG25: 1018013, ProfileL25: 1000191} {
		p, err := EmbeddedBDEWProfile(k)
		if err != nil {
			t.Fatal(err)
		}
		s := 0.0
		for d := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == 2025; d = d.AddDate(0, 0, 1) {
			dt := dayWorking
			switch d.Weekday() {
			case time.Saturday:
				dt = daySaturday
			case time.Sunday:
				dt = daySunday
			}
			for q := 0; q < 96; q++ {
				s += p.QH[d.Month()-1][dt][q]
			}
		}
		if math.Abs(s-want) > 1 {
			t.Errorf("%s: 2025 sum %.1f kWh, SOURCES.md measured %.0f", k, s, want)
		}
	}
}

func TestHourlyLoadScalingDSTHolidaysDynamisation(t *testing.T) {
	p, err := EmbeddedBDEWProfile(ProfileH25)
	if err != nil {
		t.Fatal(err)
	}
	l, err := p.HourlyLoad(2025, 4700)
	if err != nil {
		t.Fatal(err)
	}
	if len(l) != 8760 {
		t.Fatalf("%d hours, want 8760", len(l))
	}
	s := 0.0
	for _, v := range l {
		s += v
	}
	if math.Abs(s-4700) > 1e-6 {
		t.Errorf("sum %.9f kWh, want 4700", s)
	}
	// The scale factor k links every hour to the table: recover it from
	// 1 January 00:00 CET (winter, holiday → FT, day 1).
	raw := func(m, d, legalHour, doy int) float64 {
		q := 4 * legalHour
		v := p.QH[m][d][q] + p.QH[m][d][q+1] + p.QH[m][d][q+2] + p.QH[m][d][q+3]
		return v * BDEWDynamisationFactor(doy)
	}
	k := l[0] / raw(0, daySunday, 0, 1)
	// 15 July 2025 (Tuesday) 12:00–13:00 CET is 13:00–14:00 CEST.
	h := (time.Date(2025, 7, 15, 12, 0, 0, 0, cet).Sub(time.Date(2025, 1, 1, 0, 0, 0, 0, cet))).Hours()
	if got, want := l[int(h)], k*raw(6, dayWorking, 13, 196); math.Abs(got-want) > 1e-12 {
		t.Errorf("15 July 12:00 CET: %g, want the WT 13:00 legal-hour value %g", got, want)
	}
	// 14 July 2025 is a Monday and a public holiday: FT table.
	h = (time.Date(2025, 7, 14, 10, 0, 0, 0, cet).Sub(time.Date(2025, 1, 1, 0, 0, 0, 0, cet))).Hours()
	if got, want := l[int(h)], k*raw(6, daySunday, 11, 195); math.Abs(got-want) > 1e-12 {
		t.Errorf("14 July 10:00 CET: %g, want the FT value %g", got, want)
	}
	// 3 February 2025, Monday, winter: no DST shift.
	h = (time.Date(2025, 2, 3, 18, 0, 0, 0, cet).Sub(time.Date(2025, 1, 1, 0, 0, 0, 0, cet))).Hours()
	if got, want := l[int(h)], k*raw(1, dayWorking, 18, 34); math.Abs(got-want) > 1e-12 {
		t.Errorf("3 Feb 18:00 CET: %g, want %g", got, want)
	}
	// G25 is static: no dynamisation.
	g, err := EmbeddedBDEWProfile(ProfileG25)
	if err != nil {
		t.Fatal(err)
	}
	if ProfileG25.Dynamic() || ProfileL25.Dynamic() || !ProfileH25.Dynamic() {
		t.Error("only H25 is dynamic among H25/G25/L25")
	}
	if _, err := g.HourlyLoad(2025, -1); err == nil {
		t.Error("negative annual use accepted")
	}
	if ll, err := g.HourlyLoad(2024, 1000); err != nil || len(ll) != 8784 {
		t.Errorf("leap year 2024: %d hours, %v; want 8784", len(ll), err)
	}
}

func TestBDEWDynamisationFactor(t *testing.T) {
	// Hand-computed from the polynomial.
	for _, c := range []struct {
		t    int
		want float64
	}{{1, -3.92e-10 + 3.2e-7 - 7.02e-5 + 2.1e-3 + 1.24}, {200, -3.92e-10*1.6e9 + 3.2e-7*8e6 - 7.02e-5*4e4 + 2.1e-3*200 + 1.24}} {
		if got := BDEWDynamisationFactor(c.t); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("F(%d) = %.12f, want %.12f", c.t, got, c.want)
		}
	}
	if f1, f200 := BDEWDynamisationFactor(1), BDEWDynamisationFactor(200); !(f1 > 1.2 && f200 < 0.8) {
		t.Errorf("F(1) = %g, F(200) = %g: winter should be raised, summer lowered", f1, f200)
	}
}

func TestEasterAndHolidays(t *testing.T) {
	for y, want := range map[int]string{2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2038: "2038-04-25"} {
		if got := easterSunday(y).Format("2006-01-02"); got != want {
			t.Errorf("Easter %d = %s, want %s", y, got, want)
		}
	}
	if n := len(frenchHolidays(2025)); n != 11 {
		t.Errorf("2025: %d distinct holidays, want 11", n)
	}
}

func TestReadBDEWProfileErrors(t *testing.T) {
	good, err := bdewFiles.ReadFile("loadprofiles/bdew_h25.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(good), "\n")
	mut := func(i int, f func(string) string) string {
		c := append([]string(nil), lines...)
		c[i] = f(c[i])
		return strings.Join(c, "\n")
	}
	for name, c := range map[string]struct {
		text, want string
	}{
		"empty":    {"", "t.csv:1: empty file"},
		"month":    {mut(0, func(s string) string { return strings.Replace(s, "Februar", "Feb", 1) }), "t.csv:1: column 5: month"},
		"day type": {mut(1, func(s string) string { return strings.Replace(s, "SA", "XX", 1) }), "t.csv:2: column 2: day type \"XX\""},
		"unit":     {mut(1, func(s string) string { return strings.Replace(s, "[kWh]", "[kW]", 1) }), "t.csv:2: column 1: unit"},
		"time":     {mut(5, func(s string) string { return strings.Replace(s, "00:45-01:00", "00:45-01:15", 1) }), "t.csv:6: column 1: time"},
		"negative": {mut(10, func(s string) string {
			i := strings.Index(s, ",")
			return s[:i+1] + "-1" + s[strings.Index(s[i+1:], ",")+i+1:]
		}), "t.csv:11: column 2: energy -1"},
		"not a number": {mut(10, func(s string) string {
			i := strings.Index(s, ",")
			return s[:i+1] + "abc" + s[strings.Index(s[i+1:], ",")+i+1:]
		}), "t.csv:11: column 2: energy \"abc\""},
		"truncated":     {strings.Join(lines[:50], "\n"), "t.csv:51: file ends after 48 quarter-hours"},
		"extra line":    {string(good) + "\nx,1\n", "extra line"},
		"short columns": {mut(20, func(s string) string { return s[:strings.LastIndex(s, ",")] }), "t.csv:21: 36 columns, want 37"},
	} {
		_, err := ReadBDEWProfile(strings.NewReader(c.text), "t.csv", ProfileH25)
		if err == nil || !errors.Is(err, ErrLoadProfile) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, c.want)
		}
	}
}

func FuzzReadBDEWProfile(f *testing.F) {
	for _, n := range []string{"bdew_h25.csv", "bdew_g25.csv", "bdew_l25.csv"} {
		b, err := bdewFiles.ReadFile("loadprofiles/" + n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte("\ufeff,Januar\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ReadBDEWProfile(bytes.NewReader(b), "fuzz.csv", ProfileH25)
		if err != nil {
			if !errors.Is(err, ErrLoadProfile) {
				t.Fatalf("error %v does not wrap ErrLoadProfile", err)
			}
			return
		}
		for m := range p.QH {
			for d := range p.QH[m] {
				for q, v := range p.QH[m][d] {
					if !(v >= 0) || math.IsInf(v, 0) {
						t.Fatalf("accepted value %g at month %d day type %d quarter %d", v, m, d, q)
					}
				}
			}
		}
		if l, err := p.HourlyLoad(2025, 1000); err == nil {
			s := 0.0
			for _, v := range l {
				if !(v >= 0) {
					t.Fatalf("hourly load %g < 0", v)
				}
				s += v
			}
			if math.Abs(s-1000) > 1e-6 {
				t.Fatalf("hourly load sums to %g, want 1000", s)
			}
		}
	})
}

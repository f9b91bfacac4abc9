package econ

import (
	"bufio"
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// ProfileKind names a BDEW 2025 standard load profile.
type ProfileKind string

const (
	// ProfileH25: households (dynamic: the table is multiplied by the BDEW
	// 4th-degree dynamisation polynomial of the day of year).
	ProfileH25 ProfileKind = "H25"
	// ProfileG25: commerce, trade and services (static).
	ProfileG25 ProfileKind = "G25"
	// ProfileL25: agriculture (static).
	ProfileL25 ProfileKind = "L25"
)

// Day types of the BDEW 2025 tables.
const (
	dayWorking  = iota // WT: Monday–Friday
	daySaturday        // SA
	daySunday          // FT: Sunday or public holiday
)

// BDEWProfile is one BDEW 2025 standard load profile table: for each month
// (0 = January) and day type (working day, Saturday, Sunday/holiday), the
// energy of each of the 96 quarter-hours of the local legal-time day, kWh,
// for a customer using 1,000,000 kWh/yr.
//
// Source: BDEW, "Standardlastprofile Strom" 2025 revision (H25, G25, L25),
// as distributed by oemof demandlib (MIT), src/demandlib/bdew/bdew_data,
// commit 109c1c8 (2025-04-09). German profiles, used as a documented proxy
// for French consumers until Enedis profiles are at hand.
type BDEWProfile struct {
	Kind ProfileKind
	// QH[month][dayType][quarterHour], kWh per quarter-hour.
	QH [12][3][96]float64
}

//go:embed loadprofiles/bdew_h25.csv loadprofiles/bdew_g25.csv loadprofiles/bdew_l25.csv
var bdewFiles embed.FS

// EmbeddedBDEWProfile returns the embedded copy of a BDEW 2025 profile (see
// loadprofiles/README.md for provenance).
func EmbeddedBDEWProfile(k ProfileKind) (*BDEWProfile, error) {
	name := map[ProfileKind]string{ProfileH25: "bdew_h25.csv", ProfileG25: "bdew_g25.csv", ProfileL25: "bdew_l25.csv"}[k]
	if name == "" {
		return nil, fmt.Errorf("load profile %q: want H25, G25 or L25", k)
	}
	b, err := bdewFiles.ReadFile("loadprofiles/" + name)
	if err != nil {
		return nil, err
	}
	return ReadBDEWProfile(bytes.NewReader(b), name, k)
}

// ErrLoadProfile marks a malformed load-profile file.
var ErrLoadProfile = errors.New("malformed load profile")

var germanMonths = [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"}

// ReadBDEWProfile parses a BDEW 2025 profile CSV in the demandlib layout:
//
//	line 1: "", then the German month names, three columns each
//	line 2: "[kWh]", then the day type of each column: SA, FT or WT
//	lines 3–98: "HH:MM-HH:MM" (quarter-hours 00:00-00:15 … 23:45-00:00),
//	            then 36 energies, kWh per quarter-hour (≥ 0)
//
// Errors name the file, line, column and problem. name is used in errors.
func ReadBDEWProfile(r io.Reader, name string, kind ProfileKind) (*BDEWProfile, error) {
	fail := func(line, col int, format string, a ...any) error {
		where := fmt.Sprintf("%s:%d", name, line)
		if col > 0 {
			where += fmt.Sprintf(": column %d", col)
		}
		return fmt.Errorf("%w: %s: %s", ErrLoadProfile, where, fmt.Sprintf(format, a...))
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<16)
	line := 0
	next := func() ([]string, bool) {
		if !sc.Scan() {
			return nil, false
		}
		line++
		t := strings.TrimRight(sc.Text(), "\r")
		if line == 1 {
			t = strings.TrimPrefix(t, "\ufeff")
		}
		return strings.Split(t, ","), true
	}
	p := &BDEWProfile{Kind: kind}
	hdr, ok := next()
	if !ok {
		if err := sc.Err(); err != nil {
			return nil, fail(1, 0, "%v", err)
		}
		return nil, fail(1, 0, "empty file")
	}
	if len(hdr) != 37 {
		return nil, fail(1, 0, "%d columns, want 37 (label + 12 months × 3 day types)", len(hdr))
	}
	for j := 1; j <= 36; j++ {
		if want := germanMonths[(j-1)/3]; strings.TrimSpace(hdr[j]) != want {
			return nil, fail(1, j+1, "month %q, want %q", hdr[j], want)
		}
	}
	dt, ok := next()
	if !ok {
		return nil, fail(2, 0, "missing day-type line")
	}
	if len(dt) != 37 {
		return nil, fail(2, 0, "%d columns, want 37", len(dt))
	}
	if strings.TrimSpace(dt[0]) != "[kWh]" {
		return nil, fail(2, 1, "unit %q, want [kWh]", dt[0])
	}
	colType := make([]int, 37)
	for m := 0; m < 12; m++ {
		seen := [3]bool{}
		for k := 0; k < 3; k++ {
			j := 1 + 3*m + k
			var t int
			switch strings.TrimSpace(dt[j]) {
			case "WT":
				t = dayWorking
			case "SA":
				t = daySaturday
			case "FT":
				t = daySunday
			default:
				return nil, fail(2, j+1, "day type %q, want SA, FT or WT", dt[j])
			}
			if seen[t] {
				return nil, fail(2, j+1, "day type %q repeated for %s", dt[j], germanMonths[m])
			}
			seen[t] = true
			colType[j] = t
		}
	}
	for q := 0; q < 96; q++ {
		rec, ok := next()
		if !ok {
			if err := sc.Err(); err != nil {
				return nil, fail(line+1, 0, "%v", err)
			}
			return nil, fail(line+1, 0, "file ends after %d quarter-hours, want 96", q)
		}
		if len(rec) != 37 {
			return nil, fail(line, 0, "%d columns, want 37", len(rec))
		}
		h0, m0 := q/4, 15*(q%4)
		h1, m1 := (q+1)/4, 15*((q+1)%4)
		want := fmt.Sprintf("%02d:%02d-%02d:%02d", h0, m0, h1, m1)
		got := strings.TrimSpace(rec[0])
		if q == 95 && got == "23:45-00:00" { // the files write midnight as 00:00
			got = want
		}
		if got != want {
			return nil, fail(line, 1, "time %q, want %q", rec[0], want)
		}
		for j := 1; j <= 36; j++ {
			v, err := strconv.ParseFloat(strings.TrimSpace(rec[j]), 64)
			if err != nil {
				return nil, fail(line, j+1, "energy %q: not a number", rec[j])
			}
			if !(v >= 0) || math.IsInf(v, 0) {
				return nil, fail(line, j+1, "energy %g: must be finite and ≥ 0", v)
			}
			p.QH[(j-1)/3][colType[j]][q] = v
		}
	}
	for {
		rec, ok := next()
		if !ok {
			break
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		return nil, fail(line, 0, "extra line after the 96 quarter-hours")
	}
	if err := sc.Err(); err != nil {
		return nil, fail(line+1, 0, "%v", err)
	}
	return p, nil
}

// Dynamic reports whether BDEW prescribes the dynamisation polynomial for
// the profile (H25, P25, S25; G25 and L25 are static).
func (k ProfileKind) Dynamic() bool { return k == ProfileH25 }

// BDEWDynamisationFactor is the BDEW dynamisation polynomial of the
// dynamic 2025 profiles (H25), applied to every quarter-hour of day t
// (t = 1 on 1 January):
//
//	F(t) = −3.92e−10 t⁴ + 3.2e−7 t³ − 7.02e−5 t² + 2.1e−3 t + 1.24
//
// Source: BDEW Standardlastprofile Strom (the same polynomial as H0),
// implemented identically in oemof demandlib DynamicBDEW25Profile.
func BDEWDynamisationFactor(dayOfYear int) float64 {
	t := float64(dayOfYear)
	return (((-3.92e-10*t+3.2e-7)*t-7.02e-5)*t+2.1e-3)*t + 1.24
}

// cet is French (and German) standard time, UTC+1.
var cet = time.FixedZone("CET", 3600)

// HourlyLoad returns the hourly demand, kWh, of a customer using annualKWh
// per year, for every hour of year (8760 or 8784 values), index h = hours
// since 1 January 00:00 local standard time (CET, UTC+1) — the time base
// of French typical-year weather files (EPW, PVGIS TMY shifted by +1 h).
//
// Each hour takes the four quarter-hours of the legal-time hour it falls in
// (CEST, UTC+2, between the last Sundays of March and October at 01:00
// UTC, Directive 2000/84/EC), on that legal date's month and day type:
// Saturdays SA; Sundays and French public holidays (Code du travail
// L3133-1: 1 Jan, Easter Monday, 1 and 8 May, Ascension, Whit Monday,
// 14 July, 15 Aug, 1 and 11 Nov, 25 Dec) FT; other days WT. Dynamic
// profiles (H25) are multiplied by BDEWDynamisationFactor of the legal
// day of year. The series is then scaled so that it sums to annualKWh
// exactly (the tables sum to ≈ 1,000,000 kWh for a given year, not
// exactly).
func (p *BDEWProfile) HourlyLoad(year int, annualKWh float64) ([]float64, error) {
	if !(annualKWh >= 0) || math.IsInf(annualKWh, 0) {
		return nil, fmt.Errorf("annual electricity use %g kWh: must be finite and ≥ 0", annualKWh)
	}
	if year < 1900 || year > 2200 {
		return nil, fmt.Errorf("year %d: want 1900–2200", year)
	}
	start := time.Date(year, 1, 1, 0, 0, 0, 0, cet)
	n := int(time.Date(year+1, 1, 1, 0, 0, 0, 0, cet).Sub(start).Hours())
	dstOn := lastSunday(year, time.March).Add(time.Hour)    // 01:00 UTC
	dstOff := lastSunday(year, time.October).Add(time.Hour) // 01:00 UTC
	hol := frenchHolidays(year)
	out := make([]float64, n)
	sum := 0.0
	for h := 0; h < n; h++ {
		u := start.Add(time.Duration(h) * time.Hour).UTC()
		off := 1
		if !u.Before(dstOn) && u.Before(dstOff) {
			off = 2
		}
		legal := u.Add(time.Duration(off) * time.Hour) // wall clock as UTC fields
		m := int(legal.Month()) - 1
		d := dayWorking
		switch {
		case legal.Weekday() == time.Sunday || hol[legal.YearDay()]:
			d = daySunday
		case legal.Weekday() == time.Saturday:
			d = daySaturday
		}
		q0 := 4 * legal.Hour()
		v := p.QH[m][d][q0] + p.QH[m][d][q0+1] + p.QH[m][d][q0+2] + p.QH[m][d][q0+3]
		if p.Kind.Dynamic() {
			v *= BDEWDynamisationFactor(legal.YearDay())
		}
		out[h] = v
		sum += v
	}
	if sum <= 0 {
		return nil, fmt.Errorf("load profile %s sums to %g over %d: cannot scale", p.Kind, sum, year)
	}
	k := annualKWh / sum
	for h := range out {
		out[h] *= k
	}
	return out, nil
}

// lastSunday returns 00:00 UTC of the last Sunday of month m.
func lastSunday(year int, m time.Month) time.Time {
	d := time.Date(year, m+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	for d.Weekday() != time.Sunday {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

// frenchHolidays returns the day-of-year set of the 11 French public
// holidays of year (Code du travail, art. L3133-1).
func frenchHolidays(year int) map[int]bool {
	e := easterSunday(year)
	days := []time.Time{
		time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC),
		e.AddDate(0, 0, 1), // lundi de Pâques
		time.Date(year, 5, 1, 0, 0, 0, 0, time.UTC),
		time.Date(year, 5, 8, 0, 0, 0, 0, time.UTC),
		e.AddDate(0, 0, 39), // Ascension
		e.AddDate(0, 0, 50), // lundi de Pentecôte
		time.Date(year, 7, 14, 0, 0, 0, 0, time.UTC),
		time.Date(year, 8, 15, 0, 0, 0, 0, time.UTC),
		time.Date(year, 11, 1, 0, 0, 0, 0, time.UTC),
		time.Date(year, 11, 11, 0, 0, 0, 0, time.UTC),
		time.Date(year, 12, 25, 0, 0, 0, 0, time.UTC),
	}
	s := make(map[int]bool, len(days))
	for _, d := range days {
		s[d.YearDay()] = true
	}
	return s
}

// easterSunday is the Gregorian Easter date (anonymous Gregorian algorithm,
// Meeus/Jones/Butcher, "Astronomical Algorithms", 2nd ed., ch. 8).
func easterSunday(y int) time.Time {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

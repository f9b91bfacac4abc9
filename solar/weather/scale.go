package weather

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/gisement/gisement/solar/spa"
)

// Scaling a reference weather year to a place ("site adaptation").
//
// Method: the hourly GHI, DNI and DHI of every period (the year, each quarter
// or each month) are multiplied by one factor so that the period's GHI sum
// equals a target — the long-term irradiation of the place from an
// irradiance grid. This is the linear (ratio-of-means) site adaptation
// reviewed by Polo et al. (2016), "Preliminary survey on site-adaptation
// techniques for satellite-derived and reanalysis solar radiation datasets",
// Solar Energy 132:25–37, doi:10.1016/j.solener.2016.03.001, applied per
// month or quarter as Meteonorm and PVGIS do when they match hourly series to
// monthly means (Remund et al., Meteonorm Handbook part II: Theory, Meteotest;
// Huld et al. 2012, "A new solar radiation database for estimating PV
// performance in Europe and Africa", Solar Energy 86:1803–1815,
// doi:10.1016/j.solener.2012.03.006, monthly averages). Scaling the three
// components by the same factor keeps each hour's diffuse fraction and the
// closure GHI = DNI·cos z + DHI.
//
// Physical bound: an hourly mean GHI cannot exceed the extraterrestrial
// irradiance on the horizontal plane, so a scaled hour is capped at
// kt ≤ KtMax (clearness index kt = GHI / (E0·max(cos z, 0.065)), the pvlib
// clearness_index convention with Spencer's E0); the shortfall of capped
// hours is redistributed over the others by raising the period's factor
// (fixed-point iteration), and a target that cannot be reached under the
// bound is an error, not a silent miss. An hour already above the bound in
// the file is never raised, and scaling down never caps.

// ErrScale is wrapped by errors of ScaleToPeriods.
var ErrScale = errors.New("cannot scale the weather year")

// DefaultKtMax is the default bound on the hourly clearness index of scaled
// hours: the hourly mean global irradiance does not exceed the
// extraterrestrial horizontal irradiance (kt = 1; cloud enhancement exceeds
// it only for minutes).
const DefaultKtMax = 1.0

// ScaleOptions configure ScaleToPeriods.
type ScaleOptions struct {
	// KtMax bounds the clearness index of scaled hours (0 = DefaultKtMax).
	KtMax float64
	// Tolerance is the relative miss of a period's target accepted
	// (0 = 0.1 %).
	Tolerance float64
}

// ScaleReport tells what ScaleToPeriods did.
type ScaleReport struct {
	// Periods is 1 (year), 4 (quarters) or 12 (months).
	Periods int
	// Target, Before and After are the period sums of GHI, kWh/m².
	TargetKWhM2, BeforeKWhM2, AfterKWhM2 []float64
	// Factors are the effective factors After/Before per period.
	Factors []float64
	// CappedHours counts hours held at the clearness bound.
	CappedHours int
	// MissingGHI counts records whose GHI is NaN (not scaled; not in sums).
	MissingGHI int
}

// PeriodOf returns the 0-based period (of 1, 4 or 12) of a record: by the
// calendar month of its interval start in the file's local standard time.
func (s *Series) PeriodOf(r *Record, periods int) int {
	m := int(r.Start.Add(time.Duration(s.UTCOffsetH * float64(time.Hour))).Month())
	switch periods {
	case 4:
		return (m - 1) / 3
	case 12:
		return m - 1
	}
	return 0
}

// PeriodSumsKWhM2 returns the GHI sum of each period (1, 4 or 12), kWh/m²,
// NaN values left out.
func (s *Series) PeriodSumsKWhM2(periods int) []float64 {
	out := make([]float64, periods)
	for i := range s.Records {
		r := &s.Records[i]
		if !math.IsNaN(r.GHIWm2) {
			out[s.PeriodOf(r, periods)] += r.GHIWm2 * s.StepH / 1000
		}
	}
	return out
}

// Clone returns a copy of s whose records can be modified independently.
func (s *Series) Clone() *Series {
	c := *s
	c.Records = slices.Clone(s.Records)
	c.IgnoredColumns = slices.Clone(s.IgnoredColumns)
	if s.Missing != nil {
		c.Missing = make(map[string]int, len(s.Missing))
		for k, v := range s.Missing {
			c.Missing[k] = v
		}
	}
	return &c
}

// extraRadiation is the extraterrestrial normal irradiance (W/m²), Spencer
// (1971), "Fourier series representation of the position of the sun",
// Search 2(5):172, solar constant 1366.1 W/m². The same formula as
// solar.ExtraRadiation, repeated here because package solar imports this
// package (an import would be a cycle).
func extraRadiation(doy float64) float64 {
	b := 2 * math.Pi * (doy - 1) / 365
	return 1366.1 * (1.00011 + 0.034221*math.Cos(b) + 0.00128*math.Sin(b) +
		0.000719*math.Cos(2*b) + 0.000077*math.Sin(2*b))
}

// ScaleToPeriods scales the irradiance of s in place so that the GHI sum of
// each period matches target (kWh/m²; len 1 = year, 4 = quarters, 12 =
// months). See the method above. It returns the report and an error
// wrapping ErrScale when a period has no sun, a target is not positive, the
// site is unknown, or a target cannot be reached under the clearness bound
// (the series is then scaled as far as the bound allows).
func ScaleToPeriods(s *Series, target []float64, o ScaleOptions) (ScaleReport, error) {
	n := len(target)
	rep := ScaleReport{Periods: n}
	if n != 1 && n != 4 && n != 12 {
		return rep, fmt.Errorf("%w: %d targets, want 1, 4 or 12", ErrScale, n)
	}
	if o.KtMax <= 0 {
		o.KtMax = DefaultKtMax
	}
	if o.Tolerance <= 0 {
		o.Tolerance = 0.001
	}
	if math.IsNaN(s.LatDeg) || math.IsNaN(s.LonDeg) {
		return rep, fmt.Errorf("%w: %s: no site latitude/longitude (needed to bound the clearness index)", ErrScale, s.Source)
	}
	rep.TargetKWhM2 = slices.Clone(target)
	rep.BeforeKWhM2 = s.PeriodSumsKWhM2(n)
	// Per record: period and cap (W/m²).
	per := make([]int, len(s.Records))
	capW := make([]float64, len(s.Records))
	so := spa.Options{}
	if !math.IsNaN(s.ElevationM) {
		so.ElevationM = s.ElevationM
	}
	for i := range s.Records {
		r := &s.Records[i]
		per[i] = s.PeriodOf(r, n)
		if math.IsNaN(r.GHIWm2) {
			rep.MissingGHI++
			continue
		}
		if r.GHIWm2 <= 0 {
			continue
		}
		z := spa.Position(r.Sun, s.LatDeg, s.LonDeg, so).ZenithDeg
		cz := math.Max(math.Cos(z*math.Pi/180), 0.065)
		e0 := extraRadiation(float64(r.Sun.UTC().YearDay()))
		// An hour already above the bound is never raised.
		capW[i] = math.Max(o.KtMax*e0*cz, r.GHIWm2)
	}
	var errs []error
	factors := make([]float64, n)
	for p := 0; p < n; p++ {
		if !(target[p] > 0) {
			return rep, fmt.Errorf("%w: %s: period %d target %.4g kWh/m² is not positive", ErrScale, s.Source, p+1, target[p])
		}
		if !(rep.BeforeKWhM2[p] > 0) {
			return rep, fmt.Errorf("%w: %s: period %d of %d has no irradiation to scale", ErrScale, s.Source, p+1, n)
		}
		f := target[p] / rep.BeforeKWhM2[p]
		if f > 1 {
			// Fixed point of f = (T − Σcapped cap) / Σuncapped g.
			for it := 0; it < 100; it++ {
				var c, u float64
				for i := range s.Records {
					g := s.Records[i].GHIWm2
					if per[i] != p || !(g > 0) {
						continue
					}
					if g*f > capW[i] {
						c += capW[i]
					} else {
						u += g
					}
				}
				c, u = c*s.StepH/1000, u*s.StepH/1000
				if u <= 0 {
					break
				}
				fn := (target[p] - c) / u
				if math.Abs(fn-f) <= 1e-12*f {
					break
				}
				f = fn
			}
		}
		factors[p] = f
	}
	for i := range s.Records {
		r := &s.Records[i]
		f := factors[per[i]]
		eff := f
		if r.GHIWm2 > 0 && r.GHIWm2*f > capW[i] {
			eff = capW[i] / r.GHIWm2
			rep.CappedHours++
		}
		r.GHIWm2 *= eff
		r.DNIWm2 *= eff
		r.DHIWm2 *= eff
	}
	rep.AfterKWhM2 = s.PeriodSumsKWhM2(n)
	rep.Factors = make([]float64, n)
	for p := range rep.Factors {
		rep.Factors[p] = rep.AfterKWhM2[p] / rep.BeforeKWhM2[p]
		if d := rep.AfterKWhM2[p]/target[p] - 1; math.Abs(d) > o.Tolerance {
			errs = append(errs, fmt.Errorf("period %d of %d: target %.1f kWh/m² unreachable with hourly clearness ≤ %.2f (reached %.1f, %+.1f %%)",
				p+1, n, target[p], o.KtMax, rep.AfterKWhM2[p], 100*d))
		}
	}
	if len(errs) > 0 {
		return rep, fmt.Errorf("%w: %s: %w", ErrScale, s.Source, errors.Join(errs...))
	}
	return rep, nil
}

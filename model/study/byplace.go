package study

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/geo/raster"
	"github.com/gisement/gisement/model/pv"
	"github.com/gisement/gisement/solar"
	"github.com/gisement/gisement/solar/weather"
)

// Scaling the weather year by place.
//
// With an irradiance grid (Options.IrradiancePath), every building gets its
// own factor f = H_grid(building) / H_weather, where H_grid is the grid's
// annual horizontal irradiation at the building's centroid and H_weather the
// weather file's OWN annual GHI sum: the scaled year then carries the grid's
// irradiation at the building. When the grid has quarterly or monthly bands
// the year is scaled per season instead (weather.ScaleToPeriods), so that each
// season's sum matches the grid at the place.
//
// Buildings are grouped by factor rounded to PlaceFactorStep (0.5 %); each
// group's year is scaled to the MEAN of its members' grid values and its sky
// and PV fast path are prepared once, so the cost grows with the number of
// distinct irradiation levels, not with the number of buildings (within a
// group a building's factor is off by at most half a step, 0.25 %).
// Territory-level figures that have no single place (ground PV and car-park
// yield per kWp, pitch sensitivity, the weather stored with the study) use
// the group holding the median building.

// PlaceFactorStep is the relative width of a group of per-building factors
// (our choice: 0.5 % is below the uncertainty of any irradiation grid, about
// 2–5 % on annual GHI, and keeps a département to a few dozen groups).
const PlaceFactorStep = 0.005

// PlaceScaling reports the scaling of the weather year by place.
type PlaceScaling struct {
	// Grid describes the irradiance grid (file, format, bands, units).
	Grid string `json:"grid"`
	// WeatherAnnualKWhM2 is the weather file's own annual GHI, kWh/m²·yr.
	WeatherAnnualKWhM2 float64 `json:"weather_annual_kwh_m2"`
	// Reference is the denominator of the factors: "weather file" (its own
	// irradiation, default) or "grid at the weather station"
	// (Options.IrradianceVsStation).
	Reference string `json:"reference"`
	// Seasons is 4 or 12 when the year was scaled per quarter or month, 0
	// for one annual factor per place.
	Seasons int `json:"seasons"`
	// Groups is the number of distinct scaled years prepared.
	Groups int `json:"groups"`
	// FactorMin/Median/Max: spread of the per-building annual factors
	// H_grid(building) / H_weather.
	FactorMin    float64 `json:"factor_min"`
	FactorMedian float64 `json:"factor_median"`
	FactorMax    float64 `json:"factor_max"`
	// CappedHours: hours held at the clearness bound, summed over groups.
	CappedHours int `json:"capped_hours"`
	// TempC is the grid's mean air temperature per period (1, 4 or 12
	// values, °C) averaged over the median building's group; nil when the
	// grid has no temperature bands. Exposed for the heat model's degree-days
	// and design temperature; reporting-only until that model reads it.
	TempC []float64 `json:"temp_c,omitempty"`
}

// placeGroup is one scaled weather year and the buildings using it.
type placeGroup struct {
	buildings []int
	annual    float64   // mean grid annual GHI of the members, kWh/m²·yr
	seasonal  []float64 // mean grid seasonal GHI, kWh/m² (nil: annual only)
	tempC     []float64 // mean grid air temperature per period, °C (nil: none)
	ws        *weather.Series
	rep       weather.ScaleReport
}

// places holds the groups; ref is the group of the median building.
type places struct {
	groups  []*placeGroup
	groupOf []int // per building
	ref     int
	report  PlaceScaling
}

// scaleByPlace samples the grid at every building, groups the buildings and
// scales one copy of ws per group. It returns nil when no grid is given.
func scaleByPlace(ws *weather.Series, o *Options, t *geo.Territory) (*places, error) {
	if o.IrradiancePath == "" {
		return nil, nil
	}
	grid, err := raster.ReadClimateGridFS(o.FS, o.IrradiancePath, o.IrradianceGrid)
	if err != nil {
		return nil, err
	}
	hw := ws.PeriodSumsKWhM2(1)[0]
	if !(hw > 0) {
		return nil, fmt.Errorf("weather %s: no irradiation to scale", ws.Source)
	}
	p := &places{groupOf: make([]int, len(t.Buildings)),
		report: PlaceScaling{Grid: grid.Describe(), WeatherAnnualKWhM2: hw, Seasons: grid.Seasons, Reference: "weather file"}}
	// With IrradianceVsStation the factor is the grid's ratio place/station
	// (the pre-grid behaviour): the grid at the place is converted into the
	// equivalent target hw·H_grid(place)/H_grid(station), per season too.
	var station raster.ClimateSample
	var hwSeasons []float64
	if o.IrradianceVsStation {
		if station, err = grid.At(ws.LonDeg, ws.LatDeg); err != nil {
			return nil, fmt.Errorf("weather station of %s: %w", ws.Source, err)
		}
		hwSeasons = ws.PeriodSumsKWhM2(max(grid.Seasons, 1))
		p.report.Reference = "grid at the weather station"
	}
	factors := make([]float64, len(t.Buildings))
	byKey := map[int]int{}
	for i := range t.Buildings {
		b := &t.Buildings[i]
		s, err := grid.AtLambert93(b.Centroid.X(), b.Centroid.Y())
		if err != nil {
			return nil, fmt.Errorf("building %s: %w", b.ID, err)
		}
		if o.IrradianceVsStation {
			s.AnnualKWhM2 = hw * s.AnnualKWhM2 / station.AnnualKWhM2
			for q := range s.SeasonalKWhM2 {
				s.SeasonalKWhM2[q] = hwSeasons[q] * s.SeasonalKWhM2[q] / station.SeasonalKWhM2[q]
			}
		}
		f := s.AnnualKWhM2 / hw
		factors[i] = f
		key := int(math.Round(math.Log(f) / math.Log1p(PlaceFactorStep)))
		g, ok := byKey[key]
		if !ok {
			g = len(p.groups)
			byKey[key] = g
			p.groups = append(p.groups, &placeGroup{})
			if grid.Seasons > 0 {
				p.groups[g].seasonal = make([]float64, grid.Seasons)
			}
			if grid.TempPeriods > 0 {
				p.groups[g].tempC = make([]float64, grid.TempPeriods)
			}
		}
		pg := p.groups[g]
		pg.buildings = append(pg.buildings, i)
		pg.annual += s.AnnualKWhM2
		for q := range pg.seasonal {
			pg.seasonal[q] += s.SeasonalKWhM2[q]
		}
		for q := range pg.tempC {
			pg.tempC[q] += s.TempC[q]
		}
		p.groupOf[i] = g
	}
	for _, pg := range p.groups {
		n := float64(len(pg.buildings))
		pg.annual /= n
		for q := range pg.tempC {
			pg.tempC[q] /= n
		}
		target := []float64{pg.annual}
		if pg.seasonal != nil {
			for q := range pg.seasonal {
				pg.seasonal[q] /= n
			}
			target = pg.seasonal
		}
		pg.ws = ws.Clone()
		if pg.rep, err = weather.ScaleToPeriods(pg.ws, target, weather.ScaleOptions{}); err != nil {
			return nil, fmt.Errorf("irradiance grid %s: %w", o.IrradiancePath, err)
		}
		p.report.CappedHours += pg.rep.CappedHours
	}
	sorted := append([]float64(nil), factors...)
	sort.Float64s(sorted)
	med := sorted[len(sorted)/2]
	p.report.FactorMin, p.report.FactorMedian, p.report.FactorMax = sorted[0], med, sorted[len(sorted)-1]
	p.report.Groups = len(p.groups)
	for i, f := range factors {
		if f == med {
			p.ref = p.groupOf[i]
			break
		}
	}
	p.report.TempC = p.groups[p.ref].tempC
	return p, nil
}

// warning is the study's one-line account of the scaling (French units).
func (p *places) warning() string {
	r := p.report
	var season string
	switch r.Seasons {
	case 4:
		season = "per quarter"
	case 12:
		season = "per month"
	default:
		season = "annual factor only (the grid has no seasonal bands)"
	}
	var per []string
	if g := p.groups[p.ref]; len(g.rep.Factors) > 1 {
		for _, f := range g.rep.Factors {
			per = append(per, fmt.Sprintf("%.3f", f))
		}
		season += fmt.Sprintf("; median group's seasonal factors %s", strings.Join(per, "/"))
	}
	den := "H_météo"
	if r.Reference != "weather file" {
		den = "H_grille(station)"
	}
	s := fmt.Sprintf("irradiance grid %s: weather year (%.0f kWh/m²·an) scaled by place, factor H_grille/%s min %.3f / médiane %.3f / max %.3f over the buildings, %d group(s) of %.1f %%; %s",
		r.Grid, r.WeatherAnnualKWhM2, den, r.FactorMin, r.FactorMedian, r.FactorMax, r.Groups, 100*PlaceFactorStep, season)
	if r.CappedHours > 0 {
		s += fmt.Sprintf("; %d hour(s) held at the clearness bound kt ≤ %.2f", r.CappedHours, weather.DefaultKtMax)
	}
	return s
}

// territoryPV evaluates every plane with its building's group fast path
// (the reference group's is refFast) and aggregates per building and parcel
// (pv.AggregateRoofs). Without places it is pv.TerritoryPVOf.
func (p *places) territoryPV(ctx context.Context, t *geo.Territory, refFast *pv.FastPath, pvp pv.Params, workers int) (*pv.TerritoryPV, error) {
	if p == nil || len(p.groups) == 1 {
		return pv.TerritoryPVOf(ctx, t, refFast, pvp, workers)
	}
	roofs, err := pv.NewRoofs(t, pvp)
	if err != nil {
		return nil, err
	}
	// One group at a time, its fast path dropped after use: memory holds at
	// most two fast paths (the reference one and the current group's).
	for g, pg := range p.groups {
		fast := refFast
		if g != p.ref {
			sky, err := solar.PrepareSky(pg.ws, solar.SkyOptions{})
			if err != nil {
				return nil, err
			}
			if fast, err = pv.NewFastPath(ctx, sky, pg.ws, pvp.System(), pv.FastPathOptions{Workers: workers}); err != nil {
				return nil, err
			}
		}
		if err := pv.EvaluateRoofs(ctx, t, pg.buildings, fast, pvp, workers, roofs); err != nil {
			return nil, err
		}
	}
	return pv.AggregateRoofs(t, roofs), nil
}

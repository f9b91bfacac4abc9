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
	key       int
	buildings []int     // members (Run; a streaming chunk lists its own)
	annual    float64   // mean grid annual GHI of the members, kWh/m²·yr
	seasonal  []float64 // mean grid seasonal GHI, kWh/m² (nil: annual only)
	tempC     []float64 // mean grid air temperature per period, °C (nil: none)
	ws        *weather.Series
	rep       weather.ScaleReport
}

// places holds the groups; ref is the group of the median building.
type places struct {
	groups  []*placeGroup
	byKey   map[int]int
	groupOf []int // per building of the territory it was built for (Run)
	ref     int
	report  PlaceScaling
	sampler *placeSampler
}

// PlacePlan is the scaling by place computed over every building of a
// territory (the plan of a streaming study stores it): the groups with the
// mean grid values of their members, in order of first appearance, and
// the median building's group.
type PlacePlan struct {
	Groups []PlaceGroupPlan `json:"groups"`
	Ref    int              `json:"ref"`
	Report PlaceScaling     `json:"report"`
}

// PlaceGroupPlan is one group of a PlacePlan: its key (the factor's
// logarithm in steps of PlaceFactorStep), its member count and their mean
// grid annual and seasonal irradiation (kWh/m²) and temperatures (°C).
type PlaceGroupPlan struct {
	Key       int       `json:"key"`
	Buildings int       `json:"buildings"`
	Annual    float64   `json:"annual_kwh_m2"`
	Seasonal  []float64 `json:"seasonal_kwh_m2,omitempty"`
	TempC     []float64 `json:"temp_c,omitempty"`
}

// placeSampler samples the irradiance grid at a building and gives its
// factor and group key.
type placeSampler struct {
	grid      *raster.ClimateGrid
	hw        float64
	vsStation bool
	station   raster.ClimateSample
	hwSeasons []float64
	report    PlaceScaling
}

func newPlaceSampler(ws *weather.Series, o *Options) (*placeSampler, error) {
	grid, err := raster.ReadClimateGridFS(o.FS, o.IrradiancePath, o.IrradianceGrid)
	if err != nil {
		return nil, err
	}
	hw := ws.PeriodSumsKWhM2(1)[0]
	if !(hw > 0) {
		return nil, fmt.Errorf("weather %s: no irradiation to scale", ws.Source)
	}
	ps := &placeSampler{grid: grid, hw: hw,
		report: PlaceScaling{Grid: grid.Describe(), WeatherAnnualKWhM2: hw, Seasons: grid.Seasons, Reference: "weather file"}}
	// With IrradianceVsStation the factor is the grid's ratio place/station
	// (the pre-grid behaviour): the grid at the place is converted into the
	// equivalent target hw·H_grid(place)/H_grid(station), per season too.
	if o.IrradianceVsStation {
		ps.vsStation = true
		if ps.station, err = grid.At(ws.LonDeg, ws.LatDeg); err != nil {
			return nil, fmt.Errorf("weather station of %s: %w", ws.Source, err)
		}
		ps.hwSeasons = ws.PeriodSumsKWhM2(max(grid.Seasons, 1))
		ps.report.Reference = "grid at the weather station"
	}
	return ps, nil
}

// sample returns the grid values at a building, its factor and group key.
func (ps *placeSampler) sample(b *geo.Building) (raster.ClimateSample, float64, int, error) {
	s, err := ps.grid.AtLambert93(b.Centroid.X(), b.Centroid.Y())
	if err != nil {
		return s, 0, 0, fmt.Errorf("building %s: %w", b.ID, err)
	}
	if ps.vsStation {
		s.AnnualKWhM2 = ps.hw * s.AnnualKWhM2 / ps.station.AnnualKWhM2
		for q := range s.SeasonalKWhM2 {
			s.SeasonalKWhM2[q] = ps.hwSeasons[q] * s.SeasonalKWhM2[q] / ps.station.SeasonalKWhM2[q]
		}
	}
	f := s.AnnualKWhM2 / ps.hw
	return s, f, int(math.Round(math.Log(f) / math.Log1p(PlaceFactorStep))), nil
}

// placePlanner accumulates the buildings into a PlacePlan.
type placePlanner struct {
	ps      *placeSampler
	plan    PlacePlan
	byKey   map[int]int
	factors []float64
	keys    []int32 // group index per building, for the median's group
}

func (pp *placePlanner) add(b *geo.Building) error {
	s, f, key, err := pp.ps.sample(b)
	if err != nil {
		return err
	}
	g, ok := pp.byKey[key]
	if !ok {
		g = len(pp.plan.Groups)
		pp.byKey[key] = g
		gp := PlaceGroupPlan{Key: key}
		if pp.ps.grid.Seasons > 0 {
			gp.Seasonal = make([]float64, pp.ps.grid.Seasons)
		}
		if pp.ps.grid.TempPeriods > 0 {
			gp.TempC = make([]float64, pp.ps.grid.TempPeriods)
		}
		pp.plan.Groups = append(pp.plan.Groups, gp)
	}
	gp := &pp.plan.Groups[g]
	gp.Buildings++
	gp.Annual += s.AnnualKWhM2
	for q := range gp.Seasonal {
		gp.Seasonal[q] += s.SeasonalKWhM2[q]
	}
	for q := range gp.TempC {
		gp.TempC[q] += s.TempC[q]
	}
	pp.factors = append(pp.factors, f)
	pp.keys = append(pp.keys, int32(g))
	return nil
}

// result turns the sums into means and finds the median building's group.
func (pp *placePlanner) result() *PlacePlan {
	p := &pp.plan
	for g := range p.Groups {
		gp := &p.Groups[g]
		n := float64(gp.Buildings)
		gp.Annual /= n
		for q := range gp.Seasonal {
			gp.Seasonal[q] /= n
		}
		for q := range gp.TempC {
			gp.TempC[q] /= n
		}
	}
	sorted := append([]float64(nil), pp.factors...)
	sort.Float64s(sorted)
	med := sorted[len(sorted)/2]
	p.Report = pp.ps.report
	p.Report.FactorMin, p.Report.FactorMedian, p.Report.FactorMax = sorted[0], med, sorted[len(sorted)-1]
	p.Report.Groups = len(p.Groups)
	for i, f := range pp.factors {
		if f == med {
			p.Ref = int(pp.keys[i])
			break
		}
	}
	return p
}

// scaleByPlace samples the grid at every building, groups the buildings and
// scales one copy of ws per group. It returns nil when no grid is given.
func scaleByPlace(ws *weather.Series, o *Options, t *geo.Territory) (*places, error) {
	if o.IrradiancePath == "" {
		return nil, nil
	}
	ps, err := newPlaceSampler(ws, o)
	if err != nil {
		return nil, err
	}
	pp := &placePlanner{ps: ps, byKey: map[int]int{}}
	for i := range t.Buildings {
		if err := pp.add(&t.Buildings[i]); err != nil {
			return nil, err
		}
	}
	if len(t.Buildings) == 0 {
		return nil, fmt.Errorf("irradiance grid %s: no building", o.IrradiancePath)
	}
	p, err := buildPlaces(ws, o, ps, pp.result())
	if err != nil {
		return nil, err
	}
	p.groupOf = make([]int, len(t.Buildings))
	for i, g := range pp.keys {
		p.groupOf[i] = int(g)
		p.groups[g].buildings = append(p.groups[g].buildings, i)
	}
	return p, nil
}

// buildPlaces scales one copy of ws per group of plan.
func buildPlaces(ws *weather.Series, o *Options, ps *placeSampler, plan *PlacePlan) (*places, error) {
	p := &places{byKey: map[int]int{}, ref: plan.Ref, report: plan.Report, sampler: ps}
	p.report.CappedHours = 0
	for g, gp := range plan.Groups {
		pg := &placeGroup{key: gp.Key, annual: gp.Annual, seasonal: gp.Seasonal, tempC: gp.TempC}
		target := []float64{pg.annual}
		if pg.seasonal != nil {
			target = pg.seasonal
		}
		pg.ws = ws.Clone()
		var err error
		if pg.rep, err = weather.ScaleToPeriods(pg.ws, target, weather.ScaleOptions{}); err != nil {
			return nil, fmt.Errorf("irradiance grid %s: %w", o.IrradiancePath, err)
		}
		p.report.CappedHours += pg.rep.CappedHours
		p.groups = append(p.groups, pg)
		p.byKey[gp.Key] = g
	}
	p.report.TempC = p.groups[p.ref].tempC
	return p, nil
}

// placesFor returns the scaling by place of a territory (Run) or of a
// plan (streaming study); nil without an irradiance grid.
func placesFor(ws *weather.Series, o *Options, ti territoryInfo) (*places, error) {
	if o.IrradiancePath == "" {
		return nil, nil
	}
	if ti.places == nil {
		return scaleByPlace(ws, o, ti.t)
	}
	ps, err := newPlaceSampler(ws, o)
	if err != nil {
		return nil, err
	}
	return buildPlaces(ws, o, ps, ti.places)
}

// members returns the buildings of t in each group (the territory's own
// lists for Run, by sampling the grid for a chunk).
func (p *places) members(t *geo.Territory) ([][]int, error) {
	out := make([][]int, len(p.groups))
	if p.groupOf != nil && len(p.groupOf) == len(t.Buildings) {
		for g := range p.groups {
			out[g] = p.groups[g].buildings
		}
		return out, nil
	}
	for i := range t.Buildings {
		_, _, key, err := p.sampler.sample(&t.Buildings[i])
		if err != nil {
			return nil, err
		}
		g, ok := p.byKey[key]
		if !ok {
			return nil, fmt.Errorf("building %s: irradiance group %d not in the plan", t.Buildings[i].ID, key)
		}
		out[g] = append(out[g], i)
	}
	return out, nil
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
//
// need lists the buildings to evaluate (nil = all; the other planes stay
// zero): a chunk of the streaming study evaluates the buildings it needs.
func (p *places) territoryPV(ctx context.Context, t *geo.Territory, need []int, refFast *pv.FastPath, pvp pv.Params, workers int) (*pv.TerritoryPV, error) {
	roofs, err := pv.NewRoofs(t, pvp)
	if err != nil {
		return nil, err
	}
	if p == nil || len(p.groups) == 1 {
		if err := pv.EvaluateRoofs(ctx, t, need, refFast, pvp, workers, roofs); err != nil {
			return nil, err
		}
		return pv.AggregateRoofs(t, roofs), nil
	}
	members, err := p.members(t)
	if err != nil {
		return nil, err
	}
	var needed []bool
	if need != nil {
		needed = make([]bool, len(t.Buildings))
		for _, i := range need {
			needed[i] = true
		}
	}
	// One group at a time, its fast path dropped after use: memory holds at
	// most two fast paths (the reference one and the current group's).
	for g, pg := range p.groups {
		bs := members[g]
		if needed != nil {
			var keep []int
			for _, i := range bs {
				if needed[i] {
					keep = append(keep, i)
				}
			}
			bs = keep
		}
		if len(bs) == 0 {
			continue
		}
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
		if err := pv.EvaluateRoofs(ctx, t, bs, fast, pvp, workers, roofs); err != nil {
			return nil, err
		}
	}
	return pv.AggregateRoofs(t, roofs), nil
}

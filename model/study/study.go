// Package study runs a whole-territory pre-study: load buildings and parcels,
// build roof planes and their horizons, evaluate rooftop and ground PV, heat
// demand, air- and ground-source heat pumps, economics and Monte Carlo
// uncertainty per building and parcel, and aggregate per commune and zone.
//
// It joins the geo core, the solar core and the model into one call (Run)
// used by `gisement study` and by the HTTP API's study jobs; Layers turns the
// result into the generic storage layers of package data.
//
// Run holds the whole result in memory (about 12 GB for 1 M buildings).
// The streaming study (stream.go: PlanStudy, RunChunk, FinishStudy,
// RunStream; `gisement study --stream`) cuts the territory into chunks
// computed and written one after the other, with memory bounded by the
// chunk, through the same stages (prepareEnv, studyEnv.compute, the
// partial aggregates of aggregate.go, the row builders of layers.go) and
// with the same rows.
package study

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"
	"golang.org/x/sync/errgroup"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/geo/raster"
	"github.com/gisement/gisement/model"
	"github.com/gisement/gisement/model/econ"
	"github.com/gisement/gisement/model/heat"
	"github.com/gisement/gisement/model/land"
	"github.com/gisement/gisement/model/pv"
	"github.com/gisement/gisement/model/uncertainty"
	"github.com/gisement/gisement/solar"
	"github.com/gisement/gisement/solar/weather"
)

// ErrInput marks a study that cannot run because of its inputs (files,
// options); errors.Is(err, ErrInput) tells the CLI to exit with code 2.
var ErrInput = errors.New("invalid study input")

// Options configure Run. Paths are files; only BuildingsPath and WeatherPath
// are required.
type Options struct {
	// ID and Name identify the study in storage (ID "" = derived from the
	// inputs and scenario hash, so the same study written twice replaces itself).
	ID, Name string
	// BuildingsPath: footprints (GeoJSON[.gz], Shapefile[.zip], GeoPackage).
	// ParcelsPath: cadastral parcels ("" = results per building only).
	BuildingsPath, ParcelsPath string
	// BuildingsEPSG and ParcelsEPSG override the files' CRS (0 = declared/detected).
	BuildingsEPSG, ParcelsEPSG int
	// AreaWGS84 restricts the study to the buildings and parcels whose
	// centroid lies in this Polygon or MultiPolygon ([lon, lat] degrees);
	// nil = the whole files.
	AreaWGS84 orb.Geometry
	// BoundariesPath: commune outlines (properties code/INSEE_COM and nom/NOM).
	BoundariesPath string
	// ZonesPath: constraint or planning zones (heritage, GMI green/orange/red,
	// renewable acceleration zones): polygons with a "kind" (or "type",
	// "zone") and "name" (or "nom", "id") property.
	ZonesPath string
	// CarParksPath: outdoor car parks (polygons; id from "id"/"name"): their
	// canopy potential and the APER-law obligation (> 1,500 m²).
	CarParksPath string
	// WeatherPath: the reference weather year (EPW, PVGIS TMY, ...).
	WeatherPath string
	// IrradiancePath: optional irradiance grid — GeoTIFF or ESRI ASCII grid
	// (EPSG:4326 or 2154) or the per-commune point CSV; when given, the
	// weather year is scaled by place, per season when the grid has seasonal
	// bands (see scaleByPlace).
	IrradiancePath string
	// IrradianceGrid: band roles and unit of the grid when its metadata
	// lacks them (raster.ClimateGridOptions).
	IrradianceGrid raster.ClimateGridOptions
	// IrradianceVsStation: factors are H_grid(place) / H_grid(weather
	// station) as before grids were rasters, instead of H_grid(place) / the
	// weather file's own irradiation (default).
	IrradianceVsStation bool
	// DEMPath: optional elevation raster for the terrain horizon (always a
	// file on disk).
	DEMPath string
	// FS, when not nil, holds the inputs: every path above except DEMPath
	// is a name in FS (io/fs rules), e.g. the embedded sample (data/sample)
	// read in place. Vector layers must then be GeoJSON (optionally gzipped).
	FS fs.FS
	// DSMPaths, DTMPaths: optional surface / terrain models (IGN MNS / MNT
	// LiDAR HD GeoTIFF tiles, files or folders): covered buildings get
	// observed roof planes and DSM horizons (applySurface, geo/surface).
	DSMPaths, DTMPaths []string
	// Scenario: the assumptions (nil = model.DefaultScenario()).
	Scenario *model.Scenario
	// Emitter: heat emitter of every building ("" = by construction year,
	// heat.EmitterForYear: before 1975 or unknown high-temperature
	// radiators, 1975–2012 radiators sized for 55 °C, from 2013 floor
	// heating).
	Emitter heat.Emitter
	// Workers: parallelism (0 = GOMAXPROCS).
	Workers int
	// MonteCarloDraws (0 = scenario's) and the seed come from the scenario
	// unless set here.
	MonteCarloDraws int
	// Cache, when not nil, keeps the weather-derived state (the weather
	// year, its prepared sky and the rooftop fast path, seconds to build)
	// between runs on the same weather file, irradiance field, territory
	// centre and PV system: scenario variants of one territory build it
	// once.
	Cache *Cache
	// Progress receives stage updates (may be nil).
	Progress Progress
	Logger   *slog.Logger

	// Territory options of issue 13 (communes.go, coherence.go,
	// attribution.go).
	//
	// AllowLowOverlap runs the study even when fewer than
	// MinParcelOverlap of the buildings lie in a parcel (CLI
	// --allow-low-overlap); otherwise Run stops with a CoherenceError.
	AllowLowOverlap bool
	// AllowDistantWeather runs the study with a weather station more than
	// MaxWeatherDistanceKm from the territory and no irradiance grid (CLI
	// --allow-distant-weather); otherwise Run stops with a CoherenceError.
	AllowDistantWeather bool
	// WeatherNote says where the weather year came from when the caller
	// chose it (e.g. "embedded typical year … scaled by the embedded
	// irradiation field"); stored with the study and printed.
	WeatherNote string
	// WeatherSite selects one site (1-based) of a weather file holding
	// several (PVGIS multi-site CSV; CLI --site); 0 = the file's only site.
	WeatherSite int
}

// Progress reports the pipeline's stages.
type Progress interface {
	// Stage starts a stage with total steps (0 = indeterminate).
	Stage(name string, total int)
	// Add advances the current stage by n steps.
	Add(n int)
}

type noProgress struct{}

func (noProgress) Stage(string, int) {}
func (noProgress) Add(int)           {}

// Result is a complete study in memory.
type Result struct {
	ID, Name     string
	ScenarioHash string
	Scenario     *model.Scenario
	StartedAt    time.Time
	Elapsed      time.Duration
	// Stages lists each stage's wall time.
	Stages []StageTime

	Territory *geo.Territory
	Weather   *weather.Series
	// WeatherScale is the irradiance scale factor applied (1 = none); with
	// an irradiance grid, the median building's annual factor.
	WeatherScale float64
	// PlaceScaling reports the scaling by place (nil without a grid).
	PlaceScaling *PlaceScaling
	PV           *pv.TerritoryPV
	// Buildings parallel to Territory.Buildings; Parcels to Territory.Parcels.
	Buildings []BuildingResult
	Parcels   []ParcelResult
	// CarParks: canopy potential and APER obligation per car park (when a
	// car-park layer was given).
	CarParks     []land.CarParkPV
	carParkGeoms []land.CarPark
	// CarParkEcon: the canopy economics of each car park (parallel to
	// CarParks; CarParkEconOK false when they could not be computed).
	CarParkEcon   []econ.Economics
	CarParkEconOK []bool
	Communes      []CommuneResult
	Zones         []ZoneResult
	Totals        Totals
	// Inputs are the input paths (for provenance).
	Inputs map[string]string
	// Warnings are non-fatal remarks (e.g. weather station far from the territory).
	Warnings []string
	// Heat: territory climate and the heat layer's fallbacks (heatfield.go).
	Heat *HeatSummary
	// CommuneAssignment reports how buildings and parcels got their commune
	// (communes.go); Attribution lists the data sources detected from the
	// inputs, with their licences (attribution.go).
	CommuneAssignment CommuneAssignment
	Attribution       []Attribution
	// RoofPitch reports where the modelled roof pitches came from
	// (assignPitch, surface.go).
	RoofPitch PitchAssignment
	// WeatherNote is Options.WeatherNote.
	WeatherNote string
	// --- rooftop PV potentials (technical.go, pvecon.go) ---
	// PVReference: the site's reference yields; PVStats: technical
	// potential and shading statistics over all roof planes.
	PVReference PVReference
	PVStats     PlaneStats
	// PVSpread: the one-year yield uncertainty of a defined system.
	PVSpread uncertainty.YieldSpread

	// plan is set on the result a streaming study finishes from (its
	// Territory holds the reports only).
	plan *Plan
}

// StageTime is one stage's wall time.
type StageTime struct {
	Name    string
	Seconds float64
}

// normalize fills the defaults of o and checks what every path needs.
func (o *Options) normalize() error {
	if o.Scenario == nil {
		o.Scenario = model.DefaultScenario()
	}
	if err := o.Scenario.Validate(); err != nil {
		return fmt.Errorf("%w: scenario: %w", ErrInput, err)
	}
	if o.Progress == nil {
		o.Progress = noProgress{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.BuildingsPath == "" {
		return fmt.Errorf("%w: no buildings file", ErrInput)
	}
	if o.WeatherPath == "" {
		return fmt.Errorf("%w: no weather file", ErrInput)
	}
	return nil
}

// inputsOf lists the input paths of o (provenance).
func inputsOf(o *Options) map[string]string {
	in := map[string]string{}
	for k, v := range map[string]string{"buildings": o.BuildingsPath, "parcels": o.ParcelsPath, "weather": o.WeatherPath,
		"boundaries": o.BoundariesPath, "zones": o.ZonesPath, "carparks": o.CarParksPath, "irradiance": o.IrradiancePath, "dem": o.DEMPath} {
		if v != "" {
			in[k] = v
		}
	}
	if len(o.DSMPaths) > 0 { // as applySurface records them
		in["dsm"] = strings.Join(o.DSMPaths, ",")
		if len(o.DTMPaths) > 0 {
			in["dtm"] = strings.Join(o.DTMPaths, ",")
		}
	}
	return in
}

// stageTimer starts a stage: the returned function records its wall time
// into *stages.
func stageTimer(o *Options, stages *[]StageTime, name string, total int) func() {
	o.Progress.Stage(name, total)
	t0 := time.Now()
	o.Logger.Info("stage", "name", name)
	return func() { *stages = append(*stages, StageTime{name, time.Since(t0).Seconds()}) }
}

// Run executes the study. Errors caused by the inputs wrap ErrInput.
func Run(ctx context.Context, o Options) (*Result, error) {
	start := time.Now()
	if err := o.normalize(); err != nil {
		return nil, err
	}
	r := &Result{Name: o.Name, Scenario: o.Scenario, ScenarioHash: o.Scenario.Hash(), StartedAt: start,
		WeatherScale: 1, Inputs: inputsOf(&o), WeatherNote: o.WeatherNote}
	stage := func(name string, total int) func() { return stageTimer(&o, &r.Stages, name, total) }

	// 1. Territory: load, validate, index, assign (planes later, once the
	// terrain horizon is known).
	done := stage("load territory", 0)
	var t *geo.Territory
	var err error
	if o.AreaWGS84 == nil {
		t, err = geo.LoadTerritoryContext(ctx, geo.TerritoryOptions{Workers: o.Workers,
			BuildingsPath: o.BuildingsPath, ParcelsPath: o.ParcelsPath,
			BuildingLoad: geo.LoadOptions{EPSG: o.BuildingsEPSG, FS: o.FS}, ParcelLoad: geo.LoadOptions{EPSG: o.ParcelsEPSG, FS: o.FS},
			SkipPlanes: true,
		})
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInput, err)
		}
	} else {
		// The study area clips the inputs before the building→parcel
		// assignment and the parcel-id recovery: a parcel's recovered id,
		// commune and section come from the buildings of the area only
		// (as in the streaming study).
		t = &geo.Territory{}
		if t.Buildings, t.BuildingReport, err = geo.LoadBuildings(o.BuildingsPath, geo.LoadOptions{EPSG: o.BuildingsEPSG, FS: o.FS}); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInput, err)
		}
		if o.ParcelsPath != "" {
			if t.Parcels, t.ParcelReport, err = geo.LoadParcels(o.ParcelsPath, geo.LoadOptions{EPSG: o.ParcelsEPSG, FS: o.FS}); err != nil {
				return nil, fmt.Errorf("%w: %w", ErrInput, err)
			}
		}
		if err := clipTerritory(t, o.AreaWGS84, r); err != nil {
			return nil, fmt.Errorf("%w: study area: %w", ErrInput, err)
		}
	}
	r.Territory = t
	done()
	if len(t.Buildings) == 0 {
		return nil, fmt.Errorf("%w: %s: no valid building (%d read, %d rejected)", ErrInput, o.BuildingsPath,
			t.BuildingReport.Read, t.BuildingReport.Rejected)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	centre := territoryCentreWGS84(t)
	// Communes, input coherence and attribution (issue 13): before the
	// heavy work, so that mismatched inputs stop in seconds.
	communes, err := loadCommunes(o.FS, o.BoundariesPath)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInput, err)
	}
	communes, r.CommuneAssignment = assignCommunes(t, communes)
	if err := checkCoherence(&o, t, r); err != nil {
		return nil, err
	}
	r.Attribution = detectAttribution(&o)

	// 2. Weather, heat climate, zones, car parks, Monte Carlo: the
	// territory-wide state (shared with the streaming study).
	done = stage("weather", 0)
	env, err := prepareEnv(ctx, &o, r, territoryInfo{buildings: len(t.Buildings), centre: centre, climate: territoryClimate(t), t: t})
	if err != nil {
		return nil, err
	}
	env.outlines = communes
	done()

	// 3–6. Roof planes and horizons, rooftop PV, heat, economics and
	// uncertainty of every building and parcel.
	if err := env.compute(ctx, t, r, nil, nil, nil, stage); err != nil {
		return nil, err
	}

	// 7. Aggregation per commune and zone.
	done = stage("aggregation", 0)
	agg := aggregateAll(r, communes, env.zones)
	agg.Heat.count(env.heat)
	agg.Pitch = r.RoofPitch // counted in compute
	// One partial through the streaming study's merge (aggMerge): one code
	// path for the sums and the exact quantiles.
	m := newAggMerge(len(env.zones), "")
	defer m.close()
	if err := m.add(agg); err != nil {
		return nil, err
	}
	if err := env.finish(r, m); err != nil {
		return nil, err
	}
	done()

	if o.ID == "" {
		o.ID = defaultID(o, r.ScenarioHash)
	}
	r.ID = o.ID
	if r.Name == "" {
		r.Name = r.ID
	}
	r.Elapsed = time.Since(start)
	return r, nil
}

// territoryInfo is what the territory-wide state depends on: the number
// of buildings and the centre (weather checks, cache key), the heat
// climate, and, for the scaling by place, the territory (Run) or the
// plan's groups (streaming study).
type territoryInfo struct {
	buildings int
	centre    orb.Point
	climate   HeatClimate
	t         *geo.Territory
	places    *PlacePlan
}

// studyEnv is the territory-wide state of a study, prepared once (Run) or
// once per process and plan (streaming study): read-only during the
// computation of buildings and parcels.
type studyEnv struct {
	o           *Options
	sc          *model.Scenario
	ws          *weather.Series
	sky         *solar.Sky
	fast        *pv.FastPath
	places      *places
	heat        *heatCtx
	ho          geo.HorizonOptions
	zones       []Zone
	outlines    []Commune // kept commune outlines
	carParks    []land.CarPark
	groundYield float64
	mc          *uncertainty.MonteCarlo
	pe          *pvEconomics
}

// prepareEnv reads the weather year (or takes it from o.Cache), checks it
// belongs to the territory, scales it by place, prepares the heat
// climate, the terrain horizon, the zones, the car parks with their canopy
// potential and economics, the Monte Carlo draws and the rooftop owner
// economics. Result-level fields (weather, scaling, warnings, car parks,
// reference yields, spread) are set on r.
func prepareEnv(ctx context.Context, o *Options, r *Result, ti territoryInfo) (*studyEnv, error) {
	sc := o.Scenario
	ws, sky, fast, places, err := o.Cache.weather(ctx, *o, ti, sc, r)
	if err != nil {
		return nil, err
	}
	// Territory climate and heat-pump seasons (heatfield.go); roof types
	// are set later, heat per building reads them.
	hctx, _, err := newHeatCtx(ti.climate, ws, sc, o.Emitter)
	if err != nil {
		return nil, fmt.Errorf("%w: weather %s: heat: %w", ErrInput, o.WeatherPath, err)
	}
	e := &studyEnv{o: o, sc: sc, ws: ws, sky: sky, fast: fast, places: places, heat: hctx, ho: geo.DefaultHorizonOptions()}
	if o.DEMPath != "" {
		dem, err := raster.Read(o.DEMPath)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInput, err)
		}
		e.ho.Terrain = terrainFunc(dem, e.ho.Sectors)
	}
	r.PVReference = pvReference(fast)
	// Zones and car parks (optional layers).
	if e.zones, err = loadZones(o.FS, o.ZonesPath); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInput, err)
	}
	if e.carParks, err = loadCarParks(o.FS, o.CarParksPath); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInput, err)
	}
	groundYield, canopyYield := land.GroundYield(sky, sc.PV.System(), sc.Land)
	e.groundYield = groundYield
	if r.CarParks, err = land.CarParksPV(e.carParks, canopyYield, sc.PV.ModulePowerDensityWpM2.Value, sc.Land); err != nil {
		return nil, fmt.Errorf("%w: car parks %s: %w", ErrInput, o.CarParksPath, err)
	}
	r.carParkGeoms = e.carParks
	r.CarParkEcon, r.CarParkEconOK = make([]econ.Economics, len(r.CarParks)), make([]bool, len(r.CarParks))
	for i, c := range r.CarParks {
		// Car-park canopies are valued as tertiary installations (our
		// assumption: car parks of shops, offices and public buildings),
		// under the S21 classes like rooftops.
		ec, err := econ.PVEconomics(&sc.Econ, econ.PVEconomicsOptions{Kind: econ.PVCarport, Segment: econ.SegmentTertiary,
			KWp: c.KWp, YieldKWhYr1: c.KWhYr, APERObligation: c.APERObligated})
		r.CarParkEcon[i], r.CarParkEconOK[i] = ec, err == nil
	}
	mc := uncertainty.NewMonteCarlo(&sc.Uncertainty, &sc.Econ, o.MonteCarloDraws, uint64(sc.Uncertainty.Seed.Value))
	// --- rooftop PV owner economics and yield spread (pvecon.go) ---
	r.PVSpread = uncertainty.YieldSpreadOf(&sc.Uncertainty, haversineKm(ws.LatDeg, ws.LonDeg, ti.centre.Lat(), ti.centre.Lon()))
	e.mc = mc.WithResourceBias(r.PVSpread.BiasPct)
	if e.pe, err = newPVEconomics(&sc.Econ, &sc.Uncertainty, r.PVSpread, sky, sc.PV.System()); err != nil {
		return nil, fmt.Errorf("%w: scenario: %w", ErrInput, err)
	}
	return e, nil
}

// compute runs the per-feature stages on t: roof planes of every building
// and horizons of the buildings in need (neighbours + optional terrain,
// observed roofs with a surface model), rooftop PV, then heat, economics
// and uncertainty of the buildings in need and the parcels in coreP (nil = all; a chunk of the
// streaming study computes its core buildings and parcels, and the other
// buildings of its core parcels; its halo buildings are obstacles only).
// The heat layer's counters count the buildings in coreB only (nil = all).
// r.Territory, r.PV, r.Buildings and r.Parcels are set (results of the
// buildings and parcels not computed stay zero).
func (e *studyEnv) compute(ctx context.Context, t *geo.Territory, r *Result, need, coreB, coreP []bool, stage func(string, int) func()) error {
	o, sc := e.o, e.sc
	r.Territory = t
	done := stage("roof planes and horizons", len(t.Buildings))
	r.RoofPitch = assignPitch(t, sc.PV, coreB)                                // regional default pitch by département (surface.go); halo buildings too, counted only in their chunk
	_ = t.ComputePlanesFor(ctx, sc.PV.RoofOptions(), e.ho, o.Workers, need)   // horizons of the buildings in need only (halo: obstacles); its only error, ctx.Err(), is checked below
	if err := applySurface(r, t, *o, sc.PV.RoofOptions(), e.ho); err != nil { // observed roofs, --dsm (surface.go)
		return err
	}
	o.Progress.Add(len(t.Buildings))
	done()
	if err := ctx.Err(); err != nil {
		return err
	}

	// Rooftop PV on the planes of the buildings in need (fast path).
	var needIdx []int
	if need != nil {
		needIdx = make([]int, 0, len(t.Buildings))
		for i, n := range need {
			if n {
				needIdx = append(needIdx, i)
			}
		}
	}
	done = stage("rooftop PV", len(t.Planes))
	tpv, err := e.places.territoryPV(ctx, t, needIdx, e.fast, sc.PV, o.Workers)
	if err != nil {
		return err
	}
	r.PV = tpv
	o.Progress.Add(len(t.Planes))
	done()

	// Heat, economics and uncertainty per building and parcel.
	done = stage("heat, economics, uncertainty", len(t.Buildings)+len(t.Parcels))
	ev := &evaluator{o: o, t: t, pv: tpv, fast: e.fast, heat: e.heat, mc: e.mc, zones: e.zones, pe: e.pe,
		groundYield: e.groundYield, carParks: e.carParks, carParkPV: r.CarParks}
	uncounted := *ev
	uncounted.heat = e.heat.withCounters() // counters dropped
	r.Buildings = make([]BuildingResult, len(t.Buildings))
	if err := parallel(ctx, len(t.Buildings), o.Workers, func(i int, s *scratch) error {
		switch {
		case coreB == nil || coreB[i]:
			r.Buildings[i] = ev.building(i, s)
		case need[i]:
			r.Buildings[i] = uncounted.building(i, s)
		}
		return nil
	}, o.Progress); err != nil {
		return err
	}
	r.Parcels = make([]ParcelResult, len(t.Parcels))
	if err := parallel(ctx, len(t.Parcels), o.Workers, func(i int, s *scratch) error {
		if coreP == nil || coreP[i] {
			r.Parcels[i] = ev.parcel(i, r.Buildings, s)
		}
		return nil
	}, o.Progress); err != nil {
		return err
	}
	done()
	return nil
}

// finish sets the study-level results from the (merged) aggregate:
// communes, zones, totals, plane statistics, heat summary, area range.
func (e *studyEnv) finish(r *Result, m *aggMerge) error {
	if err := m.aggregate(r, e.outlines, e.zones); err != nil {
		return fmt.Errorf("study: aggregation: %w", err)
	}
	r.RoofPitch = m.a.Pitch
	sys, space, ok, err := m.scopMedians()
	if err != nil {
		return fmt.Errorf("study: aggregation: %w", err)
	}
	e.heat.finish(r, &m.a.Heat, sys, space, ok) // heat summary and warnings (heatfield.go)
	setAreaRange(r)                             // technical.go
	return nil
}

// scratch is per-worker reusable memory.
type scratch struct {
	mcBuf []float64
	fps   []orbMulti
}

// parallel runs fn(i) for i in [0, n) in chunks on the bounded pool
// (errgroup.SetLimit(workers)), reporting progress per chunk; it stops at
// the first error or when ctx is done. Each chunk has its own scratch.
func parallel(ctx context.Context, n, workers int, fn func(i int, s *scratch) error, p Progress) error {
	const chunk = 256
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for lo := 0; lo < n; lo += chunk {
		hi := min(n, lo+chunk)
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			s := &scratch{}
			for i := lo; i < hi; i++ {
				// Per item too: one item can be long (many Monte Carlo
				// draws, a large parcel's land raster), and a chunk is 256
				// items (issue 15: a job overran its shutdown deadline).
				if err := gctx.Err(); err != nil {
					return err
				}
				if err := fn(i, s); err != nil {
					return err
				}
			}
			p.Add(hi - lo)
			return nil
		})
	}
	return g.Wait()
}

// Cache keeps the weather-derived state of studies (see Options.Cache).
// It is safe for concurrent use; its zero value is ready. Entries are never
// evicted: use one Cache per series of runs.
type Cache struct {
	mu    sync.Mutex
	skies map[string]*cachedSky
	fast  map[string]*pv.FastPath
}

type cachedSky struct {
	ws     *weather.Series
	sky    *solar.Sky
	scale  float64
	warn   []string
	places *places
}

// weather reads (or takes from the cache) the weather year, checks it
// belongs to the territory, scales it to the irradiation field, and
// prepares the sky and the rooftop fast path of the scenario's PV system.
// A nil cache reads everything.
func (c *Cache) weather(ctx context.Context, o Options, ti territoryInfo, sc *model.Scenario, r *Result) (*weather.Series, *solar.Sky, *pv.FastPath, *places, error) {
	// The scaling by place depends on the buildings' locations: the key
	// holds the grid options and the territory's size and centre.
	centre := ti.centre
	skyKey := fmt.Sprintf("%T|%s#%d|%t|%s|%+v|%t|%d|%.6f,%.6f", o.FS, o.WeatherPath, o.WeatherSite, o.AllowDistantWeather, o.IrradiancePath, o.IrradianceGrid, o.IrradianceVsStation, ti.buildings, centre[0], centre[1])
	var cs *cachedSky
	if c != nil {
		c.mu.Lock()
		defer c.mu.Unlock()
		cs = c.skies[skyKey]
	}
	if cs == nil {
		rr := &Result{WeatherScale: 1}
		ws, err := readWeather(o.FS, o.WeatherPath, o.WeatherSite)
		if err != nil {
			return nil, nil, nil, nil, fmt.Errorf("%w: %w", ErrInput, err)
		}
		if err := checkWeatherSite(ws, centre, o.IrradiancePath != "", o.AllowDistantWeather, rr); err != nil {
			return nil, nil, nil, nil, err
		}
		// Scaling by place (irradiance grid): the reference (median
		// building's) scaled year serves the territory-level figures.
		places, err := placesFor(ws, &o, ti)
		if err != nil {
			return nil, nil, nil, nil, fmt.Errorf("%w: %w", ErrInput, err)
		}
		if places != nil {
			ws = places.groups[places.ref].ws
			rr.WeatherScale = places.report.FactorMedian
			rr.Warnings = append(rr.Warnings, places.warning())
		}
		sky, err := solar.PrepareSky(ws, solar.SkyOptions{})
		if err != nil {
			return nil, nil, nil, nil, fmt.Errorf("%w: weather %s: %w", ErrInput, o.WeatherPath, err)
		}
		cs = &cachedSky{ws: ws, sky: sky, scale: rr.WeatherScale, warn: rr.Warnings, places: places}
		if c != nil {
			if c.skies == nil {
				c.skies, c.fast = map[string]*cachedSky{}, map[string]*pv.FastPath{}
			}
			c.skies[skyKey] = cs
		}
	}
	r.Weather, r.WeatherScale = cs.ws, cs.scale
	if cs.places != nil {
		r.PlaceScaling = &cs.places.report
	}
	r.Warnings = append(r.Warnings, cs.warn...)
	sys := sc.PV.System()
	fastKey := fmt.Sprintf("%s|%+v", skyKey, sys)
	var fast *pv.FastPath
	if c != nil {
		fast = c.fast[fastKey]
	}
	if fast == nil {
		var err error
		if fast, err = pv.NewFastPath(ctx, cs.sky, cs.ws, sys, pv.FastPathOptions{Workers: o.Workers}); err != nil {
			return nil, nil, nil, nil, fmt.Errorf("fast path: %w", err)
		}
		if c != nil {
			c.fast[fastKey] = fast
		}
	}
	return cs.ws, cs.sky, fast, cs.places, nil
}

// readWeather reads the weather year from fsys (nil: from disk).
func readWeather(fsys fs.FS, path string, site int) (*weather.Series, error) {
	if fsys == nil {
		return weather.Read(path, weather.Options{Site: site})
	}
	f, err := fsys.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return weather.ReadFrom(f, path, weather.Options{Site: site})
}

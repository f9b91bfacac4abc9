// Package study runs a whole-territory pre-study: load buildings and parcels,
// build roof planes and their horizons, evaluate rooftop and ground PV, heat
// demand, air- and ground-source heat pumps, economics and Monte Carlo
// uncertainty per building and parcel, and aggregate per commune and zone.
//
// It joins the geo core, the solar core and the model into one call (Run)
// used by `gisement study` and by the HTTP API's study jobs; Layers turns the
// result into the generic storage layers of package data.
package study

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"runtime"
	"sync"
	"time"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/geo/raster"
	"github.com/gisement/gisement/model"
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
	// IrradiancePath: optional per-commune annual irradiation CSV; when given,
	// the weather year's irradiance is scaled by field(territory) /
	// field(weather site) (see ScaleWeather).
	IrradiancePath string
	// DEMPath: optional elevation raster for the terrain horizon.
	DEMPath string
	// DSMPaths, DTMPaths: optional surface / terrain models (IGN MNS / MNT
	// LiDAR HD GeoTIFF tiles, files or folders): covered buildings get
	// observed roof planes and DSM horizons (applySurface, geo/surface).
	DSMPaths, DTMPaths []string
	// Scenario: the assumptions (nil = model.DefaultScenario()).
	Scenario *model.Scenario
	// Emitter: heat emitter assumed for existing buildings (default
	// radiator — existing French dwellings are mostly heated through
	// high-temperature radiators; our assumption, overridable).
	Emitter model.Emitter
	// Workers: parallelism (0 = GOMAXPROCS).
	Workers int
	// MonteCarloDraws (0 = scenario's) and the seed come from the scenario
	// unless set here.
	MonteCarloDraws int
	// Progress receives stage updates (may be nil).
	Progress Progress
	Logger   *slog.Logger
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
	// WeatherScale is the irradiance scale factor applied (1 = none).
	WeatherScale float64
	PV           *model.TerritoryPV
	// Buildings parallel to Territory.Buildings; Parcels to Territory.Parcels.
	Buildings []BuildingResult
	Parcels   []ParcelResult
	// CarParks: canopy potential and APER obligation per car park (when a
	// car-park layer was given).
	CarParks     []model.CarParkPV
	carParkGeoms []model.CarPark
	Communes     []CommuneResult
	Zones        []ZoneResult
	Totals       Totals
	// Inputs are the input paths (for provenance).
	Inputs map[string]string
	// Warnings are non-fatal remarks (e.g. weather station far from the territory).
	Warnings []string
}

// StageTime is one stage's wall time.
type StageTime struct {
	Name    string
	Seconds float64
}

// Run executes the study. Errors caused by the inputs wrap ErrInput.
func Run(ctx context.Context, o Options) (*Result, error) {
	start := time.Now()
	if o.Scenario == nil {
		o.Scenario = model.DefaultScenario()
	}
	if err := o.Scenario.Validate(); err != nil {
		return nil, fmt.Errorf("%w: scenario: %w", ErrInput, err)
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
	if o.Emitter == "" {
		o.Emitter = model.EmitterRadiator
	}
	if o.BuildingsPath == "" {
		return nil, fmt.Errorf("%w: no buildings file", ErrInput)
	}
	if o.WeatherPath == "" {
		return nil, fmt.Errorf("%w: no weather file", ErrInput)
	}
	r := &Result{Name: o.Name, Scenario: o.Scenario, ScenarioHash: o.Scenario.Hash(), StartedAt: start,
		WeatherScale: 1, Inputs: map[string]string{}}
	for k, v := range map[string]string{"buildings": o.BuildingsPath, "parcels": o.ParcelsPath, "weather": o.WeatherPath,
		"boundaries": o.BoundariesPath, "zones": o.ZonesPath, "carparks": o.CarParksPath, "irradiance": o.IrradiancePath, "dem": o.DEMPath} {
		if v != "" {
			r.Inputs[k] = v
		}
	}
	stage := func(name string, total int) func() {
		o.Progress.Stage(name, total)
		t0 := time.Now()
		o.Logger.Info("stage", "name", name)
		return func() { r.Stages = append(r.Stages, StageTime{name, time.Since(t0).Seconds()}) }
	}

	// 1. Territory: load, validate, index, assign (planes later, once the
	// terrain horizon is known).
	done := stage("load territory", 0)
	t, err := geo.LoadTerritory(geo.TerritoryOptions{
		BuildingsPath: o.BuildingsPath, ParcelsPath: o.ParcelsPath,
		BuildingLoad: geo.LoadOptions{EPSG: o.BuildingsEPSG}, ParcelLoad: geo.LoadOptions{EPSG: o.ParcelsEPSG},
		SkipPlanes: true,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInput, err)
	}
	if o.AreaWGS84 != nil {
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
	if w := checkParcelLayer(t); w != "" {
		r.Warnings = append(r.Warnings, w)
	}

	// 2. Weather: read, check it belongs to this territory, optionally scale.
	done = stage("weather", 0)
	ws, err := weather.Read(o.WeatherPath, weather.Options{})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInput, err)
	}
	if err := checkWeatherSite(ws, centre, r); err != nil {
		return nil, err
	}
	if o.IrradiancePath != "" {
		f, err := ScaleWeather(ws, o.IrradiancePath, centre)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInput, err)
		}
		r.WeatherScale = f
	}
	r.Weather = ws
	sky, err := solar.PrepareSky(ws, solar.SkyOptions{})
	if err != nil {
		return nil, fmt.Errorf("%w: weather %s: %w", ErrInput, o.WeatherPath, err)
	}
	pvp := pvParams(o.Scenario)
	fast, err := model.NewFastPath(sky, ws, pvp.System(), model.FastPathOptions{})
	if err != nil {
		return nil, fmt.Errorf("fast path: %w", err)
	}
	temps := make([]float64, len(ws.Records))
	for i, rec := range ws.Records {
		temps[i] = rec.TempAirC
	}
	climate, err := model.NewHeatClimate(temps, ws.StepH, o.Scenario.Heat)
	if err != nil {
		return nil, fmt.Errorf("%w: weather %s: heat climate: %w", ErrInput, o.WeatherPath, err)
	}
	done()

	// 3. Roof planes and horizons (neighbours + optional terrain).
	done = stage("roof planes and horizons", len(t.Buildings))
	ro := o.Scenario.RoofOptions()
	ho := geo.DefaultHorizonOptions()
	if o.DEMPath != "" {
		dem, err := raster.Read(o.DEMPath)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInput, err)
		}
		ho.Terrain = terrainFunc(dem, ho.Sectors)
	}
	t.ComputePlanes(ro, ho)
	if err := applySurface(r, t, o, ro, ho); err != nil { // observed roofs, --dsm (surface.go)
		return nil, err
	}
	o.Progress.Add(len(t.Buildings))
	done()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// 4. Rooftop PV on every plane (fast path).
	done = stage("rooftop PV", len(t.Planes))
	pv, err := model.TerritoryPVOf(t, fast, pvp)
	if err != nil {
		return nil, err
	}
	r.PV = pv
	o.Progress.Add(len(t.Planes))
	done()

	// 5. Zones and boundaries (optional layers).
	zones, err := loadZones(o.ZonesPath)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInput, err)
	}
	communes, err := loadCommunes(o.BoundariesPath)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInput, err)
	}
	carParks, err := loadCarParks(o.CarParksPath)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInput, err)
	}
	gp := groundParams(o.Scenario)
	groundYield, canopyYield := model.GroundYield(sky, pvp, gp)
	if r.CarParks, err = model.CarParksPV(carParks, canopyYield, pvp, gp); err != nil {
		return nil, fmt.Errorf("%w: car parks %s: %w", ErrInput, o.CarParksPath, err)
	}
	r.carParkGeoms = carParks

	// 6. Heat, economics and uncertainty per building and parcel.
	done = stage("heat, economics, uncertainty", len(t.Buildings)+len(t.Parcels))
	mc := model.NewMonteCarlo(o.Scenario, o.MonteCarloDraws, uint64(o.Scenario.Uncertainty.Seed.Value))
	ev := &evaluator{o: &o, t: t, pv: pv, fast: fast, climate: climate, mc: mc, zones: zones,
		pvp: pvp, ground: gp, groundYield: groundYield, carParks: carParks, carParkPV: r.CarParks}
	r.Buildings = make([]BuildingResult, len(t.Buildings))
	if err := parallel(ctx, len(t.Buildings), o.Workers, func(i int, s *scratch) error {
		r.Buildings[i] = ev.building(i, s)
		return nil
	}, o.Progress); err != nil {
		return nil, err
	}
	r.Parcels = make([]ParcelResult, len(t.Parcels))
	if err := parallel(ctx, len(t.Parcels), o.Workers, func(i int, s *scratch) error {
		r.Parcels[i] = ev.parcel(i, r.Buildings, s)
		return nil
	}, o.Progress); err != nil {
		return nil, err
	}
	done()

	// 7. Aggregation per commune and zone.
	done = stage("aggregation", 0)
	r.Communes = aggregateCommunes(r, communes)
	r.Zones = aggregateZones(r, zones)
	r.Totals = totals(r)
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

// pvParams maps the scenario onto the PV model's parameters.
func pvParams(sc *model.Scenario) model.PVParams {
	p := model.DefaultPVParams()
	p.ModulePowerWpM2 = sc.PV.ModulePowerDensityWpM2.Value
	p.LossPct = sc.PV.SystemLossPct.Value
	// Thermal mounting: PVGIS's default "free-standing" Faiman coefficients.
	// Rooftop modules in France are mostly mounted over the tiles with an
	// air gap (surimposition), which PVGIS users model as free-standing;
	// PVGIS's "building-integrated" option assumes unventilated modules and
	// would cost about 10 % here. Our choice, stated in the README.
	p.Mounting = solar.MountFree
	return p
}

// groundParams maps the scenario onto the ground-mounted PV parameters.
func groundParams(sc *model.Scenario) model.GroundPVParams {
	g := model.DefaultGroundPVParams()
	g.GCR = sc.PV.GroundCoverageRatio.Value
	g.CarParkMinM2 = sc.PV.APERThresholdM2.Value
	g.CarParkCoverage = sc.PV.CarportCoverageRatio.Value
	return g
}

// scratch is per-worker reusable memory.
type scratch struct {
	mcBuf []float64
	fps   []orbMulti
}

// parallel runs fn(i) for i in [0, n) on workers goroutines in chunks,
// reporting progress; it stops at the first error or when ctx is done.
func parallel(ctx context.Context, n, workers int, fn func(i int, s *scratch) error, p Progress) error {
	if n == 0 {
		return nil
	}
	const chunk = 256
	var (
		mu   sync.Mutex
		next int
		ferr error
		wg   sync.WaitGroup
	)
	take := func() (int, int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if ferr != nil || next >= n {
			return 0, 0, false
		}
		lo := next
		next = min(n, next+chunk)
		return lo, next, true
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := &scratch{}
			for {
				lo, hi, ok := take()
				if !ok {
					return
				}
				if err := ctx.Err(); err != nil {
					mu.Lock()
					ferr = err
					mu.Unlock()
					return
				}
				for i := lo; i < hi; i++ {
					if err := fn(i, s); err != nil {
						mu.Lock()
						if ferr == nil {
							ferr = err
						}
						mu.Unlock()
						return
					}
				}
				p.Add(hi - lo)
			}
		}()
	}
	wg.Wait()
	return ferr
}

// finite returns v, or 0 when v is NaN or infinite (storage of undefined
// ratios: callers document where a 0 means "undefined").
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/gpkg"
	"github.com/gisement/gisement/data/postgis"
	"github.com/gisement/gisement/data/sample"
	"github.com/gisement/gisement/geo/raster"
	"github.com/gisement/gisement/internal/redact"
	"github.com/gisement/gisement/model"
	"github.com/gisement/gisement/model/study"
)

// studyOptions are the flags of `gisement study`.
type studyOptions struct {
	buildings, parcels, weather, irradiance, scenario, boundaries, zones, dem string
	carparks                                                                  string
	irradianceBands, irradianceUnit                                           string
	dsm, dtm                                                                  []string
	buildingsEPSG, parcelsEPSG                                                int
	out, db, id, name                                                         string
	workers, draws                                                            int
	json, quiet, irradianceVsStation                                          bool
	// Issue 13: --site (multi-site PVGIS files), --allow-low-overlap, and
	// the note on the default weather year.
	site            int
	allowLowOverlap bool
	allowFarWeather bool
	weatherNote     string
	cpuProfile      string
	lockWait        time.Duration
	// Issue 16: the streaming study (chunks written one by one).
	stream         bool
	chunkBuildings int
	// fsys holds the inputs when they are the embedded sample (nil: files).
	fsys               fs.FS
	distributedOptions // --distributed (distributed.go)
}

func newStudyCmd() *cobra.Command {
	var o studyOptions
	c := &cobra.Command{
		Use:   "study",
		Short: "Run a whole-territory pre-study (rooftop PV, heat pumps, economics) and store the results",
		Long: `Runs load → roof planes → shading → model → aggregation → storage.

With no input flag it runs on the embedded sample territory: Périgueux (INSEE 24322)
with the La Rochelle typical weather year. Results go to a GeoPackage (--out, default
gisement-study.gpkg) or to PostGIS (--db postgres://...).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runStudy(ctx, o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := c.Flags()
	f.StringVar(&o.buildings, "buildings", "", "building footprints (GeoJSON[.gz], Shapefile[.zip], GeoPackage)")
	f.StringVar(&o.parcels, "parcels", "", "cadastral parcels (optional: without them results are per building)")
	f.StringVar(&o.weather, "weather", "", "reference weather year (EPW, PVGIS TMY/seriescalc, PVWatts, generic CSV); default: the embedded typical year scaled to the territory by the embedded irradiation field. For your commune, download a TMY from PVGIS (re.jrc.ec.europa.eu/pvg_tools, \"TMY\" tab, CSV or JSON)")
	f.IntVar(&o.site, "site", 0, "site number (1-based) in a --weather file holding several sites (PVGIS multi-site CSV)")
	f.BoolVar(&o.allowLowOverlap, "allow-low-overlap", false, "run even when fewer than half of the buildings lie in a --parcels parcel (files of different territories)")
	f.BoolVar(&o.allowFarWeather, "allow-distant-weather", false, "run even when the --weather station is more than 300 km from the territory and no --irradiance-grid scales it")
	f.StringVar(&o.irradiance, "irradiance-grid", "", "irradiance grid scaling the weather year by place and season: GeoTIFF or ESRI ASCII grid (EPSG:4326/2154) or per-commune irradiation CSV")
	f.StringVar(&o.irradianceBands, "irradiance-bands", "", "band roles of the grid when its metadata lacks them, comma-separated: ghi, ghi_q1…ghi_q4, ghi_m01…ghi_m12, temp_q1…, - (ignored)")
	f.BoolVar(&o.irradianceVsStation, "irradiance-vs-station", false, "scale by H_grid(place) / H_grid(weather station) (the pre-raster behaviour) instead of H_grid(place) / the weather file's own irradiation")
	f.StringVar(&o.irradianceUnit, "irradiance-unit", "", "unit of the grid's irradiation bands when its metadata lacks it: kWh/m2/yr, kWh/m2 (per period), kWh/m2/day, W/m2")
	f.StringVar(&o.scenario, "scenario", "", "scenario file (YAML/JSON) overriding the built-in assumptions")
	f.StringVar(&o.boundaries, "boundaries", "", "commune outlines (properties INSEE_COM/code and NOM/nom)")
	f.StringVar(&o.zones, "zones", "", "constraint or planning zones (heritage, GMI green/orange/red, acceleration zones)")
	f.StringVar(&o.carparks, "carparks", "", "outdoor car parks (polygons): canopy potential and APER-law obligation over 1,500 m²")
	f.StringVar(&o.dem, "dem", "", "elevation raster (GeoTIFF or ASCII grid) for the terrain horizon")
	f.StringSliceVar(&o.dsm, "dsm", nil, "surface model (IGN MNS LiDAR HD GeoTIFF, Lambert-93): files or folders of tiles, repeatable; observed roof planes and DSM shading")
	f.StringSliceVar(&o.dtm, "dtm", nil, "terrain model (IGN MNT LiDAR HD GeoTIFF) matching --dsm: building heights DSM − DTM")
	f.IntVar(&o.buildingsEPSG, "buildings-crs", 0, "EPSG code of the buildings file when not declared (4326, 2154, 3857)")
	f.IntVar(&o.parcelsEPSG, "parcels-crs", 0, "EPSG code of the parcels file when not declared")
	f.StringVar(&o.out, "out", "gisement-study.gpkg", "output GeoPackage")
	f.StringVar(&o.db, "db", "", "PostGIS connection URL (postgres://...) instead of --out")
	f.StringVar(&o.id, "id", "", "study id (default: derived from the inputs and scenario, so a rerun replaces it)")
	f.StringVar(&o.name, "name", "", "study name")
	f.IntVar(&o.workers, "workers", 0, "parallel workers (default: all cores)")
	f.IntVar(&o.draws, "draws", 0, "Monte Carlo draws (default: the scenario's)")
	f.BoolVar(&o.json, "json", false, "print the summary as JSON")
	f.BoolVar(&o.quiet, "quiet", false, "no progress output")
	f.DurationVar(&o.lockWait, "lock-wait", gpkg.DefaultLockWait, "how long to wait for another gisement writing the same --out (0: fail at once, exit 1)")
	f.BoolVar(&o.stream, "stream", false, fmt.Sprintf("streaming study: cut the territory into chunks of --chunk-buildings buildings (with a 100 m halo of neighbours), compute and write each before the next, so memory depends on the chunk, not the territory; same results as the one-shot run. Recommended above %d buildings (the one-shot run holds the whole result in memory: about 12 GB for 1 M buildings)", study.StreamAboveBuildings))
	f.IntVar(&o.chunkBuildings, "chunk-buildings", study.DefaultChunkBuildings, "buildings per chunk of --stream (0: the default)")
	f.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile (pprof) of the run to this file")
	_ = f.MarkHidden("cpuprofile")
	addDistributed(c, &o.distributedOptions)
	return c
}

func init() {
	rootCmd.AddCommand(newStudyCmd())
}

// studyInputs resolves the input files; without a buildings file it selects
// the embedded sample, read in place (study.Options.FS).
func studyInputs(o *studyOptions) (cleanup func(), err error) {
	cleanup = func() {}
	if o.buildings != "" {
		if o.weather == "" {
			return defaultWeather(o)
		}
		return cleanup, nil
	}
	if o.parcels != "" || o.weather != "" || o.boundaries != "" {
		return cleanup, badInput(errors.New("--parcels, --weather and --boundaries need --buildings (without --buildings the embedded sample is used)"))
	}
	// The embedded sample is read in place (study.Options.FS); the user's
	// own optional layers beside it stay files on disk.
	o.fsys = diskOverlay{base: sample.FS, disk: map[string]bool{o.zones: o.zones != "", o.carparks: o.carparks != "", o.irradiance: o.irradiance != ""}}
	o.buildings, o.parcels = sample.Buildings, sample.Parcels
	o.boundaries, o.weather = sample.Commune, sample.Weather
	if o.irradiance == "" {
		o.irradiance = sample.Irradiation
	}
	if o.name == "" {
		o.name = "Périgueux (embedded sample)"
	}
	if o.id == "" {
		o.id = "sample-" + sample.INSEE
	}
	return cleanup, nil
}

// diskOverlay serves the names in disk from the file system and the others
// from base (the embedded sample).
type diskOverlay struct {
	base fs.FS
	disk map[string]bool
}

func (d diskOverlay) Open(name string) (fs.File, error) {
	if d.disk[name] {
		return os.Open(name)
	}
	return d.base.Open(name)
}

func runStudy(ctx context.Context, o studyOptions, stdout, stderr io.Writer) error {
	if o.workers < 0 || o.draws < 0 {
		return badInput(errors.New("--workers and --draws must be ≥ 0"))
	}
	if o.db != "" && !strings.HasPrefix(o.db, "postgres://") && !strings.HasPrefix(o.db, "postgresql://") {
		return badInput(fmt.Errorf("--db %q: want a postgres:// URL", redact.Credentials(o.db)))
	}
	if o.lockWait < 0 {
		return badInput(fmt.Errorf("--lock-wait %s must be ≥ 0", o.lockWait))
	}
	if o.chunkBuildings < 0 {
		return badInput(fmt.Errorf("--chunk-buildings %d must be > 0", o.chunkBuildings))
	}
	if o.cpuProfile != "" {
		pf, err := os.Create(o.cpuProfile)
		if err != nil {
			return badInput(fmt.Errorf("--cpuprofile: %w", err))
		}
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer func() { pprof.StopCPUProfile(); pf.Close() }()
	}
	cleanup, err := studyInputs(&o)
	defer cleanup()
	if err != nil {
		return err
	}
	sc := model.DefaultScenario()
	if o.scenario != "" {
		if sc, err = model.LoadScenario(o.scenario); err != nil {
			return badInput(err)
		}
	}
	if o.db == "" {
		if err := checkWritableDir(o.out); err != nil {
			return badInput(err)
		}
	}
	interactive := !o.quiet && isTerminal(stderr)
	var prog study.Progress = logProgress{w: stderr, quiet: o.quiet}
	if interactive {
		prog = &barProgress{w: stderr}
	}
	logger := slog.New(slog.DiscardHandler)
	t0 := time.Now()
	so := study.Options{
		ID: o.id, Name: o.name,
		BuildingsPath: o.buildings, ParcelsPath: o.parcels, BuildingsEPSG: o.buildingsEPSG, ParcelsEPSG: o.parcelsEPSG,
		BoundariesPath: o.boundaries, ZonesPath: o.zones, CarParksPath: o.carparks, WeatherPath: o.weather, IrradiancePath: o.irradiance, DEMPath: o.dem,
		DSMPaths: o.dsm, DTMPaths: o.dtm,
		Scenario: sc, Workers: o.workers, MonteCarloDraws: o.draws, Progress: prog, Logger: logger, FS: o.fsys,
		IrradianceGrid: irradianceGridOptions(o.irradianceBands, o.irradianceUnit), IrradianceVsStation: o.irradianceVsStation,
		AllowLowOverlap: o.allowLowOverlap, AllowDistantWeather: o.allowFarWeather, WeatherNote: o.weatherNote, WeatherSite: o.site,
	}
	if o.distributed {
		return runDistributed(ctx, o, so, prog, stdout, stderr)
	}
	if o.stream {
		return runStreamStudy(ctx, o, so, prog, t0, stdout)
	}
	res, err := study.Run(ctx, so)
	if b, ok := prog.(*barProgress); ok {
		b.finish()
	}
	if err != nil {
		if errors.Is(err, study.ErrInput) {
			return badInput(err)
		}
		return err
	}
	st, layers, err := study.Layers(res)
	if err != nil {
		return err
	}
	store, where, err := openStore(ctx, o)
	if err != nil {
		return err
	}
	tw := time.Now()
	if err := store.WriteStudy(ctx, st, layers); err != nil {
		store.Close()
		if errors.Is(err, gpkg.ErrLocked) {
			return fmt.Errorf("study %s not written (nothing was lost: %s is unchanged): %w", st.ID, where, err)
		}
		return fmt.Errorf("writing %s: %w", where, err)
	}
	if err := store.Close(); err != nil {
		return err
	}
	res.Stages = append(res.Stages, study.StageTime{Name: "storage", Seconds: time.Since(tw).Seconds()})
	if n := len(res.Buildings); n > study.StreamAboveBuildings {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d buildings: --stream computes and writes the study chunk by chunk with the same results and memory bounded by the chunk", n))
	}
	printSummary(stdout, res, where, time.Since(t0), o.json)
	return nil
}

// runStreamStudy runs the streaming study (study.RunStreamResult) into the
// store, which must take chunked writes (data.ChunkStore).
func runStreamStudy(ctx context.Context, o studyOptions, so study.Options, prog study.Progress, t0 time.Time, stdout io.Writer) error {
	store, where, err := openStore(ctx, o)
	if err != nil {
		return err
	}
	defer store.Close()
	cs, ok := store.(data.ChunkStore)
	if !ok {
		return badInput(fmt.Errorf("--stream: %s does not take chunked writes", where))
	}
	_, res, err := study.RunStreamResult(ctx, so, study.StreamOptions{ChunkBuildings: o.chunkBuildings}, cs)
	if b, ok := prog.(*barProgress); ok {
		b.finish()
	}
	if err != nil {
		if errors.Is(err, study.ErrInput) {
			return badInput(err)
		}
		if errors.Is(err, gpkg.ErrLocked) {
			return fmt.Errorf("streaming study not finished (%s holds the chunks written so far; rerun to replace them): %w", where, err)
		}
		return fmt.Errorf("streaming study into %s: %w", where, err)
	}
	printSummary(stdout, res, where, time.Since(t0), o.json)
	return nil
}

func openStore(ctx context.Context, o studyOptions) (data.Store, string, error) {
	if o.db != "" {
		s, err := postgis.Open(ctx, o.db, postgis.Options{})
		if err != nil {
			return nil, "", fmt.Errorf("PostGIS %s: %w", redact.Credentials(o.db), err)
		}
		return s, redact.Credentials(o.db), nil
	}
	s, err := gpkg.Open(o.out)
	if err != nil {
		return nil, "", badInput(fmt.Errorf("%s: %w", o.out, err))
	}
	s.SetLockWait(o.lockWait)
	return s, o.out, nil
}

// checkWritableDir checks, before the computation, that the output can be
// written: its directory exists, and a file can be created there (the
// write goes through "<out>.tmp-<pid>" and a rename, so the directory, not
// only an existing file, must be writable), and --out is not a directory.
func checkWritableDir(out string) error {
	dir := filepath.Dir(out)
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("--out %s: directory %s: %w", out, dir, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("--out %s: %s is not a directory", out, dir)
	}
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		return fmt.Errorf("--out %s is a directory", out)
	}
	f, err := os.CreateTemp(dir, ".gisement-write-check-*")
	if err != nil {
		return fmt.Errorf("--out %s: directory %s is not writable (checked before the computation): %w", out, dir, err)
	}
	name := f.Name()
	f.Close()
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("--out %s: directory %s: %w", out, dir, err)
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// logProgress prints one plain line per stage (not a terminal: CI logs).
type logProgress struct {
	w     io.Writer
	quiet bool
}

func (p logProgress) Stage(name string, total int) {
	if p.quiet {
		return
	}
	if total > 0 {
		fmt.Fprintf(p.w, "gisement: %s (%d)\n", name, total)
	} else {
		fmt.Fprintf(p.w, "gisement: %s\n", name)
	}
}
func (logProgress) Add(int) {}

// barProgress draws a progress bar per stage on a terminal.
type barProgress struct {
	w   io.Writer
	bar *progressbar.ProgressBar
}

func (p *barProgress) Stage(name string, total int) {
	p.finish()
	if total <= 0 {
		total = -1
	}
	p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(p.w), progressbar.OptionSetDescription(name),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
}
func (p *barProgress) Add(n int) {
	if p.bar != nil {
		_ = p.bar.Add(n)
	}
}
func (p *barProgress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		fmt.Fprintln(p.w)
		p.bar = nil
	}
}

// peakRSSMB returns the process's peak resident memory (Linux VmHWM), or the
// Go runtime's obtained memory elsewhere, in MB.
func peakRSSMB() float64 {
	if f, err := os.Open("/proc/self/status"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
				fs := strings.Fields(rest)
				if len(fs) >= 1 {
					if kb, err := strconv.ParseFloat(fs[0], 64); err == nil {
						return kb / 1024
					}
				}
			}
		}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.Sys) / (1 << 20)
}

func printSummary(w io.Writer, r *study.Result, where string, elapsed time.Duration, asJSON bool) {
	s := study.SummaryOf(r)
	if asJSON {
		out := map[string]any{"study_id": r.ID, "output": where, "scenario_hash": r.ScenarioHash, "summary": s,
			"elapsed_s": elapsed.Seconds(), "peak_rss_mb": peakRSSMB()}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(out)
		return
	}
	t := r.Totals
	fmt.Fprintf(w, "Study %s — %s\n", r.ID, r.Name)
	fmt.Fprintf(w, "  output               %s\n", where)
	fmt.Fprintf(w, "  scenario             %s (%s)\n", r.Scenario.Name, r.ScenarioHash)
	fmt.Fprintf(w, "  weather              %s (irradiance scale %.3f)\n", s.Weather, r.WeatherScale)
	if r.WeatherNote != "" {
		fmt.Fprintf(w, "                       %s\n", r.WeatherNote)
	}
	br, pr := r.Territory.BuildingReport, r.Territory.ParcelReport
	fmt.Fprintf(w, "Inputs\n")
	fmt.Fprintf(w, "  buildings            %d read, %d kept, %d repaired, %d rejected\n", br.Read, br.Kept, br.Repaired, br.Rejected)
	printReasons(w, br.ByReason)
	if pr != nil {
		fmt.Fprintf(w, "  parcels              %d read, %d kept, %d repaired, %d rejected\n", pr.Read, pr.Kept, pr.Repaired, pr.Rejected)
		printReasons(w, pr.ByReason)
	}
	if a := r.Territory.Assignment; a != nil && a.Buildings > 0 {
		fmt.Fprintf(w, "  building→parcel      %d of %d assigned (%.1f %%); parcel ids: %d attribute, %d recovered from buildings, %d from geometry\n",
			a.Assigned, a.Buildings, 100*a.Rate(), a.IDsFromAttribute, a.IDsRecovered, a.IDsFromGeometry)
	}
	fmt.Fprintf(w, "  heights              %s\n", fmtCounts(br.HeightSources))
	fmt.Fprintf(w, "Rooftop PV\n")
	fmt.Fprintf(w, "  roof planes          %d (%d in the technical potential)\n", t.RoofPlanes, t.RoofPlanesKept)
	// Without parcels the parcel-level figures are not computed: "n/a",
	// never 0 (issue 13).
	perParcel := r.HasParcels()
	na := func(format string, v float64) string {
		if !perParcel {
			return "n/a"
		}
		return fmt.Sprintf(format, v)
	}
	fmt.Fprintf(w, "  technical potential  %.1f MWp (usable-area range %.1f–%.1f), %.1f GWh/yr (P90 sum %s, P10 sum %s)\n",
		t.PVKWp/1000, t.PVKWp*t.AreaLow/1000, t.PVKWp*t.AreaHigh/1000, t.PVKWhYr/1e6, na("%.1f", t.PVKWhYrP90/1e6), na("%.1f", t.PVKWhYrP10/1e6))
	if t.PVKWp > 0 {
		ps := r.PVStats
		fmt.Fprintf(w, "  specific yield       %.0f kWh/kWp (territory mean; south 30° %.0f, optimum %.0f); %.2f %% of the capacity faces north\n",
			t.PVKWhYr/t.PVKWp, r.PVReference.South30YieldKWhKWp, r.PVReference.OptimumYieldKWhKWp, 100*ps.TechnicalNorthKWp/ps.TechnicalKWp)
		fmt.Fprintf(w, "  shading loss         %.2f %% over all planes, %.2f %% over the technical potential (usable-area weighted; medians %.2f %% and %.2f %%)\n",
			ps.ShadingLossAllPct, ps.ShadingLossKeptPct, ps.ShadingLossAllQ50Pct, ps.ShadingLossKeptQ50Pct)
		fmt.Fprintf(w, "  yield P90/P50        %.3f (1σ %.1f %%: weather year %.1f, model %.1f, resource bias %.1f at %.0f km)\n",
			r.PVSpread.P90, r.PVSpread.SigmaPct, r.PVSpread.WeatherPct, r.PVSpread.ModelPct, r.PVSpread.BiasPct, r.PVSpread.DistanceKm)
	}
	fmt.Fprintf(w, "  economic potential   %.1f MWp, %.1f GWh/yr (%d of %d owners' systems with NPV ≥ 0)\n", t.PVEconKWp/1000, t.PVEconKWhYr/1e6, t.PVEconSystems, t.PVSystems)
	if t.UnassignedBuildings > 0 {
		fmt.Fprintf(w, "  outside parcels      %d buildings, %.1f MWp, %.1f GWh/yr (in the buildings layer, not in the parcel totals above)\n",
			t.UnassignedBuildings, t.UnassignedPVKWp/1000, t.UnassignedPVKWhYr/1e6)
	}
	fmt.Fprintf(w, "  NPV (sum)            %s\n", na("%.1f M€ (owners' best-sized systems, one per building)", t.PVNPVEUR/1e6))
	if perParcel {
		fmt.Fprintf(w, "  ground-mounted       %.1f MWp, %.1f GWh/yr on free parcel land\n", t.GroundPVKWp/1000, t.GroundPVKWhYr/1e6)
	} else {
		fmt.Fprintf(w, "  ground-mounted       n/a (needs --parcels)\n")
	}
	if n := len(r.CarParks); n > 0 {
		aper, kwp := 0, 0.0
		for _, c := range r.CarParks {
			if c.APERObligated {
				aper++
			}
			kwp += c.KWp
		}
		fmt.Fprintf(w, "  car parks            %d (%d over the APER threshold), canopies %.1f MWp\n", n, aper, kwp/1000)
	}
	fmt.Fprintf(w, "Heat\n")
	fmt.Fprintf(w, "  heated buildings     %d (%d annexes/unheated)\n", t.HeatedBuildings, t.Annexes)
	fmt.Fprintf(w, "  heat demand          %.1f GWh/yr consumption-like (conventional need %.1f GWh/yr)\n", t.HeatDemandKWhYr/1e6, t.HeatNeedConvKWhYr/1e6)
	if perParcel {
		fmt.Fprintf(w, "  air-source           %d parcels with room for an outdoor unit", t.ASHPSitedParcels)
	} else {
		fmt.Fprintf(w, "  air-source           siting n/a (needs --parcels)")
	}
	if h := r.Heat; h != nil {
		fmt.Fprintf(w, "; median SCOP %.2f system incl. hot water, %.2f space heating", h.MedianSCOPSystem, h.MedianSCOPSpace)
	}
	fmt.Fprintln(w)
	if perParcel {
		fmt.Fprintf(w, "  ground-source        %d parcels, %d boreholes to drill (%d needed, %d fit), %.1f MW; GMI to verify %d, outside GMI %d, beyond VDI 4640 simplified %d\n",
			t.GSHPParcels, t.Boreholes, t.BoreholesNeeded, t.BoreholesPossible, t.GSHPKW/1000, t.GSHPToVerifyParcels, t.GSHPOutsideParcels, t.GSHPNeedsSimulationParcels)
	} else {
		fmt.Fprintf(w, "  ground-source        n/a (boreholes need --parcels)\n")
	}
	fmt.Fprintf(w, "  CO2 avoided          %s\n", na("%.0f t/yr", t.CO2AvoidedKgYr/1000))
	if t.ParcelModelErrors > 0 {
		fmt.Fprintf(w, "  model errors         %d parcels (see column model_errors)\n", t.ParcelModelErrors)
	}
	for _, wn := range r.Warnings {
		fmt.Fprintf(w, "Warning: %s\n", wn)
	}
	if ca := r.CommuneAssignment; ca.FromParcelRef+ca.BuildingsFromBoundaries+ca.ParcelsFromBoundaries > 0 || ca.OutlinesRead > 0 {
		fmt.Fprintf(w, "Communes\n  buildings            %d from the attribute, %d from the parcel reference (arrondissement), %d from --boundaries, %d unknown\n",
			ca.FromAttribute, ca.FromParcelRef, ca.BuildingsFromBoundaries, ca.Unknown)
		if ca.OutlinesRead > 0 {
			fmt.Fprintf(w, "  outlines             %d read, %d kept (holding the study's buildings or parcels); %d parcels located by outline\n", ca.OutlinesRead, ca.OutlinesKept, ca.ParcelsFromBoundaries)
		}
	}
	printStages(w, r.Stages, elapsed, peakRSSMB())
}

// printStages prints the stage table. A streamed study's chunk stages are
// summed over its chunks, computed two at a time, so they can add up to
// more than the wall time: the table says so when they do.
func printStages(w io.Writer, stages []study.StageTime, elapsed time.Duration, rssMB float64) {
	fmt.Fprintf(w, "Time\n")
	sum, chunked := 0.0, false
	for _, st := range stages {
		fmt.Fprintf(w, "  %-20s %.2f s\n", st.Name, st.Seconds)
		sum += st.Seconds
		chunked = chunked || strings.HasPrefix(st.Name, "chunk:")
	}
	fmt.Fprintf(w, "  total                %.2f s, peak memory %.0f MB\n", elapsed.Seconds(), rssMB)
	if chunked && sum > elapsed.Seconds() {
		fmt.Fprintf(w, "  (a chunk's stages are summed over the chunks, computed two at a time: they add up to more than the total)\n")
	}
}

func printReasons(w io.Writer, m map[string]int) {
	if len(m) == 0 {
		return
	}
	fmt.Fprintf(w, "    rejected by reason %s\n", fmtCounts(m))
}

func fmtCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// sampleStudyToCache runs the embedded sample study into the user cache
// directory (reused when present) and returns the GeoPackage path; used by
// `gisement serve` without --from.
func sampleStudyToCache(ctx context.Context) (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "gisement")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	out := filepath.Join(dir, "sample-"+sample.INSEE+"-"+model.DefaultScenario().Hash()+".gpkg")
	if st, err := os.Stat(out); err == nil && st.Size() > 0 {
		return out, nil
	}
	err = runStudy(ctx, studyOptions{out: out, quiet: true}, io.Discard, io.Discard)
	return out, err
}

// irradianceGridOptions maps --irradiance-bands and --irradiance-unit.
func irradianceGridOptions(bands, unit string) raster.ClimateGridOptions {
	o := raster.ClimateGridOptions{Unit: unit}
	if strings.TrimSpace(bands) != "" {
		for _, b := range strings.Split(bands, ",") {
			o.Roles = append(o.Roles, strings.TrimSpace(b))
		}
	}
	return o
}

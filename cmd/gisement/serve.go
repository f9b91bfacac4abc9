package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/gisement/gisement/api"
	"github.com/gisement/gisement/api/web"
	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/gpkg"
	"github.com/gisement/gisement/data/postgis"
	"github.com/gisement/gisement/data/sample"
	"github.com/gisement/gisement/geo/raster"
	"github.com/gisement/gisement/internal/redact"
	"github.com/gisement/gisement/solar/weather"
)

// sampleStudy runs (or reuses from the user cache) the embedded sample study
// and returns the result GeoPackage's path. `gisement serve` without
// --from/--db calls it; study.go sets it in its init. nil: not available.
var sampleStudy func(ctx context.Context) (path string, err error)

// studyRunnerHook (optional, set by jobs.go) runs the study pipeline for
// POST /v1/studies (serve --jobs), each job into its own result store.
// nil: the endpoint answers 403.
var studyRunnerHook func(store data.Store, o jobRunnerOptions) (api.StudyRunner, error)

// jobsTokenEnv is the environment variable holding the study-job token
// (preferred to --jobs-token, which other local users can read with ps).
const jobsTokenEnv = "GISEMENT_JOBS_TOKEN"

func init() { rootCmd.AddCommand(newServeCmd()) }

// serveOptions holds the parsed flags of `gisement serve`.
type serveOptions struct {
	from, db, addr, study    string
	weatherPath, irradiance  string
	weatherSite              int // --site: one site of a multi-site PVGIS file (issue 13)
	cors, trustedProxies     string
	ratePerSec               float64
	rateBurst                int
	timeout, shutdownTimeout time.Duration
	maxBodyBytes             int64
	workers, maxQueued       int
	logJSON                  bool
	prewarm                  bool
	prewarmFeatures          bool
	pprofAddr                string // hidden: net/http/pprof on this loopback address

	jobs                    bool   // POST /v1/studies on
	jobsToken, jobsNetworks string // access requirements
	jobsDir                 string
	jobsKeep                int
	jobMaxDraws             int
	jobMaxAreaKm2           float64
	jobMaxBuildings         int64
	jobTimeout              time.Duration
	heavyConcurrency        int

	proxies []*net.IPNet
	origins []string
	jobNets []*net.IPNet
}

func newServeCmd() *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve [--from results.gpkg | --db postgres://...] [--addr 127.0.0.1:8080]",
		Short: "Serve study results over the HTTP API (JSON/GeoJSON, vector tiles, PVGIS-compatible pvcalc)",
		Long: `Serves a result store over HTTP: /v1/parcels, /v1/buildings, summaries,
/v1/tiles/{z}/{x}/{y}.mvt, /v1/pvcalc (PVGIS PVcalc-compatible, offline),
/v1/studies, /healthz, /readyz, /metrics; the OpenAPI document is at
/v1/openapi.json.

Without --from or --db the embedded sample territory (Périgueux) is studied at
start-up, or its cached result reused from the user cache directory.
/v1/pvcalc simulates --weather (default: the embedded La Rochelle TMY) and,
with --irradiance (GeoTIFF/ASCII irradiance grid or per-commune irradiation
CSV), scales it to the requested point by the ratio of the grid's irradiation
there to the weather year's own, per quarter or month when the grid has
seasonal bands (an approximation stated in each response's meta).

The rate limit is per client IP (token bucket); --rate 0 disables it (use it
for load tests from 127.0.0.1). X-Forwarded-For is ignored unless the peer is
in --trusted-proxies. Zone summaries, exports and study submissions are
computed --heavy-concurrency at a time (bbox listings 4× that); more wait up
to 2 s, then get 503 with Retry-After. SIGINT/SIGTERM shut the server down
gracefully within --shutdown-timeout.

Study jobs (POST /v1/studies) are off unless --jobs is given. They then need
the token of --jobs-token or $GISEMENT_JOBS_TOKEN (Authorization: Bearer) when
one is set, and a client address in --jobs-networks (default, without a
token: loopback only). Each job is refused before its 202 when its scenario is
invalid (422 naming the key) or above --job-max-draws, --job-max-area-km2 or
--job-max-buildings, and cancelled after --job-timeout. Job results go to their
own GeoPackages in --jobs-dir (the newest --jobs-keep are kept), never into
the served file.

Exit codes: 0 stopped cleanly; 1 I/O or internal failure (shutdown deadline
exceeded included); 2 bad flags or input (e.g. --from a file that is not a
gisement GeoPackage).`,
		Example: `  gisement serve --from results.gpkg --addr 127.0.0.1:8080 --rate 20 --cors https://map.example`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return badInput(err)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runServe(ctx, o, cmd.ErrOrStderr(), nil)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.from, "from", "", "result GeoPackage to serve")
	f.StringVar(&o.db, "db", "", "PostGIS result store URL (postgres://...)")
	f.StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen address")
	f.StringVar(&o.study, "study", "", "study id to serve (default: the latest)")
	f.StringVar(&o.weatherPath, "weather", "", "weather year for /v1/pvcalc (default: the embedded La Rochelle TMY)")
	f.IntVar(&o.weatherSite, "site", 0, "site number (1-based) in a --weather file holding several sites (PVGIS multi-site CSV)")
	f.StringVar(&o.irradiance, "irradiance", "", "irradiance grid scaling /v1/pvcalc to (lat, lon): GeoTIFF or ESRI ASCII grid (EPSG:4326/2154, roles and unit from its metadata) or per-commune irradiation CSV")
	f.StringVar(&o.irradiance, "irradiance-grid", "", "same as --irradiance (the name `gisement study` uses)")
	f.StringVar(&o.cors, "cors", "", "comma-separated allowed CORS origins (\"*\" = any; default: CORS off)")
	f.StringVar(&o.trustedProxies, "trusted-proxies", "", "comma-separated CIDR ranges whose X-Forwarded-For is trusted")
	f.Float64Var(&o.ratePerSec, "rate", 20, "requests/s per client IP (token bucket); 0 = no rate limit")
	f.IntVar(&o.rateBurst, "burst", 0, "rate-limit burst (default: 2×rate)")
	f.DurationVar(&o.timeout, "timeout", 10*time.Second, "per-request time limit")
	f.DurationVar(&o.shutdownTimeout, "shutdown-timeout", 15*time.Second, "graceful shutdown time limit")
	f.Int64Var(&o.maxBodyBytes, "max-body", 1<<20, "maximum request body, bytes")
	f.IntVar(&o.workers, "workers", 1, "study job workers")
	f.IntVar(&o.maxQueued, "max-queued", 8, "queued study jobs before 503")
	f.BoolVar(&o.logJSON, "log-json", false, "log as JSON lines (default: text)")
	f.BoolVar(&o.prewarm, "prewarm-tiles", true, "build the vector tiles of the study area (zooms 12–16) in the background at start-up")
	f.BoolVar(&o.prewarmFeatures, "prewarm-features", true, "after the tiles, cache the parcel then building answers (up to the feature cache size) in the background at start-up")
	f.StringVar(&o.pprofAddr, "pprof", "", "serve net/http/pprof on this loopback address (profiling; e.g. 127.0.0.1:6060)")
	f.BoolVar(&o.jobs, "jobs", false, "accept study jobs (POST /v1/studies); off by default")
	f.StringVar(&o.jobsToken, "jobs-token", "", "token study-job clients must send (Authorization: Bearer); default $"+jobsTokenEnv)
	f.StringVar(&o.jobsNetworks, "jobs-networks", "", "comma-separated CIDR ranges allowed to use study jobs (default without a token: loopback only)")
	f.StringVar(&o.jobsDir, "jobs-dir", "", "directory of the study-job results (default: a temporary directory removed at exit)")
	f.IntVar(&o.jobsKeep, "jobs-keep", 20, "study-job results kept (oldest removed first)")
	f.IntVar(&o.jobMaxDraws, "job-max-draws", api.DefaultJobMaxDraws, "largest Monte Carlo draws of a study job")
	f.Float64Var(&o.jobMaxAreaKm2, "job-max-area-km2", api.DefaultJobMaxAreaKm2, "largest study-job area, km²")
	f.Int64Var(&o.jobMaxBuildings, "job-max-buildings", api.DefaultJobMaxBuildings, "most buildings (of the served study) in a study-job area")
	f.DurationVar(&o.jobTimeout, "job-timeout", api.DefaultJobMaxDuration, "wall-time limit of a study job")
	f.IntVar(&o.heavyConcurrency, "heavy-concurrency", api.DefaultHeavyConcurrency(), "zone summaries, exports and study submissions computed at once")
	_ = f.MarkHidden("pprof")
	return cmd
}

func (o *serveOptions) validate() error {
	switch {
	case o.from != "" && o.db != "":
		return errors.New("give --from or --db, not both")
	case o.db != "" && !strings.HasPrefix(o.db, "postgres://") && !strings.HasPrefix(o.db, "postgresql://"):
		return fmt.Errorf("--db %q: want a postgres:// URL", redact.Credentials(o.db))
	case !(o.ratePerSec >= 0):
		return fmt.Errorf("--rate %g must be ≥ 0 (0 = off)", o.ratePerSec)
	case o.rateBurst < 0:
		return fmt.Errorf("--burst %d must be ≥ 0", o.rateBurst)
	case o.timeout <= 0:
		return fmt.Errorf("--timeout %s must be > 0", o.timeout)
	case o.shutdownTimeout <= 0:
		return fmt.Errorf("--shutdown-timeout %s must be > 0", o.shutdownTimeout)
	case o.maxBodyBytes <= 0:
		return fmt.Errorf("--max-body %d must be > 0", o.maxBodyBytes)
	case o.workers < 1 || o.workers > 64:
		return fmt.Errorf("--workers %d not in [1, 64]", o.workers)
	case o.maxQueued < 1 || o.maxQueued > 10000:
		return fmt.Errorf("--max-queued %d not in [1, 10000]", o.maxQueued)
	case o.heavyConcurrency < 0 || o.heavyConcurrency > 256:
		return fmt.Errorf("--heavy-concurrency %d not in [1, 256]", o.heavyConcurrency)
	}
	if err := o.validateJobs(); err != nil {
		return err
	}
	if _, _, err := net.SplitHostPort(o.addr); err != nil {
		return fmt.Errorf("--addr %q: %w", o.addr, err)
	}
	if o.pprofAddr != "" {
		h, _, err := net.SplitHostPort(o.pprofAddr)
		if ip := net.ParseIP(h); err != nil || (h != "localhost" && (ip == nil || !ip.IsLoopback())) {
			return fmt.Errorf("--pprof %q: want a loopback host:port (the profiler must not be exposed)", o.pprofAddr)
		}
	}
	for p := range strings.SplitSeq(o.trustedProxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		_, n, err := net.ParseCIDR(p)
		if err != nil {
			return fmt.Errorf("--trusted-proxies: %q is not a CIDR range: %w", p, err)
		}
		o.proxies = append(o.proxies, n)
	}
	for s := range strings.SplitSeq(o.cors, ",") {
		if s = strings.TrimSpace(s); s != "" {
			if s != "*" && !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
				return fmt.Errorf("--cors: origin %q must start with http:// or https://", s)
			}
			o.origins = append(o.origins, s)
		}
	}
	return nil
}

// validateJobs resolves the study-job access flags: the token (flag or
// environment) and the allowed networks (loopback by default when there is
// no token).
func (o *serveOptions) validateJobs() error {
	if !o.jobs {
		if o.jobsToken != "" || o.jobsNetworks != "" || o.jobsDir != "" {
			return errors.New("--jobs-token, --jobs-networks and --jobs-dir need --jobs (study jobs are off by default)")
		}
		return nil
	}
	switch {
	case o.jobsKeep < 1:
		return fmt.Errorf("--jobs-keep %d must be ≥ 1", o.jobsKeep)
	case o.jobMaxDraws < 1:
		return fmt.Errorf("--job-max-draws %d must be ≥ 1", o.jobMaxDraws)
	case !(o.jobMaxAreaKm2 > 0):
		return fmt.Errorf("--job-max-area-km2 %g must be > 0", o.jobMaxAreaKm2)
	case o.jobMaxBuildings < 1:
		return fmt.Errorf("--job-max-buildings %d must be ≥ 1", o.jobMaxBuildings)
	case o.jobTimeout <= 0:
		return fmt.Errorf("--job-timeout %s must be > 0", o.jobTimeout)
	}
	if o.jobsToken == "" {
		o.jobsToken = os.Getenv(jobsTokenEnv)
	}
	if o.jobsToken != "" && len(o.jobsToken) < 16 {
		return fmt.Errorf("the study-job token (--jobs-token or $%s) must be at least 16 characters", jobsTokenEnv)
	}
	for p := range strings.SplitSeq(o.jobsNetworks, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		_, n, err := net.ParseCIDR(p)
		if err != nil {
			return fmt.Errorf("--jobs-networks: %q is not a CIDR range: %w", p, err)
		}
		o.jobNets = append(o.jobNets, n)
	}
	if o.jobsToken == "" && len(o.jobNets) == 0 {
		for _, c := range []string{"127.0.0.0/8", "::1/128"} {
			_, n, _ := net.ParseCIDR(c)
			o.jobNets = append(o.jobNets, n)
		}
	}
	return nil
}

// openServeStore opens the store named by the flags, or the sample study.
func openServeStore(ctx context.Context, o serveOptions, log *slog.Logger) (data.Store, string, error) {
	switch {
	case o.db != "":
		s, err := postgis.Open(ctx, o.db, postgis.Options{})
		if err != nil {
			return nil, "", fmt.Errorf("--db %s: %w", redact.Credentials(o.db), err)
		}
		return s, "postgis " + redact.Credentials(o.db), nil
	case o.from != "":
		s, err := gpkg.OpenExisting(o.from)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) || errors.Is(err, gpkg.ErrNotGeoPackage) {
				return nil, "", badInput(fmt.Errorf("--from: %w", err))
			}
			return nil, "", fmt.Errorf("--from: %w", err)
		}
		return s, o.from, nil
	}
	if sampleStudy == nil {
		return nil, "", badInput(errors.New("no --from given and the sample study is not available"))
	}
	log.Info("no --from/--db: studying the embedded sample territory (or reusing its cached result)")
	path, err := sampleStudy(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("sample study: %w", err)
	}
	s, err := gpkg.OpenExisting(path)
	if err != nil {
		return nil, "", fmt.Errorf("sample study result %s: %w", path, err)
	}
	return s, path, nil
}

// serveWeather reads --weather, or the embedded sample weather year.
func serveWeather(o serveOptions) (*weather.Series, error) {
	if o.weatherPath != "" {
		s, err := weather.Read(o.weatherPath, weather.Options{Site: o.weatherSite})
		if err != nil {
			return nil, badInput(fmt.Errorf("--weather: %w", err))
		}
		return s, nil
	}
	f, err := sample.FS.Open(sample.Weather)
	if err != nil {
		return nil, fmt.Errorf("embedded sample weather: %w", err)
	}
	defer f.Close()
	return weather.ReadFrom(f, sample.Weather, weather.Options{})
}

// runServe serves until ctx is cancelled, then shuts down gracefully.
// ready (tests) receives the bound address once listening.
func runServe(ctx context.Context, o serveOptions, logw io.Writer, ready chan<- string) error {
	var h slog.Handler = slog.NewTextHandler(logw, nil)
	if o.logJSON {
		h = slog.NewJSONHandler(logw, nil)
	}
	h = redact.NewHandler(h) // no credential of --db or of an error in the log
	log := slog.New(h)
	store, source, err := openServeStore(ctx, o, log)
	if err != nil {
		return err
	}
	defer store.Close()
	ws, err := serveWeather(o)
	if err != nil {
		return err
	}
	// /v1/pvcalc scales to (lat, lon) with --irradiance (a raster grid or the
	// per-commune CSV) or, with the embedded sample weather year, with the
	// embedded per-commune irradiation field, read in place (as the sample
	// study does).
	var grid *raster.ClimateGrid
	var field *raster.IrradiationField
	switch {
	case o.irradiance != "":
		if grid, err = raster.ReadClimateGrid(o.irradiance, raster.ClimateGridOptions{}); err != nil {
			return badInput(fmt.Errorf("--irradiance: %w", err))
		}
		field = grid.Field()
	case o.weatherPath == "":
		pts, err := raster.ReadIrradiationPointsFS(sample.FS, sample.Irradiation)
		if err != nil {
			return badInput(fmt.Errorf("embedded irradiation field: %w", err))
		}
		if field, err = raster.NewIrradiationField(pts, raster.IDWOptions{}); err != nil {
			return badInput(fmt.Errorf("--irradiance: %w", err))
		}
	}
	// Pin the served study: jobs (POST /v1/studies) add newer studies to the
	// same store, which must not replace the one being served.
	if o.study == "" {
		if st, err := store.Study(ctx, ""); err == nil {
			o.study = st.ID
		}
	}
	checkServeWeather(ctx, store, o, log) // serve_weather.go
	var runner api.StudyRunner
	if o.jobs {
		if studyRunnerHook == nil {
			return badInput(errors.New("--jobs: the study pipeline is not built into this binary"))
		}
		if runner, err = studyRunnerHook(store, jobRunnerOptions{Dir: o.jobsDir, Keep: o.jobsKeep}); err != nil {
			return err
		}
		if c, ok := runner.(io.Closer); ok {
			defer c.Close() // removes the jobs' temporary inputs, even after a shutdown timeout
		}
		log.Info("study jobs on", "token_required", o.jobsToken != "", "networks", fmt.Sprint(o.jobNets),
			"max_draws", o.jobMaxDraws, "max_area_km2", o.jobMaxAreaKm2, "max_buildings", o.jobMaxBuildings, "timeout", o.jobTimeout)
	}
	srv, err := api.New(api.Options{
		Store: store, StudyID: o.study, Weather: ws, Climate: grid, Irradiation: field, Runner: runner, Logger: log,
		MaxBodyBytes: o.maxBodyBytes, RequestTimeout: o.timeout, RatePerSec: o.ratePerSec, RateBurst: o.rateBurst,
		TrustedProxies: o.proxies, CORSOrigins: o.origins, Workers: o.workers, MaxQueuedJobs: o.maxQueued,
		JobsToken: o.jobsToken, JobsNetworks: o.jobNets, HeavyConcurrency: o.heavyConcurrency,
		JobLimits:    api.JobLimits{MaxDraws: o.jobMaxDraws, MaxAreaKm2: o.jobMaxAreaKm2, MaxBuildings: o.jobMaxBuildings, MaxDuration: o.jobTimeout},
		PrewarmTiles: o.prewarm, PrewarmFeatures: o.prewarmFeatures, Static: web.Handler(),
	})
	if err != nil {
		return err
	}
	if _, err := store.Study(ctx, o.study); err != nil {
		return badInput(fmt.Errorf("%s: no study %q to serve: %w", source, o.study, err))
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return badInput(fmt.Errorf("--addr %s: %w", o.addr, err))
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       o.timeout + 5*time.Second,
		WriteTimeout:      o.timeout + 5*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(h, slog.LevelWarn),
	}
	if o.pprofAddr != "" {
		stopProf, err := servePprof(o.pprofAddr, log)
		if err != nil {
			return badInput(fmt.Errorf("--pprof %s: %w", o.pprofAddr, err))
		}
		defer stopProf()
	}
	log.Info("serving", "addr", ln.Addr().String(), "store", source, "rate_per_s", o.ratePerSec, "weather", filepath.Base(ws.Source))
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), o.shutdownTimeout)
	defer cancel()
	err = hs.Shutdown(sctx)
	if cerr := srv.Close(sctx); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// servePprof serves net/http/pprof's handlers on a separate loopback
// listener (never on the API's mux) and returns its stop function.
func servePprof(addr string, log *slog.Logger) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	log.Info("pprof", "addr", ln.Addr().String())
	return func() { _ = hs.Close() }, nil
}

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
	"github.com/gisement/gisement/solar/weather"
)

// sampleStudy runs (or reuses from the user cache) the embedded sample study
// and returns the result GeoPackage's path. `gisement serve` without
// --from/--db calls it; study.go sets it in its init. nil: not available.
var sampleStudy func(ctx context.Context) (path string, err error)

// studyRunnerHook (optional, set by study.go) runs the study pipeline for
// POST /v1/studies into the served store. nil: the endpoint answers 503.
var studyRunnerHook func(store data.Store) api.StudyRunner

func init() { rootCmd.AddCommand(newServeCmd()) }

// serveOptions holds the parsed flags of `gisement serve`.
type serveOptions struct {
	from, db, addr, study    string
	weatherPath, irradiance  string
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

	proxies []*net.IPNet
	origins []string
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
with --irradiance (per-commune irradiation CSV), scales it to the requested
point by the ratio of the irradiation field there to its value at the
weather site (an approximation stated in each response's meta).

The rate limit is per client IP (token bucket); --rate 0 disables it (use it
for load tests from 127.0.0.1). X-Forwarded-For is ignored unless the peer is
in --trusted-proxies. SIGINT/SIGTERM shut the server down gracefully.`,
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
	f.StringVar(&o.irradiance, "irradiance", "", "per-commune irradiation CSV scaling /v1/pvcalc to (lat, lon)")
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
	_ = f.MarkHidden("pprof")
	return cmd
}

func (o *serveOptions) validate() error {
	switch {
	case o.from != "" && o.db != "":
		return errors.New("give --from or --db, not both")
	case o.db != "" && !strings.HasPrefix(o.db, "postgres://") && !strings.HasPrefix(o.db, "postgresql://"):
		return fmt.Errorf("--db %q: want a postgres:// URL", o.db)
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

// openServeStore opens the store named by the flags, or the sample study.
func openServeStore(ctx context.Context, o serveOptions, log *slog.Logger) (data.Store, string, error) {
	switch {
	case o.db != "":
		s, err := postgis.Open(ctx, o.db, postgis.Options{})
		if err != nil {
			return nil, "", fmt.Errorf("--db: %w", err)
		}
		return s, "postgis", nil
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
		s, err := weather.Read(o.weatherPath, weather.Options{})
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
	var field *raster.IrradiationField
	if o.irradiance != "" || o.weatherPath == "" {
		var pts []raster.IrradiationPoint
		if o.irradiance != "" {
			pts, err = raster.ReadIrradiationPoints(o.irradiance)
		} else {
			// With the embedded sample weather year, scale /v1/pvcalc with the
			// embedded per-commune irradiation field (as the sample study
			// does), read in place.
			pts, err = raster.ReadIrradiationPointsFS(sample.FS, sample.Irradiation)
		}
		if err != nil {
			return badInput(fmt.Errorf("--irradiance: %w", err))
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
	var runner api.StudyRunner
	if studyRunnerHook != nil {
		runner = studyRunnerHook(store)
	}
	srv, err := api.New(api.Options{
		Store: store, StudyID: o.study, Weather: ws, Irradiation: field, Runner: runner, Logger: log,
		MaxBodyBytes: o.maxBodyBytes, RequestTimeout: o.timeout, RatePerSec: o.ratePerSec, RateBurst: o.rateBurst,
		TrustedProxies: o.proxies, CORSOrigins: o.origins, Workers: o.workers, MaxQueuedJobs: o.maxQueued,
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
	log.Info("serving", "addr", ln.Addr().String(), "store", source, "rate_per_s", o.ratePerSec, "weather", ws.Source)
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

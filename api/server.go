package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"
	"github.com/paulmach/orb"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/geo/raster"
	"github.com/gisement/gisement/solar"
	"github.com/gisement/gisement/solar/weather"
)

// StudyRequest asks the study pipeline to study an area.
type StudyRequest struct {
	Area              orb.Geometry    // EPSG:4326 Polygon or MultiPolygon
	ScenarioOverrides json.RawMessage // JSON object merged over the default scenario; nil = defaults
}

// StudyRunner runs the study pipeline (plugged in by the command). Run blocks
// until the study is written to the store and returns its id. It must honour
// ctx cancellation.
type StudyRunner interface {
	Run(ctx context.Context, req StudyRequest) (studyID string, err error)
}

// Options configure New. Zero values take the documented defaults.
type Options struct {
	Store   data.Store // required
	StudyID string     // study served; "" = the latest in the store
	// Weather is the weather year /v1/pvcalc simulates (nil: /v1/pvcalc
	// answers 503).
	Weather *weather.Series
	// Irradiation scales /v1/pvcalc from the weather site to (lat, lon)
	// (optional).
	Irradiation *raster.IrradiationField
	Runner      StudyRunner // nil: POST /v1/studies answers 503
	Logger      *slog.Logger

	// Climate, when set, replaces Irradiation: /v1/pvcalc is scaled by the
	// irradiance grid at (lat, lon) against the weather year's own
	// irradiation, per season when the grid has seasonal bands.
	Climate *raster.ClimateGrid

	MaxBodyBytes   int64         // default 1 MiB
	RequestTimeout time.Duration // per-request context deadline, default 10 s
	// RatePerSec is the token-bucket rate per client IP (requests/s);
	// 0 disables rate limiting. Burst defaults to 2×rate (at least 1).
	RatePerSec float64
	RateBurst  int
	// TrustedProxies are the CIDR ranges whose X-Forwarded-For is believed;
	// empty = the client is the TCP peer (RemoteAddr), headers ignored.
	TrustedProxies []*net.IPNet
	CORSOrigins    []string // allowed origins; empty = CORS off; "*" = any
	Workers        int      // study worker pool size, default 1
	MaxQueuedJobs  int      // queued study jobs before 503, default 8
	// JobsToken, when set, is required from study-job clients as
	// "Authorization: Bearer <token>" (jobguard.go).
	JobsToken string
	// JobsNetworks, when set, are the only client networks (c.RealIP())
	// allowed to start or read study jobs.
	JobsNetworks []*net.IPNet
	// JobLimits bound each study job (checked before the 202).
	JobLimits JobLimits
	// HeavyConcurrency is the number of zone summaries, exports and study
	// submissions computed at once (default DefaultHeavyConcurrency());
	// BBoxConcurrency the number of bbox listings (default 4 × that). More
	// wait up to HeavyWait (default 2 s), then get 503 with Retry-After
	// (limits.go).
	HeavyConcurrency int
	BBoxConcurrency  int
	HeavyWait        time.Duration
	TileCacheSize    int // tiles kept in the LRU, default 4096; <0 disables
	// FeatureCacheSize is the number of encoded parcel/building answers kept
	// in an LRU (results of a study are immutable), default 20000; <0
	// disables.
	FeatureCacheSize int
	// MaxExportFeatures bounds a GeoPackage download of a selection,
	// default DefaultMaxExportFeatures.
	MaxExportFeatures int
	// PrewarmTiles builds the vector tiles of the study area (zooms
	// MinZoomParcels–PrewarmMaxZoom) in the background at start-up.
	PrewarmTiles bool
	// PrewarmFeatures builds the cached /v1/parcels/{id} answers of every
	// parcel of the served study, then of its buildings, in the background
	// at start-up (after the tiles), up to FeatureCacheSize answers
	// (prewarm.go).
	PrewarmFeatures bool
	// Static (optional) serves every other GET path, e.g. the web map
	// (api/web.Handler()); mounted at "/*", outside the OpenAPI document.
	Static http.Handler
}

// Server is the HTTP API. It is an http.Handler.
type Server struct {
	e          *echo.Echo
	o          Options
	log        *slog.Logger
	store      data.Store
	spec       *openapi3.T
	specJS     []byte
	routes     map[string]specRoute
	metrics    *metrics
	jobs       *jobPool
	heavy      *heavyLimiter // zones, exports, study submissions (limits.go)
	bbox       *heavyLimiter // bbox listings
	tiles      *lru[tileEntry]
	feats      *lru[*featEntry]
	tileFlight flight
	tileBuilds atomic.Int64       // tiles built (tests)
	stopWarm   context.CancelFunc // cancels the pre-warming (Close)
	warmDone   chan struct{}
	warmTiles  atomic.Int64 // tiles pre-warmed (readyz)
	sky        *solar.Sky
	weather    *weather.Series

	stMu   sync.Mutex
	stAt   time.Time
	st     *data.Study
	layers map[string]data.Layer // schemas, refreshed with the study
	tail   *scenarioTail         // the served study's scenario member (splice.go)
}

// studyTTL is how long the served study's description is cached (a study
// written by a job becomes visible after at most this delay).
const studyTTL = 2 * time.Second

// New builds the API server. It fails when the options are invalid or when
// the registered routes and the OpenAPI document disagree.
func New(o Options) (*Server, error) {
	if o.Store == nil {
		return nil, errors.New("api: Options.Store is required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 1 << 20
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 10 * time.Second
	}
	if o.RatePerSec < 0 {
		return nil, fmt.Errorf("api: RatePerSec %g < 0", o.RatePerSec)
	}
	if o.RateBurst <= 0 {
		o.RateBurst = max(1, int(2*o.RatePerSec))
	}
	if o.Workers <= 0 {
		o.Workers = 1
	}
	if o.MaxQueuedJobs <= 0 {
		o.MaxQueuedJobs = 8
	}
	if o.TileCacheSize == 0 {
		o.TileCacheSize = 4096
	}
	if o.MaxExportFeatures <= 0 {
		o.MaxExportFeatures = DefaultMaxExportFeatures
	}
	if o.FeatureCacheSize == 0 {
		o.FeatureCacheSize = 20000
	}
	if o.HeavyConcurrency <= 0 {
		o.HeavyConcurrency = DefaultHeavyConcurrency()
	}
	if o.BBoxConcurrency <= 0 {
		o.BBoxConcurrency = 4 * o.HeavyConcurrency
	}
	if o.HeavyWait <= 0 {
		o.HeavyWait = 2 * time.Second
	}
	o.JobLimits = o.JobLimits.withDefaults()
	s := &Server{o: o, log: o.Logger, store: o.Store, metrics: newMetrics()}
	var err error
	if s.spec, s.specJS, err = loadSpec(); err != nil {
		return nil, err
	}
	s.routes = specRoutes(s.spec)
	if o.Weather != nil {
		s.weather = o.Weather
		if s.sky, err = solar.PrepareSky(o.Weather, solar.SkyOptions{Albedo: solar.DefaultAlbedo, AlbedoKnown: true}); err != nil {
			return nil, fmt.Errorf("api: weather %s: %w", o.Weather.Source, err)
		}
	}
	s.tiles = newLRU[tileEntry](o.TileCacheSize)
	s.feats = newLRU[*featEntry](o.FeatureCacheSize)
	s.jobs = newJobPool(o.Runner, o.Workers, o.MaxQueuedJobs, o.JobLimits.MaxDuration, s.log, s.metrics)
	s.heavy = newHeavyLimiter("heavy (zone summary, export, study submission)", o.HeavyConcurrency, o.HeavyWait)
	s.bbox = newHeavyLimiter("bbox listing", o.BBoxConcurrency, o.HeavyWait)

	e := echo.NewWithConfig(echo.Config{Logger: o.Logger})
	e.HTTPErrorHandler = s.errorHandler
	e.IPExtractor = ipExtractor(o.TrustedProxies)
	s.e = e
	if err := s.middlewares(); err != nil {
		return nil, err
	}
	s.register()
	if err := s.checkRoutes(); err != nil {
		return nil, err
	}
	if o.PrewarmTiles || o.PrewarmFeatures {
		wctx, cancel := context.WithCancel(context.Background())
		s.stopWarm, s.warmDone = cancel, make(chan struct{})
		go s.prewarm(wctx)
	} else {
		s.metrics.prewarmDone.Store(1) // nothing to pre-warm
	}
	return s, nil
}

// prewarm is the start-up background task: tiles, then feature answers.
func (s *Server) prewarm(ctx context.Context) {
	defer close(s.warmDone)
	defer s.metrics.prewarmDone.Store(1)
	if s.o.PrewarmTiles {
		t0 := time.Now()
		n, err := s.Prewarm(ctx)
		s.warmTiles.Store(int64(n))
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			s.log.Warn("tile pre-warming stopped", "tiles", n, "error", err)
		default:
			s.log.Info("tiles pre-warmed", "tiles", n, "duration", time.Since(t0).Round(time.Millisecond))
		}
	}
	if s.o.PrewarmFeatures {
		t0 := time.Now()
		n, err := s.PrewarmFeatures(ctx)
		attrs := []any{"parcels", s.metrics.prewarmParcels.Load(), "buildings", s.metrics.prewarmBuildings.Load(),
			"cache_size", s.o.FeatureCacheSize, "duration", time.Since(t0).Round(time.Millisecond)}
		switch {
		case ctx.Err() != nil:
			s.log.Info("feature pre-warming cancelled", attrs...)
		case err != nil:
			s.log.Warn("feature pre-warming stopped", append(attrs, "error", err)...)
		default:
			s.log.Info("parcel and building answers pre-warmed", append(attrs, "answers", n)...)
		}
	}
}

// ipExtractor returns the client IP strategy: the TCP peer by default (a
// forged X-Forwarded-For is ignored); with trusted proxy ranges, the
// right-most X-Forwarded-For address not in those ranges.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

func (s *Server) middlewares() error {
	o := s.o
	s.e.Use(middleware.Recover())
	s.e.Use(middleware.RequestID())
	s.e.Use(s.metrics.middleware)
	logger, err := middleware.RequestLoggerConfig{
		LogStatus: true, LogLatency: true, LogMethod: true, LogURIPath: true, LogRequestID: true,
		LogRemoteIP: true, LogRoutePath: true, HandleError: true,
		LogValuesFunc: func(c *echo.Context, v middleware.RequestLoggerValues) error {
			lvl := slog.LevelInfo
			if v.Status >= 500 {
				lvl = slog.LevelError
			}
			s.log.LogAttrs(c.Request().Context(), lvl, "request",
				slog.String("request_id", v.RequestID), slog.String("method", v.Method),
				slog.String("path", v.URIPath), slog.String("route", v.RoutePath), slog.Int("status", v.Status),
				slog.Duration("duration", v.Latency), slog.String("remote_ip", v.RemoteIP))
			return nil
		},
	}.ToMiddleware()
	if err != nil {
		return err
	}
	s.e.Use(logger)
	if len(o.CORSOrigins) > 0 {
		cors, err := middleware.CORSConfig{AllowOrigins: o.CORSOrigins, AllowMethods: []string{http.MethodGet, http.MethodPost, http.MethodHead, http.MethodOptions},
			ExposeHeaders: []string{"X-Next-Cursor", "X-Request-Id"}, MaxAge: 3600}.ToMiddleware()
		if err != nil {
			return fmt.Errorf("api: CORS: %w", err)
		}
		s.e.Use(cors)
	}
	if o.RatePerSec > 0 {
		// echo's limiter: a golang.org/x/time/rate token bucket per client
		// key, the key being c.RealIP() from the IPExtractor above.
		store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: o.RatePerSec, Burst: o.RateBurst, ExpiresIn: 3 * time.Minute})
		rl, err := middleware.RateLimiterConfig{
			Store:               store,
			IdentifierExtractor: func(c *echo.Context) (string, error) { return c.RealIP(), nil },
			DenyHandler: func(c *echo.Context, id string, err error) error {
				c.Response().Header().Set("Retry-After", "1")
				return problem(http.StatusTooManyRequests, "Too many requests",
					fmt.Sprintf("rate limit of %g requests/s per client exceeded", o.RatePerSec))
			},
			ErrorHandler: func(c *echo.Context, err error) error {
				return problem(http.StatusForbidden, "Forbidden", "client address unknown")
			},
		}.ToMiddleware()
		if err != nil {
			return err
		}
		s.e.Use(rl)
	}
	// Heavy requests over the limit are refused before their body is read
	// and validated (parsing a 0.5 MB zone costs more than a lookup).
	s.e.Use(s.limitHeavy)
	bl, err := middleware.BodyLimitConfig{LimitBytes: o.MaxBodyBytes}.ToMiddleware()
	if err != nil {
		return err
	}
	s.e.Use(bl)
	s.e.Use(middleware.ContextTimeout(o.RequestTimeout))
	// Level 1 (BestSpeed): dynamic answers (bbox pages of ~200 kB) are
	// compressed per request; the cached ones compress once, at a higher level.
	gz, err := middleware.GzipConfig{Level: 1, MinLength: 1024, Skipper: func(c *echo.Context) bool {
		// These routes compress their cached answers themselves (once).
		switch c.Path() {
		case "/metrics", tileRoute, "/v1/parcels/:id", "/v1/buildings/:id":
			return true
		case "/v1/parcels", "/v1/buildings":
			return wantsGPKG(c) // a file download with its Content-Length
		}
		return false
	}}.ToMiddleware()
	if err != nil {
		return err
	}
	s.e.Use(gz)
	s.e.Use(s.validateRequests)
	return nil
}

// register declares the routes; each must be in openapi.yaml (checkRoutes).
func (s *Server) register() {
	e := s.e
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metricsHandler)
	e.GET("/v1/openapi.json", s.openapi)
	e.GET("/v1/parcels", s.listParcels)
	e.GET("/v1/parcels/:id", s.getFeature("parcels", "parcel"))
	e.GET("/v1/buildings", s.listBuildings) // issue 13: parcel-less studies
	e.GET("/v1/study", s.studyInfo)
	e.GET("/v1/buildings/:id", s.getFeature("buildings", "building"))
	e.GET("/v1/communes/:insee/summary", s.communeSummary)
	e.POST("/v1/zones/summary", s.zoneSummary)
	e.GET("/v1/pvcalc", s.pvcalc)
	e.POST("/v1/economics", s.economics)
	e.POST("/v1/studies", s.startStudy)
	e.GET("/v1/studies/:id", s.getStudyJob)
	e.GET(tileRoute, s.tile)
	if s.o.Static != nil {
		static := echo.WrapHandler(s.o.Static)
		e.GET(staticRoute, func(c *echo.Context) error {
			if isAPIPath(c.Request().URL.Path) { // unknown API path: problem+json, not the static 404
				return problem(http.StatusNotFound, "Not found", fmt.Sprintf("no API route %s (see /v1/openapi.json)", c.Request().URL.Path))
			}
			return static(c)
		})
	}
}

// tileRoute is the echo route of the vector tiles.
var tileRoute = EchoPath("/v1/tiles/{z}/{x}/{y}.mvt")

// staticRoute is the catch-all route of Options.Static (not an API route).
const staticRoute = "/*"

// checkRoutes fails when a registered route is not in the document or an
// operation of the document has no route.
func (s *Server) checkRoutes() error {
	seen := map[string]bool{}
	for _, r := range s.e.Router().Routes() {
		k := r.Method + " " + r.Path
		if r.Path == staticRoute || r.Name == echo.NotFoundRouteName {
			continue
		}
		if _, ok := s.routes[k]; !ok {
			return fmt.Errorf("api: route %s is not in openapi.yaml", k)
		}
		seen[k] = true
	}
	for k := range s.routes {
		if !seen[k] {
			return fmt.Errorf("api: openapi.yaml operation %s has no route", k)
		}
	}
	return nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.e.ServeHTTP(w, r) }

// Echo returns the underlying echo instance (for tests and route listing).
func (s *Server) Echo() *echo.Echo { return s.e }

// Close stops the pre-warming (tiles and feature answers) and study jobs (cancelling running
// ones) and waits for them (or ctx).
func (s *Server) Close(ctx context.Context) error {
	if s.stopWarm != nil {
		s.stopWarm()
		select {
		case <-s.warmDone:
		case <-ctx.Done():
		}
	}
	return s.jobs.close(ctx)
}

// study returns the served study, cached for studyTTL.
func (s *Server) study(ctx context.Context) (data.Study, error) {
	s.stMu.Lock()
	defer s.stMu.Unlock()
	if s.st != nil && time.Since(s.stAt) < studyTTL {
		return *s.st, nil
	}
	st, err := s.store.Study(ctx, s.o.StudyID)
	if err != nil {
		return st, err
	}
	ls, err := s.store.Layers(ctx)
	if err != nil {
		return st, err
	}
	s.layers = make(map[string]data.Layer, len(ls))
	for _, l := range ls {
		s.layers[l.Name] = l
	}
	s.st, s.stAt = &st, time.Now()
	return st, nil
}

// layer returns a layer schema (cached with the study; a store re-reads
// and decodes it on every Layer call).
func (s *Server) layer(ctx context.Context, name string) (data.Layer, error) {
	if _, err := s.study(ctx); err != nil {
		return data.Layer{}, err
	}
	s.stMu.Lock()
	l, ok := s.layers[name]
	s.stMu.Unlock()
	if !ok {
		return l, fmt.Errorf("layer %s: %w", name, data.ErrNotFound)
	}
	return l, nil
}

func (s *Server) healthz(c *echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(c *echo.Context) error {
	st, err := s.store.Study(c.Request().Context(), s.o.StudyID)
	if err != nil {
		return problem(http.StatusServiceUnavailable, "Not ready", "store unreachable or no study loaded: "+err.Error())
	}
	return c.JSON(http.StatusOK, map[string]any{"status": "ready", "study_id": st.ID, "scenario_hash": st.ScenarioHash,
		"counts": st.Counts, "pvcalc": s.sky != nil, "prewarm": map[string]any{
			"done": s.metrics.prewarmDone.Load() == 1, "tiles": s.warmTiles.Load(),
			"parcels": s.metrics.prewarmParcels.Load(), "buildings": s.metrics.prewarmBuildings.Load()}})
}

func (s *Server) openapi(c *echo.Context) error {
	return c.JSONBlob(http.StatusOK, s.specJS)
}

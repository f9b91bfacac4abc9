package api

import (
	"strconv"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus series, in a registry of their own
// (github.com/prometheus/client_golang) served at /metrics. The counters and
// gauges the handlers, the job pool and the pre-warming update are plain
// atomics (cheap, and readable by /readyz and the tests), exposed through
// CounterFunc/GaugeFunc collectors; requests are a counter and a latency
// histogram by route template, method and status.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	inFlight atomic.Int64

	jobsQueued, jobsRunning            atomic.Int64
	jobsDone, jobsFailed, jobsRejected atomic.Int64
	tileCacheHits, tileCacheMisses     atomic.Int64
	featCacheHits, featCacheMisses     atomic.Int64
	// Feature pre-warming progress (prewarm.go): answers cached per layer,
	// and 1 once the pre-warming has finished (completed, bounded or failed).
	prewarmParcels, prewarmBuildings atomic.Int64
	prewarmDone                      atomic.Int64
}

// latencyBucketsS are the histogram upper bounds, seconds (0.5 ms to 10 s:
// cached answers take well under a millisecond, cold tiles seconds).
var latencyBucketsS = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

func newMetrics() *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	labels := []string{"method", "route", "status"}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gisement_http_requests_total",
		Help: "HTTP requests by route template, method and status."}, labels)
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "gisement_http_request_duration_seconds",
		Help: "HTTP request latency.", Buckets: latencyBucketsS}, labels)
	m.reg.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// The atomics, exposed as gauges (up and down) or counters (up only).
	for _, a := range []struct {
		name, help string
		v          *atomic.Int64
		counter    bool
	}{
		{"gisement_http_requests_in_flight", "Requests being served.", &m.inFlight, false},
		{"gisement_jobs_queued", "Study jobs waiting for a worker.", &m.jobsQueued, false},
		{"gisement_jobs_running", "Study jobs running.", &m.jobsRunning, false},
		{"gisement_jobs_done_total", "Study jobs finished successfully.", &m.jobsDone, true},
		{"gisement_jobs_failed_total", "Study jobs failed.", &m.jobsFailed, true},
		{"gisement_jobs_rejected_total", "Study jobs refused because the queue was full.", &m.jobsRejected, true},
		{"gisement_tile_cache_hits_total", "Vector tiles served from the cache.", &m.tileCacheHits, true},
		{"gisement_tile_cache_misses_total", "Vector tiles built.", &m.tileCacheMisses, true},
		{"gisement_feature_cache_hits_total", "Parcel/building answers served from the cache.", &m.featCacheHits, true},
		{"gisement_feature_cache_misses_total", "Parcel/building answers read from the store.", &m.featCacheMisses, true},
		{"gisement_prewarm_parcels_total", "Parcel answers cached by the start-up pre-warming.", &m.prewarmParcels, true},
		{"gisement_prewarm_buildings_total", "Building answers cached by the start-up pre-warming.", &m.prewarmBuildings, true},
		{"gisement_prewarm_done", "1 once the start-up pre-warming (tiles, then parcel and building answers) has finished.", &m.prewarmDone, false},
	} {
		read := func() float64 { return float64(a.v.Load()) }
		if a.counter {
			m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: a.name, Help: a.help}, read))
		} else {
			m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: a.name, Help: a.help}, read))
		}
	}
	return m
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	lv := []string{method, route, strconv.Itoa(status)}
	m.requests.WithLabelValues(lv...).Inc()
	m.latency.WithLabelValues(lv...).Observe(d.Seconds())
}

// middleware records one observation per request under its route template
// (never the raw path: bounded cardinality); unmatched paths count as "other".
func (m *metrics) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		m.inFlight.Add(1)
		start := time.Now()
		err := next(c)
		_, status := echo.ResolveResponseStatus(c.Response(), err)
		m.inFlight.Add(-1)
		route := c.Path()
		if route == "" || c.RouteInfo().Name == echo.NotFoundRouteName {
			route = "other"
		}
		m.observe(c.Request().Method, route, status, time.Since(start))
		return err
	}
}

// metricsHandler serves the registry in the exposition format the client
// negotiates (Prometheus text format 0.0.4 by default).
func (s *Server) metricsHandler(c *echo.Context) error {
	promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}).ServeHTTP(c.Response(), c.Request())
	return nil
}

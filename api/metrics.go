package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v5"
)

// metrics is a hand-written Prometheus text-exposition registry (format
// 0.0.4): the Prometheus Go client is not in our module set and the few
// series below need no more than counters, one histogram family and gauges.
type metrics struct {
	mu       sync.Mutex
	series   map[seriesKey]*histogram
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

type seriesKey struct {
	method, route string
	status        int
}

// latencyBucketsS are the histogram upper bounds, seconds.
var latencyBucketsS = [nBuckets]float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

const nBuckets = 14

type histogram struct {
	counts [nBuckets + 1]uint64 // last = +Inf
	sumS   float64
	n      uint64
}

func newMetrics() *metrics { return &metrics{series: map[seriesKey]*histogram{}} }

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	sec := d.Seconds()
	i, _ := slices.BinarySearch(latencyBucketsS[:], sec)
	k := seriesKey{method, route, status}
	m.mu.Lock()
	h := m.series[k]
	if h == nil {
		h = &histogram{}
		m.series[k] = h
	}
	h.counts[i]++
	h.sumS += sec
	h.n++
	m.mu.Unlock()
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

func esc(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

func (m *metrics) write(b *strings.Builder) {
	m.mu.Lock()
	keys := make([]seriesKey, 0, len(m.series))
	for k := range m.series {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b seriesKey) int {
		return strings.Compare(fmt.Sprint(a.route, a.method, a.status), fmt.Sprint(b.route, b.method, b.status))
	})
	b.WriteString("# HELP gisement_http_requests_total HTTP requests by route template, method and status.\n# TYPE gisement_http_requests_total counter\n")
	for _, k := range keys {
		fmt.Fprintf(b, "gisement_http_requests_total{method=%q,route=\"%s\",status=\"%d\"} %d\n", k.method, esc(k.route), k.status, m.series[k].n)
	}
	b.WriteString("# HELP gisement_http_request_duration_seconds HTTP request latency.\n# TYPE gisement_http_request_duration_seconds histogram\n")
	for _, k := range keys {
		h := m.series[k]
		lbl := fmt.Sprintf("method=%q,route=\"%s\",status=\"%d\"", k.method, esc(k.route), k.status)
		var cum uint64
		for i, ub := range latencyBucketsS {
			cum += h.counts[i]
			fmt.Fprintf(b, "gisement_http_request_duration_seconds_bucket{%s,le=\"%s\"} %d\n", lbl, strconv.FormatFloat(ub, 'g', -1, 64), cum)
		}
		cum += h.counts[nBuckets]
		fmt.Fprintf(b, "gisement_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %d\n", lbl, cum)
		fmt.Fprintf(b, "gisement_http_request_duration_seconds_sum{%s} %g\n", lbl, h.sumS)
		fmt.Fprintf(b, "gisement_http_request_duration_seconds_count{%s} %d\n", lbl, h.n)
	}
	m.mu.Unlock()
	gauge := func(name, help, typ string, v int64) {
		fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s %s\n%s %d\n", name, help, name, typ, name, v)
	}
	gauge("gisement_http_requests_in_flight", "Requests being served.", "gauge", m.inFlight.Load())
	gauge("gisement_jobs_queued", "Study jobs waiting for a worker.", "gauge", m.jobsQueued.Load())
	gauge("gisement_jobs_running", "Study jobs running.", "gauge", m.jobsRunning.Load())
	gauge("gisement_jobs_done_total", "Study jobs finished successfully.", "counter", m.jobsDone.Load())
	gauge("gisement_jobs_failed_total", "Study jobs failed.", "counter", m.jobsFailed.Load())
	gauge("gisement_jobs_rejected_total", "Study jobs refused because the queue was full.", "counter", m.jobsRejected.Load())
	gauge("gisement_tile_cache_hits_total", "Vector tiles served from the cache.", "counter", m.tileCacheHits.Load())
	gauge("gisement_tile_cache_misses_total", "Vector tiles built.", "counter", m.tileCacheMisses.Load())
	gauge("gisement_feature_cache_hits_total", "Parcel/building answers served from the cache.", "counter", m.featCacheHits.Load())
	gauge("gisement_feature_cache_misses_total", "Parcel/building answers read from the store.", "counter", m.featCacheMisses.Load())
	gauge("gisement_prewarm_parcels_total", "Parcel answers cached by the start-up pre-warming.", "counter", m.prewarmParcels.Load())
	gauge("gisement_prewarm_buildings_total", "Building answers cached by the start-up pre-warming.", "counter", m.prewarmBuildings.Load())
	gauge("gisement_prewarm_done", "1 once the start-up pre-warming (tiles, then parcel and building answers) has finished.", "gauge", m.prewarmDone.Load())
}

func (s *Server) metricsHandler(c *echo.Context) error {
	var b strings.Builder
	s.metrics.write(&b)
	return c.Blob(http.StatusOK, "text/plain; version=0.0.4; charset=utf-8", []byte(b.String()))
}

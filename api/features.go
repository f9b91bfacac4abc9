package api

import (
	"github.com/gisement/gisement/api/report"

	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/export"
	"github.com/gisement/gisement/model/study"
)

// geoFeature is a GeoJSON Feature with our foreign member "scenario".
type geoFeature struct {
	Type       string            `json:"type"`
	ID         any               `json:"id"`
	Geometry   *geojson.Geometry `json:"geometry"`
	Properties map[string]any    `json:"properties"`
	Scenario   *scenarioRef      `json:"scenario,omitempty"`
}

// scenarioRef identifies the assumptions a result was computed with.
type scenarioRef struct {
	StudyID     string          `json:"study_id"`
	Hash        string          `json:"hash"`
	Assumptions json.RawMessage `json:"assumptions,omitempty"`
	// Warnings are the study's warnings (stored in its summary), shown by
	// the web map's info panel.
	Warnings []string `json:"warnings,omitempty"`
	// WarningsFR are the same in French where a translation is known
	// (report.TranslateWarning), else as written.
	WarningsFR []string `json:"warnings_fr,omitempty"`
}

type featureCollection struct {
	Type       string       `json:"type"`
	Features   []geoFeature `json:"features"`
	NextCursor string       `json:"next_cursor,omitempty"`
}

// toGeoJSON converts a stored feature (layer SRID) to GeoJSON in EPSG:4326,
// with the properties of export.Properties (not computed = null).
func toGeoJSON(l data.Layer, f data.Feature) (geoFeature, error) {
	out := geoFeature{Type: "Feature", Properties: export.Properties(l, f)}
	out.ID = out.Properties[l.Key]
	if f.Geom != nil {
		g, err := data.ToWGS84(f.Geom, l.SRID)
		if err != nil {
			return out, fmt.Errorf("layer %s: reproject: %w", l.Name, err)
		}
		out.Geometry = geojson.NewGeometry(g)
	}
	return out, nil
}

func (s *Server) scenarioRef(st data.Study) *scenarioRef {
	var sum struct {
		Warnings []string `json:"warnings"`
	}
	_ = json.Unmarshal(st.Summary, &sum) // a summary without warnings (or none) gives none
	ref := &scenarioRef{StudyID: st.ID, Hash: st.ScenarioHash, Assumptions: st.Scenario, Warnings: sum.Warnings}
	for _, w := range sum.Warnings {
		fr, _ := report.TranslateWarning(w, data.French)
		ref.WarningsFR = append(ref.WarningsFR, fr)
	}
	return ref
}

// getFeature serves GET /v1/{parcels,buildings}/{id}. Answers are cached
// (a study's results are immutable) as a per-feature head plus the study's
// scenario tail, with their gzip form spliced at answer time (splice.go).
func (s *Server) getFeature(layer, what string) echo.HandlerFunc {
	return func(c *echo.Context) error {
		ctx := c.Request().Context()
		id := pathParam(c, "id")
		st, err := s.study(ctx)
		if err != nil {
			return storeProblem(err, "study")
		}
		key := featKey(st, layer, id)
		if e, ok := s.feats.get(key); ok {
			s.metrics.featCacheHits.Add(1)
			return writeFeat(c, e)
		}
		s.metrics.featCacheMisses.Add(1)
		l, err := s.layer(ctx, layer)
		if err != nil {
			return storeProblem(err, "layer "+layer)
		}
		f, err := s.store.Get(ctx, st.ID, layer, id)
		if err != nil {
			return storeProblem(err, fmt.Sprintf("%s %q", what, id))
		}
		e, err := s.featureEntry(key, st, l, f)
		if err != nil {
			return err
		}
		s.feats.put(e)
		return writeFeat(c, e)
	}
}

// featKey is the feature-cache key of a feature of a study; id is the
// path parameter of /v1/{layer}/{id} (the key column's value as text).
func featKey(st data.Study, layer, id string) string {
	return studyKey(st) + "|" + layer + "|" + id
}

// featureEntry builds the cache entry of a stored feature (layer SRID).
func (s *Server) featureEntry(key string, st data.Study, l data.Layer, f data.Feature) (*featEntry, error) {
	gf, err := toGeoJSON(l, f)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(gf)
	if err != nil {
		return nil, err
	}
	tail, err := s.scenarioTailOf(st)
	if err != nil {
		return nil, err
	}
	return newFeatEntry(key, b, tail)
}

func writeJSON(c *echo.Context, status int, ctype string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.Blob(status, ctype, b)
}

// describedLayer returns the store's schema of a layer with the reading
// facts (labels, flags such as sortable, summable, in tiles) the study's
// schema declares for its columns (model/study.Schema).
func (s *Server) describedLayer(ctx context.Context, name string) (data.Layer, error) {
	l, err := s.layer(ctx, name)
	if err != nil {
		return l, err
	}
	return study.Schema().Describe(l), nil
}

// servedLayer returns the served study and the described schema of one of
// its layers, or the problem to answer.
func (s *Server) servedLayer(ctx context.Context, name string) (data.Study, data.Layer, error) {
	l, err := s.describedLayer(ctx, name)
	if err != nil {
		return data.Study{}, l, storeProblem(err, "layer "+name)
	}
	st, err := s.study(ctx)
	if err != nil {
		return st, l, storeProblem(err, "study")
	}
	return st, l, nil
}

// parseBBox parses "minLon,minLat,maxLon,maxLat" (EPSG:4326).
func parseBBox(s string) (orb.Bound, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return orb.Bound{}, badParam("bbox", fmt.Sprintf("want 4 comma-separated numbers minLon,minLat,maxLon,maxLat, got %d", len(parts)))
	}
	var v [4]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return orb.Bound{}, badParam("bbox", fmt.Sprintf("value %d %q is not a finite number", i+1, p))
		}
		v[i] = x
	}
	switch {
	case v[0] < -180 || v[2] > 180:
		return orb.Bound{}, badParam("bbox", "longitudes must be in [-180, 180]")
	case v[1] < -90 || v[3] > 90:
		return orb.Bound{}, badParam("bbox", "latitudes must be in [-90, 90]")
	case v[0] > v[2]:
		return orb.Bound{}, badParam("bbox", fmt.Sprintf("minLon %g > maxLon %g", v[0], v[2]))
	case v[1] > v[3]:
		return orb.Bound{}, badParam("bbox", fmt.Sprintf("minLat %g > maxLat %g", v[1], v[3]))
	}
	return orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}, nil
}

// parcelQuery builds the store query of GET /v1/parcels (parameters already
// type-checked against openapi.yaml; semantic checks here).
func parcelQuery(c *echo.Context, l data.Layer, studyID string) (data.Query, error) {
	return layerQuery(c, l, studyID)
}

// layerQuery builds the store query of a screening route (GET /v1/parcels,
// GET /v1/buildings) on layer l: bbox, thresholds, technology, sort, limit
// and cursor; a filter on a column the layer lacks is a 400 naming it.
func layerQuery(c *echo.Context, l data.Layer, studyID string) (data.Query, error) {
	q := data.Query{Study: studyID, Limit: data.DefaultLimit}
	qp := c.QueryParams()
	if v := qp.Get("bbox"); v != "" {
		b, err := parseBBox(v)
		if err != nil {
			return q, err
		}
		q.BBox = &b
	}
	num := func(name, col string) error {
		v := qp.Get(name)
		if v == "" {
			return nil
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			return badParam(name, "want a finite number ≥ 0")
		}
		if l.Index(col) < 0 {
			return badParam(name, "column "+col+" is not in this store's "+l.Name+" layer")
		}
		q.Filters = append(q.Filters, data.Filter{Column: col, Op: ">=", Value: x})
		return nil
	}
	if err := num("min_kwp", "pv_kwp"); err != nil {
		return q, err
	}
	if err := num("min_specific_yield", "pv_specific_yield_kwh_kwp"); err != nil {
		return q, err
	}
	switch t := qp.Get("technology"); t {
	case "":
	case "pv":
		q.Filters = append(q.Filters, data.Filter{Column: "pv_kwp", Op: "!=", Value: 0.0})
	case "ashp":
		q.Filters = append(q.Filters, data.Filter{Column: "ashp_siting_ok", Op: "=", Value: int64(1)})
	case "gshp":
		q.Filters = append(q.Filters, data.Filter{Column: "gshp_boreholes", Op: ">=", Value: int64(1)})
	default:
		return q, badParam("technology", "want pv, ashp or gshp")
	}
	for _, f := range q.Filters {
		if l.Index(f.Column) < 0 {
			return q, badParam("technology", "column "+f.Column+" is not in this store's "+l.Name+" layer")
		}
	}
	if v := qp.Get("sort"); v != "" {
		col := strings.TrimPrefix(v, "-")
		if i := l.Index(col); i < 0 || !l.Columns[i].Flags.Has(data.Sortable) {
			return q, badParam("sort", fmt.Sprintf("cannot sort on %q; sortable columns: %s", col, strings.Join(l.Flagged(data.Sortable), ", ")))
		}
		q.Sort = v
	}
	if v := qp.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > data.MaxLimit {
			return q, badParam("limit", fmt.Sprintf("want an integer in [1, %d]", data.MaxLimit))
		}
		q.Limit = n
	}
	q.Cursor = qp.Get("cursor")
	return q, nil
}

// listParcels serves GET /v1/parcels.
func (s *Server) listParcels(c *echo.Context) error {
	ctx := c.Request().Context()
	st, l, err := s.servedLayer(ctx, "parcels")
	if err != nil {
		return err
	}
	q, err := parcelQuery(c, l, st.ID)
	if err != nil {
		return err
	}
	return s.writeScreening(c, l, st, q)
}

// writeScreening answers a screening query in the asked format: the
// whole selection as a GeoPackage, or one page as CSV or GeoJSON.
func (s *Server) writeScreening(c *echo.Context, l data.Layer, st data.Study, q data.Query) error {
	ctx := c.Request().Context()
	page, err := s.store.Query(ctx, l.Name, q)
	if err != nil {
		if q.Cursor != "" && strings.Contains(err.Error(), "cursor") {
			return badParam("cursor", err.Error())
		}
		return storeProblem(err, l.Name)
	}
	if wantsGPKG(c) {
		return s.exportGPKG(c, l, st, q)
	}
	if c.QueryParam("format") == "csv" || strings.Contains(c.Request().Header.Get("Accept"), "text/csv") {
		return writeCSV(c, l, page)
	}
	fc := featureCollection{Type: "FeatureCollection", Features: make([]geoFeature, 0, len(page.Features)), NextCursor: page.Next}
	for _, f := range page.Features {
		gf, err := toGeoJSON(l, f)
		if err != nil {
			return err
		}
		fc.Features = append(fc.Features, gf)
	}
	if page.Next != "" {
		c.Response().Header().Set("X-Next-Cursor", page.Next)
	}
	return writeJSON(c, http.StatusOK, "application/geo+json", fc)
}

// writeCSV writes a page as CSV (data/export, RFC 4180 dialect): the
// layer's columns but those flagged data.NoCSV (JSON columns as their JSON
// text), then lon, lat of each feature's centroid (EPSG:4326), as
// `gisement export --format csv` writes them; the next cursor is in the
// X-Next-Cursor header.
func writeCSV(c *echo.Context, l data.Layer, page data.Page) error {
	var buf bytes.Buffer
	w, err := export.NewWriter(&buf, l, export.Options{Dialect: export.RFC4180, Geometry: export.Centroid})
	if err != nil {
		return err
	}
	for _, f := range page.Features {
		if err := w.Write(f); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if page.Next != "" {
		c.Response().Header().Set("X-Next-Cursor", page.Next)
	}
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

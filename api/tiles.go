package api

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/simplify"

	"github.com/gisement/gisement/data"
)

// Vector tiles: Mapbox Vector Tile 2.1 (github.com/paulmach/orb/encoding/mvt)
// in the Web-Mercator XYZ scheme (orb/maptile), extent 4096, with two layers:
// "parcels" (zoom ≥ MinZoomParcels) and "buildings" (zoom ≥ MinZoomBuildings),
// carrying the key properties below. Geometries are clipped to the tile plus
// a 64-unit buffer and simplified with Douglas–Peucker at one tile unit
// (≈ the tile's pixel size / 16 at 256 px), so detail follows the zoom.
// An empty tile is answered 204 No Content (Mapbox GL and MapLibre treat it
// as an empty tile). Tiles are cached in an LRU per study and served with
// an ETag and Cache-Control: public, max-age=3600; the gzip form is made once
// per tile (the gzip middleware skips tiles).
const (
	MinZoomParcels   = 12
	MinZoomBuildings = 14
	maxTileFeatures  = 20_000 // per layer per tile; beyond, the tile is truncated (X-Tile-Truncated)
	tileBufferUnits  = 64.0
)

var tileProps = map[string][]string{
	"parcels": {"parcel_id", "pv_kwp", "pv_kwh_yr", "pv_specific_yield_kwh_kwp", "pv_class", "heat_demand_kwh_yr",
		"ashp_siting_ok", "gshp_boreholes", "npv_eur", "payback_yr"},
	"buildings": {"building_id", "parcel_id", "height_m", "roof_type", "pv_kwp", "pv_kwh_yr", "pv_specific_yield_kwh_kwp"},
}

// tileCache is a small LRU of encoded tiles and feature answers (hand-written: a dozen lines
// over container/list; no LRU module is in our set).
type tileCache struct {
	mu    sync.Mutex
	cap   int
	ll    *list.List
	items map[string]*list.Element
}

type tileEntry struct {
	key       string
	body      []byte // nil = empty tile
	gz        []byte // body gzip-compressed (tiles only), compressed once
	truncated bool
}

func newTileCache(n int) *tileCache {
	return &tileCache{cap: n, ll: list.New(), items: map[string]*list.Element{}}
}

func (t *tileCache) get(k string) (tileEntry, bool) {
	if t.cap <= 0 {
		return tileEntry{}, false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if e, ok := t.items[k]; ok {
		t.ll.MoveToFront(e)
		return *e.Value.(*tileEntry), true
	}
	return tileEntry{}, false
}

func (t *tileCache) put(e tileEntry) {
	if t.cap <= 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if el, ok := t.items[e.key]; ok {
		el.Value = &e
		t.ll.MoveToFront(el)
		return
	}
	t.items[e.key] = t.ll.PushFront(&e)
	for t.ll.Len() > t.cap {
		last := t.ll.Back()
		t.ll.Remove(last)
		delete(t.items, last.Value.(*tileEntry).key)
	}
}

// studyKey identifies a study's content (a rewritten study changes it).
func studyKey(st data.Study) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%s|%d", st.ID, st.ScenarioHash, st.CreatedAt.UnixMicro())
	return strconv.FormatUint(h.Sum64(), 36)
}

// parseTile validates z/x/y (the document already checked the types).
func parseTile(zs, xs, ys string) (maptile.Tile, error) {
	z, err := strconv.Atoi(zs)
	if err != nil || z < 0 || z > 22 {
		return maptile.Tile{}, badParam("z", "want an integer zoom in [0, 22]")
	}
	n := uint64(1) << uint(z)
	x, err := strconv.ParseUint(xs, 10, 32)
	if err != nil || x >= n {
		return maptile.Tile{}, badParam("x", fmt.Sprintf("want an integer in [0, %d) at zoom %d", n, z))
	}
	y, err := strconv.ParseUint(ys, 10, 32)
	if err != nil || y >= n {
		return maptile.Tile{}, badParam("y", fmt.Sprintf("want an integer in [0, %d) at zoom %d", n, z))
	}
	return maptile.New(uint32(x), uint32(y), maptile.Zoom(z)), nil
}

// tile serves GET /v1/tiles/{z}/{x}/{y}.mvt.
func (s *Server) tile(c *echo.Context) error {
	ctx := c.Request().Context()
	t, err := parseTile(pathParam(c, "z"), pathParam(c, "x"), pathParam(c, "y"))
	if err != nil {
		return err
	}
	st, err := s.study(ctx)
	if err != nil {
		return storeProblem(err, "study")
	}
	key := fmt.Sprintf("%s/%d/%d/%d", studyKey(st), t.Z, t.X, t.Y)
	etag := `"` + key + `"`
	hd := c.Response().Header()
	hd.Set("ETag", etag)
	hd.Set("Cache-Control", "public, max-age=3600")
	hd.Set("Vary", "Accept-Encoding")
	if inm := c.Request().Header.Get("If-None-Match"); inm == etag {
		return c.NoContent(http.StatusNotModified)
	}
	ent, ok := s.tiles.get(key)
	if ok {
		s.metrics.tileCacheHits.Add(1)
	} else {
		s.metrics.tileCacheMisses.Add(1)
		if ent, err = s.buildTile(ctx, st.ID, t); err != nil {
			return err
		}
		ent.key = key
		s.tiles.put(ent)
	}
	if ent.truncated {
		hd.Set("X-Tile-Truncated", "true")
	}
	if ent.body == nil {
		return c.NoContent(http.StatusNoContent)
	}
	if ent.gz != nil && strings.Contains(c.Request().Header.Get("Accept-Encoding"), "gzip") {
		hd.Set("Content-Encoding", "gzip")
		return c.Blob(http.StatusOK, "application/vnd.mapbox-vector-tile", ent.gz)
	}
	return c.Blob(http.StatusOK, "application/vnd.mapbox-vector-tile", ent.body)
}

func (s *Server) buildTile(ctx context.Context, studyID string, t maptile.Tile) (tileEntry, error) {
	var ent tileEntry
	bound := t.Bound(tileBufferUnits / mvt.DefaultExtent)
	var layers mvt.Layers
	for _, name := range []string{"parcels", "buildings"} {
		if (name == "parcels" && t.Z < MinZoomParcels) || (name == "buildings" && t.Z < MinZoomBuildings) {
			continue
		}
		l, err := s.layer(ctx, name)
		if err != nil {
			continue // layer absent from this store: not drawn
		}
		fc, trunc, err := s.tileFeatures(ctx, studyID, l, bound)
		if err != nil {
			return ent, storeProblem(err, name)
		}
		ent.truncated = ent.truncated || trunc
		if len(fc.Features) > 0 {
			layers = append(layers, mvt.NewLayer(name, fc))
		}
	}
	if len(layers) == 0 {
		return ent, nil
	}
	layers.ProjectToTile(t)
	layers.Clip(orb.Bound{Min: orb.Point{-tileBufferUnits, -tileBufferUnits},
		Max: orb.Point{mvt.DefaultExtent + tileBufferUnits, mvt.DefaultExtent + tileBufferUnits}})
	layers.Simplify(simplify.DouglasPeucker(1.0))
	layers.RemoveEmpty(1.0, 1.0)
	n := 0
	for _, l := range layers {
		n += len(l.Features)
	}
	if n == 0 {
		return ent, nil
	}
	b, err := mvt.Marshal(layers)
	if err != nil {
		return ent, err
	}
	ent.body = b
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
	zw.Write(b)
	if zw.Close() == nil {
		ent.gz = gz.Bytes()
	}
	return ent, nil
}

// tileFeatures reads one layer's features intersecting the tile bound, in
// EPSG:4326, with the layer's tile properties.
func (s *Server) tileFeatures(ctx context.Context, studyID string, l data.Layer, bound orb.Bound) (*geojson.FeatureCollection, bool, error) {
	fc := geojson.NewFeatureCollection()
	var idx []int
	var names []string
	for _, p := range tileProps[l.Name] {
		if i := l.Index(p); i >= 0 {
			idx, names = append(idx, i), append(names, p)
		}
	}
	q := data.Query{Study: studyID, BBox: &bound, Limit: data.MaxLimit}
	for {
		page, err := s.store.Query(ctx, l.Name, q)
		if err != nil {
			return nil, false, err
		}
		for _, f := range page.Features {
			g, err := toWGS84(f.Geom, l.SRID)
			if err != nil {
				continue
			}
			gf := geojson.NewFeature(g)
			for k, i := range idx {
				v := f.Values[i]
				if x, ok := v.(float64); ok && (math.IsNaN(x) || math.IsInf(x, 0)) {
					v = nil
				}
				if v != nil {
					gf.Properties[names[k]] = v
				}
			}
			fc.Append(gf)
		}
		if page.Next == "" {
			return fc, false, nil
		}
		if len(fc.Features) >= maxTileFeatures {
			return fc, true, nil
		}
		q.Cursor = page.Next
	}
}

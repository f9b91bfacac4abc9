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

	"golang.org/x/sync/singleflight"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/model/study"
)

// Vector tiles: Mapbox Vector Tile 2.1 (github.com/paulmach/orb/encoding/mvt)
// in the Web-Mercator XYZ scheme (orb/maptile), extent 4096, with two layers:
// "parcels" (zoom ≥ MinZoomParcels) and "buildings" (zoom ≥ MinZoomBuildings),
// carrying the key properties below. Geometries are clipped to the tile plus
// a 64-unit buffer, simplified with Douglas–Peucker and rid of sub-pixel
// polygons (tileSimplifyUnits, tileMinAreaUnits2), so detail follows the
// zoom.
// An empty tile is answered 204 No Content (Mapbox GL and MapLibre treat it
// as an empty tile). Tiles are cached in an LRU per study and served with
// an ETag and Cache-Control: public, max-age=3600; the gzip form is made once
// per tile (the gzip middleware skips tiles).
const (
	MinZoomParcels   = 12
	MinZoomBuildings = 14
	maxTileFeatures  = 20_000 // per layer per tile; beyond, the tile is truncated (X-Tile-Truncated)
	tileBufferUnits  = 64.0
	// MapLibre draws a vector tile on 512 px, so one pixel is 8 tile units:
	// vertices within a quarter pixel of the simplified line are dropped, and
	// polygons smaller than one pixel (64 units²; a 100 m² parcel at zoom
	// 13) are left out of the tile (they remain in the API answers). This
	// scale-relative rule simplifies more at low zooms, where a tile holds
	// the whole town.
	tileSimplifyUnits = 2.0
	tileMinAreaUnits2 = 64.0
)

// TileProperties returns the properties of a tile layer ("parcels",
// "buildings"): the columns the study's schema flags data.InTiles (every
// indicator the web map colours or filters by, plus the ids it needs to
// open a feature), for clients and tests.
func TileProperties(layer string) []string {
	l, ok := study.Schema().Layer(layer)
	if !ok {
		return nil
	}
	return l.Flagged(data.InTiles)
}

// flight runs one build per key at a time: concurrent misses of the same
// tile wait for the first one's result (golang.org/x/sync/singleflight).
type flight struct{ g singleflight.Group }

// buildTileHook, when set (tests), runs at the start of every tile build.
var buildTileHook func()

func (f *flight) do(key string, fn func() (tileEntry, error)) (tileEntry, error) {
	v, err, _ := f.g.Do(key, func() (any, error) { return fn() })
	ent, _ := v.(tileEntry)
	return ent, err
}

// lru is a small LRU of encoded tiles and feature answers (hand-written: a
// dozen lines over container/list; no LRU module is in our set).
type lru[V interface{ cacheKey() string }] struct {
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

func (e tileEntry) cacheKey() string  { return e.key }
func (e *featEntry) cacheKey() string { return e.key }

func newLRU[V interface{ cacheKey() string }](n int) *lru[V] {
	return &lru[V]{cap: n, ll: list.New(), items: map[string]*list.Element{}}
}

func (t *lru[V]) get(k string) (V, bool) {
	var zero V
	if t.cap <= 0 {
		return zero, false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if e, ok := t.items[k]; ok {
		t.ll.MoveToFront(e)
		return e.Value.(V), true
	}
	return zero, false
}

func (t *lru[V]) put(v V) {
	if t.cap <= 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	k := v.cacheKey()
	if el, ok := t.items[k]; ok {
		el.Value = v
		t.ll.MoveToFront(el)
		return
	}
	t.items[k] = t.ll.PushFront(v)
	for t.ll.Len() > t.cap {
		last := t.ll.Back()
		t.ll.Remove(last)
		delete(t.items, last.Value.(V).cacheKey())
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

// tileKey is the cache key (and ETag) of a tile of a study.
func tileKey(st data.Study, t maptile.Tile) string {
	return fmt.Sprintf("%s/%d/%d/%d", studyKey(st), t.Z, t.X, t.Y)
}

// cachedTile returns a tile from the cache, or builds it once (concurrent
// requests for the same missing tile share one build).
func (s *Server) cachedTile(ctx context.Context, st data.Study, t maptile.Tile) (tileEntry, error) {
	key := tileKey(st, t)
	if ent, ok := s.tiles.get(key); ok {
		s.metrics.tileCacheHits.Add(1)
		return ent, nil
	}
	s.metrics.tileCacheMisses.Add(1)
	return s.tileFlight.do(key, func() (tileEntry, error) {
		if ent, ok := s.tiles.get(key); ok { // built while we waited for the lock
			return ent, nil
		}
		// Detached from the request: a client that gives up must not abort a
		// build others wait for (bounded by the server's request timeout).
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.o.RequestTimeout)
		defer cancel()
		s.tileBuilds.Add(1)
		if buildTileHook != nil {
			buildTileHook()
		}
		ent, err := s.buildTile(bctx, st.ID, t)
		if err != nil {
			return ent, err
		}
		ent.key = key
		s.tiles.put(ent)
		return ent, nil
	})
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
	etag := `"` + tileKey(st, t) + `"`
	hd := c.Response().Header()
	hd.Set("ETag", etag)
	hd.Set("Cache-Control", "public, max-age=3600")
	hd.Set("Vary", "Accept-Encoding")
	if inm := c.Request().Header.Get("If-None-Match"); inm == etag {
		return c.NoContent(http.StatusNotModified)
	}
	ent, err := s.cachedTile(ctx, st, t)
	if err != nil {
		return err
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
		l, err := s.describedLayer(ctx, name)
		if err != nil {
			continue // layer absent from this store: not drawn
		}
		fc, trunc, err := s.tileFeatures(ctx, studyID, l, bound)
		if err != nil {
			return ent, storeProblem(err, name)
		}
		ent.truncated = ent.truncated || trunc
		if len(fc.Features) > 0 {
			ml := mvt.NewLayer(name, fc)
			ml.Version = 2 // MVT 2.1 (orb's NewLayer says 1)
			layers = append(layers, ml)
		}
	}
	if len(layers) == 0 {
		return ent, nil
	}
	layers.ProjectToTile(t)
	layers.Clip(orb.Bound{Min: orb.Point{-tileBufferUnits, -tileBufferUnits},
		Max: orb.Point{mvt.DefaultExtent + tileBufferUnits, mvt.DefaultExtent + tileBufferUnits}})
	layers.Simplify(simplify.DouglasPeucker(tileSimplifyUnits))
	layers.RemoveEmpty(1.0, tileMinAreaUnits2)
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
	ent.gz = gzipBytes(b)
	return ent, nil
}

// gzipBytes compresses b once for caching (nil on failure: the plain form
// is served).
func gzipBytes(b []byte) []byte {
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.DefaultCompression)
	zw.Write(b)
	if zw.Close() != nil {
		return nil
	}
	return gz.Bytes()
}

// tileFeatures reads one layer's features intersecting the tile bound, in
// EPSG:4326, with the layer's tile properties.
func (s *Server) tileFeatures(ctx context.Context, studyID string, l data.Layer, bound orb.Bound) (*geojson.FeatureCollection, bool, error) {
	fc := geojson.NewFeatureCollection()
	var idx []int
	var names []string
	for i, c := range l.Columns {
		if c.Flags.Has(data.InTiles) {
			idx, names = append(idx, i), append(names, c.Name)
		}
	}
	q := data.Query{Study: studyID, BBox: &bound, Limit: data.MaxLimit}
	for page, err := range data.Pages(ctx, s.store, l.Name, q) {
		if err != nil {
			return nil, false, err
		}
		for _, f := range page.Features {
			g, err := data.ToWGS84(f.Geom, l.SRID)
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
		if page.Next != "" && len(fc.Features) >= maxTileFeatures {
			return fc, true, nil
		}
	}
	return fc, false, nil
}

// Tile pre-warming: the tiles of the study area for zooms MinZoomParcels to
// PrewarmMaxZoom (the web map's source maxzoom; MapLibre over-zooms beyond)
// are built once in the background at start-up, so that the first visitors
// do not wait seconds for the low-zoom tiles holding every parcel (≈ 210
// tiles and ≈ 7 s on one core for the sample study). At most maxPrewarm
// tiles: for a larger area the highest zooms are left to be built on demand.
const (
	PrewarmMaxZoom = 16
	maxPrewarm     = 2048
)

// Prewarm builds and caches the tiles covering the extent of the served
// study's parcels, zoom by zoom from MinZoomParcels, one at a time (it
// competes with requests for at most one core). It returns the number of
// tiles built or found cached.
func (s *Server) Prewarm(ctx context.Context) (int, error) {
	st, err := s.study(ctx)
	if err != nil {
		return 0, err
	}
	ext, ok, err := s.parcelExtent(ctx, st.ID)
	if err != nil || !ok {
		return 0, err
	}
	n := 0
	for z := maptile.Zoom(MinZoomParcels); z <= PrewarmMaxZoom; z++ {
		lo := maptile.At(orb.Point{ext.Min[0], ext.Max[1]}, z) // north-west
		hi := maptile.At(orb.Point{ext.Max[0], ext.Min[1]}, z) // south-east
		count := int(hi.X-lo.X+1) * int(hi.Y-lo.Y+1)
		if n+count > maxPrewarm {
			break
		}
		for x := lo.X; x <= hi.X; x++ {
			for y := lo.Y; y <= hi.Y; y++ {
				if err := ctx.Err(); err != nil {
					return n, err
				}
				if _, err := s.cachedTile(ctx, st, maptile.New(x, y, z)); err != nil {
					return n, err
				}
				n++
			}
		}
	}
	return n, nil
}

// parcelExtent is the lon/lat bound of the study's parcels (read page by
// page; ok for a background task).
func (s *Server) parcelExtent(ctx context.Context, studyID string) (orb.Bound, bool, error) {
	l, err := s.layer(ctx, "parcels")
	if err != nil {
		return orb.Bound{}, false, err
	}
	var ext orb.Bound
	first := true
	q := data.Query{Study: studyID, Limit: data.MaxLimit}
	for page, err := range data.Pages(ctx, s.store, "parcels", q) {
		if err != nil {
			return ext, false, err
		}
		for _, f := range page.Features {
			if f.Geom == nil {
				continue
			}
			g, err := data.ToWGS84(f.Geom, l.SRID)
			if err != nil {
				continue
			}
			if first {
				ext, first = g.Bound(), false
			} else {
				ext = ext.Union(g.Bound())
			}
		}
	}
	return ext, !first, nil
}

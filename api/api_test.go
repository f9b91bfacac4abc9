package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/gisement/gisement/api/apitest"
	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/gpkg"
)

// gridBound is the lon/lat envelope of the SYNTHETIC grid.
func gridBound(t testing.TB) orb.Bound {
	side := float64(gridN) * apitest.ParcelSideM
	sq := orb.Polygon{{apitest.Origin, {apitest.Origin[0] + side, apitest.Origin[1]},
		{apitest.Origin[0] + side, apitest.Origin[1] + side}, {apitest.Origin[0], apitest.Origin[1] + side}, apitest.Origin}}
	g, err := data.ToWGS84(sq, data.SRIDLambert93)
	if err != nil {
		t.Fatal(err)
	}
	return g.Bound()
}

func bboxParam(b orb.Bound) string {
	return fmt.Sprintf("%f,%f,%f,%f", b.Min[0], b.Min[1], b.Max[0], b.Max[1])
}

func TestAPIGetParcel(t *testing.T) {
	s := newServer(t, nil)
	id := apitest.ParcelID(3, 4)
	r := do(t, s, "GET", "/v1/parcels/"+id, "")
	if r.Code != 200 {
		t.Fatalf("%d %s", r.Code, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/geo+json" {
		t.Errorf("Content-Type %q", ct)
	}
	f := decode(t, r.Body)
	if f["type"] != "Feature" || f["id"] != id {
		t.Fatalf("type %v id %v", f["type"], f["id"])
	}
	g := f["geometry"].(map[string]any)
	if g["type"] != "MultiPolygon" {
		t.Errorf("geometry %v", g["type"])
	}
	pt := g["coordinates"].([]any)[0].([]any)[0].([]any)[0].([]any)
	lon, lat := pt[0].(float64), pt[1].(float64)
	if lon < 0.6 || lon > 0.85 || lat < 45.1 || lat > 45.25 { // Périgueux, EPSG:4326
		t.Errorf("first vertex (%g, %g) not in EPSG:4326 near Périgueux", lon, lat)
	}
	p := f["properties"].(map[string]any)
	if m, ok := p["pv_monthly_kwh"].([]any); !ok || len(m) != 12 {
		t.Errorf("pv_monthly_kwh = %v, want 12 values", p["pv_monthly_kwh"])
	}
	for _, k := range apitest.ParcelsLayer.Columns {
		if _, ok := p[k.Name]; !ok {
			t.Errorf("property %s missing", k.Name)
		}
	}
	sc := f["scenario"].(map[string]any)
	if sc["hash"] != apitest.ScenarioHash || sc["study_id"] != apitest.StudyID {
		t.Errorf("scenario %v", sc)
	}
	if a, ok := sc["assumptions"].(map[string]any); !ok || a["name"] != "synthetic" {
		t.Errorf("assumptions %v", sc["assumptions"])
	}
}

func TestAPIGetBuilding(t *testing.T) {
	s := newServer(t, nil)
	id := apitest.ParcelID(0, 0) + "-B0"
	r := do(t, s, "GET", "/v1/buildings/"+id, "")
	if r.Code != 200 {
		t.Fatalf("%d %s", r.Code, r.Body)
	}
	f := decode(t, r.Body)
	p := f["properties"].(map[string]any)
	if p["parcel_id"] != apitest.ParcelID(0, 0) || len(p["pv_monthly_kwh"].([]any)) != 12 {
		t.Errorf("properties %v", p)
	}
	if f["scenario"].(map[string]any)["hash"] != apitest.ScenarioHash {
		t.Error("no scenario hash")
	}
	wantProblem(t, do(t, s, "GET", "/v1/buildings/nope", ""), 404, "nope")
	wantProblem(t, do(t, s, "GET", "/v1/parcels/nope", ""), 404, "nope")
}

func TestAPIListParcelsPaginates(t *testing.T) {
	s := newServer(t, nil)
	seen := map[string]bool{}
	cursor := ""
	pages := 0
	for {
		q := url.Values{"bbox": {bboxParam(gridBound(t))}, "limit": {"70"}, "sort": {"-pv_kwh_yr"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		r := do(t, s, "GET", "/v1/parcels?"+q.Encode(), "")
		if r.Code != 200 {
			t.Fatalf("%d %s", r.Code, r.Body)
		}
		fc := decode(t, r.Body)
		feats := fc["features"].([]any)
		if len(feats) > 70 {
			t.Fatalf("page of %d > limit 70", len(feats))
		}
		prev := 1e300
		for _, f := range feats {
			p := f.(map[string]any)["properties"].(map[string]any)
			id := p["parcel_id"].(string)
			if seen[id] {
				t.Fatalf("parcel %s on two pages", id)
			}
			seen[id] = true
			if v, ok := p["pv_kwh_yr"].(float64); ok {
				if v > prev {
					t.Fatalf("not sorted descending: %g after %g", v, prev)
				}
				prev = v
			}
		}
		pages++
		c, _ := fc["next_cursor"].(string)
		if c == "" {
			break
		}
		cursor = c
	}
	if len(seen) != gridN*gridN || pages != (gridN*gridN+69)/70 {
		t.Errorf("%d parcels over %d pages, want %d", len(seen), pages, gridN*gridN)
	}
}

func TestAPIListParcelsFilters(t *testing.T) {
	s := newServer(t, nil)
	r := do(t, s, "GET", "/v1/parcels?min_kwp=15&min_specific_yield=1100&technology=ashp&limit=1000", "")
	if r.Code != 200 {
		t.Fatalf("%d %s", r.Code, r.Body)
	}
	feats := decode(t, r.Body)["features"].([]any)
	if len(feats) == 0 || len(feats) == gridN*gridN {
		t.Fatalf("filter kept %d of %d parcels: not selective", len(feats), gridN*gridN)
	}
	for _, f := range feats {
		p := f.(map[string]any)["properties"].(map[string]any)
		if p["pv_kwp"].(float64) < 15 || p["pv_specific_yield_kwh_kwp"].(float64) < 1100 || p["ashp_siting_ok"].(float64) != 1 {
			t.Fatalf("parcel %v violates the filters", p["parcel_id"])
		}
	}
	// Empty bbox far away: empty collection, not an error.
	r = do(t, s, "GET", "/v1/parcels?bbox=5,45,5.1,45.1", "")
	if r.Code != 200 || len(decode(t, r.Body)["features"].([]any)) != 0 {
		t.Fatalf("far bbox: %d %s", r.Code, r.Body)
	}
}

func TestAPIListParcelsCSV(t *testing.T) {
	s := newServer(t, nil)
	r := do(t, s, "GET", "/v1/parcels?limit=25", "", "Accept", "text/csv")
	if r.Code != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("%d %q", r.Code, r.Header.Get("Content-Type"))
	}
	recs, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 26 || recs[0][0] != "parcel_id" || recs[0][len(recs[0])-1] != "lat" {
		t.Fatalf("%d records, header %v", len(recs), recs[0])
	}
	if r.Header.Get("X-Next-Cursor") == "" {
		t.Error("no X-Next-Cursor on a partial page")
	}
}

func TestAPIBadInput(t *testing.T) {
	s := newServer(t, nil)
	big := `{"type":"Polygon","coordinates":[[` + strings.Repeat("[0.7,45.1],", 100000) + `[0.7,45.1]]]}`
	cases := []struct {
		name, method, target, body string
		status                     int
		mention                    []string
	}{
		{"bbox 3 numbers", "GET", "/v1/parcels?bbox=1,2,3", "", 400, []string{"bbox", "4"}},
		{"bbox 5 numbers", "GET", "/v1/parcels?bbox=1,2,3,4,5", "", 400, []string{"bbox"}},
		{"bbox min>max lon", "GET", "/v1/parcels?bbox=1,45,0.5,46", "", 400, []string{"bbox", "minLon"}},
		{"bbox min>max lat", "GET", "/v1/parcels?bbox=0,46,1,45", "", 400, []string{"bbox", "minLat"}},
		{"bbox lon range", "GET", "/v1/parcels?bbox=-200,45,1,46", "", 400, []string{"bbox", "longitude"}},
		{"bbox lat range", "GET", "/v1/parcels?bbox=0,45,1,95", "", 400, []string{"bbox", "latitude"}},
		{"bbox NaN", "GET", "/v1/parcels?bbox=0,NaN,1,46", "", 400, []string{"bbox"}},
		{"bbox text", "GET", "/v1/parcels?bbox=a,b,c,d", "", 400, []string{"bbox"}},
		{"limit too large", "GET", "/v1/parcels?limit=5000", "", 400, []string{"limit"}},
		{"limit zero", "GET", "/v1/parcels?limit=0", "", 400, []string{"limit"}},
		{"limit text", "GET", "/v1/parcels?limit=ten", "", 400, []string{"limit"}},
		{"unknown sort column", "GET", "/v1/parcels?sort=-nope", "", 400, []string{"sort", "nope"}},
		{"sort not whitelisted", "GET", "/v1/parcels?sort=scenario_hash", "", 400, []string{"sort"}},
		{"bad technology", "GET", "/v1/parcels?technology=wind", "", 400, []string{"technology"}},
		{"negative min_kwp", "GET", "/v1/parcels?min_kwp=-1", "", 400, []string{"min_kwp"}},
		{"bad cursor", "GET", "/v1/parcels?cursor=garbage", "", 400, []string{"cursor"}},
		{"lat 95", "GET", "/v1/pvcalc?lat=95&lon=0&peakpower=1&loss=14", "", 400, []string{"lat"}},
		{"lon missing", "GET", "/v1/pvcalc?lat=45&peakpower=1&loss=14", "", 400, []string{"lon"}},
		{"zoom 40", "GET", "/v1/tiles/40/1/1.mvt", "", 400, []string{"z"}},
		{"x out of tile range", "GET", "/v1/tiles/3/8/1.mvt", "", 400, []string{"x"}},
		{"y out of tile range", "GET", "/v1/tiles/3/1/9.mvt", "", 400, []string{"y"}},
		{"tile without .mvt", "GET", "/v1/tiles/3/1/1.png", "", 404, []string{".mvt"}},
		{"unknown parcel", "GET", "/v1/parcels/XX", "", 404, []string{"XX"}},
		{"unknown commune", "GET", "/v1/communes/99999/summary", "", 404, []string{"99999"}},
		{"bad insee", "GET", "/v1/communes/abc/summary", "", 400, []string{"insee"}},
		{"unknown job", "GET", "/v1/studies/nope", "", 404, []string{"nope"}},
		{"malformed GeoJSON", "POST", "/v1/zones/summary", `{"type":"Polygon","coordinates":[[1,2]]`, 400, nil},
		{"GeoJSON wrong type", "POST", "/v1/zones/summary", `{"type":"Point","coordinates":[1,2]}`, 400, nil},
		{"GeoJSON open ring", "POST", "/v1/zones/summary", `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}`, 400, []string{"closed"}},
		{"GeoJSON Lambert coords", "POST", "/v1/zones/summary", `{"type":"Polygon","coordinates":[[[519000,6456000],[520000,6456000],[520000,6457000],[519000,6456000]]]}`, 400, []string{"EPSG:4326"}},
		{"Feature without geometry", "POST", "/v1/zones/summary", `{"type":"Feature","properties":{}}`, 400, []string{"geometry"}},
		{"oversized body", "POST", "/v1/zones/summary", big, 413, nil},
		{"method not allowed", "DELETE", "/v1/parcels/x", "", 405, nil},
		{"no such route", "GET", "/v2/nothing", "", 404, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantProblem(t, do(t, s, c.method, c.target, c.body), c.status, c.mention...)
		})
	}
}

func TestAPICommuneSummary(t *testing.T) {
	s := newServer(t, nil)
	r := do(t, s, "GET", "/v1/communes/"+apitest.CommuneINSEE+"/summary", "")
	if r.Code != 200 {
		t.Fatalf("%d %s", r.Code, r.Body)
	}
	m := decode(t, r.Body)
	tot := m["totals"].(map[string]any)
	if int(tot["parcels"].(float64)) != gridN*gridN {
		t.Errorf("parcels %v", tot["parcels"])
	}
	if m["units"].(map[string]any)["pv_kwh_yr"] != "kWh/yr" {
		t.Errorf("units %v", m["units"])
	}
	// The outline, in lon/lat, whose bound is the bbox.
	gj, _ := json.Marshal(m["geometry"])
	g, err := geojson.UnmarshalGeometry(gj)
	if err != nil {
		t.Fatalf("geometry %s: %v", gj, err)
	}
	if tp := g.Geometry().GeoJSONType(); tp != "Polygon" && tp != "MultiPolygon" {
		t.Fatalf("geometry type %s", tp)
	}
	b := g.Geometry().Bound()
	bb := m["bbox"].([]any)
	for i, v := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
		if math.Abs(v-bb[i].(float64)) > 1e-9 || math.Abs(v) > 180 {
			t.Errorf("bbox[%d] = %v, outline bound %v", i, bb[i], v)
		}
	}
}

// TestAPIZoneSummary checks the zone totals against the parcels listed
// through /v1/parcels (two independent paths through the store).
func TestAPIZoneSummary(t *testing.T) {
	s := newServer(t, nil)
	b := gridBound(t)
	b.Min[0], b.Min[1], b.Max[0], b.Max[1] = b.Min[0]-0.01, b.Min[1]-0.01, b.Max[0]+0.01, b.Max[1]+0.01
	zone := fmt.Sprintf(`{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[%[1]f,%[2]f],[%[3]f,%[2]f],[%[3]f,%[4]f],[%[1]f,%[4]f],[%[1]f,%[2]f]]]}}`,
		b.Min[0], b.Min[1], b.Max[0], b.Max[1])
	r := do(t, s, "POST", "/v1/zones/summary", zone)
	if r.Code != 200 {
		t.Fatalf("%d %s", r.Code, r.Body)
	}
	m := decode(t, r.Body)
	if int(m["count"].(float64)) != gridN*gridN {
		t.Fatalf("count %v, want %d", m["count"], gridN*gridN)
	}
	var want float64
	lr := do(t, s, "GET", "/v1/parcels?limit=1000", "")
	for _, f := range decode(t, lr.Body)["features"].([]any) {
		want += f.(map[string]any)["properties"].(map[string]any)["pv_kwp"].(float64)
	}
	got := m["totals"].(map[string]any)["pv_kwp"].(float64)
	if d := got - want; d > 1e-6*want || d < -1e-6*want {
		t.Errorf("zone pv_kwp %g, sum of listed parcels %g", got, want)
	}
	// A zone elsewhere holds nothing.
	r = do(t, s, "POST", "/v1/zones/summary", `{"type":"MultiPolygon","coordinates":[[[[5,45],[5.1,45],[5.1,45.1],[5,45]]]]}`)
	if r.Code != 200 || decode(t, r.Body)["count"].(float64) != 0 {
		t.Errorf("far zone: %d %s", r.Code, r.Body)
	}
}

func TestAPITiles(t *testing.T) {
	s := newServer(t, nil)
	c := gridBound(t).Center()
	tl := maptile.At(c, 16)
	path := fmt.Sprintf("/v1/tiles/%d/%d/%d.mvt", tl.Z, tl.X, tl.Y)
	r := do(t, s, "GET", path, "")
	if r.Code != 200 || r.Header.Get("Content-Type") != "application/vnd.mapbox-vector-tile" {
		t.Fatalf("%d %q %s", r.Code, r.Header.Get("Content-Type"), r.Body)
	}
	ls, err := mvt.Unmarshal(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, l := range ls {
		got[l.Name] = len(l.Features)
		for _, f := range l.Features {
			if _, ok := f.Properties[map[string]string{"parcels": "parcel_id", "buildings": "building_id"}[l.Name]]; !ok {
				t.Fatalf("layer %s feature without its key: %v", l.Name, f.Properties)
			}
		}
	}
	if got["parcels"] == 0 || got["buildings"] == 0 {
		t.Fatalf("layers %v, want parcels and buildings", got)
	}
	etag := r.Header.Get("ETag")
	if etag == "" || !strings.Contains(r.Header.Get("Cache-Control"), "max-age") {
		t.Error("no ETag / Cache-Control")
	}
	if r2 := do(t, s, "GET", path, "", "If-None-Match", etag); r2.Code != 304 {
		t.Errorf("If-None-Match: %d", r2.Code)
	}
	if r3 := do(t, s, "GET", path, ""); !bytes.Equal(r3.Body, r.Body) || s.metrics.tileCacheHits.Load() == 0 {
		t.Error("second request not served identically from the cache")
	}
	// Below the parcels' minimum zoom, and away from the data: 204.
	if r := do(t, s, "GET", "/v1/tiles/5/16/11.mvt", ""); r.Code != 204 {
		t.Errorf("z5: %d", r.Code)
	}
	far := maptile.At(orb.Point{5, 45}, 16)
	if r := do(t, s, "GET", fmt.Sprintf("/v1/tiles/16/%d/%d.mvt", far.X, far.Y), ""); r.Code != 204 {
		t.Errorf("empty tile: %d", r.Code)
	}
}

func TestAPIOpenAPIDocument(t *testing.T) {
	s := newServer(t, nil)
	r := do(t, s, "GET", "/v1/openapi.json", "")
	if r.Code != 200 {
		t.Fatal(r.Code)
	}
	doc := decode(t, r.Body)
	paths := doc["paths"].(map[string]any)
	if _, ok := paths["/v1/tiles/{z}/{x}/{y}.mvt"]; !ok {
		t.Error("tiles path missing from the served document")
	}
}

// TestAPIOpenAPIRoutesMatch walks every route registered in echo and checks
// it is in openapi.yaml, and every operation of the document has a route.
func TestAPIOpenAPIRoutesMatch(t *testing.T) {
	s := newServer(t, nil)
	doc, _, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	inDoc := map[string]bool{}
	for p, item := range doc.Paths.Map() {
		for m := range item.Operations() {
			inDoc[m+" "+EchoPath(p)] = true
		}
	}
	routed := map[string]bool{}
	for _, r := range s.Echo().Router().Routes() {
		k := r.Method + " " + r.Path
		routed[k] = true
		if !inDoc[k] {
			t.Errorf("route %s not in openapi.yaml", k)
		}
	}
	for k := range inDoc {
		if !routed[k] {
			t.Errorf("openapi.yaml operation %s has no route", k)
		}
	}
	if len(routed) < 13 {
		t.Errorf("only %d routes", len(routed))
	}
}

func TestAPIHealthReadyMetrics(t *testing.T) {
	s := newServer(t, nil)
	if r := do(t, s, "GET", "/healthz", ""); r.Code != 200 {
		t.Error("healthz", r.Code)
	}
	r := do(t, s, "GET", "/readyz", "")
	if r.Code != 200 || decode(t, r.Body)["study_id"] != apitest.StudyID {
		t.Errorf("readyz %d %s", r.Code, r.Body)
	}
	do(t, s, "GET", "/v1/parcels/"+apitest.ParcelID(1, 1), "")
	do(t, s, "GET", "/v1/parcels/none", "")
	m := do(t, s, "GET", "/metrics", "")
	body := string(m.Body)
	for _, want := range []string{
		`gisement_http_requests_total{method="GET",route="/v1/parcels/:id",status="200"} 1`,
		`gisement_http_requests_total{method="GET",route="/v1/parcels/:id",status="404"} 1`,
		`gisement_http_request_duration_seconds_bucket{method="GET",route="/v1/parcels/:id",status="200",le="+Inf"} 1`,
		"# TYPE gisement_http_requests_in_flight gauge", "gisement_jobs_queued 0",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if !strings.HasPrefix(m.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Errorf("metrics Content-Type %q", m.Header.Get("Content-Type"))
	}
	// A store without any study is not ready.
	empty, err := gpkg.Open(t.TempDir() + "/empty.gpkg")
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	s2, err := New(Options{Store: empty})
	if err != nil {
		t.Fatal(err)
	}
	wantProblem(t, do(t, s2, "GET", "/readyz", ""), 503)
}

// TestAPIRateLimitForgedXFF: with no trusted proxy, a client cannot escape
// its rate limit by forging X-Forwarded-For; behind a trusted proxy, the
// forwarded address is the client.
func TestAPIRateLimitForgedXFF(t *testing.T) {
	s := newServer(t, func(o *Options) { o.RatePerSec, o.RateBurst = 0.001, 3 })
	for i := range 5 {
		r := do(t, s, "GET", "/healthz", "", "X-Test-Remote", "198.51.100.7:4000", "X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i))
		if i < 3 && r.Code != 200 {
			t.Fatalf("request %d: %d", i, r.Code)
		}
		if i >= 3 {
			wantProblem(t, r, 429, "rate limit")
		}
	}
	// Another peer has its own bucket.
	if r := do(t, s, "GET", "/healthz", "", "X-Test-Remote", "198.51.100.8:4000"); r.Code != 200 {
		t.Errorf("other client: %d", r.Code)
	}

	_, proxy, _ := net.ParseCIDR("10.0.0.0/8")
	s2 := newServer(t, func(o *Options) {
		o.RatePerSec, o.RateBurst, o.TrustedProxies = 0.001, 1, []*net.IPNet{proxy}
	})
	for i := range 4 { // distinct clients behind the trusted proxy: one request each
		r := do(t, s2, "GET", "/healthz", "", "X-Test-Remote", "10.1.2.3:5000", "X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i))
		if r.Code != 200 {
			t.Fatalf("client %d behind trusted proxy: %d", i, r.Code)
		}
	}
	// The same header from an untrusted peer is ignored: that peer is limited.
	do(t, s2, "GET", "/healthz", "", "X-Test-Remote", "198.51.100.9:4000", "X-Forwarded-For", "203.0.113.50")
	r := do(t, s2, "GET", "/healthz", "", "X-Test-Remote", "198.51.100.9:4000", "X-Forwarded-For", "203.0.113.51")
	wantProblem(t, r, 429)
}

func TestAPICORSAndGzip(t *testing.T) {
	s := newServer(t, func(o *Options) { o.CORSOrigins = []string{"https://map.example"} })
	r := do(t, s, "GET", "/v1/parcels?limit=200", "", "Origin", "https://map.example", "Accept-Encoding", "gzip")
	if r.Header.Get("Access-Control-Allow-Origin") != "https://map.example" {
		t.Errorf("CORS header %q", r.Header.Get("Access-Control-Allow-Origin"))
	}
	if r.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("not gzipped")
	}
	zr, err := gzip.NewReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(zr)
	if len(decode(t, b)["features"].([]any)) != 200 {
		t.Error("gzipped body wrong")
	}
	r = do(t, s, "GET", "/healthz", "", "Origin", "https://evil.example")
	if r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("CORS allowed a foreign origin")
	}
}

// fakeRunner blocks each Run until release is closed.
type fakeRunner struct {
	release chan struct{}
	fail    bool
	mu      sync.Mutex
	reqs    []StudyRequest
}

func (f *fakeRunner) Run(ctx context.Context, req StudyRequest) (string, error) {
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()
	select {
	case <-f.release:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	if f.fail {
		return "", errors.New("pipeline exploded")
	}
	return apitest.StudyID, nil
}

const area = `{"area":{"type":"Polygon","coordinates":[[[0.71,45.17],[0.73,45.17],[0.73,45.19],[0.71,45.17]]]},"scenario":{"pv":{"loss_pct":10}}}`

func waitJob(t *testing.T, s *Server, id, status string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := do(t, s, "GET", "/v1/studies/"+id, "")
		m := decode(t, r.Body)
		if m["status"] == status {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s: %v, want %s", id, m["status"], status)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestAPIStudiesJobs(t *testing.T) {
	fr := &fakeRunner{release: make(chan struct{})}
	s := newServer(t, func(o *Options) { o.Runner, o.Workers, o.MaxQueuedJobs = fr, 1, 1 })
	r1 := do(t, s, "POST", "/v1/studies", area)
	if r1.Code != 202 {
		t.Fatalf("%d %s", r1.Code, r1.Body)
	}
	id1 := decode(t, r1.Body)["id"].(string)
	waitJob(t, s, id1, JobRunning)
	r2 := do(t, s, "POST", "/v1/studies", area) // fills the queue (cap 1)
	if r2.Code != 202 {
		t.Fatalf("second: %d", r2.Code)
	}
	wantProblem(t, do(t, s, "POST", "/v1/studies", area), 503, "queue")
	close(fr.release)
	done := waitJob(t, s, id1, JobDone)
	if done["study_id"] != apitest.StudyID || done["links"].(map[string]any)["parcels"] == nil {
		t.Errorf("done job %v", done)
	}
	waitJob(t, s, decode(t, r2.Body)["id"].(string), JobDone)
	if string(fr.reqs[0].ScenarioOverrides) != `{"pv":{"loss_pct":10}}` {
		t.Errorf("overrides %s", fr.reqs[0].ScenarioOverrides)
	}
	if _, ok := fr.reqs[0].Area.(orb.Polygon); !ok {
		t.Errorf("area %T", fr.reqs[0].Area)
	}
	wantProblem(t, do(t, s, "POST", "/v1/studies", `{"scenario":{}}`), 400, "area")
	wantProblem(t, do(t, s, "POST", "/v1/studies", `{"area":{"type":"Polygon","coordinates":[[[0,0],[1,0]]]}}`), 400)

	ff := &fakeRunner{release: make(chan struct{}), fail: true}
	close(ff.release)
	sf := newServer(t, func(o *Options) { o.Runner = ff })
	rf := do(t, sf, "POST", "/v1/studies", area)
	failed := waitJob(t, sf, decode(t, rf.Body)["id"].(string), JobFailed)
	if failed["error"] != "pipeline exploded" {
		t.Errorf("failed job %v", failed)
	}
	// No runner (serve without --jobs): 403.
	wantProblem(t, do(t, newServer(t, nil), "POST", "/v1/studies", area), 403, "--jobs")
}

func TestAPITileGzip(t *testing.T) {
	s := newServer(t, nil)
	tl := maptile.At(gridBound(t).Center(), 15)
	path := fmt.Sprintf("/v1/tiles/%d/%d/%d.mvt", tl.Z, tl.X, tl.Y)
	plain := do(t, s, "GET", path, "")
	for range 2 { // built, then from the cache
		r := do(t, s, "GET", path, "", "Accept-Encoding", "gzip")
		if r.Header.Get("Content-Encoding") != "gzip" {
			t.Fatal("tile not gzipped")
		}
		zr, err := gzip.NewReader(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(zr)
		if !bytes.Equal(b, plain.Body) {
			t.Fatal("gzipped tile differs from the plain one")
		}
	}
}

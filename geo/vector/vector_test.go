package vector

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo/crs"
	"github.com/gisement/gisement/internal/shareddata"
)

// readAll reads every feature, counting rejected ones; fatal errors fail.
func readAll(t testing.TB, path string, o OpenOptions) ([]Feature, []error, LayerInfo) {
	t.Helper()
	r, err := Open(path, o)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	defer r.Close()
	var fs []Feature
	var rejected []error
	for {
		f, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if !IsFeatureError(err) {
				t.Fatalf("Next(%s): fatal: %v", path, err)
			}
			rejected = append(rejected, err)
			continue
		}
		fs = append(fs, f)
	}
	return fs, rejected, r.Info()
}

func geomTypes(fs []Feature) map[string]int {
	m := map[string]int{}
	for _, f := range fs {
		if f.Geometry == nil {
			m["null"]++
		} else {
			m[f.Geometry.GeoJSONType()]++
		}
	}
	return m
}

func TestGeoJSONFixtureLambert93CRSMember(t *testing.T) {
	fs, rej, info := readAll(t, "testdata/bdnb_perigueux_l93.geojson", OpenOptions{})
	if len(rej) != 0 || len(fs) != 25 {
		t.Fatalf("got %d features, %d rejected; want 25, 0", len(fs), len(rej))
	}
	if info.EPSG != EPSG2154 || info.CRSSource != CRSDeclared || info.CRSName != "urn:ogc:def:crs:EPSG::2154" {
		t.Errorf("CRS = %d %s %q, want 2154 declared urn:ogc:def:crs:EPSG::2154", info.EPSG, info.CRSSource, info.CRSName)
	}
	if info.Format != FormatGeoJSON || len(info.Fields) != 10 || info.Fields[0] != "fid" {
		t.Errorf("info = %+v", info)
	}
	f := fs[0]
	// First BDNB building of the Périgueux extract (see the source file).
	if got := f.Props["batiment_g"]; got != "24322000AE0037_70cd6c3a546fcfb" {
		t.Errorf("batiment_g = %v", got)
	}
	if got := f.Props["s_geom_cst"]; got != int64(64) { // integral literal → int64
		t.Errorf("s_geom_cst = %#v, want int64(64)", got)
	}
	if got := f.Props["fid"]; got != 2438.0 { // GDAL writes 2438.0 → float64
		t.Errorf("fid = %#v, want float64 2438", got)
	}
	if got := f.Props["hauteur"]; got != 4.9 {
		t.Errorf("hauteur = %#v", got)
	}
	b := f.Geometry.Bound()
	if crs.CheckBounds(crs.EPSG2154, b) != nil || b.Min[0] < 517000 || b.Max[0] > 524000 {
		t.Errorf("bounds %v not Lambert-93 in Périgueux", b)
	}
}

func TestShapefileZipLatin1WithCPG(t *testing.T) {
	fs, rej, info := readAll(t, "testdata/communes_24_latin1.zip", OpenOptions{})
	checkCommunes(t, fs, rej, info)
	if info.Encoding != "ISO-8859-1 (.cpg)" {
		t.Errorf("Encoding = %q", info.Encoding)
	}
}

func TestShapefileZipLatin1WithoutCPG(t *testing.T) {
	fs, rej, info := readAll(t, "testdata/communes_24_nocpg.zip", OpenOptions{})
	checkCommunes(t, fs, rej, info)
	if info.Encoding != "ISO-8859-1 (default)" {
		t.Errorf("Encoding = %q", info.Encoding)
	}
}

func checkCommunes(t *testing.T, fs []Feature, rej []error, info LayerInfo) {
	t.Helper()
	if len(fs) != 17 || len(rej) != 0 || info.Count != 17 {
		t.Fatalf("got %d features (%d rejected, Count %d), want 17", len(fs), len(rej), info.Count)
	}
	if info.EPSG != EPSG2154 || info.CRSSource != CRSDeclared || info.CRSName != "RGF_1993_Lambert_93" {
		t.Errorf("CRS = %d %s %q", info.EPSG, info.CRSSource, info.CRSName)
	}
	names := map[string]string{}
	for _, f := range fs {
		names[f.Props["code"].(string)] = f.Props["nom"].(string)
		if _, ok := f.Geometry.(orb.Polygon); !ok {
			t.Errorf("feature %d geometry %T", f.Index, f.Geometry)
		}
	}
	// INSEE codes and names from IGN Admin Express (communes-24-dordogne_2018).
	for code, want := range map[string]string{
		"24322": "Périgueux", "24442": "Saint-Léon-sur-l'Isle", "24443": "Saint-Léon-sur-Vézère",
		"24115": "Château-l'Évêque", "24557": "Trélissac", "24160": "Église-Neuve-de-Vergt",
	} {
		if names[code] != want {
			t.Errorf("commune %s = %q, want %q", code, names[code], want)
		}
	}
}

func TestShapefileDegreesDeclaredLambert93(t *testing.T) {
	_, err := Open("testdata/parcels_degrees_as_l93.shp", OpenOptions{})
	if !errors.Is(err, ErrCRSMismatch) {
		t.Fatalf("err = %v, want ErrCRSMismatch", err)
	}
	if !strings.Contains(err.Error(), "parcels_degrees_as_l93.shp") || !strings.Contains(err.Error(), "EPSG:4326") {
		t.Errorf("error should name the file and the likely CRS: %v", err)
	}
	// The flag overrides the wrong .prj.
	fs, rej, info := readAll(t, "testdata/parcels_degrees_as_l93.shp", OpenOptions{EPSG: 4326})
	if len(fs) != 12 || len(rej) != 0 || info.CRSSource != CRSFromFlag || info.EPSG != 4326 {
		t.Errorf("with flag: %d features, %d rejected, %+v", len(fs), len(rej), info)
	}
	if fs[3].Props["idx"] != int64(3) {
		t.Errorf("idx = %#v", fs[3].Props["idx"])
	}
}

// --- real shared files -------------------------------------------------

func TestRealPerigueuxBDNB(t *testing.T) {
	p := shareddata.Path(t, "buildings/perigueux_24322_bdnb_buildings.geojson.gz")
	fs, rej, info := readAll(t, p, OpenOptions{})
	// SOURCES.md: 10,381 features (10,378 Polygon, 3 MultiPolygon), EPSG:4326.
	gt := geomTypes(fs)
	if len(fs) != 10381 || len(rej) != 0 || gt["Polygon"] != 10378 || gt["MultiPolygon"] != 3 {
		t.Errorf("got %d features, %d rejected, types %v", len(fs), len(rej), gt)
	}
	if info.EPSG != 4326 || info.CRSSource != CRSDeclared {
		t.Errorf("CRS %d %s", info.EPSG, info.CRSSource)
	}
	var area int64
	nulls := 0
	for _, f := range fs {
		switch v := f.Props["s_geom_cst"].(type) {
		case int64:
			area += v
		case nil:
			nulls++ // measured: 95 null areas in the file (zcat | grep '"s_geom_cst": null')
		default:
			t.Fatalf("s_geom_cst %T", v)
		}
	}
	if area != 1534508 || nulls != 95 { // SOURCES.md: sum of s_geom_cst 1,534,508 m²
		t.Errorf("Σ s_geom_cst = %d (%d null), want 1534508 (95 null)", area, nulls)
	}
}

func TestRealEtalabParcels91216(t *testing.T) {
	p := shareddata.Path(t, "parcels/cadastre-91216-parcelles.json.gz")
	fs, rej, info := readAll(t, p, OpenOptions{})
	if len(fs) != 4241 || len(rej) != 0 || info.CRSSource != CRSAssumed7946 || info.EPSG != 4326 {
		t.Fatalf("got %d features, %d rejected, %+v", len(fs), len(rej), info)
	}
	var contenance int64
	sections := map[string]bool{}
	for _, f := range fs {
		if len(f.ID) != 14 || f.ID != f.Props["id"] || !strings.HasPrefix(f.ID, "91216") {
			t.Fatalf("feature %d id %q props id %v", f.Index, f.ID, f.Props["id"])
		}
		if c, ok := f.Props["contenance"].(int64); ok {
			contenance += c
		} else if f.ID != "91216000AC0389" { // the one parcel of the file without contenance (grep)
			t.Errorf("feature %s: contenance %#v", f.ID, f.Props["contenance"])
		}
		sections[f.Props["section"].(string)] = true
	}
	// SOURCES.md: 15 sections, Σcontenance 3,829,286 m².
	if contenance != 3829286 || len(sections) != 15 {
		t.Errorf("Σcontenance %d, %d sections", contenance, len(sections))
	}
}

func TestRealPerigueuxParcelsNoAttr(t *testing.T) {
	p := shareddata.Path(t, "parcels/perigueux_24322_parcel_geometries_noattr.geojson.gz")
	fs, rej, _ := readAll(t, p, OpenOptions{})
	if len(fs) != 15323 || len(rej) != 0 || geomTypes(fs)["Polygon"] != 15323 {
		t.Errorf("got %d features, %d rejected", len(fs), len(rej))
	}
	if fs[15322].Props["idx"] != int64(15322) {
		t.Errorf("last idx %v", fs[15322].Props["idx"])
	}
}

// --- bad inputs (synthetic, written in t.TempDir) ------------------------

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func gz(data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// drain reads until a fatal error or EOF; returns the rejected count and the fatal error.
func drain(r *Reader) (n, rejected int, fatal error) {
	for {
		_, err := r.Next()
		switch {
		case err == io.EOF:
			return n, rejected, nil
		case IsFeatureError(err):
			rejected++
		case err != nil:
			return n, rejected, err
		default:
			n++
		}
	}
}

func TestTruncatedGzip(t *testing.T) {
	src, err := os.ReadFile("testdata/bdnb_perigueux_l93.geojson")
	if err != nil {
		t.Fatal(err)
	}
	z := gz(src)
	p := writeFile(t, "trunc.geojson.gz", z[:len(z)/2])
	r, err := Open(p, OpenOptions{})
	if err != nil {
		t.Fatal(err) // the header and first features are intact
	}
	defer r.Close()
	n, _, fatal := drain(r)
	if !errors.Is(fatal, ErrMalformed) || n == 0 || n >= 25 {
		t.Fatalf("read %d then %v; want some features then ErrMalformed", n, fatal)
	}
	var se *SyntaxError
	if !errors.As(fatal, &se) || se.Offset <= 0 || se.Line <= 5 {
		t.Errorf("want *SyntaxError with offset and line, got %#v", fatal)
	}
	if _, err := r.Next(); err != fatal {
		t.Errorf("fatal error is not sticky: %v", err)
	}
}

func TestTruncatedJSON(t *testing.T) {
	p := writeFile(t, "t.geojson", []byte(`{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"a":1},"geometry":{"type":"Point","coordinates":[1,2]}},
{"type":"Feature","properties":{"a":2},"geometry":{"type":"Point","coordinates":[1,`))
	r, err := Open(p, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n, _, fatal := drain(r)
	var se *SyntaxError
	if n != 1 || !errors.As(fatal, &se) || se.Line != 3 {
		t.Errorf("n=%d err=%v", n, fatal)
	}
}

func TestSyntaxErrorLine(t *testing.T) {
	p := writeFile(t, "s.geojson", []byte("{\"type\":\"FeatureCollection\",\n\"features\":[\n{\"type\":\"Feature\",\"properties\":{},\"geometry\":null},\n{\"type\":\"Feature\" \"x\"}\n]}"))
	r, err := Open(p, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n, _, fatal := drain(r)
	var se *SyntaxError
	if n != 1 || !errors.As(fatal, &se) || se.Line != 4 || !errors.Is(fatal, ErrMalformed) {
		t.Errorf("n=%d err=%#v", n, fatal)
	}
}

func TestInvalidGeometryIsNonFatal(t *testing.T) {
	p := writeFile(t, "g.geojson", []byte(`{"type":"FeatureCollection","features":[
{"type":"Feature","id":"a","properties":{"n":1},"geometry":{"type":"Point","coordinates":[2.3,48.8]}},
{"type":"Feature","id":"b","properties":{"n":2},"geometry":{"type":"Polygon","coordinates":"oops"}},
{"type":"Feature","id":7,"properties":{"n":3},"geometry":{"type":"Hexagon","coordinates":[1,2]}},
{"type":"Feature","id":{"x":1},"properties":{"n":4},"geometry":null},
{"type":"Feature","id":"e","properties":{"n":5,"o":{"k":[1,2]},"s":"d\u00e9j\u00e0","big":12345678901234567890,"f":1e3,"t":true,"z":null},"geometry":{"type":"Point","coordinates":[2.4,48.9]}}
]}`))
	r, err := Open(p, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var ok []Feature
	var fields []string
	for {
		f, err := r.Next()
		if err == io.EOF {
			break
		}
		var fe *FeatureError
		if errors.As(err, &fe) {
			fields = append(fields, fe.Field)
			if fe.Index != f.Index || fe.File != p {
				t.Errorf("FeatureError %+v vs feature index %d", fe, f.Index)
			}
			if fe.Field == "geometry" && (!errors.Is(err, ErrInvalidGeometry) || f.Geometry != nil || fe.ID == "") {
				t.Errorf("geometry error: %v (geometry %v)", err, f.Geometry)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		ok = append(ok, f)
	}
	if len(ok) != 2 || strings.Join(fields, ",") != "geometry,geometry,id" {
		t.Fatalf("ok=%d rejected fields=%v", len(ok), fields)
	}
	p5 := ok[1].Props
	if ok[1].ID != "e" || p5["o"] != `{"k":[1,2]}` || p5["s"] != "déjà" || p5["big"] != 12345678901234567890.0 ||
		p5["f"] != 1000.0 || p5["t"] != true || p5["z"] != nil || p5["n"] != int64(5) {
		t.Errorf("props = %#v", p5)
	}
}

func TestUnsupportedCRS(t *testing.T) {
	p := writeFile(t, "c.geojson", []byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27572"}},"features":[]}`))
	if _, err := Open(p, OpenOptions{}); !errors.Is(err, ErrUnsupportedCRS) {
		t.Errorf("err = %v, want ErrUnsupportedCRS", err)
	}
	if _, err := Open("testdata/bdnb_perigueux_l93.geojson", OpenOptions{EPSG: 32631}); !errors.Is(err, ErrUnsupportedCRS) {
		t.Errorf("flag 32631: err = %v", err)
	}
}

func TestGeoJSONDegreesDeclaredLambert93(t *testing.T) {
	p := writeFile(t, "d.geojson", []byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:2154"}},"features":[
{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[0.72,45.18]}}]}`))
	if _, err := Open(p, OpenOptions{}); !errors.Is(err, ErrCRSMismatch) {
		t.Errorf("err = %v, want ErrCRSMismatch", err)
	}
}

func TestGeoJSONLambert93WithoutCRSMember(t *testing.T) {
	p := writeFile(t, "l.geojson", []byte(`{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":null},
{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[521095.93,6456513.20]}}]}`))
	fs, _, info := readAll(t, p, OpenOptions{})
	if len(fs) != 2 || info.EPSG != 2154 || info.CRSSource != CRSFromBounds {
		t.Errorf("%d features, %+v", len(fs), info)
	}
}

func TestGeoJSONCRSAfterFeatures(t *testing.T) {
	body := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[521095.93,6456513.20]}}],
"crs":{"type":"name","properties":{"name":"%s"}}}`
	// Agrees with the detected CRS: fine, becomes "declared".
	p := writeFile(t, "a.geojson", []byte(strings.Replace(body, "%s", "urn:ogc:def:crs:EPSG::2154", 1)))
	_, _, info := readAll(t, p, OpenOptions{})
	if info.EPSG != 2154 || info.CRSSource != CRSDeclared {
		t.Errorf("agreeing late crs: %+v", info)
	}
	// Disagrees (Web Mercator would have been the truth): fatal ErrCRSMismatch at the end.
	p = writeFile(t, "b.geojson", []byte(strings.Replace(body, "%s", "EPSG:3857", 1)))
	r, err := Open(p, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n, _, fatal := drain(r)
	if n != 1 || !errors.Is(fatal, ErrCRSMismatch) {
		t.Errorf("n=%d err=%v", n, fatal)
	}
}

func TestNotAVectorFile(t *testing.T) {
	p := writeFile(t, "x.csv", []byte("a,b\n1,2\n"))
	if _, err := Open(p, OpenOptions{}); !errors.Is(err, ErrUnsupportedFormat) {
		t.Errorf("err = %v", err)
	}
	p = writeFile(t, "x.geojson", []byte(`[1,2,3]`))
	if _, err := Open(p, OpenOptions{}); !errors.Is(err, ErrMalformed) {
		t.Errorf("array: err = %v", err)
	}
	p = writeFile(t, "x.zip", []byte("PK\x03\x04garbage"))
	if _, err := Open(p, OpenOptions{}); !errors.Is(err, ErrMalformed) {
		t.Errorf("bad zip: err = %v", err)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing.geojson"), OpenOptions{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: err = %v", err)
	}
}

func TestReadAll(t *testing.T) {
	n := 0
	info, err := ReadAll("testdata/communes_24_latin1.zip", OpenOptions{}, func(f Feature) error { n++; return nil })
	if err != nil || n != 17 || info.Format != FormatShapefile {
		t.Errorf("ReadAll: n=%d err=%v info=%+v", n, err, info)
	}
	stop := errors.New("stop")
	_, err = ReadAll("testdata/communes_24_latin1.zip", OpenOptions{}, func(f Feature) error { return stop })
	if err != stop {
		t.Errorf("callback error not returned: %v", err)
	}
}

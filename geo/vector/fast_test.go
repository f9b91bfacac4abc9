package vector

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gisement/gisement/internal/shareddata"
)

// readTrace reads path to the end with the fast path or the encoding/json
// one and returns every feature and error (as text), and the layer info.
func readTrace(t testing.TB, path string, slow bool) (feats []Feature, errs []string, info LayerInfo, openErr string) {
	r, err := Open(path, OpenOptions{slowJSON: slow})
	if err != nil {
		return nil, nil, LayerInfo{}, err.Error()
	}
	defer r.Close()
	for i := 0; i < 1_000_000; i++ {
		f, err := r.Next()
		if err == io.EOF {
			break
		}
		feats = append(feats, f)
		if err != nil {
			errs = append(errs, fmt.Sprintf("%d: fatal=%v %v", len(feats)-1, !IsFeatureError(err), err))
			if !IsFeatureError(err) {
				break
			}
		}
	}
	return feats, errs, r.Info(), ""
}

// sameAsSlowPath fails when the fast path and the encoding/json path differ
// on path: features (deep equality), errors (text and fatality), layer info.
func sameAsSlowPath(t testing.TB, path string) {
	t.Helper()
	f1, e1, i1, o1 := readTrace(t, path, false)
	f2, e2, i2, o2 := readTrace(t, path, true)
	if o1 != o2 {
		t.Fatalf("Open: fast %q, slow %q", o1, o2)
	}
	if !reflect.DeepEqual(e1, e2) {
		t.Fatalf("errors differ:\nfast %q\nslow %q", e1, e2)
	}
	if len(f1) != len(f2) {
		t.Fatalf("fast read %d features, slow %d", len(f1), len(f2))
	}
	for i := range f1 {
		if !reflect.DeepEqual(f1[i], f2[i]) {
			t.Fatalf("feature %d differs:\nfast %#v\nslow %#v", i, f1[i], f2[i])
		}
	}
	if !reflect.DeepEqual(i1, i2) {
		t.Fatalf("layer info differs:\nfast %#v\nslow %#v", i1, i2)
	}
}

// fastPathCases are GeoJSON texts that exercise the fast path's fallbacks
// and replays (each one is also a fuzz seed).
var fastPathCases = []string{
	`{"type":"FeatureCollection","features":[]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}`,
	// member names differing by case, repeated, unicode folding, unknown members
	`{"features":[{"Type":"Feature","geometry":null},{"type":"Feature","type":"x"},{"type":"Feature","ſd":1,"bbox":[1,2]},{"TYPE":"Feature","ID":5,"Properties":{"a":1},"GEOMETRY":{"type":"Point","coordinates":[1,2]}}]}`,
	// geometry shapes: 3D and 1D positions, bbox, case, empty, null, nested nulls, big numbers
	`{"features":[
{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0,5],[1,0,5],[1,1,5],[0,0,5]]]}},
{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0],[1,0],[1,1],[0,0]]]}},
{"type":"Feature","geometry":{"type":"Polygon","bbox":[0,0,1,1],"coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
{"type":"Feature","geometry":{"Type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
{"type":"Feature","geometry":{"type":"Polygon","coordinates":[]}},
{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[]],[]]}},
{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1e400,0],[1,1],[0,0]]]]}},
{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],null,[1,1],[0,0]]]]}},
{"type":"Feature","geometry":{"coordinates":[[[0,0],[1,0],[1,1],[0,0]]],"type":"Polygon"}},
{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[-0.5e-3,1E2],[1.25,0],[1,1],[-0.5e-3,1E2]]]}},
{"type":"Feature","geometry":{"type":"Polygon","coordinates":"x"}},
{"type":"Feature","geometry":5},
{"type":"Feature","geometry":{"type":"GeometryCollection","geometries":[]}}
]}`,
	// ids and properties
	`{"features":[
{"type":"Feature","id":"a\u00e9\n","properties":{"k\u00e9":"v\"","n":null,"o":{"x": [1, 2]},"big":1e400,"i":-12,"f":1.5e3}},
{"type":"Feature","id":-0.5,"properties":{"d":1,"d":2}},
{"type":"Feature","id":true},
{"type":"Feature","properties":[1]},
{"type":"Feature","properties":"x"},
{"type":5},
null, 7, "s", [1],
{"type":"Feature","properties":{"big":1e400}},
{"type":"Feature","properties":{"bad":"\ud800"}}
]}`,
	// invalid UTF-8 inside a feature (encoding/json accepts it), Latin-1 text, lone surrogates
	"{\"features\":[{\"type\":\"Feature\",\"properties\":{\"a\":\"\xff\"}},{\"type\":\"Feature\",\"id\":1}]}",
	"{\"features\":[{\"type\":\"Feature\",\"properties\":{\"nom\":\"P\xe9rigueux\",\"cl\xe9\":1}},{\"type\":\"Feat\xe9\",\"id\":\"\xe9\"},{\"type\":\"Feature\",\"properties\":{\"a\":2}}]}",
	`{"features":[{"type":"Feature","properties":{"\ud800":1,"b":"\udc00x"}},{"type":"Feat\ud800"},{"type":"Feature","id":"\uD834\uDD1E"}]}`,
	// syntax errors between and inside features, truncation
	`{"features":[{"type":"Feature"}e5,{"type":"Feature"}]}`,
	`{"features":[{"type":"Feature"} {"type":"Feature"}]}`,
	`{"features":[{"type":"Feature"},]}`,
	`{"features":[{"type":"Feature","properties":{"a":tru}}]}`,
	`{"features":[{"type":"Feature"},{"type":"Feat`,
	`{"features":[{"type":"Feature"}}`,
	// after the features
	`{"features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[700000,6600000]}}],"crs":{"type":"name","properties":{"name":"EPSG:2154"}}}`,
	`{"features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[2,45]}}],"crs":{"type":"name","properties":{"name":"EPSG:2154"}}}`,
	`{"features":[{"type":"Feature"}],"crs":{"type":"nope"}}`,
	`{"features":[{"type":"Feature"}],"x":1}{}`,
	`{"features":[{"type":"Feature"}],"x":1} 5`,
	`{"features":[{"type":"Feature"}],"x":}`,
	`{"features":[{"type":"Feature"}]}   `,
}

func TestFastPathSameAsEncodingJSON(t *testing.T) {
	dir := t.TempDir()
	for i, c := range fastPathCases {
		for _, z := range []bool{false, true} {
			data := []byte(c)
			name := fmt.Sprintf("c%d.geojson", i)
			if z {
				data, name = gz(data), name+".gz"
			}
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Run(name, func(t *testing.T) { sameAsSlowPath(t, p) })
		}
	}
	// Truncated gzip (a read error, not a syntax error) and a BOM.
	src, err := os.ReadFile("testdata/bdnb_perigueux_l93.geojson")
	if err != nil {
		t.Fatal(err)
	}
	z := gz(src)
	for name, data := range map[string][]byte{
		"trunc.geojson.gz": z[:len(z)/2],
		"bom.geojson":      append([]byte{0xEF, 0xBB, 0xBF}, src...),
		"l93.geojson":      src,
		"crlf.geojson":     []byte(strings.ReplaceAll(string(src), "\n", "\r\n")),
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) { sameAsSlowPath(t, p) })
	}
}

// TestFastPathSameOnRealFiles compares both paths on whole real files
// (BDNB buildings, Etalab and Périgueux parcels).
func TestFastPathSameOnRealFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("reads whole real files twice")
	}
	for _, rel := range []string{
		"parcels/cadastre-91216-parcelles.json.gz",
		"buildings/perigueux_24322_bdnb_buildings.geojson.gz",
		"parcels/perigueux_24322_parcel_geometries_noattr.geojson.gz",
	} {
		t.Run(filepath.Base(rel), func(t *testing.T) { sameAsSlowPath(t, shareddata.Path(t, rel)) })
	}
}

// FuzzGeoJSONFastPath checks, on arbitrary input, that the fast path
// (jsontext, hand-written coordinates) and the encoding/json path return
// the same features, errors and layer info.
func FuzzGeoJSONFastPath(f *testing.F) {
	for _, c := range fastPathCases {
		f.Add([]byte(c))
	}
	if seed, err := os.ReadFile("testdata/bdnb_perigueux_l93.geojson"); err == nil {
		f.Add(seed)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "f.geojson")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		sameAsSlowPath(t, p)
	})
}

// TestFastPathStaysFast: on well-formed files (UTF-8 or Latin-1 text, a crs
// member after the features) the reader never falls back to encoding/json
// for the whole stream (a replay would give the same results, slowly).
func TestFastPathStaysFast(t *testing.T) {
	dir := t.TempDir()
	for i, c := range []int{0, 1, 2, 3, 4, 5, 6, 7, 14, 20} {
		p := filepath.Join(dir, fmt.Sprintf("ok%d.geojson", i))
		if err := os.WriteFile(p, []byte(fastPathCases[c]), 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := Open(p, OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil && !IsFeatureError(err) {
				t.Fatalf("case %d: %v", c, err)
			}
			n++
		}
		if s := r.src.(*geojsonSource); s.js == nil || s.dec != nil {
			t.Errorf("case %d: replayed with encoding/json after %d features", c, n)
		}
		r.Close()
	}
}

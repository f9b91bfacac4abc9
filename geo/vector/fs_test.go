package vector

import (
	"bytes"
	"compress/gzip"
	"errors"
	"testing"
	"testing/fstest"
)

// GeoJSON (plain or gzipped) is read from an fs.FS as from a file; other
// formats are refused there; a syntax error still names its line.
func TestOpenFS(t *testing.T) {
	const gj = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[0.72,45.18]}}]}`
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(gj))
	w.Close()
	fsys := fstest.MapFS{
		"a.geojson":    {Data: []byte(gj)},
		"a.geojson.gz": {Data: gz.Bytes()},
		"bad.geojson":  {Data: []byte("{\"type\":\"FeatureCollection\",\"features\":[\n\n{\"type\":\"Feature\",,}]}")},
		"x.gpkg":       {Data: []byte("SQLite format 3\x00")},
	}
	for _, name := range []string{"a.geojson", "a.geojson.gz"} {
		n := 0
		info, err := ReadAll(name, OpenOptions{FS: fsys}, func(f Feature) error { n++; return nil })
		if err != nil || n != 1 || info.EPSG != EPSG4326 {
			t.Errorf("%s: %d features, %+v, %v", name, n, info, err)
		}
	}
	if _, err := Open("x.gpkg", OpenOptions{FS: fsys}); !errors.Is(err, ErrUnsupportedFormat) {
		t.Errorf("gpkg from an FS: %v", err)
	}
	_, err := ReadAll("bad.geojson", OpenOptions{FS: fsys}, func(Feature) error { return nil })
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("want a *SyntaxError, got %v", err)
	}
	if se.Line != 3 {
		t.Errorf("syntax error %v at line %d, want 3", err, se.Line)
	}
}

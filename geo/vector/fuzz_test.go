package vector

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// FuzzGeoJSON feeds arbitrary bytes to the GeoJSON reader: it must never
// panic, and must end every stream with io.EOF or a fatal error.
func FuzzGeoJSON(f *testing.F) {
	seed, _ := os.ReadFile("testdata/bdnb_perigueux_l93.geojson")
	f.Add(seed)
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":1,"properties":{"a":[1,{"b":2}],"c":"\u00e9"},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}}],"crs":{"type":"name","properties":{"name":"CRS84"}}}`))
	f.Add([]byte(`{"features":[{"type":"Feature","geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1]}]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","crs":{"type":"EPSG","properties":{"code":2154}},"features":[null,5,{"type":"Feature","geometry":{"type":"Point","coordinates":[700000,6600000]}}]}`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "f.geojson")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := Open(p, OpenOptions{})
		if err != nil {
			return
		}
		defer r.Close()
		for i := 0; i < 10000; i++ {
			f, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil && !IsFeatureError(err) {
				if _, err2 := r.Next(); err2 != err {
					t.Fatalf("fatal error not sticky: %v then %v", err, err2)
				}
				return
			}
			if f.Geometry != nil {
				_ = f.Geometry.Bound()
			}
		}
	})
}

// FuzzGPB feeds arbitrary bytes to the GeoPackageBinary decoder.
func FuzzGPB(f *testing.F) {
	poly := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}
	body := wkb.MustMarshal(poly)
	// Header: "GP", v0, flags 0b011 (little endian, xy envelope), srs 2154, envelope.
	hdr := []byte{'G', 'P', 0, 0x03, 0x6a, 0x08, 0, 0}
	env := make([]byte, 32)
	f.Add(append(append(hdr, env...), body...))
	f.Add(append([]byte{'G', 'P', 0, 0x01, 0x6a, 0x08, 0, 0}, body...))
	f.Add([]byte{'G', 'P', 0, 0x11, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		g, h, err := DecodeGPB(data)
		if err == nil && g != nil {
			_ = g.Bound()
		}
		if err == nil && h.Size > len(data) {
			t.Fatalf("header size %d > %d", h.Size, len(data))
		}
	})
}

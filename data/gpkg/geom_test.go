package gpkg

import (
	"reflect"
	"testing"

	"github.com/paulmach/orb"
)

func TestBlobRoundTrip(t *testing.T) {
	e := newEncoder()
	for _, g := range []orb.Geometry{
		orb.Point{520000.5, 6457000.25},
		orb.Polygon{{{0, 0}, {10, 0}, {10, 5}, {0, 0}}},
		orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}, {{{5, 5}, {6, 5}, {6, 7}, {5, 5}}}},
	} {
		blob, b, err := e.encode(g, 2154)
		if err != nil {
			t.Fatal(err)
		}
		// Header per GeoPackage 1.3 §2.1.3: magic, version 0, flags 0x03, SRID.
		if string(blob[:2]) != "GP" || blob[2] != 0 || blob[3] != 0x03 || blob[4] != 0x6a || blob[5] != 0x08 {
			t.Errorf("%T: header % x", g, blob[:8])
		}
		got, err := decodeGeom(append([]byte(nil), blob...))
		if err != nil || !reflect.DeepEqual(got, g) {
			t.Errorf("%T: decoded %v, %v", g, got, err)
		}
		env, empty, err := blobBound(blob)
		if err != nil || empty || env != b || env != g.Bound() {
			t.Errorf("%T: envelope %v, want %v", g, env, g.Bound())
		}
	}
	if _, err := decodeGeom([]byte("GP\x00\x0f")); err == nil {
		t.Error("truncated blob accepted")
	}
}

// FuzzDecodeGeom: the blob parser must never panic on arbitrary bytes.
func FuzzDecodeGeom(f *testing.F) {
	e := newEncoder()
	blob, _, _ := e.encode(orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}}, 2154)
	f.Add(append([]byte(nil), blob...))
	f.Add([]byte("GP\x00\x01\x00\x00\x00\x00"))
	f.Add([]byte("GP\x00\x09"))
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := decodeGeom(b)
		if err == nil && g == nil {
			t.Fatal("nil geometry without error")
		}
		_, _, _ = blobBound(b)
	})
}

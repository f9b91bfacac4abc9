package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/paulmach/orb/maptile"

	"github.com/gisement/gisement/api/apitest"
)

// Benchmarks on the SYNTHETIC 20×20 grid (400 parcels), in-process (no
// network), one request per op.
func BenchmarkAPIGetParcel(b *testing.B) {
	s := newServer(b, nil)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		req := httptest.NewRequest("GET", "/v1/parcels/"+apitest.ParcelID(i%gridN, (i/gridN)%gridN), nil)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
		i++
	}
}

func BenchmarkAPIBBox(b *testing.B) {
	s := newServer(b, nil)
	bb := gridBound(b)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", "/v1/parcels?limit=100&bbox="+bboxParam(bb), nil)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}

func BenchmarkAPITileUncached(b *testing.B) {
	s := newServer(b, func(o *Options) { o.TileCacheSize = -1 })
	t := maptile.At(gridBound(b).Center(), 15)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", fmt.Sprintf("/v1/tiles/%d/%d/%d.mvt", t.Z, t.X, t.Y), nil)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}

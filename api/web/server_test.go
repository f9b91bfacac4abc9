package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/gisement/gisement/api"
	"github.com/gisement/gisement/api/apitest"
	"github.com/gisement/gisement/api/web"
	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/gpkg"
)

// testSite serves the web map at / and the real API (api.New) at /v1/ over
// apitest's SYNTHETIC n×n parcel grid near Périgueux (made-up values, not
// real data), as the gisement server mounts them.
type testSite struct {
	*httptest.Server
	store *gpkg.Store
}

func newTestSite(t *testing.T, n int) *testSite {
	t.Helper()
	ctx := context.Background()
	st, err := apitest.Write(ctx, filepath.Join(t.TempDir(), "synthetic.gpkg"), n)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := api.New(api.Options{Store: st})
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/v1/", srv)
	mux.Handle("/", web.Handler())
	ts := httptest.NewServer(mux)
	t.Cleanup(func() {
		ts.Close()
		srv.Close(ctx)
		st.Close()
	})
	return &testSite{Server: ts, store: st}
}

// parcel returns a parcel's annual PV production (nil when NULL) and its
// centroid in lon/lat.
func (s *testSite) parcel(t *testing.T, id string) (kwh any, centroid orb.Point) {
	t.Helper()
	ctx := context.Background()
	l, err := s.store.Layer(ctx, "parcels")
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.store.Get(ctx, "", "parcels", id)
	if err != nil {
		t.Fatal(err)
	}
	g, err := data.ToWGS84(f.Geom, l.SRID)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := planar.CentroidArea(g)
	return f.Value(l, "pv_kwh_yr"), c
}

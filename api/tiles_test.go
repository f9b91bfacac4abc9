package api

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// TestAPITileLayersVersionAndProperties checks that tile layers are MVT
// version 2 and carry every tile property the store's layer has (the web
// map colours by them).
func TestAPITileLayersVersionAndProperties(t *testing.T) {
	s := newServer(t, nil)
	tl := maptile.At(gridBound(t).Center(), 16)
	r := do(t, s, http.MethodGet, fmt.Sprintf("/v1/tiles/%d/%d/%d.mvt", tl.Z, tl.X, tl.Y), "")
	if r.Code != http.StatusOK {
		t.Fatalf("%d %s", r.Code, r.Body)
	}
	ls, err := mvt.Unmarshal(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.Version != 2 {
			t.Errorf("layer %s: version %d, want 2", l.Name, l.Version)
		}
		schema, err := s.layer(context.Background(), l.Name)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, f := range l.Features {
			for k := range f.Properties {
				seen[k] = true
			}
		}
		for _, p := range TileProperties(l.Name) {
			if schema.Index(p) >= 0 && !seen[p] {
				t.Errorf("layer %s: property %s (in the store) missing from every tile feature", l.Name, p)
			}
		}
	}
	for _, p := range []string{"pv_shading_loss_pct", "ashp_scop", "pv_kwh_yr", "pv_specific_yield_kwh_kwp", "npv_eur", "ashp_siting_ok", "gshp_boreholes"} {
		found := false
		for _, q := range TileProperties("parcels") {
			found = found || q == p
		}
		if !found {
			t.Errorf("parcels tiles lack %s", p)
		}
	}
}

// TestAPITileSingleBuild checks that concurrent requests for one missing
// tile build it once, and that Prewarm caches the study area's tiles.
func TestAPITileSingleBuild(t *testing.T) {
	s := newServer(t, nil)
	tl := maptile.At(gridBound(t).Center(), 13)
	path := fmt.Sprintf("/v1/tiles/%d/%d/%d.mvt", tl.Z, tl.X, tl.Y)
	var wg sync.WaitGroup
	codes := make([]int, 8)
	for i := range codes {
		wg.Go(func() { codes[i] = do(t, s, http.MethodGet, path, "").Code })
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusOK {
			t.Fatalf("request %d: %d", i, c)
		}
	}
	if n := s.tileBuilds.Load(); n != 1 {
		t.Errorf("%d builds of one tile for 8 concurrent requests, want 1", n)
	}

	// The same with a build held open until every request is waiting: only
	// the single flight (not the cache) can then keep the builds to one.
	s = newServer(t, nil)
	release := make(chan struct{})
	buildTileHook = func() { <-release }
	defer func() { buildTileHook = nil }()
	started := make(chan struct{}, len(codes))
	for i := range codes {
		wg.Go(func() { started <- struct{}{}; codes[i] = do(t, s, http.MethodGet, path, "").Code })
	}
	for range codes {
		<-started
	}
	time.Sleep(100 * time.Millisecond) // let the requests reach the flight
	close(release)
	wg.Wait()
	if n := s.tileBuilds.Load(); n != 1 || s.metrics.tileCacheMisses.Load() < 2 {
		t.Errorf("%d builds for %d concurrent cache misses, want 1", n, s.metrics.tileCacheMisses.Load())
	}
	for i, c := range codes {
		if c != http.StatusOK {
			t.Fatalf("request %d: %d", i, c)
		}
	}

	w := newServer(t, nil)
	n, err := w.Prewarm(context.Background())
	if err != nil || n == 0 {
		t.Fatalf("Prewarm: %d tiles, %v", n, err)
	}
	if b := w.tileBuilds.Load(); b != int64(n) {
		t.Errorf("Prewarm built %d tiles, reported %d", b, n)
	}
	// Every zoom-16 tile under the grid's centre is now served from the cache.
	tl = maptile.At(gridBound(t).Center(), PrewarmMaxZoom)
	do(t, w, http.MethodGet, fmt.Sprintf("/v1/tiles/%d/%d/%d.mvt", tl.Z, tl.X, tl.Y), "")
	if b := w.tileBuilds.Load(); b != int64(n) {
		t.Errorf("a pre-warmed tile was rebuilt (%d builds after %d pre-warmed)", b, n)
	}
}

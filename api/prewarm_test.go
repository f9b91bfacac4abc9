package api

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gisement/gisement/api/apitest"
	"github.com/gisement/gisement/data"
)

// TestAPIPrewarmFeatures checks that after PrewarmFeatures every parcel
// lookup is a cache hit answering the same bytes (plain and gzip) as a cold
// server, that buildings follow the parcels, and that progress shows in
// /metrics and /readyz.
func TestAPIPrewarmFeatures(t *testing.T) {
	cold := newServer(t, nil)
	s := newServer(t, nil)
	n, err := s.PrewarmFeatures(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	parcels, buildings := s.metrics.prewarmParcels.Load(), s.metrics.prewarmBuildings.Load()
	if parcels != gridN*gridN || buildings < gridN*gridN || int64(n) != parcels+buildings {
		t.Fatalf("pre-warmed %d answers: %d parcels (want %d), %d buildings (want ≥ %d)", n, parcels, gridN*gridN, buildings, gridN*gridN)
	}
	paths := []string{"/v1/parcels/" + apitest.ParcelID(0, 0), "/v1/parcels/" + apitest.ParcelID(gridN-1, 7),
		"/v1/buildings/" + apitest.ParcelID(3, 4) + "-B0"}
	for _, p := range paths {
		for _, enc := range []string{"", "gzip"} {
			want := do(t, cold, http.MethodGet, p, "", "Accept-Encoding", enc)
			got := do(t, s, http.MethodGet, p, "", "Accept-Encoding", enc)
			if got.Code != http.StatusOK || want.Code != http.StatusOK {
				t.Fatalf("%s: status %d (cold %d)", p, got.Code, want.Code)
			}
			if !bytes.Equal(got.Body, want.Body) {
				t.Errorf("%s (%q): pre-warmed answer differs from the cold one", p, enc)
			}
		}
	}
	if h, m := s.metrics.featCacheHits.Load(), s.metrics.featCacheMisses.Load(); h != int64(2*len(paths)) || m != 0 {
		t.Errorf("after pre-warming: %d cache hits, %d misses; want %d, 0", h, m, 2*len(paths))
	}
	if h, m := cold.metrics.featCacheHits.Load(), cold.metrics.featCacheMisses.Load(); h != int64(len(paths)) || m != int64(len(paths)) {
		t.Errorf("cold server: %d hits, %d misses; want %d, %d", h, m, len(paths), len(paths))
	}
	metrics := string(do(t, s, http.MethodGet, "/metrics", "").Body)
	for _, want := range []string{"gisement_prewarm_parcels_total 400", "gisement_feature_cache_hits_total 6", "gisement_feature_cache_misses_total 0"} {
		if !strings.Contains(metrics, want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	rz := decode(t, do(t, s, http.MethodGet, "/readyz", "").Body)
	if pw, _ := rz["prewarm"].(map[string]any); pw == nil || pw["parcels"] != float64(gridN*gridN) {
		t.Errorf("/readyz prewarm = %v, want parcels %d", rz["prewarm"], gridN*gridN)
	}
}

// TestAPIPrewarmFeaturesBounded checks that the pre-warming stops at the
// cache size (parcels first) and does nothing with the cache disabled.
func TestAPIPrewarmFeaturesBounded(t *testing.T) {
	s := newServer(t, func(o *Options) { o.FeatureCacheSize = 50 })
	n, err := s.PrewarmFeatures(context.Background())
	if err != nil || n != 50 || s.metrics.prewarmParcels.Load() != 50 || s.metrics.prewarmBuildings.Load() != 0 {
		t.Fatalf("cache of 50: %d answers (%d parcels, %d buildings), %v", n,
			s.metrics.prewarmParcels.Load(), s.metrics.prewarmBuildings.Load(), err)
	}
	if got := s.feats.ll.Len(); got != 50 {
		t.Errorf("cache holds %d entries, want 50", got)
	}
	off := newServer(t, func(o *Options) { o.FeatureCacheSize = -1 })
	if n, err := off.PrewarmFeatures(context.Background()); n != 0 || err != nil {
		t.Errorf("cache disabled: %d answers, %v", n, err)
	}
}

// blockingStore blocks the page reads of the feature pre-warming (parcels
// without a bbox) until their context is cancelled.
type blockingStore struct {
	data.Store
	entered chan struct{}
}

func (b *blockingStore) Query(ctx context.Context, layer string, q data.Query) (data.Page, error) {
	if layer == "parcels" && q.BBox == nil && q.Limit == data.MaxLimit {
		select {
		case b.entered <- struct{}{}:
		default:
		}
		<-ctx.Done()
		return data.Page{}, ctx.Err()
	}
	return b.Store.Query(ctx, layer, q)
}

// TestAPIPrewarmCloseStops checks that Close cancels the start-up
// pre-warming and waits for it.
func TestAPIPrewarmCloseStops(t *testing.T) {
	bs := &blockingStore{Store: syntheticStore(t), entered: make(chan struct{}, 1)}
	s, err := New(Options{Store: bs, PrewarmFeatures: true})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-bs.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the pre-warming never read the parcels")
	}
	if s.metrics.prewarmDone.Load() != 0 {
		t.Fatal("pre-warming reported done while blocked")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if ctx.Err() != nil {
		t.Fatal("Close did not stop the pre-warming within 5 s")
	}
	select {
	case <-s.warmDone:
	default:
		t.Fatal("Close returned before the pre-warming goroutine ended")
	}
	if p := s.metrics.prewarmParcels.Load(); p != 0 {
		t.Errorf("%d parcels pre-warmed by a blocked pre-warming", p)
	}

	// And cancelling between features stops a running pre-warming early.
	w := newServer(t, nil)
	cctx, ccancel := context.WithCancel(context.Background())
	ccancel()
	if n, err := w.PrewarmFeatures(cctx); err == nil || n != 0 {
		t.Errorf("cancelled context: %d answers, err %v; want 0 and an error", n, err)
	}
}

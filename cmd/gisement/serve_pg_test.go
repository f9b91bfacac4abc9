package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/gisement/gisement/api/apitest"
	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/postgis"
	"github.com/gisement/gisement/internal/pgtest"
)

// TestServeStatelessOverPostGIS (issue 16): two `gisement serve` instances
// (each with its own caches, as two processes behind a load balancer) on one
// PostGIS answer the same parcel, commune summary, zone summary, listing
// and tile requests byte for byte, with the same ETag, whichever instance
// built the tile first and whether it came from the cache or not. SYNTHETIC
// study (api/apitest).
func TestServeStatelessOverPostGIS(t *testing.T) {
	url := pgtest.SchemaURL(t, "serve")
	ctx := context.Background()
	s, err := postgis.Open(ctx, url, postgis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := apitest.WriteStore(ctx, s, 8); err != nil {
		t.Fatal(err)
	}
	s.Close()

	var addrs []string
	for range 2 {
		o := serveOptions{db: url, addr: "127.0.0.1:0", ratePerSec: 0, timeout: 10 * time.Second,
			shutdownTimeout: 10 * time.Second, maxBodyBytes: 1 << 20, workers: 1, maxQueued: 2, heavyConcurrency: 2}
		if err := o.validate(); err != nil {
			t.Fatal(err)
		}
		sctx, cancel := context.WithCancel(ctx)
		ready := make(chan string, 1)
		done := make(chan error, 1)
		go func() { done <- runServe(sctx, o, io.Discard, ready) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("shutdown: %v", err)
			}
		})
		select {
		case a := <-ready:
			addrs = append(addrs, a)
		case err := <-done:
			t.Fatalf("serve exited: %v", err)
		case <-time.After(60 * time.Second):
			t.Fatal("serve not ready")
		}
	}

	side := 8 * apitest.ParcelSideM
	sq := orb.Polygon{{apitest.Origin, {apitest.Origin[0] + side, apitest.Origin[1]},
		{apitest.Origin[0] + side, apitest.Origin[1] + side}, {apitest.Origin[0], apitest.Origin[1] + side}, apitest.Origin}}
	g, err := data.ToWGS84(sq, data.SRIDLambert93)
	if err != nil {
		t.Fatal(err)
	}
	b := g.Bound()
	tile := maptile.At(b.Center(), 16)
	zone := fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%f,%f],[%f,%f],[%f,%f],[%f,%f]]]}`,
		b.Min[0], b.Min[1], b.Max[0], b.Min[1], b.Center()[0], b.Max[1], b.Min[0], b.Min[1])
	reqs := []struct{ method, path, body string }{
		{"GET", "/v1/parcels/" + apitest.ParcelID(3, 4), ""},
		{"GET", "/v1/communes/" + apitest.CommuneINSEE + "/summary", ""},
		{"POST", "/v1/zones/summary", zone},
		{"GET", fmt.Sprintf("/v1/parcels?bbox=%f,%f,%f,%f&limit=20&sort=-pv_kwh_yr", b.Min[0], b.Min[1], b.Center()[0], b.Center()[1]), ""},
		{"GET", fmt.Sprintf("/v1/tiles/%d/%d/%d.mvt", tile.Z, tile.X, tile.Y), ""},
		{"GET", "/v1/study", ""},
	}
	// No transparent decompression: the bytes compared are the bytes sent.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	fetch := func(addr, method, path, body, enc string) (int, string, []byte) {
		req, err := http.NewRequest(method, "http://"+addr+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/geo+json")
		}
		req.Header.Set("Accept-Encoding", enc)
		r, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		got, err := io.ReadAll(r.Body)
		if err != nil {
			t.Fatal(err)
		}
		return r.StatusCode, r.Header.Get("ETag"), got
	}
	for _, enc := range []string{"identity", "gzip"} {
		for _, rq := range reqs {
			// Instance 0 twice (cold, then cached), instance 1 once (cold).
			c0, e0, b0 := fetch(addrs[0], rq.method, rq.path, rq.body, enc)
			c0b, e0b, b0b := fetch(addrs[0], rq.method, rq.path, rq.body, enc)
			c1, e1, b1 := fetch(addrs[1], rq.method, rq.path, rq.body, enc)
			if c0 != http.StatusOK || len(b0) == 0 {
				t.Fatalf("%s %s (%s): status %d, %d bytes: %.200s", rq.method, rq.path, enc, c0, len(b0), b0)
			}
			if c0 != c1 || c0 != c0b || e0 != e1 || e0 != e0b || !bytes.Equal(b0, b1) || !bytes.Equal(b0, b0b) {
				t.Errorf("%s %s (%s): instance answers differ: %d %q %d bytes / cached %d %q %d bytes / other instance %d %q %d bytes",
					rq.method, rq.path, enc, c0, e0, len(b0), c0b, e0b, len(b0b), c1, e1, len(b1))
			} else {
				t.Logf("%s %s (%s): %d bytes identical on both instances", rq.method, rq.path, enc, len(b0))
			}
		}
	}
}

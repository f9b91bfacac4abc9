// Command loadtest drives a running `gisement serve` on the loopback
// interface with a fixed number of requests (and a duration cap) at a target
// rate, and reports throughput, latency percentiles and errors per scenario:
//
//	parcel  GET /v1/parcels/{id}          (random ids read from the server)
//	bbox    GET /v1/parcels?bbox=...      (random ~300 m boxes in the data extent, limit 100)
//	tile    GET /v1/tiles/{z}/{x}/{y}.mvt (random tiles -zmin..-zmax over the data extent or -extent)
//
// It refuses non-loopback targets. Start the server with --rate 0 (rate
// limiter off), e.g.:
//
//	go run ./cmd/loadtest -write-synthetic /tmp/syn.gpkg -grid 100
//	gisement serve --from /tmp/syn.gpkg --addr 127.0.0.1:18080 --rate 0 &
//	go run ./cmd/loadtest -url http://127.0.0.1:18080 -scenario parcel -rps 2000 -n 20000
//
// With -heavy-zones N, N POST /v1/zones/summary requests (a -zone-vertices
// circle) are kept in flight during the run (heavy.go): the parcel latency
// then shows whether heavy requests starve lookups.
//
// Requests send Accept-Encoding: gzip (as browsers do) and the compressed
// body is read, not inflated. Latency is measured from sending the request
// to reading the whole body;
// the generator is open-loop (requests are issued on a fixed schedule), so a
// slow server builds a backlog rather than lowering the offered rate, up to
// -c requests in flight.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/gisement/gisement/api/apitest"
)

type options struct {
	base, scenario  string
	rps             float64
	n, conc, maxIDs int
	duration        time.Duration
	writeSynthetic  string
	grid            int
	seed            uint64
	zmin, zmax      int
	extent          string
	heavy, vertices int // heavy.go: zone summaries kept in flight meanwhile
	aggressive      bool
}

func main() {
	var o options
	flag.StringVar(&o.base, "url", "http://127.0.0.1:8080", "server base URL (loopback only)")
	flag.StringVar(&o.scenario, "scenario", "parcel", "parcel, bbox or tile")
	flag.Float64Var(&o.rps, "rps", 1000, "target request rate (requests/s)")
	flag.IntVar(&o.n, "n", 10000, "requests to send (≤ 500000)")
	flag.IntVar(&o.conc, "c", 64, "maximum requests in flight")
	flag.DurationVar(&o.duration, "duration", 60*time.Second, "time cap (≤ 5m)")
	flag.IntVar(&o.maxIDs, "ids", 50000, "parcel ids / extent sample read from the server (all parcels up to this many)")
	flag.StringVar(&o.writeSynthetic, "write-synthetic", "", "write a SYNTHETIC store to this GeoPackage and exit")
	flag.IntVar(&o.grid, "grid", 100, "synthetic grid side (grid² parcels)")
	flag.Uint64Var(&o.seed, "seed", 1, "random seed")
	flag.IntVar(&o.zmin, "zmin", 14, "tile scenario: lowest zoom")
	flag.IntVar(&o.zmax, "zmax", 17, "tile scenario: highest zoom")
	flag.StringVar(&o.extent, "extent", "", "bbox and tile scenarios: minLon,minLat,maxLon,maxLat (default: the extent of the sampled parcels)")
	flag.IntVar(&o.heavy, "heavy-zones", 0, "zone-summary requests kept in flight during the run (background heavy load)")
	flag.IntVar(&o.vertices, "zone-vertices", 19000, "vertices of each heavy zone")
	flag.BoolVar(&o.aggressive, "heavy-aggressive", false, "heavy clients retry 100 ms after a 503 instead of honouring Retry-After")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	if o.writeSynthetic != "" {
		s, err := apitest.Write(context.Background(), o.writeSynthetic, o.grid)
		if err != nil {
			return err
		}
		fmt.Printf("wrote SYNTHETIC store %s (%d parcels)\n", o.writeSynthetic, o.grid*o.grid)
		return s.Close()
	}
	if o.n < 1 || o.n > 500000 || o.rps <= 0 || o.conc < 1 || o.duration <= 0 || o.duration > 5*time.Minute {
		return errors.New("need 1 ≤ -n ≤ 500000, -rps > 0, -c ≥ 1, 0 < -duration ≤ 5m")
	}
	u, err := url.Parse(o.base)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-url %s: loopback targets only", o.base)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.conc, MaxConnsPerHost: o.conc}, Timeout: 30 * time.Second}
	if o.zmin < 0 || o.zmax > 22 || o.zmin > o.zmax {
		return fmt.Errorf("need 0 ≤ -zmin ≤ -zmax ≤ 22")
	}
	ids, extent, err := sample(client, o)
	if err != nil {
		return err
	}
	if o.extent != "" {
		var b [4]float64
		if _, err := fmt.Sscanf(o.extent, "%g,%g,%g,%g", &b[0], &b[1], &b[2], &b[3]); err != nil || b[0] >= b[2] || b[1] >= b[3] {
			return fmt.Errorf("-extent %q: want minLon,minLat,maxLon,maxLat", o.extent)
		}
		extent = orb.Bound{Min: orb.Point{b[0], b[1]}, Max: orb.Point{b[2], b[3]}}
	}
	fmt.Printf("sampled %d parcel ids; extent %.4f,%.4f,%.4f,%.4f\n", len(ids), extent.Min[0], extent.Min[1], extent.Max[0], extent.Max[1])
	r := rand.New(rand.NewPCG(o.seed, 99))
	targets := make([]string, o.n)
	for i := range targets {
		targets[i] = o.base + pick(r, o, ids, extent)
		if targets[i] == o.base {
			return fmt.Errorf("unknown -scenario %q", o.scenario)
		}
	}
	hctx, stop := context.WithCancel(context.Background())
	heavyDone := heavyZones(hctx, client, o.base, o.heavy, o.vertices, o.aggressive, extent)
	if o.heavy > 0 {
		time.Sleep(500 * time.Millisecond) // let the heavy requests start
	}
	err = drive(client, o, targets)
	stop()
	heavyDone()
	return err
}

// sample reads parcel ids and the data extent from the server.
func sample(client *http.Client, o options) ([]string, orb.Bound, error) {
	var ids []string
	ext := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	cursor := ""
	for len(ids) < o.maxIDs {
		q := url.Values{"limit": {"1000"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		resp, err := client.Get(o.base + "/v1/parcels?" + q.Encode())
		if err != nil {
			return nil, ext, err
		}
		var fc struct {
			Features []struct {
				ID       any `json:"id"`
				Geometry struct {
					Coordinates [][][][2]float64 `json:"coordinates"`
				} `json:"geometry"`
			} `json:"features"`
			NextCursor string `json:"next_cursor"`
		}
		err = json.NewDecoder(resp.Body).Decode(&fc)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			return nil, ext, fmt.Errorf("reading parcels: status %d: %v", resp.StatusCode, err)
		}
		for _, f := range fc.Features {
			ids = append(ids, fmt.Sprint(f.ID))
			for _, p := range f.Geometry.Coordinates {
				for _, r := range p {
					for _, c := range r {
						ext = ext.Extend(orb.Point{c[0], c[1]})
					}
				}
			}
		}
		if cursor = fc.NextCursor; cursor == "" {
			break
		}
	}
	if len(ids) == 0 {
		return nil, ext, errors.New("the server holds no parcels")
	}
	return ids, ext, nil
}

func pick(r *rand.Rand, o options, ids []string, ext orb.Bound) string {
	rp := func() orb.Point {
		return orb.Point{ext.Min[0] + r.Float64()*(ext.Max[0]-ext.Min[0]), ext.Min[1] + r.Float64()*(ext.Max[1]-ext.Min[1])}
	}
	switch o.scenario {
	case "parcel":
		return "/v1/parcels/" + url.PathEscape(ids[r.IntN(len(ids))])
	case "bbox":
		p := rp()
		const d = 0.002 // ≈ 160 m in lon, 220 m in lat
		return fmt.Sprintf("/v1/parcels?bbox=%.6f,%.6f,%.6f,%.6f&limit=100", p[0]-d, p[1]-d, p[0]+d, p[1]+d)
	case "tile":
		t := maptile.At(rp(), maptile.Zoom(o.zmin+r.IntN(o.zmax-o.zmin+1)))
		return fmt.Sprintf("/v1/tiles/%d/%d/%d.mvt", t.Z, t.X, t.Y)
	}
	return ""
}

func drive(client *http.Client, o options, targets []string) error {
	lat := make([]time.Duration, 0, len(targets))
	var mu sync.Mutex
	var errs, non2xx int
	statuses := map[int]int{}
	sem := make(chan struct{}, o.conc)
	var wg sync.WaitGroup
	ctx, cancel := context.WithTimeout(context.Background(), o.duration)
	defer cancel()
	interval := time.Duration(float64(time.Second) / o.rps)
	start := time.Now()
	sent, dropped := 0, 0
loop:
	for i, tgt := range targets {
		due := start.Add(time.Duration(i) * interval)
		if d := time.Until(due); d > 0 {
			select {
			case <-time.After(d):
			case <-ctx.Done():
				break loop
			}
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			break loop
		}
		sent++
		wg.Add(1)
		go func(tgt string) {
			defer wg.Done()
			defer func() { <-sem }()
			t0 := time.Now()
			// Ask for gzip explicitly, as browsers do: the transport then
			// leaves the body compressed, so the generator (sharing the
			// cores with the server) does not spend CPU inflating it.
			req, err := http.NewRequest(http.MethodGet, tgt, nil)
			if err != nil {
				panic(err) // targets are built above from a parsed URL
			}
			req.Header.Set("Accept-Encoding", "gzip")
			resp, err := client.Do(req)
			if err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			d := time.Since(t0)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs++
				return
			}
			statuses[resp.StatusCode]++
			if resp.StatusCode >= 400 {
				non2xx++
			}
			lat = append(lat, d)
		}(tgt)
	}
	dropped = len(targets) - sent
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	q := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(math.Ceil(p*float64(len(lat))))-1)]
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Printf("scenario=%s target_rps=%g sent=%d not_sent(time cap)=%d elapsed=%.2fs throughput=%.0f req/s\n",
		o.scenario, o.rps, sent, dropped, elapsed.Seconds(), float64(len(lat))/elapsed.Seconds())
	fmt.Printf("latency ms: p50=%.2f p90=%.2f p99=%.2f max=%.2f  transport_errors=%d http_errors(>=400)=%d statuses=%v\n",
		ms(q(0.5)), ms(q(0.9)), ms(q(0.99)), ms(q(1)), errs, non2xx, statuses)
	if errs+non2xx > 0 {
		return fmt.Errorf("%d errors", errs+non2xx)
	}
	return nil
}

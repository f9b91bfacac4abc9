package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"
)

// heavyZones keeps n zone-summary requests in flight (each a closed circle
// of vertices positions over the centre of ext, radius a quarter of its
// width) until ctx ends, as the background load of the "lookups while heavy
// requests run" measurement (issue 15). The returned function waits for
// them and prints their statuses and latencies. After a 503 a client waits
// Retry-After, or only 100 ms when aggressive.
func heavyZones(ctx context.Context, client *http.Client, base string, n, vertices int, aggressive bool, ext orb.Bound) func() {
	if n <= 0 {
		return func() {}
	}
	c := ext.Center()
	r := (ext.Max[0] - ext.Min[0]) / 4
	var b strings.Builder
	b.WriteString(`{"type":"Polygon","coordinates":[[`)
	for i := 0; i <= vertices; i++ {
		a := 2 * math.Pi * float64(i%vertices) / float64(vertices)
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "[%.7f,%.7f]", c[0]+r*math.Cos(a), c[1]+r*math.Sin(a)*0.7)
	}
	b.WriteString(`]]}`)
	body := b.String()
	var mu sync.Mutex
	statuses := map[int]int{}
	var ok []time.Duration
	errs := 0
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for ctx.Err() == nil {
				t0 := time.Now()
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/zones/summary", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				d := time.Since(t0)
				mu.Lock()
				switch {
				case err != nil:
					if ctx.Err() == nil {
						errs++
					}
				case resp.StatusCode == http.StatusOK:
					statuses[200]++
					ok = append(ok, d)
				default:
					statuses[resp.StatusCode]++
				}
				mu.Unlock()
				if err == nil && resp.StatusCode == http.StatusServiceUnavailable {
					// Wait as the server asks (Retry-After, seconds), as a
					// well-behaved client does, or 100 ms with -heavy-aggressive.
					wait := 100 * time.Millisecond
					if !aggressive {
						wait = time.Second
						if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
							wait = time.Duration(s) * time.Second
						}
					}
					select {
					case <-time.After(wait):
					case <-ctx.Done():
					}
				}
			}
		})
	}
	return func() {
		wg.Wait()
		slices.Sort(ok)
		med := time.Duration(0)
		if len(ok) > 0 {
			med = ok[len(ok)/2]
		}
		fmt.Printf("heavy zones: %d in flight, %d vertices, %d bytes each; statuses=%v transport_errors=%d median_200_latency_ms=%.0f\n",
			n, vertices+1, len(body), statuses, errs, float64(med.Microseconds())/1000)
	}
}

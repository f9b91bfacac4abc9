package api

// Reliability suite (issue 15): each case reproduces one finding of the
// abuse probe of `gisement serve` with a bounded number of requests, in
// process or on the loopback interface only, and checks the bounded,
// documented answer. Runs under `go test ./...` (CI).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gisement/gisement/api/apitest"
	"github.com/gisement/gisement/data/sample"
	"github.com/gisement/gisement/geo/raster"
)

// costRunner is a StudyRunner whose Validate reads uncertainty.draws and
// rejects unknown top-level keys (the real runner, cmd/gisement, reads the
// whole scenario), and whose Run blocks until release or ctx.
type costRunner struct {
	release chan struct{}
	fail    error
	mu      sync.Mutex
	runs    int
}

func (r *costRunner) Validate(req StudyRequest) (StudyPlan, error) {
	var sc map[string]json.RawMessage
	if len(req.ScenarioOverrides) > 0 {
		if err := json.Unmarshal(req.ScenarioOverrides, &sc); err != nil {
			return StudyPlan{}, err
		}
	}
	p := StudyPlan{Draws: 500}
	for k, v := range sc {
		switch k {
		case "uncertainty":
			var u struct {
				Draws int `json:"draws"`
			}
			if err := json.Unmarshal(v, &u); err != nil {
				return p, err
			}
			if u.Draws > 0 {
				p.Draws = u.Draws
			}
		case "pv":
		default:
			return p, fmt.Errorf("scenario: key %q: unknown key", k)
		}
	}
	return p, nil
}

func (r *costRunner) Run(ctx context.Context, _ StudyRequest) (string, error) {
	r.mu.Lock()
	r.runs++
	r.mu.Unlock()
	select {
	case <-r.release:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	if r.fail != nil {
		return "", r.fail
	}
	return apitest.StudyID, nil
}

// smallArea is a 2 km × 2 km square over the synthetic grid (≈ 3 km²).
const smallArea = `{"type":"Polygon","coordinates":[[[0.705,45.17],[0.73,45.17],[0.73,45.188],[0.705,45.188],[0.705,45.17]]]}`

// Finding: POST /v1/studies was open to anyone, with no cost limit; an
// unknown scenario key was accepted and failed later.
func TestReliabilityJobsGuarded(t *testing.T) {
	// Off unless a runner is configured (serve --jobs).
	wantProblem(t, do(t, newServer(t, nil), "POST", "/v1/studies", `{"area":`+smallArea+`}`), 403, "--jobs")

	const token = "0123456789abcdef-test"
	r := &costRunner{release: make(chan struct{})}
	close(r.release)
	s := newServer(t, func(o *Options) {
		o.Runner, o.JobsToken = r, token
		o.JobLimits = JobLimits{MaxDraws: 2000, MaxAreaKm2: 25, MaxBuildings: 1000}
	})
	auth := []string{"Authorization", "Bearer " + token}
	post := func(body string, hdr ...string) resp { return do(t, s, "POST", "/v1/studies", body, hdr...) }

	// Token: missing or wrong → 401 with WWW-Authenticate.
	r401 := post(`{"area":` + smallArea + `}`)
	wantProblem(t, r401, 401, "token")
	if r401.Header.Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}
	wantProblem(t, post(`{"area":`+smallArea+`}`, "Authorization", "Bearer wrong-token-0123456789"), 401)

	// Cost caps and validation, all before the 202 (the runner never runs).
	wantProblem(t, post(`{"area":`+smallArea+`,"scenario":{"uncertainty":{"draws":1000000}}}`, auth...), 422, "draws", "1000000", "2000")
	wantProblem(t, post(`{"area":`+smallArea+`,"scenario":{"pv":{},"typo_key":1}}`, auth...), 422, "typo_key")
	big := `{"type":"Polygon","coordinates":[[[0.5,45.0],[1.0,45.0],[1.0,45.4],[0.5,45.4],[0.5,45.0]]]}`
	wantProblem(t, post(`{"area":`+big+`}`, auth...), 422, "km²", "25")
	r.mu.Lock()
	if r.runs != 0 {
		t.Errorf("%d jobs ran although every request was refused", r.runs)
	}
	r.mu.Unlock()

	// A valid request passes.
	ok := post(`{"area":`+smallArea+`,"scenario":{"uncertainty":{"draws":1000}}}`, auth...)
	if ok.Code != 202 {
		t.Fatalf("valid job: %d %s", ok.Code, ok.Body)
	}
	// Reading a job needs the token too.
	id := decode(t, ok.Body)["id"].(string)
	wantProblem(t, do(t, s, "GET", "/v1/studies/"+id, ""), 401)
	if g := do(t, s, "GET", "/v1/studies/"+id, "", auth...); g.Code != 200 {
		t.Errorf("job status with the token: %d", g.Code)
	}

	// Buildings cap: the synthetic grid has 3 buildings per parcel; a cap of
	// 10 refuses the small area and names the count.
	sb := newServer(t, func(o *Options) { o.Runner, o.JobLimits = r, JobLimits{MaxBuildings: 10} })
	wantProblem(t, do(t, sb, "POST", "/v1/studies", `{"area":`+smallArea+`}`), 422, "buildings", "> 10")

	// Trusted networks: a client outside them gets 403, loopback passes.
	_, lo, _ := net.ParseCIDR("127.0.0.0/8")
	sn := newServer(t, func(o *Options) { o.Runner, o.JobsNetworks = r, []*net.IPNet{lo} })
	wantProblem(t, do(t, sn, "POST", "/v1/studies", `{"area":`+smallArea+`}`, "X-Test-Remote", "203.0.113.7:5000"), 403, "networks")
	if g := do(t, sn, "POST", "/v1/studies", `{"area":`+smallArea+`}`, "X-Test-Remote", "127.0.0.1:5000"); g.Code != 202 {
		t.Errorf("loopback client: %d %s", g.Code, g.Body)
	}
}

// Finding: a job ran unbounded, shutdown overran its deadline, and job
// errors showed server paths.
func TestReliabilityJobTimeLimitAndErrors(t *testing.T) {
	r := &costRunner{release: make(chan struct{})} // never released: only ctx ends it
	s := newServer(t, func(o *Options) { o.Runner, o.JobLimits = r, JobLimits{MaxDuration: 50 * time.Millisecond} })
	j := do(t, s, "POST", "/v1/studies", `{"area":`+smallArea+`}`)
	if j.Code != 202 {
		t.Fatalf("%d %s", j.Code, j.Body)
	}
	failed := waitJob(t, s, decode(t, j.Body)["id"].(string), JobFailed)
	if e, _ := failed["error"].(string); !strings.Contains(e, "time limit") || !strings.Contains(e, "50ms") {
		t.Errorf("timed-out job error %q", e)
	}

	pr := &costRunner{release: make(chan struct{}), fail: errors.New("study input: open /tmp/gisement-job-1234/sub/buildings.geojson: no such file or directory; scenario /home/alec/secret/s.yaml")}
	close(pr.release)
	sp := newServer(t, func(o *Options) { o.Runner = pr })
	j = do(t, sp, "POST", "/v1/studies", `{"area":`+smallArea+`}`)
	failed = waitJob(t, sp, decode(t, j.Body)["id"].(string), JobFailed)
	e, _ := failed["error"].(string)
	if strings.Contains(e, "/tmp") || strings.Contains(e, "/home") || !strings.Contains(e, "buildings.geojson") {
		t.Errorf("job error shows a server path or lost the file name: %q", e)
	}

	// Shutdown with a running job: Close returns within its deadline.
	sr := &costRunner{release: make(chan struct{})}
	ss, err := New(Options{Store: syntheticStore(t), Runner: sr})
	if err != nil {
		t.Fatal(err)
	}
	j = do(t, ss, "POST", "/v1/studies", `{"area":`+smallArea+`}`)
	waitJob(t, ss, decode(t, j.Body)["id"].(string), JobRunning)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	t0 := time.Now()
	if err := ss.Close(ctx); err != nil {
		t.Fatalf("Close with a running job: %v", err)
	}
	if d := time.Since(t0); d > time.Second {
		t.Errorf("Close took %s", d)
	}
}

// bigRing returns a closed circle of n vertices (lon/lat) around the
// synthetic grid.
func bigRing(n int, lon, lat, rDeg float64) string {
	var b strings.Builder
	b.WriteString(`{"type":"Polygon","coordinates":[[`)
	for i := 0; i <= n; i++ {
		a := 2 * math.Pi * float64(i%n) / float64(n)
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "[%.7f,%.7f]", lon+rDeg*math.Cos(a), lat+rDeg*math.Sin(a))
	}
	b.WriteString(`]]}`)
	return b.String()
}

// Finding: a 24,000-vertex zone (0.5 MB) was accepted; ten at once pinned
// the cores and a cached lookup took 7 s.
func TestReliabilityZoneBounded(t *testing.T) {
	s := newServer(t, nil)
	huge := bigRing(24000, 0.72, 45.18, 0.01)
	if len(huge) > 1<<20 {
		t.Fatalf("test zone %d bytes is above the body limit", len(huge))
	}
	wantProblem(t, do(t, s, "POST", "/v1/zones/summary", huge), 413, "24001 positions", "20000")

	// Ten heavy requests at once with one slot and a short wait: each is
	// answered 200 or 503 with Retry-After, never queued without bound; a
	// parcel lookup meanwhile is answered.
	sl := newServer(t, func(o *Options) { o.HeavyConcurrency, o.HeavyWait = 1, 20*time.Millisecond })
	ts := httptest.NewServer(sl)
	defer ts.Close()
	zone := bigRing(19000, 0.72, 45.18, 0.01)
	var wg sync.WaitGroup
	codes := make([]int, 10)
	retry := make([]string, 10)
	for i := range codes {
		wg.Go(func() {
			r, err := http.Post(ts.URL+"/v1/zones/summary", "application/json", strings.NewReader(zone))
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, r.Body)
			r.Body.Close()
			codes[i], retry[i] = r.StatusCode, r.Header.Get("Retry-After")
		})
	}
	r, err := http.Get(ts.URL + "/v1/parcels/" + apitest.ParcelID(3, 4))
	if err != nil || r.StatusCode != 200 {
		t.Errorf("parcel lookup during heavy requests: %v %v", err, r)
	}
	if r != nil {
		r.Body.Close()
	}
	wg.Wait()
	n200, n503 := 0, 0
	for i, c := range codes {
		switch c {
		case 200:
			n200++
		case 503:
			n503++
			if retry[i] == "" {
				t.Error("503 without Retry-After")
			}
		default:
			t.Errorf("heavy request %d: status %d", i, c)
		}
	}
	if n200 == 0 || n503 == 0 {
		t.Errorf("%d × 200, %d × 503: want some of each with one slot", n200, n503)
	}
}

// Finding: whole-world and continent-sized zones returned count 0 (only
// their corners were projected).
func TestReliabilityLargeZones(t *testing.T) {
	s := newServer(t, nil)
	count := func(zone string) float64 {
		t.Helper()
		r := do(t, s, "POST", "/v1/zones/summary", zone)
		if r.Code != 200 {
			t.Fatalf("%d %s", r.Code, r.Body)
		}
		return decode(t, r.Body)["count"].(float64)
	}
	all := float64(gridN * gridN)
	for name, z := range map[string]string{
		"world":      `{"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]}`,
		"europe":     `{"type":"Polygon","coordinates":[[[-25,34],[45,34],[45,72],[-25,72],[-25,34]]]}`,
		"france box": `{"type":"Polygon","coordinates":[[[-5,42],[8.5,42],[8.5,51.2],[-5,51.2],[-5,42]]]}`,
		// A band 4 km high and 1,000 km long along the parallel of the grid:
		// its straight lon/lat edges, projected by their ends only, would
		// cut the curved parallels ≈ 20 km north of the grid.
		"band along a parallel": `{"type":"Polygon","coordinates":[[[-4,45.16],[9,45.16],[9,45.2],[-4,45.2],[-4,45.16]]]}`,
	} {
		if got := count(z); got != all {
			t.Errorf("%s: count %g, want all %g parcels", name, got, all)
		}
	}
	// bbox listings: the box is densified before projection (data.BoundFromWGS84).
	if r := do(t, s, "GET", "/v1/parcels?limit=1000&bbox=-180,-90,180,90", ""); r.Code != 200 || len(decode(t, r.Body)["features"].([]any)) != gridN*gridN {
		t.Errorf("world bbox: %d %.200s", r.Code, r.Body)
	}
	// A zone with a hole around the grid still counts zero.
	if got := count(`{"type":"Polygon","coordinates":[[[-10,40],[12,40],[12,52],[-10,52],[-10,40]],[[0.6,45.1],[0.9,45.1],[0.9,45.3],[0.6,45.3],[0.6,45.1]]]}`); got != 0 {
		t.Errorf("zone with a hole over the grid: count %g, want 0", got)
	}
	// Entirely outside Lambert-93's domain: 422 naming the domain.
	wantProblem(t, do(t, s, "POST", "/v1/zones/summary", `{"type":"Polygon","coordinates":[[[-150,-10],[-140,-10],[-140,0],[-150,0],[-150,-10]]]}`), 422, "Lambert-93")
	// The same for a study area.
	sj := newServer(t, func(o *Options) { o.Runner = &costRunner{release: make(chan struct{})} })
	wantProblem(t, do(t, sj, "POST", "/v1/studies", `{"area":{"type":"Polygon","coordinates":[[[100,10],[101,10],[101,11],[100,11],[100,10]]]}}`), 422, "Lambert-93")
	// A world study area is clipped to the domain, then refused by its size.
	wantProblem(t, do(t, sj, "POST", "/v1/studies", `{"area":{"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]}}`), 422, "km²")
}

// Finding: /v1/pvcalc answered 200 at lat −90, 90 and (0, 0) from the
// French irradiation field.
func TestReliabilityPVCalcCoverage(t *testing.T) {
	paths, err := sample.Materialize(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pts, err := raster.ReadIrradiationPoints(paths[sample.Irradiation])
	if err != nil {
		t.Fatal(err)
	}
	f, err := raster.NewIrradiationField(pts, raster.IDWOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := pvServer(t, f)
	for _, ll := range [][2]float64{{-90, 0}, {90, 0}, {0, 0}, {48.0, -8.5} /* Atlantic, inside the box */} {
		r := do(t, s, "GET", fmt.Sprintf("/v1/pvcalc?lat=%g&lon=%g&peakpower=1&loss=14&outputformat=json", ll[0], ll[1]), "")
		wantProblem(t, r, 422, fmt.Sprintf("lat %g, lon %g", ll[0], ll[1]), "coverage")
	}
	if r := do(t, s, "GET", "/v1/pvcalc?lat=45.18&lon=0.72&peakpower=1&loss=14&outputformat=json", ""); r.Code != 200 {
		t.Errorf("Périgueux: %d %s", r.Code, r.Body)
	}
}

// Finding: unknown /v1/* paths and bad %-escapes answered text/plain; the
// 413 had no detail.
func TestReliabilityProblemJSON(t *testing.T) {
	s := newServer(t, func(o *Options) {
		o.Static = http.NotFoundHandler() // as serve mounts the web map at /*
		o.MaxBodyBytes = 4096
	})
	wantProblem(t, do(t, s, "GET", "/v1/no-such-route", ""), 404, "/v1/no-such-route")
	wantProblem(t, do(t, s, "GET", "/v1", ""), 404)
	wantProblem(t, do(t, s, "DELETE", "/v1/parcels", ""), 405)
	wantProblem(t, do(t, s, "PUT", "/v1/no-such-route", ""), 405)
	wantProblem(t, do(t, s, "GET", "/v1/parcels/%25zz", ""), 404, "%zz")
	wantProblem(t, do(t, s, "POST", "/v1/zones/summary", `{"type":"Polygon","coordinates":[[`+strings.Repeat("[0.7,45.1],", 400)+`[0.7,45.1]]]}`), 413, "4096 bytes", "--max-body")
	// The web map still gets its own 404 outside /v1.
	if r := do(t, s, "GET", "/no-such-page", ""); r.Code != 404 || r.Header.Get("Content-Type") == "application/problem+json" {
		t.Errorf("static 404: %d %s", r.Code, r.Header.Get("Content-Type"))
	}

	// A raw "%zz" in the request line is refused by Go's HTTP server before
	// any handler runs: 400, text/plain, connection closed (documented in
	// the README). The answer is bounded: pinned here.
	ts := httptest.NewServer(s)
	defer ts.Close()
	c, err := net.DialTimeout("tcp", ts.Listener.Addr().String(), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprint(c, "GET /v1/parcels/%zz HTTP/1.1\r\nHost: x\r\n\r\n")
	b, _ := io.ReadAll(c)
	if !strings.HasPrefix(string(b), "HTTP/1.1 400 ") {
		t.Errorf("raw %%zz: %.100q", b)
	}
}

// Exports and bbox listings go through their limiters too: with every slot
// taken (and no wait), they get 503 + Retry-After before any work; lookups
// do not.
func TestReliabilityExportAndBBoxLimited(t *testing.T) {
	s := newServer(t, func(o *Options) { o.HeavyConcurrency, o.BBoxConcurrency, o.HeavyWait = 1, 1, time.Millisecond })
	s.heavy.slots <- struct{}{}
	s.bbox.slots <- struct{}{}
	for _, u := range []string{"/v1/parcels?format=gpkg&bbox=0.7,45.1,0.8,45.3", "/v1/parcels?bbox=0.7,45.1,0.8,45.3"} {
		r := do(t, s, "GET", u, "")
		wantProblem(t, r, 503, "retry")
		if r.Header.Get("Retry-After") == "" {
			t.Errorf("%s: 503 without Retry-After", u)
		}
	}
	wantProblem(t, do(t, s, "POST", "/v1/zones/summary", smallArea), 503)
	if r := do(t, s, "GET", "/v1/parcels/"+apitest.ParcelID(1, 1), ""); r.Code != 200 {
		t.Errorf("lookup while the heavy slots are taken: %d", r.Code)
	}
	if r := do(t, s, "GET", "/v1/parcels?limit=5", ""); r.Code != 200 {
		t.Errorf("listing without bbox: %d", r.Code)
	}
	<-s.heavy.slots
	<-s.bbox.slots
	if r := do(t, s, "GET", "/v1/parcels?bbox=0.7,45.1,0.8,45.3", ""); r.Code != 200 {
		t.Errorf("bbox with a free slot: %d", r.Code)
	}
}

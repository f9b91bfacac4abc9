package main

// Reliability suite of the CLI (issue 15): exit codes, credential
// redaction, output checks before the computation, concurrent writers of
// one GeoPackage, and the study-job runner (own result store, retention,
// scenario validation before the 202, temporary files removed). Bounded,
// loopback only; runs under `go test ./...`.

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/api"
	"github.com/gisement/gisement/api/apitest"
	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/gpkg"
)

// `serve --from /etc/passwd` is bad input: exit 2 (was 1).
func TestReliabilityServeFromNotGeoPackage(t *testing.T) {
	p := filepath.Join(t.TempDir(), "passwd")
	if err := os.WriteFile(p, []byte("root:x:0:0:root:/root:/bin/bash\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, from := range []string{p, "/etc/passwd"} {
		if _, err := os.Stat(from); err != nil {
			continue
		}
		code, stderr := runMain(t, "serve", "--from", from, "--addr", "127.0.0.1:0")
		if code != 2 || !strings.Contains(stderr, "not a GeoPackage") {
			t.Errorf("serve --from %s: exit %d, %q; want 2 naming the problem", from, code, stderr)
		}
	}
}

// Credentials in --db, in any URL form, are never printed.
func TestReliabilityDBCredentialsRedacted(t *testing.T) {
	const secret = "S3cr3tPassw0rd"
	for _, c := range []struct {
		args []string
		code int
	}{
		// Unreachable PostGIS (port 1 on loopback): exit 1, URL in the message.
		{[]string{"serve", "--db", "postgres://u@127.0.0.1:1/db?password=" + secret + "&connect_timeout=2", "--addr", "127.0.0.1:0"}, 1},
		{[]string{"serve", "--db", "postgres://u:" + secret + "@127.0.0.1:1/db?connect_timeout=2", "--addr", "127.0.0.1:0"}, 1},
		// Not a postgres URL: exit 2 before any computation.
		{[]string{"serve", "--db", "mysql://root:" + secret + "@127.0.0.1/db"}, 2},
		{[]string{"study", "--db", "host=127.0.0.1 user=u password=" + secret}, 2},
		{[]string{"study", "--db", "redis://:" + secret + "@127.0.0.1:6379/0"}, 2},
	} {
		code, stderr := runMain(t, c.args...)
		if strings.Contains(stderr, secret) {
			t.Errorf("%v: stderr shows the password: %s", c.args, stderr)
		}
		if code != c.code || !strings.Contains(stderr, "***") {
			t.Errorf("%v: exit %d (want %d), stderr %q: want the redacted URL", c.args, code, c.code, stderr)
		}
	}
}

// An unwritable output directory is reported before the computation.
func TestReliabilityStudyUnwritableOut(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	if f, err := os.CreateTemp(dir, "probe"); err == nil { // root ignores the mode
		f.Close()
		os.Remove(f.Name())
		dir = "/proc" // not writable even by root
	}
	t0 := time.Now()
	code, stderr := runMain(t, "study", "--out", filepath.Join(dir, "C.gpkg"))
	if code != 2 || !strings.Contains(stderr, "not writable") || !strings.Contains(stderr, "before the computation") {
		t.Errorf("exit %d, %q; want 2 and 'not writable'", code, stderr)
	}
	if strings.Contains(stderr, "roof planes") || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
		t.Errorf("the computation started: %s", stderr)
	}
	t.Logf("refused in %s", time.Since(t0).Round(time.Millisecond))
}

// Two `gisement study --out C.gpkg` at once with different ids: both exit
// 0 and both studies are in the file (one was lost). Two full runs of the
// embedded sample (≈ 15 s each on one core).
func TestReliabilityConcurrentStudies(t *testing.T) {
	if testing.Short() {
		t.Skip("two sample studies: skipped with -short")
	}
	out := filepath.Join(t.TempDir(), "C.gpkg")
	var wg sync.WaitGroup
	codes, errs := make([]int, 2), make([]string, 2)
	for i, id := range []string{"run-a", "run-b"} {
		wg.Go(func() { codes[i], errs[i] = runMain(t, "study", "--out", out, "--id", id, "--quiet", "--workers", "1") })
	}
	wg.Wait()
	for i := range codes {
		if codes[i] != 0 {
			t.Fatalf("writer %d: exit %d: %s", i, codes[i], errs[i])
		}
	}
	s, err := gpkg.OpenExisting(out)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sts, err := s.Studies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(sts) != 2 {
		t.Fatalf("%d studies in the file, want 2 (run-a and run-b)", len(sts))
	}
	if m, _ := filepath.Glob(out + ".tmp-*"); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
}

// The job runner: scenario validated as the job reads it (unknown key →
// error naming it), each result in its own GeoPackage (the served file
// never grows), retention, temporary inputs removed by Close.
func TestReliabilityJobRunner(t *testing.T) {
	served := filepath.Join(t.TempDir(), "served.gpkg")
	st, err := apitest.Write(context.Background(), served, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	before, _ := os.Stat(served)
	dir := t.TempDir()
	r, err := newStudyRunner(st, jobRunnerOptions{Dir: dir, Keep: 1})
	if err != nil {
		t.Fatal(err)
	}
	v := r.(api.StudyValidator)
	if _, err := v.Validate(api.StudyRequest{ScenarioOverrides: json.RawMessage(`{"uncertainty":{"drawz":5}}`)}); err == nil || !strings.Contains(err.Error(), "uncertainty.drawz") {
		t.Errorf("unknown key: %v", err)
	}
	p, err := v.Validate(api.StudyRequest{ScenarioOverrides: json.RawMessage(`{"uncertainty":{"draws":1000000}}`)})
	if err != nil || p.Draws != 1000000 {
		t.Errorf("draws plan %+v, %v", p, err)
	}

	if testing.Short() {
		t.Skip("the job runs study the sample: skipped with -short")
	}
	// One small area in central Périgueux (a few hundred metres).
	area := orb.Polygon{{{0.7205, 45.1835}, {0.7235, 45.1835}, {0.7235, 45.1855}, {0.7205, 45.1855}, {0.7205, 45.1835}}}
	// An older result, to be dropped by the retention (Keep 1).
	old := filepath.Join(dir, "results", "job-old.gpkg")
	if err := os.WriteFile(old, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_ = os.Chtimes(old, time.Now().Add(-time.Hour), time.Now().Add(-time.Hour))
	id, err := r.Run(context.Background(), api.StudyRequest{Area: area, ScenarioOverrides: json.RawMessage(`{"uncertainty":{"draws":50}}`)})
	if err != nil {
		t.Fatal(err)
	}
	res := r.(api.StudyResults)
	if sum, err := res.StudySummary(context.Background(), id); err != nil || len(sum) == 0 {
		t.Errorf("summary of the job: %v", err)
	}
	if _, err := res.StudySummary(context.Background(), "job-old"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("the older result should be gone with Keep 1: %v", err)
	}
	after, _ := os.Stat(served)
	if after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("served file changed: %d → %d bytes", before.Size(), after.Size())
	}
	if sts, _ := st.Studies(context.Background()); len(sts) != 1 {
		t.Errorf("served store holds %d studies, want 1", len(sts))
	}
	if es, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(es) != 0 {
		t.Errorf("temporary inputs left after the jobs: %d", len(es))
	}
	if err := r.(io.Closer).Close(); err != nil {
		t.Fatal(err)
	}
}

// serve without --jobs answers 403 to POST /v1/studies; with --jobs and no
// token only loopback clients may use it; shutdown removes the jobs'
// temporary directory.
func TestReliabilityServeJobsFlag(t *testing.T) {
	path := filepath.Join(t.TempDir(), "synthetic.gpkg")
	st, err := apitest.Write(context.Background(), path, 4)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	start := func(o serveOptions) (string, context.CancelFunc, chan error) {
		t.Helper()
		if err := o.validate(); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		ready, done := make(chan string, 1), make(chan error, 1)
		go func() { done <- runServe(ctx, o, io.Discard, ready) }()
		select {
		case addr := <-ready:
			return addr, cancel, done
		case err := <-done:
			t.Fatalf("serve exited: %v", err)
		case <-time.After(30 * time.Second):
			t.Fatal("serve not ready")
		}
		return "", cancel, done
	}
	base := serveOptions{from: path, addr: "127.0.0.1:0", timeout: 5 * time.Second, shutdownTimeout: 5 * time.Second,
		maxBodyBytes: 1 << 20, workers: 1, maxQueued: 2, jobsKeep: 2, jobMaxDraws: 2000, jobMaxAreaKm2: 25,
		jobMaxBuildings: 20000, jobTimeout: time.Minute}
	post := func(addr, body string, hdr ...string) *http.Response {
		req, _ := http.NewRequest("POST", "http://"+addr+"/v1/studies", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
		return r
	}
	const area = `{"area":{"type":"Polygon","coordinates":[[[0.7205,45.1835],[0.7235,45.1835],[0.7235,45.1855],[0.7205,45.1855],[0.7205,45.1835]]]}`

	addr, cancel, done := start(base)
	if r := post(addr, area+`}`); r.StatusCode != 403 {
		t.Errorf("without --jobs: %d, want 403", r.StatusCode)
	}
	cancel()
	<-done

	o := base
	o.jobs = true
	jobsDir := t.TempDir()
	o.jobsDir = jobsDir
	addr, cancel, done = start(o)
	if r := post(addr, area+`,"scenario":{"uncertainty":{"draws":1000000}}}`); r.StatusCode != 422 {
		t.Errorf("1e6 draws: %d, want 422 before the 202", r.StatusCode)
	}
	if r := post(addr, area+`,"scenario":{"pv":{"no_such_key":1}}}`); r.StatusCode != 422 {
		t.Errorf("unknown scenario key: %d, want 422", r.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if es, _ := os.ReadDir(filepath.Join(jobsDir, "tmp")); len(es) != 0 {
		t.Errorf("jobs' temporary inputs left after shutdown: %d", len(es))
	}

	// A token shorter than 16 characters is refused.
	o = base
	o.jobs, o.jobsToken = true, "short"
	if err := o.validate(); err == nil {
		t.Error("short token accepted")
	}
	o = base
	o.jobsToken = "0123456789abcdef"
	if err := o.validate(); err == nil {
		t.Error("--jobs-token without --jobs accepted")
	}
}

package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/postgis"
	"github.com/gisement/gisement/data/sample"
	"github.com/gisement/gisement/data/storetest"
	"github.com/gisement/gisement/internal/pgtest"
	"github.com/gisement/gisement/model/study"
)

// syntheticEngine replaces the study computation by SYNTHETIC chunks
// (storetest buildings, building i in chunk i % n), to test the queue
// mechanics alone: chunk 2 fails on its first attempt.
func syntheticEngine(n int, finishes *atomic.Int32) engine {
	var once sync.Once
	bld := storetest.Buildings(storetest.NBuildings, 42)
	return engine{
		plan: func(ctx context.Context, o study.Options, so study.StreamOptions) (*study.Plan, error) {
			p := &study.Plan{StudyID: "synthetic", Name: "synthetic"}
			for i := range n {
				p.Chunks = append(p.Chunks, study.ChunkSpec{Index: i})
				if err := so.Stage.Append(ctx, i, fmt.Appendf(nil, "chunk %d", i)); err != nil {
					return nil, err
				}
			}
			return p, so.Stage.Flush(ctx)
		},
		chunk: func(ctx context.Context, o study.Options, p *study.Plan, chunk int, st study.ChunkStage) (json.RawMessage, []data.LayerData, error) {
			var recs []string
			if err := st.Read(ctx, chunk, func(r []byte) error { recs = append(recs, string(r)); return nil }); err != nil {
				return nil, nil, err
			}
			if len(recs) != 1 || recs[0] != fmt.Sprintf("chunk %d", chunk) {
				return nil, nil, fmt.Errorf("chunk %d: staged records %q", chunk, recs)
			}
			fail := false
			if chunk == 2 {
				once.Do(func() { fail = true })
			}
			if fail {
				return nil, nil, fmt.Errorf("synthetic failure of chunk 2, first attempt")
			}
			var fs []data.Feature
			for i := chunk; i < len(bld); i += n {
				fs = append(fs, bld[i])
			}
			return json.RawMessage(fmt.Sprintf(`{"n":%d}`, len(fs))), []data.LayerData{{Layer: storetest.BuildingsLayer, Features: data.SliceFeatures(fs)}}, nil
		},
		finish: func(ctx context.Context, o study.Options, p *study.Plan, partials iter.Seq2[data.ChunkPartial, error]) (data.Study, []data.LayerData, error) {
			finishes.Add(1)
			total := 0
			for pt, err := range partials {
				if err != nil {
					return data.Study{}, nil, err
				}
				var v struct{ N int }
				if err := json.Unmarshal(pt.Partial, &v); err != nil {
					return data.Study{}, nil, err
				}
				total += v.N
			}
			st := storetest.Study(p.StudyID, time.Now())
			st.Summary = json.RawMessage(fmt.Sprintf(`{"buildings":%d}`, total))
			return st, []data.LayerData{{Layer: storetest.SitesLayer, Features: data.SliceFeatures(storetest.Sites(storetest.NSites, 7))}}, nil
		},
	}
}

// runSynthetic submits a study with the current (synthetic) engine, runs
// n in-process workers until done(status) or 90 s, stops them and returns
// the submission and the last status.
func runSynthetic(t *testing.T, url string, n int, done func(Status) bool) (Submitted, Status) {
	t.Helper()
	ctx := context.Background()
	spec, err := NewSpec(study.Options{FS: sample.FS, BuildingsPath: sample.Buildings, WeatherPath: sample.Weather}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := Submit(ctx, url, spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	wctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if err := Work(wctx, WorkerOptions{URL: url, Workers: 2, ID: fmt.Sprintf("test-worker-%d", i), JobTimeout: 20 * time.Second, RescueAfter: 30 * time.Second}); err != nil {
				t.Error(err)
			}
		})
	}
	var st Status
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if st, err = GetStatus(ctx, url, sub.StudyID); err != nil {
			t.Fatal(err)
		}
		if done(st) {
			break
		}
	}
	stop()
	wg.Wait()
	return sub, st
}

// TestQueueMechanics: two in-process workers run a SYNTHETIC distributed
// study of 9 chunks, one of which fails once: the study completes with every
// row once, the failed chunk was retried, and the finish ran once.
func TestQueueMechanics(t *testing.T) {
	url := pgtest.SchemaURL(t, "cluster")
	ctx := context.Background()
	var finishes atomic.Int32
	saved := compute
	compute = syntheticEngine(9, &finishes)
	t.Cleanup(func() { compute = saved })

	sub, st := runSynthetic(t, url, 2, func(st Status) bool { return st.State == "done" || st.State == "failed" })
	if sub.StudyID != "synthetic" || sub.Chunks != 9 {
		t.Fatalf("submitted %+v", sub)
	}
	t.Logf("status: %+v", st)
	if st.State != "done" || st.Written != 9 || st.ChunkJobs["completed"] != 9 || st.Finish != "completed" {
		t.Fatalf("status %+v, want done with 9 chunks written", st)
	}
	if st.FailedAttempts != 1 || st.LastError == "" {
		t.Errorf("failed attempts %d (%q), want 1: chunk 2 failed once", st.FailedAttempts, st.LastError)
	}
	if n := finishes.Load(); n != 1 {
		t.Errorf("FinishStudy ran %d times, want once", n)
	}
	store, err := postgis.Open(ctx, url, postgis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	s, err := store.Study(ctx, sub.StudyID)
	if err != nil {
		t.Fatal(err)
	}
	if s.Counts["buildings"] != storetest.NBuildings || s.Counts["sites"] != storetest.NSites {
		t.Errorf("counts %v, want %d buildings and %d sites", s.Counts, storetest.NBuildings, storetest.NSites)
	}
	var sum struct{ Buildings int }
	if json.Unmarshal(s.Summary, &sum) != nil || sum.Buildings != storetest.NBuildings {
		t.Errorf("summary %s: the partials were not all aggregated once", s.Summary)
	}
}

// TestInputErrorFailsStudy: a chunk failing on its input (study.ErrInput)
// is not retried: its job is cancelled and the study shows "failed" with
// the error.
func TestInputErrorFailsStudy(t *testing.T) {
	url := pgtest.SchemaURL(t, "cluster")
	ctx := context.Background()
	var finishes atomic.Int32
	saved := compute
	compute = syntheticEngine(3, &finishes)
	inner := compute.chunk
	compute.chunk = func(ctx context.Context, o study.Options, p *study.Plan, chunk int, st study.ChunkStage) (json.RawMessage, []data.LayerData, error) {
		if chunk == 1 {
			return nil, nil, fmt.Errorf("%w: buildings.geojson feature 7: geometry: ring not closed", study.ErrInput)
		}
		return inner(ctx, o, p, chunk, st)
	}
	t.Cleanup(func() { compute = saved })
	_, st := runSynthetic(t, url, 1, func(st Status) bool { return st.State == "failed" && st.ChunkJobs["completed"] == 2 })
	t.Logf("status: %+v", st)
	// Two failed attempts: chunk 2's transient one (syntheticEngine) and
	// chunk 1's input error, not retried.
	if st.State != "failed" || st.ChunkJobs["cancelled"] != 1 || st.Written != 2 || st.Finish != "" || st.FailedAttempts != 2 {
		t.Errorf("status %+v: want failed, chunk 1 cancelled, no aggregation, 2 failed attempts", st)
	}
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var chunk, attempt int
	var msg string
	if err := c.QueryRow(ctx, `SELECT (args->>'chunk')::int, attempt, errors[1]->>'error' FROM river_job WHERE state = 'cancelled'`).Scan(&chunk, &attempt, &msg); err != nil {
		t.Fatal(err)
	}
	if chunk != 1 || attempt != 1 || !strings.Contains(msg, "ring not closed") {
		t.Errorf("cancelled job: chunk %d, attempt %d, error %q; want chunk 1 after one attempt, with the input error", chunk, attempt, msg)
	}
}

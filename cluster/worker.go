package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/gisement/gisement/data/postgis"
	"github.com/gisement/gisement/model/study"
)

// Worker timing defaults.
//
// DefaultJobTimeout bounds one chunk. Measured on the embedded sample (8
// chunks of ≤ 1,300 buildings, two workers on a 2-core machine at load
// average 8–10): about 3 CPU-s per chunk, 6–15 s of wall time, the first
// chunk of a worker being the longest (it prepares the weather year). A
// chunk of study.DefaultChunkBuildings (5,000) is thus well under a minute;
// 10 minutes leaves a wide margin for slow disks, shared cores and large
// DSM inputs while still cancelling a chunk that hangs.
//
// DefaultRescueAfter is how long a job may stay "running" before River's
// rescuer makes it retryable: it must exceed the job timeout (River
// requires it, and otherwise a slow but live chunk would be run twice —
// harmless, as writes replace (study, chunk), but wasted). A chunk whose
// worker was killed is retried after RescueAfter plus up to 30 s (the
// rescuer's interval).
const (
	DefaultJobTimeout  = 10 * time.Minute
	DefaultRescueAfter = 12 * time.Minute
)

// WorkerOptions configure Work.
type WorkerOptions struct {
	URL string // postgres:// URL of the study database
	// Workers is the number of chunk jobs run at once by this process
	// (0 = 1). Each chunk uses ChunkWorkers goroutines (0 = GOMAXPROCS /
	// Workers, at least 1).
	Workers, ChunkWorkers int
	// JobTimeout and RescueAfter: see DefaultJobTimeout (0 = defaults).
	JobTimeout, RescueAfter time.Duration
	// ID names this worker in River's jobs table (attempted_by; "" =
	// gisement-<host>-<pid>).
	ID     string
	Logger *slog.Logger
}

func (o *WorkerOptions) defaults() error {
	if o.Workers <= 0 {
		o.Workers = 1
	}
	if o.ChunkWorkers <= 0 {
		o.ChunkWorkers = max(1, runtime.GOMAXPROCS(0)/o.Workers)
	}
	if o.JobTimeout <= 0 {
		o.JobTimeout = DefaultJobTimeout
	}
	if o.RescueAfter <= 0 {
		o.RescueAfter = max(DefaultRescueAfter, o.JobTimeout+time.Minute)
	}
	if o.RescueAfter <= o.JobTimeout {
		return fmt.Errorf("cluster: rescue-after %s must exceed the job timeout %s (a running chunk would be rescued and run twice)", o.RescueAfter, o.JobTimeout)
	}
	if o.ID == "" {
		host, _ := os.Hostname()
		o.ID = fmt.Sprintf("gisement-%s-%d", host, os.Getpid())
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}

// worker holds what the jobs of one process share.
type worker struct {
	o     WorkerOptions
	pool  *pgxpool.Pool
	store *postgis.Store
	mu    sync.Mutex
	runs  map[string]*runState // by run id
	order []string             // run ids, oldest first
}

// maxRuns bounds the studies whose state a worker keeps in memory.
const maxRuns = 4

// runState is a submission as a worker needs it.
type runState struct {
	study, run, stage string
	spec              Spec
	opts              study.Options
	plan              *study.Plan
}

// errObsolete marks a job of a submission replaced by a later one.
var errObsolete = errors.New("obsolete job")

// load returns the run of a job (cached), or errObsolete.
func (w *worker) load(ctx context.Context, studyID, run string) (*runState, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if r, ok := w.runs[run]; ok {
		return r, nil
	}
	var cur, stage, spec, plan string
	err := w.pool.QueryRow(ctx, `SELECT run, stage, spec::text, plan::text FROM gisement_runs WHERE study_id = $1`, studyID).Scan(&cur, &stage, &spec, &plan)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && cur != run) {
		return nil, errObsolete
	}
	if err != nil {
		return nil, fmt.Errorf("cluster: run of study %s: %w", studyID, err)
	}
	r := &runState{study: studyID, run: run, stage: stage, plan: &study.Plan{}}
	if err := json.Unmarshal([]byte(spec), &r.spec); err != nil {
		return nil, fmt.Errorf("cluster: stored options of study %s: %w", studyID, err)
	}
	if err := json.Unmarshal([]byte(plan), r.plan); err != nil {
		return nil, fmt.Errorf("cluster: stored plan of study %s: %w", studyID, err)
	}
	if r.opts, err = r.spec.Options(); err != nil {
		return nil, err
	}
	r.opts.ID = studyID
	r.opts.Cache = &study.Cache{} // one per study: entries are never evicted
	r.opts.Workers = w.o.ChunkWorkers
	r.opts.Logger = w.o.Logger
	// Keep the latest maxRuns studies: a run's weather cache holds the sky
	// and fast path of its territory, and its study may finish on another
	// worker, which this one never learns.
	for len(w.order) >= maxRuns {
		delete(w.runs, w.order[0])
		w.order = w.order[1:]
	}
	w.runs[run] = r
	w.order = append(w.order, run)
	return r, nil
}

// jobError maps an input error (which no retry can fix) to a cancelled
// job, and an obsolete job to success.
func jobError(err error) error {
	switch {
	case err == nil, errors.Is(err, errObsolete):
		return nil
	case errors.Is(err, study.ErrInput):
		return river.JobCancel(err)
	}
	return err
}

type chunkWorker struct {
	river.WorkerDefaults[ChunkArgs]
	w      *worker
	client func() *river.Client[pgx.Tx]
}

// Work computes one chunk and writes it, completes the job and, when it is
// the last chunk, enqueues the finish job, in one transaction.
func (cw *chunkWorker) Work(ctx context.Context, job *river.Job[ChunkArgs]) error {
	w, a := cw.w, job.Args
	r, err := w.load(ctx, a.Study, a.Run)
	if err != nil {
		return jobError(err)
	}
	t0 := time.Now()
	stage := &timedStage{ChunkStage: w.store.OpenStage(r.stage)}
	partial, layers, err := compute.chunk(ctx, r.opts, r.plan, a.Chunk, stage)
	if err != nil {
		return jobError(fmt.Errorf("study %s chunk %d: %w", a.Study, a.Chunk, err))
	}
	tc := time.Now()
	err = pgx.BeginFunc(ctx, w.pool, func(tx pgx.Tx) error {
		if err := w.store.WriteChunkTx(ctx, tx, a.Study, a.Chunk, partial, layers); err != nil {
			return err
		}
		// The run row lock serialises the ends of the chunk transactions
		// of one study (not their writes): the one that sees every chunk
		// written enqueues the finish job, once.
		var cur string
		var chunks int
		var enqueued bool
		if err := tx.QueryRow(ctx, `SELECT run, chunks, finish_enqueued FROM gisement_runs WHERE study_id = $1 FOR UPDATE`, a.Study).Scan(&cur, &chunks, &enqueued); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return errObsolete
			}
			return err
		}
		if cur != a.Run {
			return errObsolete
		}
		var written int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM gisement_chunks WHERE study_id = $1`, a.Study).Scan(&written); err != nil {
			return err
		}
		if written == chunks && !enqueued {
			if _, err := cw.client().InsertTx(ctx, tx, FinishArgs{Study: a.Study, Run: a.Run},
				&river.InsertOpts{Queue: Queue, MaxAttempts: MaxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE gisement_runs SET finish_enqueued = true WHERE study_id = $1`, a.Study); err != nil {
				return err
			}
		}
		_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
	if err != nil {
		return jobError(fmt.Errorf("study %s chunk %d: %w", a.Study, a.Chunk, err))
	}
	w.o.Logger.Info("chunk written", "study", a.Study, "chunk", a.Chunk, "attempt", job.Attempt,
		"compute_s", tc.Sub(t0).Seconds(), "stage_read_s", stage.d.Seconds(), "write_s", time.Since(tc).Seconds())
	return nil
}

type finishWorker struct {
	river.WorkerDefaults[FinishArgs]
	w *worker
}

// Work aggregates the partials into the whole-study layers and marks the
// study complete (idempotent: a retry replaces what an earlier attempt
// wrote), then drops the staged records.
func (fw *finishWorker) Work(ctx context.Context, job *river.Job[FinishArgs]) error {
	w, a := fw.w, job.Args
	r, err := w.load(ctx, a.Study, a.Run)
	if err != nil {
		return jobError(err)
	}
	st, layers, err := compute.finish(ctx, r.opts, r.plan, w.store.ChunkPartials(ctx, a.Study))
	if err != nil {
		return jobError(fmt.Errorf("study %s: finish: %w", a.Study, err))
	}
	if st.ID != a.Study {
		return river.JobCancel(fmt.Errorf("study %s: finish produced study id %q", a.Study, st.ID))
	}
	if err := w.store.FinishStudy(ctx, st, layers); err != nil {
		return jobError(fmt.Errorf("study %s: finish: %w", a.Study, err))
	}
	if err := w.store.OpenStage(r.stage).Drop(ctx); err != nil {
		w.o.Logger.Warn("staged records not dropped", "study", a.Study, "err", err)
	}
	err = pgx.BeginFunc(ctx, w.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE gisement_runs SET state = 'done', finished_at = now() WHERE study_id = $1 AND run = $2`, a.Study, a.Run); err != nil {
			return err
		}
		_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
	if err != nil {
		return fmt.Errorf("study %s: finish: %w", a.Study, err)
	}
	w.mu.Lock()
	delete(w.runs, a.Run)
	w.order = slices.DeleteFunc(w.order, func(r string) bool { return r == a.Run })
	w.mu.Unlock()
	w.o.Logger.Info("study complete", "study", a.Study)
	return nil
}

// Work runs chunk and finish jobs until ctx is done, then stops gracefully:
// no new job is taken and the running ones may finish within the job
// timeout (River's soft stop), after which they are cancelled and retried
// elsewhere.
func Work(ctx context.Context, o WorkerOptions) error {
	if err := o.defaults(); err != nil {
		return err
	}
	store, err := postgis.Open(ctx, o.URL, postgis.Options{MaxConns: o.Workers + 2})
	if err != nil {
		return err
	}
	defer store.Close()
	pool, err := openPool(ctx, o.URL, o.Workers+4)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := Migrate(ctx, pool); err != nil {
		return err
	}
	w := &worker{o: o, pool: pool, store: store, runs: map[string]*runState{}}
	var client *river.Client[pgx.Tx]
	workers := river.NewWorkers()
	river.AddWorker(workers, &chunkWorker{w: w, client: func() *river.Client[pgx.Tx] { return client }})
	river.AddWorker(workers, &finishWorker{w: w})
	client, err = river.NewClient(riverpgxv5.New(pool), &river.Config{
		ID:                   o.ID,
		Queues:               map[string]river.QueueConfig{Queue: {MaxWorkers: o.Workers}},
		Workers:              workers,
		JobTimeout:           o.JobTimeout,
		RescueStuckJobsAfter: o.RescueAfter,
		SoftStopTimeout:      o.JobTimeout,
		MaxAttempts:          MaxAttempts,
		Logger:               o.Logger,
	})
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	if err := client.Start(ctx); err != nil {
		return fmt.Errorf("cluster: start: %w", err)
	}
	o.Logger.Info("worker started", "id", o.ID, "workers", o.Workers, "job_timeout", o.JobTimeout, "rescue_after", o.RescueAfter)
	<-client.Stopped()
	return nil
}

// timedStage measures the time spent reading staged records (the database
// and decoding of rows, not the caller's processing of each record), for
// the worker's log.
type timedStage struct {
	study.ChunkStage
	d time.Duration
}

func (t *timedStage) Read(ctx context.Context, chunk int, fn func(rec []byte) error) error {
	t0 := time.Now()
	var in time.Duration
	err := t.ChunkStage.Read(ctx, chunk, func(rec []byte) error {
		t1 := time.Now()
		err := fn(rec)
		in += time.Since(t1)
		return err
	})
	t.d += time.Since(t0) - in
	return err
}

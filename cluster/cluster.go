// Package cluster runs a streaming study (model/study: PlanStudy, RunChunk,
// FinishStudy) on several machines through one PostgreSQL + PostGIS
// database, with River (riverqueue.com) as the job queue.
//
// A territory of a département (0.3–1.5 M buildings) or of France (about
// 50 M) is cut into chunks of a few thousand buildings. Submit plans the
// study once: it streams the inputs, stages every chunk's input records in
// the database (postgis.Stage), registers the study as incomplete
// (postgis.Store.BeginStudy), stores the plan and the study options
// (Spec) in gisement_runs, and enqueues one River job of kind
// "gisement_chunk" per chunk, in one transaction. Any number of worker
// processes (Work, `gisement worker`), on any machine reaching the
// database and the input files, take chunk jobs with bounded concurrency:
// RunChunk on the staged records, then in ONE transaction the chunk's rows
// (postgis.Store.WriteChunkTx: replace the rows of (study, chunk)) and
// river.JobCompleteTx, so that a chunk's rows and its job's completion
// commit together. The transaction that writes the last missing chunk
// enqueues the "gisement_finish" job exactly once (a row lock on the run
// and a flag, plus River's unique-by-args insert), which aggregates the
// partials (FinishStudy) and marks the study complete.
//
// Failure: a failed chunk is retried by River with its exponential backoff
// (attempt⁴ seconds plus jitter), up to MaxAttempts. A worker killed
// mid-chunk loses its transaction (nothing of the chunk is written); its
// job stays "running" in river_job until River's rescuer (run by the
// elected leader every 30 s) sees it running for longer than RescueAfter
// and makes it retryable; another worker then runs it again. Because writes
// replace (study, chunk), a chunk written twice never duplicates rows.
//
// Inputs: workers open the input files themselves, so the paths stored in
// the Spec must be valid on every worker (absolute paths on a shared file
// system), or be the embedded sample territory, which every gisement binary
// carries.
package cluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
	pgxgeom "github.com/twpayne/pgx-geom"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/postgis"
	"github.com/gisement/gisement/model/study"
)

// Queue is the River queue of gisement jobs.
const Queue = "gisement"

// MaxAttempts is the number of attempts of a chunk or finish job before
// River discards it: with River's default backoff (attempt⁴ s) the 8
// attempts span about 80 minutes, enough to ride out a database restart or
// a worker fleet being replaced, short enough that a chunk failing for good
// (a bad input) shows as failed the same day.
const MaxAttempts = 8

// ChunkArgs are the arguments of a "gisement_chunk" job.
type ChunkArgs struct {
	Study string `json:"study"`
	Run   string `json:"run"` // submission id: jobs of an earlier submission of the same study are obsolete
	Chunk int    `json:"chunk"`
}

// Kind implements river.JobArgs.
func (ChunkArgs) Kind() string { return "gisement_chunk" }

// FinishArgs are the arguments of a "gisement_finish" job.
type FinishArgs struct {
	Study string `json:"study"`
	Run   string `json:"run"`
}

// Kind implements river.JobArgs.
func (FinishArgs) Kind() string { return "gisement_finish" }

// engine is the streaming study's computation (model/study); tests of the
// queue mechanics replace it with a synthetic one.
type engine struct {
	plan   func(ctx context.Context, o study.Options, so study.StreamOptions) (*study.Plan, error)
	chunk  func(ctx context.Context, o study.Options, p *study.Plan, chunk int, st study.ChunkStage) (json.RawMessage, []data.LayerData, error)
	finish func(ctx context.Context, o study.Options, p *study.Plan, partials iter.Seq2[data.ChunkPartial, error]) (data.Study, []data.LayerData, error)
}

var compute = engine{plan: study.PlanStudy, chunk: study.RunChunk, finish: study.FinishStudy}

// lockID serialises the migrations of River and of gisement_runs.
const lockID = 0x6769_7366 // "gisf"

// runsDDL is the table of distributed studies (one row per study id: a
// resubmission replaces it).
const runsDDL = `CREATE TABLE IF NOT EXISTS gisement_runs (
  study_id text COLLATE "C" PRIMARY KEY,
  run text NOT NULL,
  spec json NOT NULL,
  plan json NOT NULL,
  stage text NOT NULL,
  chunks integer NOT NULL,
  finish_enqueued boolean NOT NULL DEFAULT false,
  state text NOT NULL,
  error text,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
)`

// openPool opens a pgx pool whose connections carry the go-geom codec
// (WriteChunkTx copies geometries through the job's transaction).
func openPool(ctx context.Context, url string, size int) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("cluster: connection URL: %w", err)
	}
	if size > 0 {
		cfg.MaxConns = int32(size)
	}
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error { return pgxgeom.Register(ctx, c) }
	p, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("cluster: connect: %w", err)
	}
	return p, nil
}

// Migrate applies River's migrations (rivermigrate) and creates
// gisement_runs, under an advisory lock so that workers starting together
// do not race. The result store's own migrations run in postgis.Open.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	m, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return fmt.Errorf("cluster: migrate: %w", err)
	}
	// River's migrations cannot run in one transaction (a migration adds
	// an enum value that the next one uses), so the lock is a session lock
	// on a connection of its own.
	c, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("cluster: migrate: %w", err)
	}
	defer c.Release()
	if _, err := c.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(lockID)); err != nil {
		return fmt.Errorf("cluster: migrate: %w", err)
	}
	defer c.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(lockID))
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("cluster: River migrations: %w", err)
	}
	if _, err := c.Exec(ctx, runsDDL); err != nil {
		return fmt.Errorf("cluster: gisement_runs: %w", err)
	}
	return nil
}

// Submitted describes a submitted study.
type Submitted struct {
	StudyID string
	Run     string
	Chunks  int
}

// Submit plans spec's study, stages its records, registers it and enqueues
// its chunk jobs; it returns once the jobs are enqueued (workers compute).
func Submit(ctx context.Context, url string, spec Spec, progress study.Progress) (Submitted, error) {
	o, err := spec.Options()
	if err != nil {
		return Submitted{}, err
	}
	o.Progress = progress
	store, err := postgis.Open(ctx, url, postgis.Options{})
	if err != nil {
		return Submitted{}, err
	}
	defer store.Close()
	pool, err := openPool(ctx, url, 4)
	if err != nil {
		return Submitted{}, err
	}
	defer pool.Close()
	if err := Migrate(ctx, pool); err != nil {
		return Submitted{}, err
	}
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil { // an insert-only client: no queues, no workers
		return Submitted{}, fmt.Errorf("cluster: %w", err)
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	run := hex.EncodeToString(b)
	stage, err := store.NewStage(ctx, "run-"+run)
	if err != nil {
		return Submitted{}, err
	}
	plan, err := compute.plan(ctx, o, study.StreamOptions{ChunkBuildings: spec.ChunkBuildings, Stage: stage})
	if err != nil {
		_ = stage.Drop(context.WithoutCancel(ctx))
		return Submitted{}, err
	}
	if err := stage.Flush(ctx); err != nil {
		return Submitted{}, err
	}
	planJS, err := json.Marshal(plan)
	if err != nil {
		return Submitted{}, err
	}
	spec.ID = plan.StudyID
	specJS, err := json.Marshal(spec)
	if err != nil {
		return Submitted{}, err
	}
	n := len(plan.Chunks)
	if err := store.BeginStudy(ctx, data.Study{ID: plan.StudyID, Name: spec.Name, ScenarioHash: spec.ScenarioHash, CreatedAt: time.Now()}, n); err != nil {
		return Submitted{}, err
	}
	var old *string
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT stage FROM gisement_runs WHERE study_id = $1 FOR UPDATE`, plan.StudyID).Scan(&old); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM gisement_runs WHERE study_id = $1`, plan.StudyID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO gisement_runs (study_id, run, spec, plan, stage, chunks, state) VALUES ($1, $2, $3, $4, $5, $6, 'running')`,
			plan.StudyID, run, string(specJS), string(planJS), "run-"+run, n); err != nil {
			return err
		}
		params := make([]river.InsertManyParams, n)
		for i := range n {
			params[i] = river.InsertManyParams{Args: ChunkArgs{Study: plan.StudyID, Run: run, Chunk: i}, InsertOpts: &river.InsertOpts{Queue: Queue, MaxAttempts: MaxAttempts}}
		}
		if _, err := client.InsertManyTx(ctx, tx, params); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return Submitted{}, fmt.Errorf("cluster: enqueue study %s: %w", plan.StudyID, err)
	}
	if old != nil {
		// The previous submission's records; its jobs, if any are left,
		// find their run replaced and end without computing.
		if err := store.OpenStage(*old).Drop(ctx); err != nil {
			return Submitted{}, err
		}
	}
	return Submitted{StudyID: plan.StudyID, Run: run, Chunks: n}, nil
}

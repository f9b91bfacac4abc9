package cluster

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gisement/gisement/data"
)

// Status is the progress of a distributed study.
type Status struct {
	StudyID, Run string
	// State: "running" (chunks being computed), "finishing" (every chunk
	// written, aggregation enqueued or running), "done", or "failed" (a job
	// was discarded after MaxAttempts or cancelled on an input error).
	State           string
	Chunks, Written int
	// ChunkJobs counts the chunk jobs by River state (available, running,
	// retryable, completed, discarded, cancelled, ...); Finish is the state
	// of the finish job ("" = not enqueued yet).
	ChunkJobs map[string]int
	Finish    string
	// FailedAttempts is the number of errors River recorded on the study's
	// jobs (failed attempts, including rescues of killed workers);
	// LastError the latest of them.
	FailedAttempts int
	LastError      string
	SubmittedAt    time.Time
	FinishedAt     *time.Time
}

// GetStatus reads the progress of study id from the database.
func GetStatus(ctx context.Context, url, id string) (Status, error) {
	pool, err := openPool(ctx, url, 2)
	if err != nil {
		return Status{}, err
	}
	defer pool.Close()
	st := Status{StudyID: id, ChunkJobs: map[string]int{}}
	var state string
	err = pool.QueryRow(ctx, `SELECT run, chunks, state, submitted_at, finished_at, (SELECT count(*) FROM gisement_chunks c WHERE c.study_id = r.study_id) FROM gisement_runs r WHERE study_id = $1`, id).
		Scan(&st.Run, &st.Chunks, &state, &st.SubmittedAt, &st.FinishedAt, &st.Written)
	if errors.Is(err, pgx.ErrNoRows) {
		return st, fmt.Errorf("%w: no distributed study %q", data.ErrNotFound, id)
	}
	if err != nil {
		var pe interface{ SQLState() string }
		if errors.As(err, &pe) && pe.SQLState() == "42P01" { // undefined_table
			return st, fmt.Errorf("%w: no distributed study %q (no study was ever submitted to this database)", data.ErrNotFound, id)
		}
		return st, fmt.Errorf("cluster: status of %s: %w", id, err)
	}
	rows, err := pool.Query(ctx, `SELECT kind, state::text, count(*), coalesce(sum(coalesce(array_length(errors, 1), 0)), 0)
FROM river_job WHERE args->>'study' = $1 AND args->>'run' = $2 GROUP BY kind, state`, id, st.Run)
	if err != nil {
		return st, fmt.Errorf("cluster: jobs of %s: %w", id, err)
	}
	failed := false
	for rows.Next() {
		var kind, s string
		var n, errs int
		if err := rows.Scan(&kind, &s, &n, &errs); err != nil {
			rows.Close()
			return st, fmt.Errorf("cluster: jobs of %s: %w", id, err)
		}
		st.FailedAttempts += errs
		if kind == (ChunkArgs{}).Kind() {
			st.ChunkJobs[s] += n
		} else {
			st.Finish = s
		}
		failed = failed || s == "discarded" || s == "cancelled"
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("cluster: jobs of %s: %w", id, err)
	}
	if st.FailedAttempts > 0 {
		_ = pool.QueryRow(ctx, `SELECT e->>'error' FROM river_job, unnest(errors) e WHERE args->>'study' = $1 AND args->>'run' = $2 ORDER BY (e->>'at')::timestamptz DESC LIMIT 1`, id, st.Run).Scan(&st.LastError)
	}
	switch {
	case state == "done":
		st.State = "done"
	case failed:
		st.State = "failed"
	case st.Finish != "":
		st.State = "finishing"
	default:
		st.State = "running"
	}
	return st, nil
}

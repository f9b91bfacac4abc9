package postgis

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Stage keeps the encoded input records of a planned study in PostGIS, per
// (chunk, sequence number), so that workers on other machines read the
// records of the chunk they compute (it implements study.ChunkStage). Each
// stage is its own LIST partition of gisement_stage: Drop removes it at once
// whatever its size. Append buffers records and writes them with COPY in
// batches of StageBatchBytes; Append and Flush are for one goroutine (the
// planner), Read may be called concurrently from any process.
type Stage struct {
	s   *Store
	id  string
	seq map[int]int64
	buf [][]any
	n   int // bytes buffered
}

// StageBatchBytes is the size of the COPY batches of Stage.Append: large
// enough that the per-statement cost is negligible, small enough to bound
// the planner's memory.
const StageBatchBytes = 8 << 20

// NewStage returns an empty stage named id (a study id), replacing any stage
// of that name.
func (s *Store) NewStage(ctx context.Context, id string) (*Stage, error) {
	if id == "" {
		return nil, fmt.Errorf("postgis: stage id is empty")
	}
	err := s.lockedTx(ctx, func(tx pgx.Tx) error {
		if err := dropPartitions(ctx, tx, id, "gisement_stage"); err != nil {
			return err
		}
		return createPartition(ctx, tx, "gisement_stage", id)
	})
	if err != nil {
		return nil, err
	}
	return &Stage{s: s, id: id, seq: map[int]int64{}}, nil
}

// OpenStage returns the existing stage id for reading (a worker).
func (s *Store) OpenStage(id string) *Stage {
	return &Stage{s: s, id: id, seq: map[int]int64{}}
}

// Append adds one record to chunk (copied: rec may be reused by the caller).
func (st *Stage) Append(ctx context.Context, chunk int, rec []byte) error {
	st.seq[chunk]++
	st.buf = append(st.buf, []any{st.id, int32(chunk), st.seq[chunk], append([]byte(nil), rec...)})
	st.n += len(rec) + 32
	if st.n >= StageBatchBytes {
		return st.Flush(ctx)
	}
	return nil
}

// Flush writes the buffered records.
func (st *Stage) Flush(ctx context.Context) error {
	if len(st.buf) == 0 {
		return nil
	}
	err := st.s.pool.with(ctx, func(c *pgx.Conn) error {
		_, err := c.CopyFrom(ctx, pgx.Identifier{"gisement_stage"}, []string{"stage", "chunk", "seq", "rec"}, pgx.CopyFromRows(st.buf))
		return err
	})
	if err != nil {
		return fmt.Errorf("postgis: stage %s: %w", st.id, err)
	}
	st.buf, st.n = st.buf[:0], 0
	return nil
}

// Read calls fn with every record of chunk, in append order.
func (st *Stage) Read(ctx context.Context, chunk int, fn func(rec []byte) error) error {
	return st.s.pool.with(ctx, func(c *pgx.Conn) error {
		rows, err := c.Query(ctx, `SELECT rec FROM gisement_stage WHERE stage = $1 AND chunk = $2 ORDER BY seq`, st.id, int32(chunk))
		if err != nil {
			return fmt.Errorf("postgis: stage %s chunk %d: %w", st.id, chunk, err)
		}
		defer rows.Close()
		for rows.Next() {
			var rec []byte
			if err := rows.Scan(&rec); err != nil {
				return fmt.Errorf("postgis: stage %s chunk %d: %w", st.id, chunk, err)
			}
			if err := fn(rec); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("postgis: stage %s chunk %d: %w", st.id, chunk, err)
		}
		return nil
	})
}

// Drop removes the stage and its records.
func (st *Stage) Drop(ctx context.Context) error {
	return st.s.lockedTx(ctx, func(tx pgx.Tx) error { return dropPartitions(ctx, tx, st.id, "gisement_stage") })
}

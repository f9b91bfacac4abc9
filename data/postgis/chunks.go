package postgis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"

	"github.com/jackc/pgx/v5"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/internal/sqlq"
)

var _ data.ChunkStore = (*Store)(nil)

// BeginStudy implements data.ChunkStore: it replaces any study with the same
// id (its rows and chunk partials) by an incomplete one of chunks chunks,
// invisible to readers until FinishStudy.
func (s *Store) BeginStudy(ctx context.Context, study data.Study, chunks int) error {
	study, err := study.Normalize()
	if err != nil {
		return err
	}
	if chunks < 1 {
		return fmt.Errorf("%w: study %s: %d chunks (want ≥ 1)", data.ErrInvalidValue, study.ID, chunks)
	}
	return s.lockedTx(ctx, func(tx pgx.Tx) error {
		if err := deleteStudy(ctx, tx, study.ID); err != nil {
			return err
		}
		return insertStudy(ctx, tx, study, false, &chunks)
	})
}

// lockedTx runs fn in a transaction holding the store-wide advisory lock
// (schema changes, study replacement).
func (s *Store) lockedTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return s.pool.with(ctx, func(c *pgx.Conn) error {
		return pgx.BeginFunc(ctx, c, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(lockID)); err != nil {
				return fmt.Errorf("postgis: lock: %w", err)
			}
			return fn(tx)
		})
	})
}

// prepare makes sure that every layer's table (with the chunk column) and
// the study's partition of it exist, in a short transaction of its own under
// the store-wide lock, so that the data transactions do not hold the
// table-wide locks of DDL and concurrent chunks do not serialise on it.
// Unless always, the check is cached per (layer, study): partitions are
// never dropped, and a layer's schema never changes.
func (s *Store) prepare(ctx context.Context, studyID string, layers []data.Layer, always bool) error {
	var todo []data.Layer
	for _, l := range layers {
		if _, ok := s.ready.Load([2]string{l.Name, studyID}); always || !ok {
			todo = append(todo, l)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	if err := s.lockedTx(ctx, func(tx pgx.Tx) error { return prepareLayers(ctx, tx, studyID, todo) }); err != nil {
		return err
	}
	for _, l := range todo {
		s.ready.Store([2]string{l.Name, studyID}, true)
	}
	return nil
}

// WriteChunk implements data.ChunkStore in one transaction of its own.
func (s *Store) WriteChunk(ctx context.Context, studyID string, chunk int, partial json.RawMessage, layers []data.LayerData) error {
	schemas, err := s.checkChunk(studyID, chunk, partial, layers)
	if err != nil {
		return err
	}
	if err := s.prepare(ctx, studyID, schemas, false); err != nil {
		return err
	}
	return s.pool.with(ctx, func(c *pgx.Conn) error {
		return pgx.BeginFunc(ctx, c, func(tx pgx.Tx) error {
			return writeChunk(ctx, tx, studyID, chunk, partial, layers)
		})
	})
}

// WriteChunkTx is WriteChunk inside the caller's transaction tx, so that a
// job queue sharing the database (River, package cluster) can mark the
// chunk's job completed in the same transaction: either both the rows and
// the completion commit, or neither. The tables and partitions are prepared
// beforehand in a transaction of the store's own. tx's connection must have
// the go-geom codec registered (pgxgeom.Register).
func (s *Store) WriteChunkTx(ctx context.Context, tx pgx.Tx, studyID string, chunk int, partial json.RawMessage, layers []data.LayerData) error {
	schemas, err := s.checkChunk(studyID, chunk, partial, layers)
	if err != nil {
		return err
	}
	if err := s.prepare(ctx, studyID, schemas, false); err != nil {
		return err
	}
	return writeChunk(ctx, tx, studyID, chunk, partial, layers)
}

func (s *Store) checkChunk(studyID string, chunk int, partial json.RawMessage, layers []data.LayerData) ([]data.Layer, error) {
	if _, err := data.CheckWrite(data.Study{ID: studyID}, layers, reservedName); err != nil {
		return nil, err
	}
	if chunk < 0 {
		return nil, fmt.Errorf("%w: study %s: chunk %d < 0", data.ErrInvalidValue, studyID, chunk)
	}
	if len(partial) == 0 || !json.Valid(partial) {
		return nil, fmt.Errorf("%w: study %s chunk %d: the partial is not valid JSON", data.ErrInvalidValue, studyID, chunk)
	}
	return layerSchemas(layers), nil
}

// writeChunk replaces the rows of (study, chunk) in every layer and its
// partial. A per-(study, chunk) advisory lock serialises two attempts at the
// same chunk (a job rescued while its first worker is merely slow); the
// studies row is read FOR SHARE so that BeginStudy cannot replace the study
// underneath.
func writeChunk(ctx context.Context, tx pgx.Tx, studyID string, chunk int, partial json.RawMessage, layers []data.LayerData) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext($1), $2)`, studyID, int32(chunk)); err != nil {
		return fmt.Errorf("postgis: lock chunk %d of %s: %w", chunk, studyID, err)
	}
	var complete bool
	var chunks *int
	err := tx.QueryRow(ctx, `SELECT complete, chunks FROM studies WHERE id = $1 FOR SHARE`, studyID).Scan(&complete, &chunks)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: study %q (BeginStudy first)", data.ErrNotFound, studyID)
	}
	if err != nil {
		return fmt.Errorf("postgis: study %s: %w", studyID, err)
	}
	if chunks == nil || complete {
		return fmt.Errorf("%w: study %s is not being written chunk by chunk (complete or written at once)", data.ErrInvalidValue, studyID)
	}
	if chunk >= *chunks {
		return fmt.Errorf("%w: study %s: chunk %d out of range [0, %d)", data.ErrInvalidValue, studyID, chunk, *chunks)
	}
	// Every layer with a chunk column, not only those given: a retry
	// replaces all that the earlier attempt wrote.
	rows, err := tx.Query(ctx, `SELECT l.name FROM gisement_layers l JOIN pg_attribute a ON a.attrelid = to_regclass(quote_ident(l.name)) AND a.attname = 'chunk' AND NOT a.attisdropped ORDER BY l.name`)
	if err != nil {
		return fmt.Errorf("postgis: layers: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("postgis: layers: %w", err)
	}
	for _, name := range names {
		if _, err := tx.Exec(ctx, fmt.Sprintf(`DELETE FROM %s WHERE study_id = $1 AND chunk = $2`, sqlq.Quote(name)), studyID, int32(chunk)); err != nil {
			return fmt.Errorf("postgis: replace chunk %d of %s in %s: %w", chunk, studyID, name, err)
		}
	}
	for _, ld := range layers {
		if err := copyFeatures(ctx, tx, studyID, &chunk, ld); err != nil {
			return fmt.Errorf("chunk %d: %w", chunk, err)
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO gisement_chunks (study_id, chunk, partial) VALUES ($1, $2, $3)
ON CONFLICT (study_id, chunk) DO UPDATE SET partial = EXCLUDED.partial, written_at = now()`, studyID, int32(chunk), string(partial)); err != nil {
		return fmt.Errorf("postgis: partial of chunk %d of %s: %w", chunk, studyID, err)
	}
	return nil
}

// ChunkPartials implements data.ChunkStore, by chunk index.
func (s *Store) ChunkPartials(ctx context.Context, studyID string) iter.Seq2[data.ChunkPartial, error] {
	return func(yield func(data.ChunkPartial, error) bool) {
		err := s.pool.with(ctx, func(c *pgx.Conn) error {
			rows, err := c.Query(ctx, `SELECT chunk, partial::text FROM gisement_chunks WHERE study_id = $1 ORDER BY chunk`, studyID)
			if err != nil {
				return fmt.Errorf("postgis: partials of %s: %w", studyID, err)
			}
			defer rows.Close()
			for rows.Next() {
				var p data.ChunkPartial
				var js string
				if err := rows.Scan(&p.Chunk, &js); err != nil {
					return fmt.Errorf("postgis: partials of %s: %w", studyID, err)
				}
				p.Partial = json.RawMessage(js)
				if !yield(p, nil) {
					return errStop
				}
			}
			if err := rows.Err(); err != nil {
				return fmt.Errorf("postgis: partials of %s: %w", studyID, err)
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(data.ChunkPartial{}, err)
		}
	}
}

var errStop = errors.New("stopped by the consumer")

// FinishStudy implements data.ChunkStore: it writes the whole-study layers
// (rows without a chunk, replacing those of an earlier FinishStudy, so that
// it may be retried) and stores the study metadata marked complete, in one
// transaction. Whether every chunk was written is the caller's to know (the
// conformance suite finishes a study with chunks left out; package cluster
// enqueues the aggregation only once the last chunk is written).
func (s *Store) FinishStudy(ctx context.Context, study data.Study, layers []data.LayerData) error {
	study, err := data.CheckWrite(study, layers, reservedName)
	if err != nil {
		return err
	}
	if err := s.prepare(ctx, study.ID, layerSchemas(layers), false); err != nil {
		return err
	}
	return s.pool.with(ctx, func(c *pgx.Conn) error {
		return pgx.BeginFunc(ctx, c, func(tx pgx.Tx) error {
			var chunks *int
			err := tx.QueryRow(ctx, `SELECT chunks FROM studies WHERE id = $1 FOR UPDATE`, study.ID).Scan(&chunks)
			if errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("%w: study %q (BeginStudy first)", data.ErrNotFound, study.ID)
			}
			if err != nil {
				return fmt.Errorf("postgis: study %s: %w", study.ID, err)
			}
			if chunks == nil {
				return fmt.Errorf("%w: study %s was written at once, not chunk by chunk", data.ErrInvalidValue, study.ID)
			}
			for _, ld := range layers {
				if _, err := tx.Exec(ctx, fmt.Sprintf(`DELETE FROM %s WHERE study_id = $1 AND chunk IS NULL`, sqlq.Quote(ld.Layer.Name)), study.ID); err != nil {
					return fmt.Errorf("postgis: finish %s: %w", study.ID, err)
				}
				if err := copyFeatures(ctx, tx, study.ID, nil, ld); err != nil {
					return err
				}
			}
			inputs, _ := json.Marshal(study.Inputs)
			if _, err := tx.Exec(ctx, `UPDATE studies SET name = $2, scenario_hash = $3, scenario = $4, created_at = $5, summary = $6, inputs = $7, complete = true WHERE id = $1`,
				study.ID, study.Name, study.ScenarioHash, jsonArg(study.Scenario), study.CreatedAt, jsonArg(study.Summary), string(inputs)); err != nil {
				return fmt.Errorf("postgis: finish %s: %w", study.ID, err)
			}
			return nil
		})
	})
}

package gpkg

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"os"
	"strings"
	"time"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/internal/sqlq"
)

// Chunked writes (data.ChunkStore), for the streaming study.
//
// WriteStudy builds a whole study in a copy of the file and renames it;
// a study written chunk by chunk instead goes into the file in place, one
// SQLite transaction per call (rollback journal: a crash leaves the file
// as of the last committed chunk), under the same advisory lock as
// WriteStudy for each call. gisement-owned tables keep the state:
//   - gisement_runs: one row per chunked study (status running/done, chunk
//     count, start time);
//   - gisement_chunks: the partial aggregate of each (study, chunk);
//   - gisement_chunk_rows: the fid range each (study, chunk) wrote in each
//     layer (a transaction's rows get consecutive fids: bulk.go), so that a
//     retried chunk deletes exactly its earlier rows.
//
// The layers' R-tree triggers are dropped while a study is running (the
// rows of a chunk are not indexed one by one); FinishStudy rebuilds every
// R-tree in bulk (rtree.go) and recreates the triggers. Other studies of
// the file stay indexed meanwhile. The study row is inserted by
// FinishStudy only: Study and Studies see a study once it is done.

var chunkSchema = []string{
	`CREATE TABLE IF NOT EXISTS gisement_runs (study_id TEXT NOT NULL PRIMARY KEY, status TEXT NOT NULL, chunks INTEGER NOT NULL, started_at TEXT NOT NULL, finished_at TEXT)`,
	`CREATE TABLE IF NOT EXISTS gisement_chunks (study_id TEXT NOT NULL, chunk INTEGER NOT NULL, partial TEXT NOT NULL, written_at TEXT NOT NULL, PRIMARY KEY (study_id, chunk))`,
	`CREATE TABLE IF NOT EXISTS gisement_chunk_rows (study_id TEXT NOT NULL, chunk INTEGER NOT NULL, layer TEXT NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL)`,
	`CREATE INDEX IF NOT EXISTS gisement_chunk_rows_idx ON gisement_chunk_rows (study_id, chunk)`,
}

// reservedName reports the table names a study layer cannot take.
func reservedName(name string) bool {
	return name == "studies" || strings.HasPrefix(name, "gpkg_") || strings.HasPrefix(name, "rtree_") || strings.HasPrefix(name, "gisement_")
}

// lockWrite takes the write mutex and the file's advisory lock (lock.go);
// the returned function releases both.
func (s *Store) lockWrite(ctx context.Context) (func(), error) {
	s.wmu.Lock()
	release, err := s.lockOutput(ctx)
	if err != nil {
		s.wmu.Unlock()
		return nil, err
	}
	return func() { release(); s.wmu.Unlock() }, nil
}

// withWriter opens a read-write connection on the file (created with the
// base schema when absent) under the write mutex and the advisory lock,
// and runs fn in one transaction.
func (s *Store) withWriter(ctx context.Context, fn func(tx *sql.Tx) error) error {
	release, err := s.lockWrite(ctx)
	if err != nil {
		return err
	}
	defer release()
	_, statErr := os.Stat(s.path)
	fresh := errors.Is(statErr, os.ErrNotExist)
	db, err := sql.Open("sqlite", "file:"+s.path+"?_pragma=busy_timeout(10000)&_pragma=cache_size(-65536)")
	if err != nil {
		return fmt.Errorf("gpkg: open %s: %w", s.path, err)
	}
	db.SetMaxOpenConns(1)
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("gpkg: begin: %w", err)
	}
	defer tx.Rollback()
	if fresh {
		if err := execAll(ctx, tx, baseSchema); err != nil {
			return err
		}
	}
	if err := execAll(ctx, tx, chunkSchema); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("gpkg: commit: %w", err)
	}
	if fresh {
		return s.reopen()
	}
	return nil
}

// execAll runs the statements in order.
func execAll(ctx context.Context, tx *sql.Tx, qs []string) error {
	for _, q := range qs {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("gpkg: %w (%s)", err, q)
		}
	}
	return nil
}

// BeginStudy implements data.ChunkStore.
func (s *Store) BeginStudy(ctx context.Context, study data.Study, chunks int) error {
	study, err := data.CheckWrite(study, nil, reservedName)
	if err != nil {
		return err
	}
	if chunks < 0 {
		return fmt.Errorf("%w: %d chunks", data.ErrInvalidSchema, chunks)
	}
	return s.withWriter(ctx, func(tx *sql.Tx) error {
		existing, err := loadLayers(ctx, tx)
		if err != nil {
			return err
		}
		for name := range existing {
			if err := execAll(ctx, tx, dropTriggers(name)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE study_id = ?`, sqlq.Quote(name)), study.ID); err != nil {
				return fmt.Errorf("gpkg: delete previous rows of study %s in %s: %w", study.ID, name, err)
			}
		}
		for _, q := range []string{`DELETE FROM studies WHERE id = ?`, `DELETE FROM gisement_chunks WHERE study_id = ?`,
			`DELETE FROM gisement_chunk_rows WHERE study_id = ?`, `DELETE FROM gisement_runs WHERE study_id = ?`} {
			if _, err := tx.ExecContext(ctx, q, study.ID); err != nil {
				return fmt.Errorf("gpkg: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO gisement_runs (study_id, status, chunks, started_at) VALUES (?, 'running', ?, ?)`,
			study.ID, chunks, time.Now().UTC().Format(timeLayout)); err != nil {
			return fmt.Errorf("gpkg: %w", err)
		}
		return nil
	})
}

// running checks that study is a running chunked study.
func running(ctx context.Context, tx *sql.Tx, studyID string) error {
	var status string
	err := tx.QueryRowContext(ctx, `SELECT status FROM gisement_runs WHERE study_id = ?`, studyID).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: no chunked study %s (BeginStudy first)", data.ErrNotFound, studyID)
	}
	if err != nil {
		return fmt.Errorf("gpkg: %w", err)
	}
	if status != "running" {
		return fmt.Errorf("gpkg: study %s is %s, not running", studyID, status)
	}
	return nil
}

// insertLayers creates (or checks) each layer and inserts its features,
// calling rows with the fid range written in each layer.
func insertLayers(ctx context.Context, tx *sql.Tx, studyID string, layers []data.LayerData, rows func(layer string, lo, hi int64) error) error {
	existing, err := loadLayers(ctx, tx)
	if err != nil {
		return err
	}
	for _, ld := range layers {
		l := ld.Layer
		if old, ok := existing[l.Name]; ok {
			if !old.SameSchema(l) {
				return fmt.Errorf("%w: layer %s", data.ErrSchemaMismatch, l.Name)
			}
		} else {
			if err := createLayer(ctx, tx, l); err != nil {
				return err
			}
			if err := saveLayer(ctx, tx, l); err != nil {
				return err
			}
			existing[l.Name] = l
		}
		t := sqlq.Quote(l.Name)
		var before, seq sql.NullInt64
		if err := tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT max(fid) FROM %s`, t)).Scan(&before); err != nil {
			return fmt.Errorf("gpkg: layer %s: %w", l.Name, err)
		}
		if err := tx.QueryRowContext(ctx, `SELECT max(seq) FROM sqlite_sequence WHERE name = ?`, l.Name).Scan(&seq); err != nil {
			return fmt.Errorf("gpkg: layer %s: %w", l.Name, err)
		}
		if err := insertFeatures(ctx, tx, studyID, ld); err != nil {
			return err
		}
		var after sql.NullInt64
		if err := tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT max(fid) FROM %s`, t)).Scan(&after); err != nil {
			return fmt.Errorf("gpkg: layer %s: %w", l.Name, err)
		}
		if lo := max(before.Int64, seq.Int64) + 1; after.Valid && after.Int64 >= lo && rows != nil {
			if err := rows(l.Name, lo, after.Int64); err != nil {
				return err
			}
		}
	}
	return nil
}

// WriteChunk implements data.ChunkStore.
func (s *Store) WriteChunk(ctx context.Context, studyID string, chunk int, partial json.RawMessage, layers []data.LayerData) error {
	if _, err := data.CheckWrite(data.Study{ID: studyID}, layers, reservedName); err != nil {
		return err
	}
	if !json.Valid(partial) {
		return fmt.Errorf("%w: chunk %d: partial aggregate is not JSON", data.ErrInvalidSchema, chunk)
	}
	return s.withWriter(ctx, func(tx *sql.Tx) error {
		if err := running(ctx, tx, studyID); err != nil {
			return err
		}
		// A retried chunk: delete what its earlier write left.
		rs, err := tx.QueryContext(ctx, `SELECT layer, lo, hi FROM gisement_chunk_rows WHERE study_id = ? AND chunk = ?`, studyID, chunk)
		if err != nil {
			return fmt.Errorf("gpkg: %w", err)
		}
		type span struct {
			layer  string
			lo, hi int64
		}
		var old []span
		for rs.Next() {
			var sp span
			if err := rs.Scan(&sp.layer, &sp.lo, &sp.hi); err != nil {
				rs.Close()
				return fmt.Errorf("gpkg: %w", err)
			}
			old = append(old, sp)
		}
		rs.Close()
		for _, sp := range old {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE study_id = ? AND fid BETWEEN ? AND ?`, sqlq.Quote(sp.layer)), studyID, sp.lo, sp.hi); err != nil {
				return fmt.Errorf("gpkg: delete rows of chunk %d: %w", chunk, err)
			}
		}
		for _, q := range []string{`DELETE FROM gisement_chunk_rows WHERE study_id = ? AND chunk = ?`, `DELETE FROM gisement_chunks WHERE study_id = ? AND chunk = ?`} {
			if _, err := tx.ExecContext(ctx, q, studyID, chunk); err != nil {
				return fmt.Errorf("gpkg: %w", err)
			}
		}
		err = insertLayers(ctx, tx, studyID, layers, func(layer string, lo, hi int64) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO gisement_chunk_rows (study_id, chunk, layer, lo, hi) VALUES (?, ?, ?, ?, ?)`, studyID, chunk, layer, lo, hi)
			return err
		})
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO gisement_chunks (study_id, chunk, partial, written_at) VALUES (?, ?, ?, ?)`,
			studyID, chunk, string(partial), time.Now().UTC().Format(timeLayout)); err != nil {
			return fmt.Errorf("gpkg: %w", err)
		}
		return nil
	})
}

// ChunkPartials implements data.ChunkStore. The partials are read one by
// one inside one read transaction (holding the write lock: the consumer
// must not write to this store before the iteration ends).
func (s *Store) ChunkPartials(ctx context.Context, studyID string) iter.Seq2[data.ChunkPartial, error] {
	return func(yield func(data.ChunkPartial, error) bool) {
		stopped := false
		err := s.withWriter(ctx, func(tx *sql.Tx) error {
			rs, err := tx.QueryContext(ctx, `SELECT chunk, partial FROM gisement_chunks WHERE study_id = ? ORDER BY chunk`, studyID)
			if err != nil {
				return fmt.Errorf("gpkg: %w", err)
			}
			defer rs.Close()
			for rs.Next() {
				var p data.ChunkPartial
				var js []byte
				if err := rs.Scan(&p.Chunk, &js); err != nil {
					return fmt.Errorf("gpkg: %w", err)
				}
				p.Partial = json.RawMessage(js)
				if !yield(p, nil) {
					stopped = true
					return nil
				}
			}
			return rs.Err()
		})
		if err != nil && !stopped {
			yield(data.ChunkPartial{}, err)
		}
	}
}

// FinishStudy implements data.ChunkStore.
func (s *Store) FinishStudy(ctx context.Context, study data.Study, layers []data.LayerData) error {
	study, err := data.CheckWrite(study, layers, reservedName)
	if err != nil {
		return err
	}
	err = s.withWriter(ctx, func(tx *sql.Tx) error {
		if err := running(ctx, tx, study.ID); err != nil {
			return err
		}
		// The whole-study layers replace any earlier finish attempt's.
		before, err := loadLayers(ctx, tx)
		if err != nil {
			return err
		}
		for _, ld := range layers {
			if _, ok := before[ld.Layer.Name]; !ok {
				continue
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE study_id = ?`, sqlq.Quote(ld.Layer.Name)), study.ID); err != nil {
				return fmt.Errorf("gpkg: %w", err)
			}
		}
		if err := insertLayers(ctx, tx, study.ID, layers, nil); err != nil {
			return err
		}
		existing, err := loadLayers(ctx, tx)
		if err != nil {
			return err
		}
		for name := range existing {
			if err := execAll(ctx, tx, dropTriggers(name)); err != nil {
				return err
			}
			if err := finishLayer(ctx, tx, name); err != nil {
				return err
			}
		}
		if err := putStudy(ctx, tx, study); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE gisement_runs SET status = 'done', finished_at = ? WHERE study_id = ?`, time.Now().UTC().Format(timeLayout), study.ID); err != nil {
			return fmt.Errorf("gpkg: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.reopen()
}

var _ data.ChunkStore = (*Store)(nil)

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
// No index is maintained row by row while a study is running: a chunk's
// rows are appended to the feature tables, and FinishStudy builds the
// indexes in bulk. Measured with BenchmarkWriteChunks (chunks of ~18,500
// rows in three layers shaped like the study's), keeping the unique
// (study_id, key) index made the cost per row grow with the table: the keys
// (BD TOPO, cadastre ids) are in no relation to the chunk order, so every
// row of a chunk lands on another leaf page of an index larger than the
// page cache, and each such page is read, copied into the statement
// journal of its multi-row INSERT, copied into the rollback journal and
// written back at commit: the bytes written per row grew from 4,989 over
// the first fifth of 20 chunks to 9,888 over the last fifth of 80, and at
// 250 chunks (4.6 M rows) the writes took 110 µs/row of wall time (79 over
// the first fifth, 108 over the last; 268 CPU-s for the run, half of it
// system time). Without the index a row costs 569 bytes written whatever
// the size, and the CPU time per row stays flat (11.4 µs over the first
// and 11.5 over the last fifth of 80 chunks, including the bulk binding of
// bulk.go and the benchmark's own row generation): the rows only extend
// the right edge of the table b-tree, no page is written twice and none is
// journaled (SQLite does not journal pages past the file's size at the
// start of the transaction). Hence:
//   - the layers' R-tree triggers are dropped while the study runs;
//     FinishStudy rebuilds every R-tree in bulk (rtree.go) and recreates
//     the triggers;
//   - the layers' unique (study_id, key) index is dropped by BeginStudy
//     (existing layers) and by WriteChunk (layers it creates); FinishStudy
//     recreates it with one CREATE UNIQUE INDEX, which sorts the keys (an
//     external merge sort bounded by the page cache) and writes the index
//     in order. A key written by two chunks (or twice by one) is therefore
//     refused by FinishStudy, with a DuplicateKeyError naming the layer,
//     the key and the two chunks, rather than by the second WriteChunk; the
//     study is left running and is not visible.
// Other studies of the file keep their R-tree meanwhile, but not their key
// index: reads of them by key scan the table until FinishStudy (correct,
// slower); so do they in a file whose chunked study was abandoned, until a
// FinishStudy or a WriteStudy of that file (finishLayer recreates a
// missing key index). Both bulk builds read the whole layer, every study included: the
// cost of FinishStudy is linear in the file, as WriteStudy's copy is.
//
// The journal stays the rollback journal with synchronous=FULL, not WAL:
// the chunk's new pages are past the end of the file, so the rollback
// journal holds almost nothing and each page is written once, where WAL
// would write every page twice (log, then checkpoint) for this append-only
// load. The study row is inserted by FinishStudy only: Study and Studies
// see a study once it is done.

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
func (s *Store) withWriter(ctx context.Context, fn func(tx *sql.Conn) error) error {
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
	if err := s.inTx(ctx, db, fresh, fn); err != nil {
		return err
	}
	if fresh {
		return s.reopen()
	}
	return nil
}

// inTx runs fn in one transaction of db (tx.go), after creating the base
// schema (fresh) and the chunk tables.
func (s *Store) inTx(ctx context.Context, db *sql.DB, fresh bool, fn func(tx *sql.Conn) error) error {
	tx, commit, release, err := begin(ctx, db)
	if err != nil {
		return err
	}
	defer release()
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
	return commit()
}

// execAll runs the statements in order.
func execAll(ctx context.Context, tx *sql.Conn, qs []string) error {
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
	return s.withWriter(ctx, func(tx *sql.Conn) error {
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
			// After the delete, which used it: rebuilt by FinishStudy.
			if _, err := tx.ExecContext(ctx, dropKeyIndex(name)); err != nil {
				return fmt.Errorf("gpkg: %w", err)
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
func running(ctx context.Context, tx *sql.Conn, studyID string) error {
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
// calling rows with the fid range written in each layer. With deferKey,
// the layer's (study_id, key) index is dropped first (see the top of the
// file).
func insertLayers(ctx context.Context, tx *sql.Conn, studyID string, layers []data.LayerData, deferKey bool, rows func(layer string, lo, hi int64) error) error {
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
		if deferKey {
			if _, err := tx.ExecContext(ctx, dropKeyIndex(l.Name)); err != nil {
				return fmt.Errorf("gpkg: layer %s: %w", l.Name, err)
			}
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
	return s.withWriter(ctx, func(tx *sql.Conn) error {
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
		err = insertLayers(ctx, tx, studyID, layers, true, func(layer string, lo, hi int64) error {
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
		err := s.withWriter(ctx, func(tx *sql.Conn) error {
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
	err = s.withWriter(ctx, func(tx *sql.Conn) error {
		// A 16 MiB page cache instead of 64: the finish reads every row of
		// the file once (key index sort, R-trees), in order, so a large
		// cache buys little, and SQLite's sorter keeps up to the cache size
		// in memory before spilling sorted runs to temporary files
		// (issue 16: memory bounded by the chunk, not the territory; the
		// finish of 1 M SYNTHETIC buildings had taken the peak RSS from
		// about 425 to 678 MB).
		if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -16384`); err != nil {
			return fmt.Errorf("gpkg: %w", err)
		}
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
		if err := insertLayers(ctx, tx, study.ID, layers, false, nil); err != nil {
			return err
		}
		existing, err := loadLayers(ctx, tx)
		if err != nil {
			return err
		}
		for name, l := range existing {
			if err := execAll(ctx, tx, dropTriggers(name)); err != nil {
				return err
			}
			if err := finishLayer(ctx, tx, l); err != nil {
				return duplicateChunks(ctx, tx, err)
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

// duplicateChunks adds to a DuplicateKeyError the chunks that wrote its two
// rows (from gisement_chunk_rows); other errors are returned as they are.
func duplicateChunks(ctx context.Context, tx *sql.Conn, err error) error {
	var dup *DuplicateKeyError
	if !errors.As(err, &dup) {
		return err
	}
	for _, fid := range dup.Fids {
		var chunk int
		qerr := tx.QueryRowContext(ctx, `SELECT chunk FROM gisement_chunk_rows WHERE study_id = ? AND layer = ? AND ? BETWEEN lo AND hi`, dup.Study, dup.Layer, fid).Scan(&chunk)
		if qerr != nil { // e.g. a row of a one-shot study: no chunk to name
			return err
		}
		dup.Chunks = append(dup.Chunks, chunk)
	}
	return err
}

package gpkg

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	sqlite3 "modernc.org/sqlite/lib"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/internal/sqlq"
)

// WriteStudy implements data.Store (see there for the atomicity contract).
func (s *Store) WriteStudy(ctx context.Context, study data.Study, layers []data.LayerData) (err error) {
	study, err = data.CheckWrite(study, layers, func(name string) bool {
		return name == "studies" || strings.HasPrefix(name, "gpkg_") || strings.HasPrefix(name, "rtree_") || strings.HasPrefix(name, "gisement_")
	})
	if err != nil {
		return err
	}
	// Another process may be writing the same file: wait for its rename
	// (lock.go), then copy the file holding its study.
	release, err := s.lockWrite(ctx)
	if err != nil {
		return err
	}
	defer release()
	removeStaleTemps(s.path) // includes our own tmp of a previous failed run

	tmp := fmt.Sprintf("%s.tmp-%d", s.path, os.Getpid())
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	fresh := true
	if _, statErr := os.Stat(s.path); statErr == nil {
		fresh = false
		if err := copyFile(s.path, tmp); err != nil {
			return fmt.Errorf("gpkg: copy %s: %w", s.path, err)
		}
	}
	// journal_mode=OFF and synchronous=OFF only on the temporary file: a crash
	// leaves a corrupt tmp that is never renamed (and is removed next time).
	db, err := sql.Open("sqlite", "file:"+tmp+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)&_pragma=cache_size(-65536)")
	if err != nil {
		return fmt.Errorf("gpkg: create %s: %w", tmp, err)
	}
	db.SetMaxOpenConns(1)
	if err := s.build(ctx, db, fresh, study, layers); err != nil {
		db.Close()
		return err
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("gpkg: close %s: %w", tmp, err)
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := os.Rename(tmp, s.path); err != nil {
		return fmt.Errorf("gpkg: rename %s: %w", tmp, err)
	}
	return s.reopen()
}

func (s *Store) build(ctx context.Context, db *sql.DB, fresh bool, study data.Study, layers []data.LayerData) error {
	tx, commit, release, err := begin(ctx, db)
	if err != nil {
		return err
	}
	defer release()
	if fresh {
		for _, q := range baseSchema {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("gpkg: schema: %w (%s)", err, q)
			}
		}
	}
	existing, err := loadLayers(ctx, tx)
	if err != nil {
		return err
	}
	// Remove the study's rows from every layer (a replaced study may have
	// had other layers).
	for name := range existing {
		for _, q := range dropTriggers(name) {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("gpkg: %w", err)
			}
		}
		// The R-tree is rebuilt by finishLayer, not edited row by row.
		t := sqlq.Quote(name)
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE study_id = ?`, t), study.ID); err != nil {
			return fmt.Errorf("gpkg: delete previous rows of study %s in %s: %w", study.ID, name, err)
		}
	}
	for _, ld := range layers {
		l := ld.Layer
		if old, ok := existing[l.Name]; ok {
			if !old.SameSchema(l) {
				return fmt.Errorf("%w: layer %s", data.ErrSchemaMismatch, l.Name)
			}
		} else if err := createLayer(ctx, tx, l); err != nil {
			return err
		}
		existing[l.Name] = l
		// Schema text (titles, docs) follows the latest write.
		if err := saveLayer(ctx, tx, l); err != nil {
			return err
		}
		if err := insertFeatures(ctx, tx, study.ID, ld); err != nil {
			return err
		}
	}
	for _, l := range existing {
		if err := finishLayer(ctx, tx, l); err != nil {
			return err
		}
	}
	if err := putStudy(ctx, tx, study); err != nil {
		return err
	}
	return commit()
}

// putStudy replaces the study's row of the studies table.
func putStudy(ctx context.Context, tx *sql.Conn, study data.Study) error {
	inputs, _ := json.Marshal(study.Inputs)
	if _, err := tx.ExecContext(ctx, `DELETE FROM studies WHERE id = ?`, study.ID); err != nil {
		return fmt.Errorf("gpkg: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO studies (id, name, scenario_hash, scenario, created_at, summary, inputs) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		study.ID, study.Name, study.ScenarioHash, nullJSON(study.Scenario), study.CreatedAt.Format(timeLayout), nullJSON(study.Summary), string(inputs)); err != nil {
		return fmt.Errorf("gpkg: insert study: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = 'studies'`); err != nil {
		return fmt.Errorf("gpkg: %w", err)
	}
	return nil
}

// timeLayout has a fixed width so that created_at sorts as text.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func nullJSON(r json.RawMessage) any {
	if len(r) == 0 {
		return nil
	}
	return string(r)
}

func createLayer(ctx context.Context, tx *sql.Conn, l data.Layer) error {
	for _, q := range layerDDL(l) {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("gpkg: create layer %s: %w", l.Name, err)
		}
	}
	ident := l.Title
	if ident == "" {
		ident = l.Name
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, 'features', ?, ?, ?)`,
		l.Name, ident, l.Description, l.SRID); err != nil {
		return fmt.Errorf("gpkg: register layer %s: %w", l.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)`, l.Name, l.GeomType, l.SRID); err != nil {
		return fmt.Errorf("gpkg: register layer %s: %w", l.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')`, l.Name); err != nil {
		return fmt.Errorf("gpkg: register layer %s: %w", l.Name, err)
	}
	return nil
}

// saveLayer stores the schema JSON and the column documentation.
func saveLayer(ctx context.Context, tx *sql.Conn, l data.Layer) error {
	js, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("gpkg: layer %s: %w", l.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO gisement_layers (name, schema) VALUES (?, ?)`, l.Name, string(js)); err != nil {
		return fmt.Errorf("gpkg: layer %s: %w", l.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM gpkg_data_columns WHERE table_name = ?`, l.Name); err != nil {
		return fmt.Errorf("gpkg: layer %s: %w", l.Name, err)
	}
	for _, c := range l.Columns {
		title := c.Name
		if c.Unit != "" {
			title += " [" + c.Unit + "]"
		}
		var mime any
		if c.Type == data.JSON {
			mime = "application/json"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_data_columns (table_name, column_name, name, title, description, mime_type) VALUES (?, ?, ?, ?, ?, ?)`,
			l.Name, c.Name, c.Name, title, c.Doc, mime); err != nil {
			return fmt.Errorf("gpkg: layer %s column %s: %w", l.Name, c.Name, err)
		}
	}
	return nil
}

// finishLayer creates the layer's (study_id, key) unique index when absent
// (a chunked study drops it while it runs, chunks.go), rebuilds the
// layer's R-tree (bulk load, see rtree.go), recreates the R-tree triggers
// and stores the layer extent in gpkg_contents (exact float64 envelope of
// the indexed geometries).
func finishLayer(ctx context.Context, tx *sql.Conn, l data.Layer) error {
	name := l.Name
	if _, err := tx.ExecContext(ctx, keyIndex(l)); err != nil {
		return keyIndexError(ctx, tx, l, err)
	}
	minx, miny, maxx, maxy, ok, err := rebuildRTree(ctx, tx, name)
	if err != nil {
		return err
	}
	for _, q := range triggers(name) {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("gpkg: triggers of %s: %w", name, err)
		}
	}
	ext := []any{nil, nil, nil, nil}
	if ok {
		ext = []any{minx, miny, maxx, maxy}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?`,
		append(ext, name)...); err != nil {
		return fmt.Errorf("gpkg: bounds of %s: %w", name, err)
	}
	return nil
}

// DuplicateKeyError is returned when the (study_id, key) index of a layer
// cannot be built because a study has two rows with the same key (possible
// only after a chunked study, whose chunks are written without that index:
// see chunks.go). It wraps data.ErrInvalidValue.
type DuplicateKeyError struct {
	Layer, Study string
	Key          any
	Fids         [2]int64 // the first two rows holding the key
	Chunks       []int    // the chunks that wrote them, when known
}

func (e *DuplicateKeyError) Error() string {
	s := fmt.Sprintf("%v: layer %s: key %v written twice for study %s (rows fid %d and %d", data.ErrInvalidValue, e.Layer, e.Key, e.Study, e.Fids[0], e.Fids[1])
	if len(e.Chunks) > 0 {
		s += fmt.Sprintf(", chunks %v", e.Chunks)
	}
	return s + ")"
}

func (e *DuplicateKeyError) Unwrap() error { return data.ErrInvalidValue }

// keyIndexError turns a failed CREATE UNIQUE INDEX into a DuplicateKeyError
// naming the first duplicated key (a full scan, on the error path only).
func keyIndexError(ctx context.Context, tx *sql.Conn, l data.Layer, idxErr error) error {
	var coder interface{ Code() int }
	// The extended code's low byte is the primary code, SQLITE_CONSTRAINT
	// for a UNIQUE failure (https://sqlite.org/rescode.html#constraint).
	if !errors.As(idxErr, &coder) || coder.Code()&0xff != sqlite3.SQLITE_CONSTRAINT {
		return fmt.Errorf("gpkg: key index of %s: %w", l.Name, idxErr)
	}
	e := &DuplicateKeyError{Layer: l.Name}
	k := sqlq.Quote(l.Key)
	err := tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT study_id, %s, min(fid), max(fid) FROM %s GROUP BY study_id, %s HAVING count(*) > 1 LIMIT 1`, k, sqlq.Quote(l.Name), k)).
		Scan(&e.Study, &e.Key, &e.Fids[0], &e.Fids[1])
	if err != nil {
		return fmt.Errorf("gpkg: key index of %s: %w (looking for the duplicate: %v)", l.Name, idxErr, err)
	}
	return e
}

type queryer interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func loadLayers(ctx context.Context, db queryer) (map[string]data.Layer, error) {
	rows, err := db.QueryContext(ctx, `SELECT name, schema FROM gisement_layers`)
	if err != nil {
		return nil, fmt.Errorf("gpkg: read layers: %w", err)
	}
	defer rows.Close()
	return sqlq.ScanLayers(rows, "gpkg")
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("gpkg: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("gpkg: sync %s: %w", path, err)
	}
	return nil
}

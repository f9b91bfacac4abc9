package sqlq

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/gisement/gisement/data"
)

// The metadata queries both stores share (the studies table and the
// gisement_layers schema registry), written once over a small driver
// interface that data/gpkg (database/sql + SQLite) and data/postgis (pgx)
// each adapt.

// Row is one result row (*sql.Row, pgx.Row).
type Row interface{ Scan(dest ...any) error }

// Rows is a result set (*sql.Rows, pgx.Rows); closing it is the caller's.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// Conn is the part of a connection the shared queries need.
type Conn interface {
	QueryRow(ctx context.Context, query string, args ...any) Row
	// Ph is the placeholder of the i-th argument (1-based): "?" or "$i".
	Ph(i int) string
	// NoRows reports whether err means "no row" (sql.ErrNoRows, pgx.ErrNoRows).
	NoRows(err error) bool
	// Name prefixes error messages ("gpkg", "postgis").
	Name() string
}

// VisibleStudies is implemented by a Conn whose studies table also holds
// studies still being written chunk by chunk (data.ChunkStore): StudyVisible
// is the SQL condition on the studies row that keeps them out of sight
// until they are complete.
type VisibleStudies interface {
	StudyVisible() string
}

// ResolveStudy maps "" to the latest study id (by created_at, then id) and
// checks that id exists; a missing study wraps data.ErrNotFound.
func ResolveStudy(ctx context.Context, c Conn, id string) (string, error) {
	var got string
	var err error
	where := ""
	if v, ok := c.(VisibleStudies); ok {
		where = " WHERE " + v.StudyVisible()
	}
	if id == "" {
		err = c.QueryRow(ctx, `SELECT id FROM studies`+where+` ORDER BY created_at DESC, id DESC LIMIT 1`).Scan(&got)
	} else {
		if where == "" {
			where = " WHERE "
		} else {
			where += " AND "
		}
		err = c.QueryRow(ctx, `SELECT id FROM studies`+where+`id = `+c.Ph(1), id).Scan(&got)
	}
	if c.NoRows(err) {
		if id == "" {
			return "", fmt.Errorf("%w: no study stored", data.ErrNotFound)
		}
		return "", fmt.Errorf("%w: study %q", data.ErrNotFound, id)
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", c.Name(), err)
	}
	return got, nil
}

// LayerCounts returns the number of features of study id in each layer,
// for the layers that have some (data.Study.Counts).
func LayerCounts(ctx context.Context, c Conn, layers map[string]data.Layer, id string) (map[string]int64, error) {
	out := map[string]int64{}
	for name := range layers {
		var n int64
		q := fmt.Sprintf(`SELECT count(*) FROM %s WHERE study_id = %s`, Quote(name), c.Ph(1))
		if err := c.QueryRow(ctx, q, id).Scan(&n); err != nil {
			return nil, fmt.Errorf("%s: count %s: %w", c.Name(), name, err)
		}
		if n > 0 {
			out[name] = n
		}
	}
	return out, nil
}

// ScanLayers reads the (name, schema JSON) rows of gisement_layers.
func ScanLayers(rows Rows, store string) (map[string]data.Layer, error) {
	out := map[string]data.Layer{}
	for rows.Next() {
		var name, js string
		if err := rows.Scan(&name, &js); err != nil {
			return nil, fmt.Errorf("%s: read layers: %w", store, err)
		}
		l, err := DecodeLayer(store, name, js)
		if err != nil {
			return nil, err
		}
		out[name] = l
	}
	return out, rows.Err()
}

// DecodeLayer decodes the schema JSON of layer name.
func DecodeLayer(store, name, js string) (data.Layer, error) {
	var l data.Layer
	if err := json.Unmarshal([]byte(js), &l); err != nil {
		return l, fmt.Errorf("%s: layer %s: bad schema JSON: %w", store, name, err)
	}
	return l, nil
}

// ScanAll collects every row of rows with scan.
func ScanAll[T any](rows Rows, scan func(Row) (T, error)) ([]T, error) {
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

//go:build !vectornogpkg

package vector

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	_ "modernc.org/sqlite" // pure-Go SQLite driver "sqlite"

	"github.com/gisement/gisement/geo/crs"
)

// GPKGLayer describes one feature table of a GeoPackage.
type GPKGLayer struct {
	Table, GeomColumn, GeomType string
	SRSID                       int
	Bounds                      *orb.Bound // gpkg_contents extent, nil when not filled in
}

// GPKGLayers lists the feature layers of a GeoPackage (gpkg_contents with
// data_type 'features' joined to gpkg_geometry_columns), by table name.
func GPKGLayers(path string) ([]GPKGLayer, error) {
	db, err := openSQLite(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return gpkgLayers(context.Background(), db, path)
}

func openSQLite(path string) (*sql.DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("vector: %w", err)
	}
	db, err := sql.Open("sqlite", "file:"+abs+"?mode=ro")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

func gpkgLayers(ctx context.Context, db *sql.DB, path string) ([]GPKGLayer, error) {
	rows, err := db.QueryContext(ctx, `SELECT c.table_name, g.column_name, g.geometry_type_name, g.srs_id,
		c.min_x, c.min_y, c.max_x, c.max_y
		FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
		WHERE c.data_type = 'features' ORDER BY c.table_name`)
	if err != nil {
		return nil, fmt.Errorf("%s: not a GeoPackage (gpkg_contents/gpkg_geometry_columns): %v: %w", path, err, ErrMalformed)
	}
	defer rows.Close()
	var out []GPKGLayer
	for rows.Next() {
		var l GPKGLayer
		var minx, miny, maxx, maxy sql.NullFloat64
		if err := rows.Scan(&l.Table, &l.GeomColumn, &l.GeomType, &l.SRSID, &minx, &miny, &maxx, &maxy); err != nil {
			return nil, fmt.Errorf("%s: gpkg_contents: %v: %w", path, err, ErrMalformed)
		}
		if minx.Valid && miny.Valid && maxx.Valid && maxy.Valid {
			l.Bounds = &orb.Bound{Min: orb.Point{minx.Float64, miny.Float64}, Max: orb.Point{maxx.Float64, maxy.Float64}}
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v: %w", path, err, ErrMalformed)
	}
	return out, nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

type gpkgSource struct {
	path    string
	db      *sql.DB
	rows    *sql.Rows
	cols    []string
	geomCol int
	fidCol  int
	vals    []any
	ptrs    []any
	index   int
}

func openGPKG(r *Reader, path string, o OpenOptions) error {
	db, err := openSQLite(path)
	if err != nil {
		return err
	}
	s := &gpkgSource{path: path, db: db, geomCol: -1, fidCol: -1}
	r.src = s
	ctx := context.Background()
	layers, err := gpkgLayers(ctx, db, path)
	if err != nil {
		return err
	}
	var layer *GPKGLayer
	var names []string
	for i := range layers {
		names = append(names, layers[i].Table)
		if o.Layer == "" || strings.EqualFold(layers[i].Table, o.Layer) {
			if layer == nil {
				layer = &layers[i]
			}
		}
	}
	if layer == nil {
		return fmt.Errorf("%s: layer %q not found (feature layers: %v): %w", path, o.Layer, names, ErrNoLayer)
	}
	r.info = LayerInfo{Path: path, Format: FormatGPKG, Layer: layer.Table, Count: -1}

	// CRS.
	var org sql.NullString
	var code sql.NullInt64
	var name, def string
	err = db.QueryRowContext(ctx, `SELECT organization, organization_coordsys_id, srs_name, definition
		FROM gpkg_spatial_ref_sys WHERE srs_id = ?`, layer.SRSID).Scan(&org, &code, &name, &def)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: gpkg_spatial_ref_sys: %v: %w", path, err, ErrMalformed)
	}
	r.info.CRSName = name
	declared := 0
	if err == nil && layer.SRSID > 0 {
		if strings.EqualFold(org.String, "EPSG") && code.Valid {
			declared = int(code.Int64)
		} else if c, _, perr := crs.ParsePRJ(def); perr == nil {
			declared = c
		} else {
			return fmt.Errorf("%s: layer %s: srs_id %d (%s %d %q): %w", path, layer.Table, layer.SRSID, org.String, code.Int64, name, ErrUnsupportedCRS)
		}
	}
	switch {
	case o.EPSG != 0:
		r.info.EPSG, r.info.CRSSource = o.EPSG, CRSFromFlag
	case declared != 0:
		r.info.EPSG, r.info.CRSSource = declared, CRSDeclared
	}
	if r.info.EPSG != 0 && !crs.Supported(r.info.EPSG) {
		return fmt.Errorf("%s: layer %s: EPSG:%d: %w", path, layer.Table, r.info.EPSG, ErrUnsupportedCRS)
	}

	// Count from GDAL's gpkg_ogr_contents when present (no full scan).
	var n sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT feature_count FROM gpkg_ogr_contents WHERE lower(table_name) = lower(?)`, layer.Table).Scan(&n); err == nil && n.Valid {
		r.info.Count = int(n.Int64)
	}

	// Columns, fid.
	trows, err := db.QueryContext(ctx, `SELECT name, pk FROM pragma_table_info(?) ORDER BY cid`, layer.Table)
	if err != nil {
		return fmt.Errorf("%s: table %s: %v: %w", path, layer.Table, err, ErrMalformed)
	}
	for trows.Next() {
		var col string
		var pk int
		if err := trows.Scan(&col, &pk); err != nil {
			trows.Close()
			return fmt.Errorf("%s: table %s: %v: %w", path, layer.Table, err, ErrMalformed)
		}
		switch {
		case strings.EqualFold(col, layer.GeomColumn):
			s.geomCol = len(s.cols)
		case pk == 1 && s.fidCol < 0:
			s.fidCol = len(s.cols)
		default:
			r.info.Fields = append(r.info.Fields, col)
		}
		s.cols = append(s.cols, col)
	}
	trows.Close()
	if s.geomCol < 0 {
		return fmt.Errorf("%s: table %s has no column %q: %w", path, layer.Table, layer.GeomColumn, ErrMalformed)
	}
	q := make([]string, len(s.cols))
	for i, c := range s.cols {
		q[i] = quoteIdent(c)
	}
	order := ""
	if s.fidCol >= 0 {
		order = " ORDER BY " + q[s.fidCol]
	}
	s.rows, err = db.QueryContext(ctx, "SELECT "+strings.Join(q, ", ")+" FROM "+quoteIdent(layer.Table)+order)
	if err != nil {
		return fmt.Errorf("%s: table %s: %v: %w", path, layer.Table, err, ErrMalformed)
	}
	s.vals = make([]any, len(s.cols))
	s.ptrs = make([]any, len(s.cols))
	for i := range s.vals {
		s.ptrs[i] = &s.vals[i]
	}

	if r.info.EPSG == 0 { // undefined SRS: detect from the extent
		if layer.Bounds == nil {
			return fmt.Errorf("%s: layer %s: undefined SRS and no extent; give the EPSG code: %w", path, layer.Table, ErrUnsupportedCRS)
		}
		c, ok := crs.Detect(*layer.Bounds)
		if !ok {
			return fmt.Errorf("%s: layer %s: undefined SRS and extent %v matches no known CRS: %w", path, layer.Table, *layer.Bounds, ErrUnsupportedCRS)
		}
		r.info.EPSG, r.info.CRSSource = c, CRSFromBounds
	}
	if layer.Bounds != nil {
		return r.checkCRS(*layer.Bounds, "gpkg_contents extent")
	}
	return r.readAheadAndCheck()
}

func (s *gpkgSource) next() (Feature, error) {
	if !s.rows.Next() {
		if err := s.rows.Err(); err != nil {
			return Feature{}, fmt.Errorf("%s: row %d: %v: %w", s.path, s.index, err, ErrMalformed)
		}
		return Feature{}, io.EOF
	}
	for i := range s.vals {
		s.vals[i] = nil
	}
	if err := s.rows.Scan(s.ptrs...); err != nil {
		return Feature{}, fmt.Errorf("%s: row %d: %v: %w", s.path, s.index, err, ErrMalformed)
	}
	idx := s.index
	s.index++
	f := Feature{Index: idx, Props: make(map[string]any, len(s.cols))}
	for i, v := range s.vals {
		switch i {
		case s.fidCol:
			switch t := v.(type) {
			case int64:
				f.ID = strconv.FormatInt(t, 10)
			case nil:
			default:
				f.ID = fmt.Sprint(t)
			}
		case s.geomCol:
		default:
			f.Props[s.cols[i]] = sqlValue(v)
		}
	}
	switch blob := s.vals[s.geomCol].(type) {
	case nil:
	case []byte:
		g, _, err := DecodeGPB(blob)
		if err != nil {
			return f, &FeatureError{File: s.path, Index: idx, ID: f.ID, Field: s.cols[s.geomCol], Err: err}
		}
		f.Geometry = g
	default:
		return f, &FeatureError{File: s.path, Index: idx, ID: f.ID, Field: s.cols[s.geomCol],
			Err: fmt.Errorf("%w: geometry column holds %T, want a GeoPackage blob", ErrInvalidGeometry, blob)}
	}
	return f, nil
}

func sqlValue(v any) any {
	switch t := v.(type) {
	case []byte:
		return string(t)
	case time.Time:
		return t.Format(time.RFC3339Nano)
	case int:
		return int64(t)
	}
	return v
}

func (s *gpkgSource) close() error {
	var err error
	if s.rows != nil {
		err = s.rows.Close()
	}
	return errors.Join(err, s.db.Close())
}

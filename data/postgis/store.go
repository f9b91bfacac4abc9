// Package postgis is the PostgreSQL + PostGIS implementation of
// data.Store, for production deployments.
//
// Layout: versioned migrations (schema_migrations) create "studies" and
// "gisement_layers" (layer schemas as JSON); each layer is a table
// (study_id → studies ON DELETE CASCADE, geom geometry(<type>, <srid>), the
// layer columns; text columns use COLLATE "C" so that ordering is bytewise,
// as in GeoPackage) with PRIMARY KEY (study_id, key), a B-tree index on the
// key and a GiST index on geom. A study is written in one transaction:
// delete the study (cascading to its rows in every layer), insert it, COPY
// the features. Readers never see a half-written study.
package postgis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"sort"
	"strings"
	"time"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/internal/sqlq"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// Options configures Open.
type Options struct {
	MaxConns int // connection pool size; 0 = 4
}

// Store is a PostGIS-backed data.Store.
type Store struct {
	pool *pool
}

var _ data.Store = (*Store)(nil)

// Open connects to url (postgres://...), applies pending migrations and
// returns the store.
func Open(ctx context.Context, url string, opt Options) (*Store, error) {
	if opt.MaxConns <= 0 {
		opt.MaxConns = 4
	}
	p, err := newPool(url, opt.MaxConns)
	if err != nil {
		return nil, err
	}
	s := &Store{pool: p}
	if err := p.with(ctx, func(c *pgx.Conn) error { return migrate(ctx, c) }); err != nil {
		p.close()
		return nil, err
	}
	return s, nil
}

// Close closes idle connections.
func (s *Store) Close() error {
	s.pool.close()
	return nil
}

func sqlType(c data.Column) string {
	switch c.Type {
	case data.Integer:
		return "bigint"
	case data.Real:
		return "double precision"
	case data.JSON:
		return "json"
	}
	return `text COLLATE "C"`
}

func geomType(l data.Layer) string {
	switch l.GeomType {
	case data.GeomMultiPolygon:
		return "MultiPolygon"
	case data.GeomPolygon:
		return "Polygon"
	}
	return "Point"
}

func layerDDL(l data.Layer) []string {
	t := sqlq.Quote(l.Name)
	var cols strings.Builder
	for _, c := range l.Columns {
		fmt.Fprintf(&cols, ", %s %s", sqlq.Quote(c.Name), sqlType(c))
	}
	return []string{
		fmt.Sprintf(`CREATE TABLE %s (study_id text COLLATE "C" NOT NULL REFERENCES studies(id) ON DELETE CASCADE, geom geometry(%s, %d) NOT NULL%s, PRIMARY KEY (study_id, %s))`,
			t, geomType(l), l.SRID, cols.String(), sqlq.Quote(l.Key)),
		fmt.Sprintf(`CREATE INDEX %s ON %s USING gist (geom)`, sqlq.Quote(l.Name+"_geom_gist"), t),
		fmt.Sprintf(`CREATE INDEX %s ON %s (%s)`, sqlq.Quote(l.Name+"_key"), t, sqlq.Quote(l.Key)),
	}
}

// WriteStudy implements data.Store: one transaction.
func (s *Store) WriteStudy(ctx context.Context, study data.Study, layers []data.LayerData) error {
	study, err := data.CheckWrite(study, layers, func(name string) bool {
		return name == "studies" || name == "gisement_layers" || name == "schema_migrations" || name == "spatial_ref_sys"
	})
	if err != nil {
		return err
	}
	return s.pool.with(ctx, func(c *pgx.Conn) error {
		tx, err := c.Begin(ctx)
		if err != nil {
			return fmt.Errorf("postgis: begin: %w", err)
		}
		defer tx.Rollback(context.Background())
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(lockID)); err != nil {
			return fmt.Errorf("postgis: lock: %w", err)
		}
		existing, err := loadLayers(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM studies WHERE id = $1`, study.ID); err != nil {
			return fmt.Errorf("postgis: replace study %s: %w", study.ID, err)
		}
		inputs, _ := json.Marshal(study.Inputs)
		if _, err := tx.Exec(ctx, `INSERT INTO studies (id, name, scenario_hash, scenario, created_at, summary, inputs) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			study.ID, study.Name, study.ScenarioHash, jsonArg(study.Scenario), study.CreatedAt, jsonArg(study.Summary), string(inputs)); err != nil {
			return fmt.Errorf("postgis: insert study %s: %w", study.ID, err)
		}
		for _, ld := range layers {
			l := ld.Layer
			if old, ok := existing[l.Name]; ok {
				if !old.SameSchema(l) {
					return fmt.Errorf("%w: layer %s", data.ErrSchemaMismatch, l.Name)
				}
			} else {
				for _, q := range layerDDL(l) {
					if _, err := tx.Exec(ctx, q); err != nil {
						return fmt.Errorf("postgis: create layer %s: %w", l.Name, err)
					}
				}
			}
			js, _ := json.Marshal(l)
			if _, err := tx.Exec(ctx, `INSERT INTO gisement_layers (name, schema) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET schema = EXCLUDED.schema`, l.Name, string(js)); err != nil {
				return fmt.Errorf("postgis: layer %s: %w", l.Name, err)
			}
			if err := copyFeatures(ctx, tx, study.ID, ld); err != nil {
				return err
			}
		}
		if err := tx.Commit(ctx); err != nil {
			return fmt.Errorf("postgis: commit: %w", err)
		}
		return nil
	})
}

func jsonArg(r json.RawMessage) any {
	if len(r) == 0 {
		return nil
	}
	return string(r)
}

// copyFeatures streams a layer's features with COPY (binary protocol).
func copyFeatures(ctx context.Context, tx pgx.Tx, studyID string, ld data.LayerData) error {
	l := ld.Layer
	if ld.Features == nil {
		return nil
	}
	cols := append([]string{"study_id", "geom"}, func() []string {
		n := make([]string, len(l.Columns))
		for i, c := range l.Columns {
			n[i] = c.Name
		}
		return n
	}()...)
	next, stop := iter.Pull2(ld.Features)
	defer stop()
	keyIdx := l.Index(l.Key)
	row := make([]any, len(cols))
	row[0] = studyID
	n := 0
	var srcErr error // pgx reports a source error as text only; keep it to wrap
	src := pgx.CopyFromFunc(func() (r []any, err error) {
		defer func() { srcErr = err }()
		f, ferr, ok := next()
		if !ok {
			return nil, nil
		}
		if ferr != nil {
			return nil, fmt.Errorf("postgis: layer %s: feature source: %w", l.Name, ferr)
		}
		if n++; n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		f, err = data.PrepareFeature(l, keyIdx, f)
		if err != nil {
			return nil, err
		}
		g, err := toGeom(f.Geom, l.SRID)
		if err != nil {
			return nil, fmt.Errorf("layer %s feature %v: %w", l.Name, f.Values[keyIdx], err)
		}
		row[1] = g
		for i, v := range f.Values {
			if r, ok := v.(json.RawMessage); ok {
				v = string(r)
			}
			row[i+2] = v
		}
		return row, nil
	})
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{l.Name}, cols, src); err != nil {
		if srcErr != nil {
			return srcErr
		}
		var pe interface{ SQLState() string }
		if errors.As(err, &pe) && pe.SQLState() == "23505" {
			return fmt.Errorf("%w: layer %s: duplicate key: %w", data.ErrInvalidValue, l.Name, err)
		}
		return fmt.Errorf("postgis: copy layer %s: %w", l.Name, err)
	}
	return nil
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func loadLayers(ctx context.Context, q querier) (map[string]data.Layer, error) {
	rows, err := q.Query(ctx, `SELECT name, schema::text FROM gisement_layers`)
	if err != nil {
		return nil, fmt.Errorf("postgis: layers: %w", err)
	}
	defer rows.Close()
	return sqlq.ScanLayers(rows, "postgis")
}

func layerOf(ctx context.Context, q querier, name string) (data.Layer, error) {
	var js string
	err := q.QueryRow(ctx, `SELECT schema::text FROM gisement_layers WHERE name = $1`, name).Scan(&js)
	if errors.Is(err, pgx.ErrNoRows) {
		return data.Layer{}, fmt.Errorf("%w: layer %q", data.ErrNotFound, name)
	}
	if err != nil {
		return data.Layer{}, fmt.Errorf("postgis: layer %s: %w", name, err)
	}
	return sqlq.DecodeLayer("postgis", name, js)
}

func resolveStudy(ctx context.Context, q querier, id string) (string, error) {
	return sqlq.ResolveStudy(ctx, pgConn{q}, id)
}

// pgConn adapts a pgx connection or transaction to sqlq.Conn.
type pgConn struct{ q querier }

func (c pgConn) QueryRow(ctx context.Context, query string, args ...any) sqlq.Row {
	return c.q.QueryRow(ctx, query, args...)
}
func (pgConn) Ph(i int) string       { return dollar(i) }
func (pgConn) NoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }
func (pgConn) Name() string          { return "postgis" }

const studyCols = `id, name, scenario_hash, scenario::text, created_at, summary::text, inputs::text`

func scanStudy(r sqlq.Row) (data.Study, error) {
	var st data.Study
	var name, hash, scen, summ, inputs *string
	var created time.Time
	if err := r.Scan(&st.ID, &name, &hash, &scen, &created, &summ, &inputs); err != nil {
		return st, err
	}
	if name != nil {
		st.Name = *name
	}
	if hash != nil {
		st.ScenarioHash = *hash
	}
	if scen != nil {
		st.Scenario = json.RawMessage(*scen)
	}
	if summ != nil {
		st.Summary = json.RawMessage(*summ)
	}
	if inputs != nil && *inputs != "null" {
		if err := json.Unmarshal([]byte(*inputs), &st.Inputs); err != nil {
			return st, fmt.Errorf("postgis: study %s inputs: %w", st.ID, err)
		}
	}
	st.CreatedAt = created.UTC()
	return st, nil
}

// Study implements data.Store.
func (s *Store) Study(ctx context.Context, id string) (data.Study, error) {
	var st data.Study
	err := s.pool.with(ctx, func(c *pgx.Conn) error {
		id, err := resolveStudy(ctx, c, id)
		if err != nil {
			return err
		}
		if st, err = scanStudy(c.QueryRow(ctx, `SELECT `+studyCols+` FROM studies WHERE id = $1`, id)); err != nil {
			return fmt.Errorf("postgis: study %s: %w", id, err)
		}
		layers, err := loadLayers(ctx, c)
		if err != nil {
			return err
		}
		st.Counts, err = sqlq.LayerCounts(ctx, pgConn{c}, layers, id)
		return err
	})
	return st, err
}

// Studies implements data.Store.
func (s *Store) Studies(ctx context.Context) ([]data.Study, error) {
	var out []data.Study
	err := s.pool.with(ctx, func(c *pgx.Conn) error {
		rows, err := c.Query(ctx, `SELECT `+studyCols+` FROM studies ORDER BY created_at DESC, id DESC`)
		if err != nil {
			return fmt.Errorf("postgis: studies: %w", err)
		}
		defer rows.Close()
		out, err = sqlq.ScanAll(rows, scanStudy)
		return err
	})
	return out, err
}

// Layers implements data.Store.
func (s *Store) Layers(ctx context.Context) ([]data.Layer, error) {
	var out []data.Layer
	err := s.pool.with(ctx, func(c *pgx.Conn) error {
		m, err := loadLayers(ctx, c)
		for _, l := range m {
			out = append(out, l)
		}
		return err
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// Layer implements data.Store.
func (s *Store) Layer(ctx context.Context, name string) (data.Layer, error) {
	var l data.Layer
	err := s.pool.with(ctx, func(c *pgx.Conn) error {
		var err error
		l, err = layerOf(ctx, c, name)
		return err
	})
	return l, err
}

// selectList renders "ST_AsBinary(geom), cols" (JSON columns as text).
func selectList(l data.Layer) string {
	parts := []string{"ST_AsBinary(geom)"}
	for _, c := range l.Columns {
		if c.Type == data.JSON {
			parts = append(parts, sqlq.Quote(c.Name)+"::text")
		} else {
			parts = append(parts, sqlq.Quote(c.Name))
		}
	}
	return strings.Join(parts, ", ")
}

func scanFeatures(rows pgx.Rows, l data.Layer) ([]data.Feature, error) {
	defer rows.Close()
	var out []data.Feature
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return nil, fmt.Errorf("postgis: layer %s: %w", l.Name, err)
		}
		f := data.Feature{Values: make([]any, len(l.Columns))}
		if b, ok := vals[0].([]byte); ok {
			if f.Geom, err = wkb.Unmarshal(b); err != nil {
				return nil, fmt.Errorf("postgis: layer %s: geometry: %w", l.Name, err)
			}
		}
		for i, c := range l.Columns {
			if f.Values[i], err = sqlq.FromDB(c, vals[i+1]); err != nil {
				return nil, fmt.Errorf("postgis: layer %s: %w", l.Name, err)
			}
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func dollar(n int) string { return fmt.Sprintf("$%d", n) }

// Get implements data.Store.
func (s *Store) Get(ctx context.Context, study, layer, key string) (data.Feature, error) {
	var f data.Feature
	err := s.pool.with(ctx, func(c *pgx.Conn) error {
		l, err := layerOf(ctx, c, layer)
		if err != nil {
			return err
		}
		id, err := resolveStudy(ctx, c, study)
		if err != nil {
			return err
		}
		k, err := sqlq.ParseKey(l, key)
		if err != nil {
			return err
		}
		rows, err := c.Query(ctx, fmt.Sprintf(`SELECT %s FROM %s WHERE study_id = $1 AND %s = $2`, selectList(l), sqlq.Quote(l.Name), sqlq.Quote(l.Key)), id, k)
		if err != nil {
			return fmt.Errorf("postgis: get %s/%s: %w", layer, key, err)
		}
		fs, err := scanFeatures(rows, l)
		if err != nil {
			return err
		}
		if len(fs) == 0 {
			return fmt.Errorf("%w: %s %s=%q in study %s", data.ErrNotFound, layer, l.Key, key, id)
		}
		f = fs[0]
		return nil
	})
	return f, err
}

// envFilter: GiST (&&, float4 boxes) then an exact envelope re-check, the
// same semantics as the GeoPackage store.
func envFilter(l data.Layer, b orb.Bound, next int) (string, []any, int) {
	p := func(i int) string { return dollar(next + i) }
	cond := fmt.Sprintf(`geom && ST_MakeEnvelope(%s, %s, %s, %s, %d) AND ST_XMax(geom) >= %s AND ST_XMin(geom) <= %s AND ST_YMax(geom) >= %s AND ST_YMin(geom) <= %s`,
		p(0), p(1), p(2), p(3), l.SRID, p(0), p(2), p(1), p(3))
	return cond, []any{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}, next + 4
}

// dialect is PostgreSQL's rendering of the feature query (sqlq.Plan.Conds).
var dialect = sqlq.Dialect{
	Ph:       dollar,
	Study:    func(bool) string { return "study_id = $1" },
	Envelope: envFilter,
}

// Query implements data.Store.
func (s *Store) Query(ctx context.Context, layer string, q data.Query) (data.Page, error) {
	var page data.Page
	err := s.pool.with(ctx, func(c *pgx.Conn) error {
		l, err := layerOf(ctx, c, layer)
		if err != nil {
			return err
		}
		p, err := sqlq.NewPlan(l, q)
		if err != nil {
			return err
		}
		id, err := resolveStudy(ctx, c, q.Study)
		if err != nil {
			return err
		}
		where, args, limit, err := p.Conds(dialect, id, q.BBox)
		if err != nil {
			return err
		}
		rows, err := c.Query(ctx, fmt.Sprintf(`SELECT %s FROM %s WHERE %s ORDER BY %s LIMIT %s`,
			selectList(l), sqlq.Quote(l.Name), where, p.OrderBy(), limit), args...)
		if err != nil {
			return fmt.Errorf("postgis: query %s: %w", layer, err)
		}
		fs, err := scanFeatures(rows, l)
		if err != nil {
			return err
		}
		page = p.Page(fs)
		return nil
	})
	return page, err
}

// Summary implements data.Store with ST_Intersects in the layer SRID.
func (s *Store) Summary(ctx context.Context, study, layer string, within orb.Geometry, sumColumns []string) (data.Totals, error) {
	tot := data.Totals{Sums: map[string]float64{}}
	err := s.pool.with(ctx, func(c *pgx.Conn) error {
		l, err := layerOf(ctx, c, layer)
		if err != nil {
			return err
		}
		sel := []string{"count(*)"}
		for _, name := range sumColumns {
			col, err := l.Column(name)
			if err != nil {
				return err
			}
			if !col.Type.Numeric() {
				return fmt.Errorf("%w: cannot sum %s column %s", data.ErrInvalidQuery, col.Type, name)
			}
			sel = append(sel, fmt.Sprintf("coalesce(sum(%s)::float8, 0)", sqlq.Quote(name)))
		}
		id, err := resolveStudy(ctx, c, study)
		if err != nil {
			return err
		}
		where, args := "study_id = $1", []any{id}
		if within != nil {
			b := within.Bound()
			if _, err := data.BoundFromWGS84(b, data.SRIDWGS84); err != nil || within.Dimensions() < 0 {
				return fmt.Errorf("%w: zone geometry %T has non-finite or out-of-range lon/lat coordinates", data.ErrInvalidQuery, within)
			}
			g, err := data.FromWGS84(within, l.SRID)
			if err != nil {
				return err
			}
			wb, err := wkb.Marshal(g)
			if err != nil {
				return fmt.Errorf("%w: zone geometry: %w", data.ErrInvalidQuery, err)
			}
			where += fmt.Sprintf(" AND ST_Intersects(geom, ST_GeomFromWKB($2, %d))", l.SRID)
			args = append(args, wb)
		}
		dest := make([]any, len(sel))
		dest[0] = &tot.Count
		sums := make([]float64, len(sumColumns))
		for i := range sums {
			dest[i+1] = &sums[i]
		}
		if err := c.QueryRow(ctx, fmt.Sprintf(`SELECT %s FROM %s WHERE %s`, strings.Join(sel, ", "), sqlq.Quote(l.Name), where), args...).Scan(dest...); err != nil {
			return fmt.Errorf("postgis: summary %s: %w", layer, err)
		}
		for i, name := range sumColumns {
			tot.Sums[name] = sums[i]
		}
		return nil
	})
	return tot, err
}

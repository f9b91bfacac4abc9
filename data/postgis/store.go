// Package postgis is the PostgreSQL + PostGIS implementation of
// data.Store and data.ChunkStore, for production deployments and for
// distributed studies (several workers writing the chunks of one study).
//
// Layout: versioned migrations (schema_migrations) create "studies" and
// "gisement_layers" (layer schemas as JSON); each layer is a table
// (study_id → studies ON DELETE CASCADE, chunk, geom geometry(<type>,
// <srid>), the layer columns; text columns use COLLATE "C" so that ordering
// is bytewise, as in GeoPackage) with PRIMARY KEY (study_id, key), a B-tree
// index on the key, one on (study_id, chunk) and a GiST index on geom.
//
// Layer tables are LIST-partitioned by study: every study has its own
// partition of every layer (named gp_<hash>, recorded in
// gisement_partitions), so that at 50 M buildings a study's indexes are
// its own (a GiST of one study, not of every study stored), a query, which
// always names one study, reads one partition, and an operator can drop a
// whole study's rows at once (DROP TABLE of its partitions). Partitions are
// created in a short transaction of their own before a study's rows are
// written (DDL locks the whole partitioned table: never while copying);
// replacing a study deletes its rows, which locks nothing of other studies.
// Tables created by an earlier version (plain tables) keep working
// unpartitioned.
//
// A study written at once (WriteStudy) is one transaction: delete the study
// (cascading to its rows), insert it, COPY the features. A study written chunk by
// chunk (ChunkStore: BeginStudy, WriteChunk, FinishStudy) stays invisible
// to readers (studies.complete = false) until FinishStudy commits; each
// chunk's rows carry its chunk number, so that a retried chunk replaces its
// rows. Readers never see a half-written study.
package postgis

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"sort"
	"strings"
	"sync"
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
	// ready caches the (layer, study) pairs whose table and partition
	// exist, so that WriteChunk takes the global lock only on first use.
	ready sync.Map
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
		fmt.Sprintf(`CREATE TABLE %s (study_id text COLLATE "C" NOT NULL REFERENCES studies(id) ON DELETE CASCADE, chunk integer, geom geometry(%s, %d) NOT NULL%s, PRIMARY KEY (study_id, %s)) PARTITION BY LIST (study_id)`,
			t, geomType(l), l.SRID, cols.String(), sqlq.Quote(l.Key)),
		fmt.Sprintf(`CREATE INDEX %s ON %s USING gist (geom)`, sqlq.Quote(l.Name+"_geom_gist"), t),
		fmt.Sprintf(`CREATE INDEX %s ON %s (%s)`, sqlq.Quote(l.Name+"_key"), t, sqlq.Quote(l.Key)),
		fmt.Sprintf(`CREATE INDEX %s ON %s (study_id, chunk)`, sqlq.Quote(l.Name+"_chunk"), t),
	}
}

// reservedName reports the store's own tables, which no layer may be named
// after: the metadata tables and every gisement_* table.
func reservedName(name string) bool {
	return name == "studies" || name == "schema_migrations" || name == "spatial_ref_sys" || strings.HasPrefix(name, "gisement_")
}

// WriteStudy implements data.Store: one transaction.
func (s *Store) WriteStudy(ctx context.Context, study data.Study, layers []data.LayerData) error {
	study, err := data.CheckWrite(study, layers, reservedName)
	if err != nil {
		return err
	}
	// Tables and the study's partitions first, in a short transaction of
	// their own: DDL on a partitioned table locks it whole, which must not
	// last while the rows are copied (readers of other studies would wait).
	if err := s.prepare(ctx, study.ID, layerSchemas(layers), true); err != nil {
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
		if err := deleteStudy(ctx, tx, study.ID); err != nil {
			return err
		}
		if err := insertStudy(ctx, tx, study, true, nil); err != nil {
			return err
		}
		for _, ld := range layers {
			if err := copyFeatures(ctx, tx, study.ID, nil, ld); err != nil {
				return err
			}
		}
		if err := tx.Commit(ctx); err != nil {
			return fmt.Errorf("postgis: commit: %w", err)
		}
		return nil
	})
}

func layerSchemas(layers []data.LayerData) []data.Layer {
	out := make([]data.Layer, len(layers))
	for i, ld := range layers {
		out[i] = ld.Layer
	}
	return out
}

// insertStudy inserts the studies row; complete = false hides it from
// readers until FinishStudy, chunks is its planned chunk count.
func insertStudy(ctx context.Context, tx pgx.Tx, study data.Study, complete bool, chunks *int) error {
	inputs, _ := json.Marshal(study.Inputs)
	if _, err := tx.Exec(ctx, `INSERT INTO studies (id, name, scenario_hash, scenario, created_at, summary, inputs, complete, chunks) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		study.ID, study.Name, study.ScenarioHash, jsonArg(study.Scenario), study.CreatedAt, jsonArg(study.Summary), string(inputs), complete, chunks); err != nil {
		return fmt.Errorf("postgis: insert study %s: %w", study.ID, err)
	}
	return nil
}

// prepareLayers creates the missing layer tables (checking the schema of
// the existing ones), records their schemas, adds the chunk column to a
// table created before chunked writes, and creates the study's partition
// of each partitioned layer. The caller holds the lockID advisory lock.
func prepareLayers(ctx context.Context, tx pgx.Tx, studyID string, layers []data.Layer) error {
	existing, err := loadLayers(ctx, tx)
	if err != nil {
		return err
	}
	for _, l := range layers {
		if old, ok := existing[l.Name]; ok {
			if !old.SameSchema(l) {
				return fmt.Errorf("%w: layer %s", data.ErrSchemaMismatch, l.Name)
			}
			// Tables created before migration 2 are plain tables without
			// the chunk column: add it (NULL = written at once). Checked
			// first: ALTER TABLE locks the table even when it does nothing.
			var has bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'chunk' AND NOT attisdropped)`, sqlq.Quote(l.Name)).Scan(&has); err != nil {
				return fmt.Errorf("postgis: layer %s: %w", l.Name, err)
			}
			if !has {
				if _, err := tx.Exec(ctx, fmt.Sprintf(`ALTER TABLE %s ADD COLUMN chunk integer`, sqlq.Quote(l.Name))); err != nil {
					return fmt.Errorf("postgis: layer %s: %w", l.Name, err)
				}
				if _, err := tx.Exec(ctx, fmt.Sprintf(`CREATE INDEX %s ON %s (study_id, chunk)`, sqlq.Quote(l.Name+"_chunk"), sqlq.Quote(l.Name))); err != nil {
					return fmt.Errorf("postgis: layer %s: %w", l.Name, err)
				}
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
		if err := createPartition(ctx, tx, l.Name, studyID); err != nil {
			return err
		}
	}
	return nil
}

// partitionName is the table name of the partition of parent holding key:
// "gp_" and 24 hex digits of SHA-256(parent, key), within PostgreSQL's
// 63-byte identifiers whatever the study id.
func partitionName(parent, key string) string {
	h := sha256.Sum256([]byte(parent + "\x00" + key))
	return "gp_" + hex.EncodeToString(h[:12])
}

// createPartition creates the LIST partition of parent for key when parent
// is partitioned (tables created before migration 2 are not) and it does
// not exist yet. The caller holds the lockID advisory lock.
func createPartition(ctx context.Context, tx pgx.Tx, parent, key string) error {
	var kind string
	if err := tx.QueryRow(ctx, `SELECT relkind::text FROM pg_class WHERE oid = to_regclass($1)`, sqlq.Quote(parent)).Scan(&kind); err != nil {
		return fmt.Errorf("postgis: table %s: %w", parent, err)
	}
	if kind != "p" {
		return nil
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM gisement_partitions WHERE parent = $1 AND key = $2`, parent, key).Scan(&n); err != nil {
		return fmt.Errorf("postgis: partitions of %s: %w", parent, err)
	}
	if n > 0 {
		return nil
	}
	part := partitionName(parent, key)
	// DDL takes no parameters: the key is written as a quoted literal.
	lit := "'" + strings.ReplaceAll(key, "'", "''") + "'"
	if _, err := tx.Exec(ctx, fmt.Sprintf(`CREATE TABLE %s PARTITION OF %s FOR VALUES IN (%s)`, sqlq.Quote(part), sqlq.Quote(parent), lit)); err != nil {
		return fmt.Errorf("postgis: partition of %s for %q: %w", parent, key, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO gisement_partitions (parent, key, part) VALUES ($1, $2, $3)`, parent, key, part); err != nil {
		return fmt.Errorf("postgis: partition of %s for %q: %w", parent, key, err)
	}
	return nil
}

// dropPartitions drops the partitions holding key in every partitioned
// table (the layers' for a study id, gisement_stage's for a stage id).
func dropPartitions(ctx context.Context, tx pgx.Tx, key string, parents ...string) error {
	q := `SELECT part FROM gisement_partitions WHERE key = $1`
	args := []any{key}
	if len(parents) > 0 {
		q += ` AND parent = ANY($2)`
		args = append(args, parents)
	}
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("postgis: partitions of %q: %w", key, err)
	}
	parts, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("postgis: partitions of %q: %w", key, err)
	}
	for _, p := range parts {
		if _, err := tx.Exec(ctx, `DROP TABLE IF EXISTS `+sqlq.Quote(p)); err != nil {
			return fmt.Errorf("postgis: drop partition %s: %w", p, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM gisement_partitions WHERE part = $1`, p); err != nil {
			return fmt.Errorf("postgis: drop partition %s: %w", p, err)
		}
	}
	return nil
}

// deleteStudy removes a study row, cascading to its rows in every layer
// and to its chunk partials: row deletions in the study's own partitions,
// which lock no other study's rows (the partitions stay, to be reused).
func deleteStudy(ctx context.Context, tx pgx.Tx, id string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM studies WHERE id = $1`, id); err != nil {
		return fmt.Errorf("postgis: replace study %s: %w", id, err)
	}
	return nil
}

func jsonArg(r json.RawMessage) any {
	if len(r) == 0 {
		return nil
	}
	return string(r)
}

// copyFeatures streams a layer's features with COPY (binary protocol).
// chunk is the chunk the rows belong to (nil: a study written at once).
func copyFeatures(ctx context.Context, tx pgx.Tx, studyID string, chunk *int, ld data.LayerData) error {
	l := ld.Layer
	if ld.Features == nil {
		return nil
	}
	cols := append([]string{"study_id", "chunk", "geom"}, func() []string {
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
	if chunk != nil {
		row[1] = int32(*chunk)
	}
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
		row[2] = g
		for i, v := range f.Values {
			if r, ok := v.(json.RawMessage); ok {
				v = string(r)
			}
			row[i+3] = v
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

// StudyVisible hides the studies still being written chunk by chunk
// (sqlq.VisibleStudies).
func (pgConn) StudyVisible() string { return "complete" }

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
		rows, err := c.Query(ctx, `SELECT `+studyCols+` FROM studies WHERE complete ORDER BY created_at DESC, id DESC`)
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

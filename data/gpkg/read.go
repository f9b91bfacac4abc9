package gpkg

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/internal/sqlq"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	sfgeom "github.com/peterstace/simplefeatures/geom"
)

func scanStudy(sc sqlq.Row) (data.Study, error) {
	var st data.Study
	var name, hash, scen, summ, inputs sql.NullString
	var created string
	if err := sc.Scan(&st.ID, &name, &hash, &scen, &created, &summ, &inputs); err != nil {
		return st, err
	}
	st.Name, st.ScenarioHash = name.String, hash.String
	if scen.Valid {
		st.Scenario = json.RawMessage(scen.String)
	}
	if summ.Valid {
		st.Summary = json.RawMessage(summ.String)
	}
	if inputs.Valid && inputs.String != "" && inputs.String != "null" {
		if err := json.Unmarshal([]byte(inputs.String), &st.Inputs); err != nil {
			return st, fmt.Errorf("gpkg: study %s: inputs: %w", st.ID, err)
		}
	}
	t, err := time.Parse(timeLayout, created)
	if err != nil {
		return st, fmt.Errorf("gpkg: study %s: created_at %q: %w", st.ID, created, err)
	}
	st.CreatedAt = t
	return st, nil
}

const studyCols = `id, name, scenario_hash, scenario, created_at, summary, inputs`

// sqlConn adapts a database/sql handle to sqlq.Conn.
type sqlConn struct {
	q interface {
		QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	}
}

func (c sqlConn) QueryRow(ctx context.Context, query string, args ...any) sqlq.Row {
	return c.q.QueryRowContext(ctx, query, args...)
}
func (sqlConn) Ph(int) string         { return "?" }
func (sqlConn) NoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
func (sqlConn) Name() string          { return "gpkg" }

// Study implements data.Store.
func (s *Store) Study(ctx context.Context, id string) (data.Study, error) {
	var st data.Study
	err := s.withReader(func(r *reader) error {
		id, err := r.resolveStudy(ctx, id)
		if err != nil {
			return err
		}
		st, err = scanStudy(r.db.QueryRowContext(ctx, `SELECT `+studyCols+` FROM studies WHERE id = ?`, id))
		if err != nil {
			return fmt.Errorf("gpkg: study %s: %w", id, err)
		}
		st.Counts, err = sqlq.LayerCounts(ctx, sqlConn{r.db}, r.layers, id)
		return err
	})
	return st, err
}

// Studies implements data.Store.
func (s *Store) Studies(ctx context.Context) ([]data.Study, error) {
	var out []data.Study
	err := s.withDB(func(db *sql.DB) error {
		rows, err := db.QueryContext(ctx, `SELECT `+studyCols+` FROM studies ORDER BY created_at DESC, id DESC`)
		if err != nil {
			return fmt.Errorf("gpkg: studies: %w", err)
		}
		defer rows.Close()
		out, err = sqlq.ScanAll(rows, scanStudy)
		return err
	})
	if errors.Is(err, data.ErrNotFound) {
		return nil, nil // no file yet: no studies
	}
	return out, err
}

// Layers implements data.Store (from the reader's cache; each call returns
// copies the caller may modify).
func (s *Store) Layers(ctx context.Context) ([]data.Layer, error) {
	var out []data.Layer
	err := s.withReader(func(r *reader) error {
		for _, l := range r.layers {
			out = append(out, cloneLayer(l))
		}
		return nil
	})
	if errors.Is(err, data.ErrNotFound) {
		return nil, nil
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// Layer implements data.Store.
func (s *Store) Layer(ctx context.Context, name string) (data.Layer, error) {
	var l data.Layer
	err := s.withReader(func(r *reader) error {
		var err error
		l, err = r.layer(name)
		l = cloneLayer(l)
		return err
	})
	return l, err
}

func cloneLayer(l data.Layer) data.Layer {
	l.Columns = slices.Clone(l.Columns)
	return l
}

// scanFeatures reads rows of (geom, columns...) into features.
func scanFeatures(rows *sql.Rows, l data.Layer, max int) ([]data.Feature, error) {
	defer rows.Close()
	raw := make([]any, len(l.Columns)+1)
	dest := make([]any, len(raw))
	for i := range raw {
		dest[i] = &raw[i]
	}
	var out []data.Feature
	for rows.Next() && (max < 0 || len(out) < max) {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("gpkg: layer %s: %w", l.Name, err)
		}
		f := data.Feature{Values: make([]any, len(l.Columns))}
		if blob, ok := raw[0].([]byte); ok {
			g, err := decodeGeom(blob)
			if err != nil {
				return nil, fmt.Errorf("gpkg: layer %s: %w", l.Name, err)
			}
			f.Geom = g
		}
		for i, c := range l.Columns {
			v, err := sqlq.FromDB(c, raw[i+1])
			if err != nil {
				return nil, fmt.Errorf("gpkg: layer %s: %w", l.Name, err)
			}
			f.Values[i] = v
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Get implements data.Store.
func (s *Store) Get(ctx context.Context, study, layer, key string) (data.Feature, error) {
	var f data.Feature
	err := s.withReader(func(r *reader) error {
		l, err := r.layer(layer)
		if err != nil {
			return err
		}
		id, err := r.resolveStudy(ctx, study)
		if err != nil {
			return err
		}
		k, err := sqlq.ParseKey(l, key)
		if err != nil {
			return err
		}
		st, err := r.stmt(ctx, fmt.Sprintf(`SELECT geom, %s FROM %s WHERE study_id = ? AND %s = ?`, sqlq.Columns(l), sqlq.Quote(l.Name), sqlq.Quote(l.Key)))
		if err != nil {
			return fmt.Errorf("gpkg: get %s/%s: %w", layer, key, err)
		}
		rows, err := st.QueryContext(ctx, id, k)
		if err != nil {
			return fmt.Errorf("gpkg: get %s/%s: %w", layer, key, err)
		}
		fs, err := scanFeatures(rows, l, 1)
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

// envFilter is the spatial prefilter: the R-tree (float32, conservative),
// then an exact re-check of the envelope stored in the geometry header.
func envFilter(layer string, b orb.Bound) (string, []any) {
	cond := fmt.Sprintf(`fid IN (SELECT id FROM %s WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?) AND ST_MaxX(geom) >= ? AND ST_MinX(geom) <= ? AND ST_MaxY(geom) >= ? AND ST_MinY(geom) <= ?`,
		sqlq.Quote(rtreeName(layer)))
	a := []any{b.Min[0], b.Max[0], b.Min[1], b.Max[1]}
	return cond, append(a, a...)
}

// dialect is SQLite's rendering of the feature query (sqlq.Plan.Conds).
var dialect = sqlq.Dialect{
	Ph: func(int) string { return "?" },
	Study: func(spatial bool) string {
		if spatial {
			return noIndexStudy
		}
		return "study_id = ?"
	},
	Envelope: func(l data.Layer, b orb.Bound, next int) (string, []any, int) {
		c, a := envFilter(l.Name, b)
		return c, a, next + len(a)
	},
}

// noIndexStudy is the study condition of spatial queries: the unary "+"
// keeps SQLite from walking the (study_id, key) index over every feature of
// the study and testing each against the R-tree list (its default plan,
// measured at ~15,000 rows per 300 m box on the sample study); the query is
// then driven by the R-tree candidates, sorted afterwards.
const noIndexStudy = "+study_id = ?"

// Query implements data.Store.
func (s *Store) Query(ctx context.Context, layer string, q data.Query) (data.Page, error) {
	var page data.Page
	err := s.withReader(func(r *reader) error {
		l, err := r.layer(layer)
		if err != nil {
			return err
		}
		p, err := sqlq.NewPlan(l, q)
		if err != nil {
			return err
		}
		id, err := r.resolveStudy(ctx, q.Study)
		if err != nil {
			return err
		}
		where, args, limit, err := p.Conds(dialect, id, q.BBox)
		if err != nil {
			return err
		}
		// The statement text depends only on which criteria are set (values
		// are bound), so a few prepared statements cover all queries.
		st, err := r.stmt(ctx, fmt.Sprintf(`SELECT geom, %s FROM %s WHERE %s ORDER BY %s LIMIT %s`,
			sqlq.Columns(l), sqlq.Quote(l.Name), where, p.OrderBy(), limit))
		if err != nil {
			return fmt.Errorf("gpkg: query %s: %w", layer, err)
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return fmt.Errorf("gpkg: query %s: %w", layer, err)
		}
		fs, err := scanFeatures(rows, l, p.Limit+1)
		if err != nil {
			return err
		}
		page = p.Page(fs)
		return nil
	})
	return page, err
}

// Summary implements data.Store. The zone is tested exactly against each
// candidate geometry with simplefeatures (geom.Intersects) after the R-tree
// and envelope prefilter.
func (s *Store) Summary(ctx context.Context, study, layer string, within orb.Geometry, sumColumns []string) (data.Totals, error) {
	tot := data.Totals{Sums: map[string]float64{}}
	err := s.withReader(func(r *reader) error {
		db := r.db
		l, err := r.layer(layer)
		if err != nil {
			return err
		}
		idx := make([]int, len(sumColumns))
		for i, name := range sumColumns {
			c, err := l.Column(name)
			if err != nil {
				return err
			}
			if !c.Type.Numeric() {
				return fmt.Errorf("%w: cannot sum %s column %s", data.ErrInvalidQuery, c.Type, name)
			}
			idx[i] = l.Index(name)
			tot.Sums[name] = 0
		}
		id, err := r.resolveStudy(ctx, study)
		if err != nil {
			return err
		}
		conds := []string{"study_id = ?"}
		args := []any{id}
		var zone sfgeom.Geometry
		var intersects func(sfgeom.Geometry) bool
		if within != nil {
			var zb orb.Bound
			zone, zb, err = zoneGeometry(within, l.SRID)
			if err != nil {
				return err
			}
			if intersects, err = zoneTest(zone); err != nil {
				return err
			}
			c, a := envFilter(l.Name, zb)
			conds[0] = noIndexStudy
			conds = append(conds, c)
			args = append(args, a...)
		}
		cols := make([]string, len(sumColumns))
		for i, n := range sumColumns {
			cols[i] = ", " + sqlq.Quote(n)
		}
		rows, err := db.QueryContext(ctx, fmt.Sprintf(`SELECT geom%s FROM %s WHERE %s`, strings.Join(cols, ""), sqlq.Quote(l.Name), strings.Join(conds, " AND ")), args...)
		if err != nil {
			return fmt.Errorf("gpkg: summary %s: %w", layer, err)
		}
		defer rows.Close()
		raw := make([]any, len(sumColumns)+1)
		dest := make([]any, len(raw))
		for i := range raw {
			dest[i] = &raw[i]
		}
		for n := 0; rows.Next(); n++ {
			if n%summaryYieldRows == summaryYieldRows-1 {
				// A zone summary can test thousands of candidates: yield the
				// processor regularly so that short requests queued behind
				// it on the same Go P (parcel lookups) need not wait for the
				// runtime's 10 ms preemption.
				runtime.Gosched()
			}
			if err := rows.Scan(dest...); err != nil {
				return fmt.Errorf("gpkg: summary %s: %w", layer, err)
			}
			if within != nil {
				blob, _ := raw[0].([]byte)
				body, err := wkbBody(blob)
				if err != nil {
					return fmt.Errorf("gpkg: summary %s: %w", layer, err)
				}
				g, err := sfgeom.UnmarshalWKB(body, sfgeom.NoValidate{})
				if err != nil {
					return fmt.Errorf("gpkg: summary %s: %w", layer, err)
				}
				if !intersects(g) {
					continue
				}
			}
			tot.Count++
			for i, name := range sumColumns {
				switch x := raw[i+1].(type) {
				case int64:
					tot.Sums[name] += float64(x)
				case float64:
					tot.Sums[name] += x
				}
			}
		}
		return rows.Err()
	})
	return tot, err
}

// zoneGeometry converts a lon/lat zone to the layer SRID as a
// simplefeatures geometry.
func zoneGeometry(within orb.Geometry, srid int) (sfgeom.Geometry, orb.Bound, error) {
	if !validZone(within) {
		return sfgeom.Geometry{}, orb.Bound{}, fmt.Errorf("%w: zone geometry %T is empty or has non-finite or out-of-range lon/lat coordinates", data.ErrInvalidQuery, within)
	}
	g, err := data.FromWGS84(within, srid)
	if err != nil {
		return sfgeom.Geometry{}, orb.Bound{}, err
	}
	b, err := wkb.Marshal(g)
	if err != nil {
		return sfgeom.Geometry{}, orb.Bound{}, fmt.Errorf("%w: zone geometry: %w", data.ErrInvalidQuery, err)
	}
	z, err := sfgeom.UnmarshalWKB(b, sfgeom.NoValidate{})
	if err != nil {
		return sfgeom.Geometry{}, orb.Bound{}, fmt.Errorf("%w: zone geometry: %w", data.ErrInvalidQuery, err)
	}
	return z, g.Bound(), nil
}

// summaryYieldRows is how many candidate rows Summary tests between two
// yields of the processor.
const summaryYieldRows = 32

// preparedZoneVertices is the zone size above which the zone is prepared
// (simplefeatures' port of JTS PreparedGeometry: its edges indexed once) for
// the intersection tests; below it the per-call test is cheaper than the
// conversion of each candidate to a JTS geometry.
const preparedZoneVertices = 256

// zoneTest returns the intersection test of candidates against zone,
// prepared once per query for complex zones.
func zoneTest(zone sfgeom.Geometry) (func(sfgeom.Geometry) bool, error) {
	if zone.DumpCoordinates().Length() <= preparedZoneVertices {
		return func(g sfgeom.Geometry) bool { return sfgeom.Intersects(g, zone) }, nil
	}
	p, err := sfgeom.Prepare(zone)
	if err != nil {
		return nil, fmt.Errorf("%w: zone geometry: %w", data.ErrInvalidQuery, err)
	}
	return func(g sfgeom.Geometry) bool {
		ok, err := p.Intersects(g)
		if err != nil { // not expected for valid WKB: fall back to the exact test
			return sfgeom.Intersects(g, zone)
		}
		return ok
	}, nil
}

func validZone(g orb.Geometry) bool {
	if g == nil {
		return false
	}
	b := g.Bound()
	_, err := data.BoundFromWGS84(b, data.SRIDWGS84)
	return err == nil
}

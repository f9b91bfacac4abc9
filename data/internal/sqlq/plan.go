// Package sqlq builds the parts of a feature query that the GeoPackage and
// PostGIS stores share: filters, keyset pagination and ordering. Column
// names only ever come from the layer schema (validated identifiers, quoted);
// every user value is a bind parameter. Both stores use this package so
// that they return the same rows in the same order.
package sqlq

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/data"
)

// Quote quotes an identifier already validated against the schema.
func Quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// Plan is a validated query ready to be rendered.
type Plan struct {
	Layer   data.Layer
	Limit   int
	SortIdx int  // column index of the sort column
	Desc    bool // descending sort
	KeyIdx  int
	Filters []data.Filter // normalised values
	Cursor  *Cursor
	Sort    string
}

// Cursor is the decoded keyset position: the last row's sort value and key.
type Cursor struct {
	Sort  string `json:"s"`
	Value any    `json:"v"`
	Key   any    `json:"k"`
}

// NewPlan validates q against layer l.
func NewPlan(l data.Layer, q data.Query) (*Plan, error) {
	p := &Plan{Layer: l, Limit: q.Limit, KeyIdx: l.Index(l.Key), Sort: q.Sort}
	if p.Limit == 0 {
		p.Limit = data.DefaultLimit
	}
	if p.Limit < 0 || p.Limit > data.MaxLimit {
		return nil, fmt.Errorf("%w: limit %d out of 1..%d", data.ErrInvalidQuery, q.Limit, data.MaxLimit)
	}
	sortName := q.Sort
	if strings.HasPrefix(sortName, "-") {
		p.Desc, sortName = true, sortName[1:]
	}
	if sortName == "" {
		if p.Desc {
			return nil, fmt.Errorf("%w: sort %q has no column", data.ErrInvalidQuery, q.Sort)
		}
		sortName = l.Key
	}
	p.SortIdx = l.Index(sortName)
	if p.SortIdx < 0 {
		return nil, &data.UnknownColumnError{Layer: l.Name, Column: sortName}
	}
	if l.Columns[p.SortIdx].Type == data.JSON {
		return nil, fmt.Errorf("%w: cannot sort on JSON column %s", data.ErrInvalidQuery, sortName)
	}
	for _, f := range q.Filters {
		i := l.Index(f.Column)
		if i < 0 {
			return nil, &data.UnknownColumnError{Layer: l.Name, Column: f.Column}
		}
		c := l.Columns[i]
		if c.Type == data.JSON {
			return nil, fmt.Errorf("%w: cannot filter on JSON column %s", data.ErrInvalidQuery, c.Name)
		}
		switch f.Op {
		case ">=", "<=", "=", "!=":
		default:
			return nil, fmt.Errorf("%w: filter on %s: operator %q (want >=, <=, =, !=)", data.ErrInvalidQuery, c.Name, f.Op)
		}
		v := f.Value
		if s, ok := v.(string); ok && c.Type != data.Text {
			pv, err := data.ParseValue(c, s)
			if err != nil {
				return nil, fmt.Errorf("%w: %w", data.ErrInvalidQuery, err)
			}
			v = pv
		}
		nv, err := data.NormalizeValue(c, v)
		if err != nil || nv == nil {
			return nil, fmt.Errorf("%w: filter on %s: value %v does not fit type %s", data.ErrInvalidQuery, c.Name, f.Value, c.Type)
		}
		p.Filters = append(p.Filters, data.Filter{Column: c.Name, Op: f.Op, Value: nv})
	}
	if q.Cursor != "" {
		c, err := p.decodeCursor(q.Cursor)
		if err != nil {
			return nil, err
		}
		p.Cursor = c
	}
	return p, nil
}

func (p *Plan) decodeCursor(s string) (*Cursor, error) {
	bad := fmt.Errorf("%w: malformed or foreign cursor", data.ErrInvalidQuery)
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var c struct {
		Sort  string          `json:"s"`
		Value json.RawMessage `json:"v"`
		Key   json.RawMessage `json:"k"`
	}
	if err := json.Unmarshal(raw, &c); err != nil || c.Sort != p.Sort {
		return nil, bad
	}
	conv := func(col data.Column, r json.RawMessage) (any, error) {
		d := json.NewDecoder(bytes.NewReader(r))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			return nil, bad
		}
		nv, err := data.NormalizeValue(col, v)
		if err != nil {
			return nil, bad
		}
		return nv, nil
	}
	out := &Cursor{Sort: c.Sort}
	if out.Value, err = conv(p.Layer.Columns[p.SortIdx], c.Value); err != nil {
		return nil, err
	}
	if out.Key, err = conv(p.Layer.Columns[p.KeyIdx], c.Key); err != nil || out.Key == nil {
		return nil, bad
	}
	return out, nil
}

// Page turns the rows of a query run with LIMIT Limit+1 into a page: at most
// Limit features, and the cursor of the next page when there were more.
func (p *Plan) Page(fs []data.Feature) data.Page {
	var page data.Page
	if len(fs) > p.Limit {
		fs = fs[:p.Limit]
		page.Next = p.NextCursor(fs[len(fs)-1])
	}
	page.Features = fs
	return page
}

// NextCursor encodes the position after feature f (the last of a page).
func (p *Plan) NextCursor(f data.Feature) string {
	b, _ := json.Marshal(Cursor{Sort: p.Sort, Value: f.Values[p.SortIdx], Key: f.Values[p.KeyIdx]})
	return base64.RawURLEncoding.EncodeToString(b)
}

// Where renders the filter and cursor conditions (joined by AND, "" when
// none) with placeholders ph(n) numbered from next; it returns the
// condition, its arguments and the next placeholder number.
func (p *Plan) Where(ph func(int) string, next int) (string, []any, int) {
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		s := ph(next)
		next++
		return s
	}
	for _, f := range p.Filters {
		conds = append(conds, fmt.Sprintf("%s %s %s", Quote(f.Column), f.Op, arg(f.Value)))
	}
	if c := p.Cursor; c != nil {
		key := Quote(p.Layer.Key)
		col := Quote(p.Layer.Columns[p.SortIdx].Name)
		switch {
		case p.SortIdx == p.KeyIdx && p.Desc:
			conds = append(conds, fmt.Sprintf("%s < %s", key, arg(c.Key)))
		case p.SortIdx == p.KeyIdx:
			conds = append(conds, fmt.Sprintf("%s > %s", key, arg(c.Key)))
		case c.Value == nil: // already in the NULL tail (NULLS LAST)
			conds = append(conds, fmt.Sprintf("(%s IS NULL AND %s > %s)", col, key, arg(c.Key)))
		default:
			op := ">"
			if p.Desc {
				op = "<"
			}
			v1 := arg(c.Value)
			v2 := arg(c.Value)
			conds = append(conds, fmt.Sprintf("(%s %s %s OR (%s = %s AND %s > %s) OR %s IS NULL)",
				col, op, v1, col, v2, key, arg(c.Key), col))
		}
	}
	return strings.Join(conds, " AND "), args, next
}

// OrderBy renders the ORDER BY list (without the keywords): sort column
// with NULLS LAST, then the key ascending.
func (p *Plan) OrderBy() string {
	key := Quote(p.Layer.Key)
	if p.SortIdx == p.KeyIdx {
		if p.Desc {
			return key + " DESC"
		}
		return key + " ASC"
	}
	dir := "ASC"
	if p.Desc {
		dir = "DESC"
	}
	return fmt.Sprintf("%s %s NULLS LAST, %s ASC", Quote(p.Layer.Columns[p.SortIdx].Name), dir, key)
}

// Columns renders the quoted, comma-separated attribute column list.
func Columns(l data.Layer) string {
	q := make([]string, len(l.Columns))
	for i, c := range l.Columns {
		q[i] = Quote(c.Name)
	}
	return strings.Join(q, ", ")
}

// ParseKey parses a key given as text according to the key column type.
func ParseKey(l data.Layer, key string) (any, error) {
	c, err := l.Column(l.Key)
	if err != nil {
		return nil, err
	}
	v, err := data.ParseValue(c, key)
	if err != nil {
		return nil, fmt.Errorf("%w: key %q: %w", data.ErrNotFound, key, err)
	}
	return v, nil
}

// Dialect is what differs between the stores' feature queries.
type Dialect struct {
	// Ph is the placeholder of the n-th argument (1-based): "?" or "$n".
	Ph func(n int) string
	// Study is the study condition (one argument, placeholder Ph(1));
	// spatial tells that an envelope filter follows.
	Study func(spatial bool) string
	// Envelope renders the bounding-box filter b (in the layer's SRID) with
	// placeholders numbered from next; it returns the condition, its
	// arguments and the next placeholder number.
	Envelope func(l data.Layer, b orb.Bound, next int) (string, []any, int)
}

// Conds renders the WHERE condition of a feature query of study id: the
// study, the envelope of bbox (EPSG:4326, converted to the layer's SRID by
// data.BoundFromWGS84; nil = none), the filters and the cursor. The last
// argument is the LIMIT value (Limit+1, one more row than a page to tell
// whether a next page exists), with placeholder limit.
func (p *Plan) Conds(d Dialect, id string, bbox *orb.Bound) (where string, args []any, limit string, err error) {
	conds, args, next := []string{d.Study(bbox != nil)}, []any{id}, 2
	if bbox != nil {
		b, err := data.BoundFromWGS84(*bbox, p.Layer.SRID)
		if err != nil {
			return "", nil, "", err
		}
		c, a, n := d.Envelope(p.Layer, b, next)
		conds, args, next = append(conds, c), append(args, a...), n
	}
	if w, a, n := p.Where(d.Ph, next); w != "" {
		conds, args, next = append(conds, w), append(args, a...), n
	}
	return strings.Join(conds, " AND "), append(args, p.Limit+1), d.Ph(next), nil
}

package data

import (
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"regexp"
	"strconv"
	"time"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo/crs"
)

// ColumnType is the storage type of an attribute column.
type ColumnType int

// Column types. Values read back are int64 (Integer), float64 (Real),
// string (Text) and json.RawMessage (JSON); nil stands for NULL.
const (
	Integer ColumnType = iota + 1
	Real
	Text
	JSON
)

// String returns the name used in documentation and schemas.
func (t ColumnType) String() string {
	switch t {
	case Integer:
		return "integer"
	case Real:
		return "real"
	case Text:
		return "text"
	case JSON:
		return "json"
	}
	return "ColumnType(" + strconv.Itoa(int(t)) + ")"
}

// MarshalText encodes the type by name (used in stored schemas).
func (t ColumnType) MarshalText() ([]byte, error) {
	if t < Integer || t > JSON {
		return nil, fmt.Errorf("data: invalid column type %d", int(t))
	}
	return []byte(t.String()), nil
}

// UnmarshalText decodes a type name.
func (t *ColumnType) UnmarshalText(b []byte) error {
	switch string(b) {
	case "integer":
		*t = Integer
	case "real":
		*t = Real
	case "text":
		*t = Text
	case "json":
		*t = JSON
	default:
		return fmt.Errorf("data: unknown column type %q", b)
	}
	return nil
}

// Numeric reports whether the column can be summed.
func (t ColumnType) Numeric() bool { return t == Integer || t == Real }

// Column describes one attribute of a layer: its storage (name, type) and
// the facts its readers need (schema.go): unit, description, French and
// English labels, rounding for reading, kind and flags (summable, sortable,
// in tiles, in CSV). Only Name and Type belong to the storage schema.
type Column struct {
	Name string     `json:"name"` // lower-case identifier, [a-z][a-z0-9_]*
	Type ColumnType `json:"type"`
	Unit string     `json:"unit,omitempty"` // storage unit, e.g. "kWh/yr", "m2", "EUR" (UnitLabel gives the display form)
	Doc  string     `json:"doc,omitempty"`  // one-line description (English)
	// Label is the short name shown to people (web map, French exports).
	Label Label `json:"label,omitzero"`
	// Decimals is the number of digits kept after the decimal point when a
	// Real value is rounded for reading (French CSV, web map); nil = not
	// declared (values are written in full).
	Decimals *int  `json:"decimals,omitempty"`
	Kind     Kind  `json:"kind,omitempty"`
	Flags    Flags `json:"flags,omitempty"`
}

// Geometry types accepted in Layer.GeomType.
const (
	GeomMultiPolygon = "MULTIPOLYGON"
	GeomPolygon      = "POLYGON"
	GeomPoint        = "POINT"
)

// SRIDLambert93 is EPSG:2154, RGF93 / Lambert-93, the default layer SRID.
const SRIDLambert93 = crs.EPSG2154

// SRIDWGS84 is EPSG:4326, WGS 84 longitude/latitude (orb order [lon, lat]).
const SRIDWGS84 = crs.EPSG4326

// Layer is the schema of one result layer.
type Layer struct {
	Name        string   `json:"name"` // table name, [a-z][a-z0-9_]{0,62}
	Title       string   `json:"title,omitempty"`
	Description string   `json:"description,omitempty"`
	GeomType    string   `json:"geom_type"` // GeomMultiPolygon, GeomPolygon or GeomPoint
	SRID        int      `json:"srid"`      // SRIDLambert93 or SRIDWGS84
	Key         string   `json:"key"`       // name of the unique id column (Integer or Text)
	Columns     []Column `json:"columns"`
}

var identRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// reserved column names used by the stores themselves.
var reserved = map[string]bool{"fid": true, "geom": true, "study_id": true}

// Validate checks the schema: identifiers, types, a key column, SRID.
func (l Layer) Validate() error {
	if !identRE.MatchString(l.Name) {
		return fmt.Errorf("%w: layer name %q must match %s", ErrInvalidSchema, l.Name, identRE)
	}
	switch l.GeomType {
	case GeomMultiPolygon, GeomPolygon, GeomPoint:
	default:
		return fmt.Errorf("%w: layer %s: geometry type %q (want MULTIPOLYGON, POLYGON or POINT)", ErrInvalidSchema, l.Name, l.GeomType)
	}
	if l.SRID != SRIDLambert93 && l.SRID != SRIDWGS84 {
		return fmt.Errorf("%w: layer %s: SRID %d (supported: 2154, 4326)", ErrInvalidSchema, l.Name, l.SRID)
	}
	seen := map[string]bool{}
	for _, c := range l.Columns {
		if !identRE.MatchString(c.Name) || reserved[c.Name] {
			return fmt.Errorf("%w: layer %s: column name %q must match %s and not be fid, geom or study_id", ErrInvalidSchema, l.Name, c.Name, identRE)
		}
		if seen[c.Name] {
			return fmt.Errorf("%w: layer %s: duplicate column %q", ErrInvalidSchema, l.Name, c.Name)
		}
		seen[c.Name] = true
		if c.Type < Integer || c.Type > JSON {
			return fmt.Errorf("%w: layer %s: column %s: invalid type %d", ErrInvalidSchema, l.Name, c.Name, int(c.Type))
		}
	}
	k := l.Index(l.Key)
	if k < 0 {
		return fmt.Errorf("%w: layer %s: key column %q is not among the columns", ErrInvalidSchema, l.Name, l.Key)
	}
	if t := l.Columns[k].Type; t != Integer && t != Text {
		return fmt.Errorf("%w: layer %s: key column %s must be integer or text, not %s", ErrInvalidSchema, l.Name, l.Key, t)
	}
	return nil
}

// Index returns the position of the named column in Columns, or -1.
func (l Layer) Index(name string) int {
	for i, c := range l.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Column returns the named column or an *UnknownColumnError.
func (l Layer) Column(name string) (Column, error) {
	if i := l.Index(name); i >= 0 {
		return l.Columns[i], nil
	}
	return Column{}, &UnknownColumnError{Layer: l.Name, Column: name}
}

// SameSchema reports whether two layers have the same storage schema
// (geometry type, SRID, key, column names and types; titles and docs may differ).
func (l Layer) SameSchema(o Layer) bool {
	if l.Name != o.Name || l.GeomType != o.GeomType || l.SRID != o.SRID || l.Key != o.Key || len(l.Columns) != len(o.Columns) {
		return false
	}
	for i := range l.Columns {
		if l.Columns[i].Name != o.Columns[i].Name || l.Columns[i].Type != o.Columns[i].Type {
			return false
		}
	}
	return true
}

// Feature is one row of a layer.
//
// Values is aligned with Layer.Columns (Values[i] is the value of
// Columns[i]); a slice rather than a map because it avoids one hash map per
// feature on million-feature writes and maps directly onto prepared-statement
// and COPY arguments. Use Layer.Index to find a column's position.
type Feature struct {
	Geom   orb.Geometry // in the layer's SRID
	Values []any
}

// Value returns the value of the named column (nil when absent or NULL).
func (f Feature) Value(l Layer, name string) any {
	if i := l.Index(name); i >= 0 && i < len(f.Values) {
		return f.Values[i]
	}
	return nil
}

// Number returns a stored numeric value (the canonical int64 or float64
// of NormalizeValue) as a float64, NaN for NULL or a non-number: the one
// conversion for readers summing or formatting stored columns.
func Number(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	}
	return math.NaN()
}

// LayerData is a layer schema and a stream of its features. Features is
// consumed once, while writing; the producer yields (feature, nil), or a
// non-nil error to abort the whole write. Streaming keeps memory flat on
// large territories.
type LayerData struct {
	Layer    Layer
	Features iter.Seq2[Feature, error]
}

// SliceFeatures adapts a slice to LayerData.Features.
func SliceFeatures(fs []Feature) iter.Seq2[Feature, error] {
	return func(yield func(Feature, error) bool) {
		for _, f := range fs {
			if !yield(f, nil) {
				return
			}
		}
	}
}

// Study describes one run of the study pipeline.
type Study struct {
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	ScenarioHash string            `json:"scenario_hash"`
	Scenario     json.RawMessage   `json:"scenario,omitempty"`
	CreatedAt    time.Time         `json:"created_at"` // stored at microsecond precision, UTC
	Summary      json.RawMessage   `json:"summary,omitempty"`
	Inputs       map[string]string `json:"inputs,omitempty"` // input name → path or checksum
	// Counts is the number of features per layer (filled on read).
	Counts map[string]int64 `json:"counts,omitempty"`
}

// CheckWrite is the validation every Store does before WriteStudy writes:
// the study normalised (Study.Normalize), every layer schema valid
// (Layer.Validate), no layer given twice and none whose name reserved
// reports as one of the store's own tables (ErrInvalidSchema).
func CheckWrite(study Study, layers []LayerData, reserved func(name string) bool) (Study, error) {
	study, err := study.Normalize()
	if err != nil {
		return study, err
	}
	seen := map[string]bool{}
	for _, ld := range layers {
		if err := ld.Layer.Validate(); err != nil {
			return study, err
		}
		if seen[ld.Layer.Name] {
			return study, fmt.Errorf("%w: layer %s given twice", ErrInvalidSchema, ld.Layer.Name)
		}
		if reserved(ld.Layer.Name) {
			return study, fmt.Errorf("%w: layer name %s is reserved", ErrInvalidSchema, ld.Layer.Name)
		}
		seen[ld.Layer.Name] = true
	}
	return study, nil
}

// Normalize prepares a study for storage: non-empty id, UTC time truncated
// to the microsecond (PostgreSQL's precision), valid JSON documents.
func (s Study) Normalize() (Study, error) {
	if s.ID == "" || len(s.ID) > 200 {
		return s, fmt.Errorf("%w: study id must be 1..200 bytes", ErrInvalidSchema)
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = time.Now()
	}
	s.CreatedAt = s.CreatedAt.UTC().Truncate(time.Microsecond)
	for name, raw := range map[string]json.RawMessage{"scenario": s.Scenario, "summary": s.Summary} {
		if len(raw) > 0 && !json.Valid(raw) {
			return s, fmt.Errorf("%w: study %s: %s is not valid JSON", ErrInvalidValue, s.ID, name)
		}
	}
	return s, nil
}

// NormalizeValue converts v to the canonical Go type of column c (int64,
// float64, string, json.RawMessage or nil), or returns an error naming the
// column. Accepted inputs: integer kinds, float kinds (integral values only
// for Integer), string, []byte and json.RawMessage (JSON), bool (Integer 0/1).
func NormalizeValue(c Column, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	bad := func() (any, error) {
		return nil, fmt.Errorf("%w: column %s (%s): cannot store %T %v", ErrInvalidValue, c.Name, c.Type, v, v)
	}
	switch c.Type {
	case Integer:
		switch x := v.(type) {
		case int64:
			return x, nil
		case int:
			return int64(x), nil
		case int32:
			return int64(x), nil
		case int16:
			return int64(x), nil
		case int8:
			return int64(x), nil
		case uint32:
			return int64(x), nil
		case uint16:
			return int64(x), nil
		case uint8:
			return int64(x), nil
		case bool:
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				return int64(x), nil
			}
		case json.Number:
			if n, err := x.Int64(); err == nil {
				return n, nil
			}
		}
		return bad()
	case Real:
		switch x := v.(type) {
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, nil // NaN/Inf are stored as NULL (no portable SQL representation)
			}
			return x, nil
		case float32:
			return NormalizeValue(c, float64(x))
		case int64:
			return float64(x), nil
		case int:
			return float64(x), nil
		case json.Number:
			if f, err := x.Float64(); err == nil {
				return f, nil
			}
		}
		return bad()
	case Text:
		if s, ok := v.(string); ok {
			return s, nil
		}
		return bad()
	case JSON:
		var raw []byte
		switch x := v.(type) {
		case json.RawMessage:
			raw = x
		case []byte:
			raw = x
		case string:
			raw = []byte(x)
		default:
			b, err := json.Marshal(x)
			if err != nil {
				return bad()
			}
			raw = b
		}
		if !json.Valid(raw) {
			return nil, fmt.Errorf("%w: column %s: invalid JSON", ErrInvalidValue, c.Name)
		}
		return json.RawMessage(raw), nil
	}
	return bad()
}

// ParseValue parses a textual value (e.g. from a URL query) for column c.
func ParseValue(c Column, s string) (any, error) {
	switch c.Type {
	case Integer:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: column %s: %q is not an integer", ErrInvalidValue, c.Name, s)
		}
		return n, nil
	case Real:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%w: column %s: %q is not a finite number", ErrInvalidValue, c.Name, s)
		}
		return f, nil
	case Text:
		return s, nil
	}
	return nil, fmt.Errorf("%w: column %s of type %s cannot be compared", ErrInvalidQuery, c.Name, c.Type)
}

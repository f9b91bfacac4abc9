package data

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/paulmach/orb"
)

// Store is a result store: written once per study by the study pipeline,
// read by the API and exports. Implementations are safe for concurrent
// readers.
type Store interface {
	// WriteStudy stores a study and its layers atomically: on any error
	// (including ctx cancellation or a Features iterator error) the store
	// keeps its previous complete content. A study with the same ID is
	// replaced, never duplicated. A layer that already exists must have the
	// same storage schema (Layer.SameSchema), otherwise ErrSchemaMismatch.
	WriteStudy(ctx context.Context, study Study, layers []LayerData) error
	// Study returns one study ("" = the latest) with its per-layer counts.
	Study(ctx context.Context, id string) (Study, error)
	// Studies lists all studies, newest first (without Counts).
	Studies(ctx context.Context) ([]Study, error)
	// Layers lists the layer schemas, sorted by name.
	Layers(ctx context.Context) ([]Layer, error)
	// Layer returns one layer schema or ErrNotFound.
	Layer(ctx context.Context, name string) (Layer, error)
	// Get returns the feature of study ("" = latest) whose key column equals
	// key (parsed according to the key column type), or ErrNotFound.
	Get(ctx context.Context, study, layer, key string) (Feature, error)
	// Query returns one page of features (see Query).
	Query(ctx context.Context, layer string, q Query) (Page, error)
	// Summary counts the features of study ("" = latest) whose geometry
	// intersects within (EPSG:4326 lon/lat; nil = whole layer) and sums
	// the numeric columns sumColumns (NULLs are skipped).
	Summary(ctx context.Context, study, layer string, within orb.Geometry, sumColumns []string) (Totals, error)
	Close() error
}

// Pages iterates over the pages of q in s, from q.Cursor ("" = the first
// page) to the last one, following Page.Next: the one loop over keyset
// cursors for store clients (exports, tiles, reports). An error (the
// store's, or a cursor that does not advance, which wraps ErrInvalidQuery)
// is yielded once and ends the iteration; so does ctx being done, through
// the store's Query. Breaking out of the loop stops the queries.
func Pages(ctx context.Context, s Store, layer string, q Query) iter.Seq2[Page, error] {
	return func(yield func(Page, error) bool) {
		for {
			p, err := s.Query(ctx, layer, q)
			if err != nil {
				yield(Page{}, err)
				return
			}
			if !yield(p, nil) || p.Next == "" {
				return
			}
			if p.Next == q.Cursor {
				yield(Page{}, fmt.Errorf("%w: layer %s: cursor %q does not advance", ErrInvalidQuery, layer, p.Next))
				return
			}
			q.Cursor = p.Next
		}
	}
}

// Limits of Query.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Query selects features of one layer of one study.
type Query struct {
	Study   string     // study id; "" = latest study
	BBox    *orb.Bound // EPSG:4326 lon/lat; keeps features whose envelope intersects it
	Filters []Filter   // all must hold (AND); NULL values never match
	Sort    string     // column name, "-" prefix for descending; "" = key ascending. NULLs sort last; ties by key ascending
	Limit   int        // 0 = DefaultLimit; > MaxLimit is an error
	Cursor  string     // opaque keyset cursor from Page.Next; "" = first page
}

// Filter compares a column with a value. Op is one of ">=", "<=", "=", "!=".
// Value must be of the column's type (see NormalizeValue / ParseValue).
type Filter struct {
	Column string
	Op     string
	Value  any
}

// Page is one page of a Query.
type Page struct {
	Features []Feature
	Next     string // cursor of the next page; "" when this is the last page
}

// Totals is the result of Summary.
type Totals struct {
	Count int64              // features intersecting the zone
	Sums  map[string]float64 // column → sum over those features (NULLs skipped)
}

// Errors, to be tested with errors.Is.
var (
	ErrNotFound       = errors.New("not found")
	ErrInvalidQuery   = errors.New("invalid query")
	ErrInvalidSchema  = errors.New("invalid layer schema")
	ErrInvalidValue   = errors.New("invalid value")
	ErrSchemaMismatch = errors.New("layer schema differs from the stored one")
)

// UnknownColumnError names a column absent from a layer's schema. It
// matches ErrInvalidQuery with errors.Is.
type UnknownColumnError struct {
	Layer, Column string
}

func (e *UnknownColumnError) Error() string {
	return fmt.Sprintf("invalid query: layer %s has no column %q", e.Layer, e.Column)
}

// Is makes errors.Is(err, ErrInvalidQuery) true.
func (e *UnknownColumnError) Is(target error) bool { return target == ErrInvalidQuery }

package vector

import (
	"errors"
	"fmt"

	"github.com/gisement/gisement/geo/crs"
)

// Sentinel errors, for errors.Is.
var (
	// ErrMalformed: the file is not valid for its format (bad JSON, truncated
	// gzip, bad shapefile record, not a GeoPackage). Fatal.
	ErrMalformed = errors.New("malformed file")
	// ErrUnsupportedFormat: the file is none of the formats this package reads.
	ErrUnsupportedFormat = errors.New("unsupported vector format")
	// ErrUnsupportedCRS: the CRS is declared but is not one this package
	// handles. It is crs.ErrUnsupported (the same value).
	ErrUnsupportedCRS = crs.ErrUnsupported
	// ErrCRSMismatch: coordinates do not fit the declared (or flagged) CRS.
	// It is crs.ErrMismatch (the same value).
	ErrCRSMismatch = crs.ErrMismatch
	// ErrNoLayer: the requested GeoPackage layer does not exist, or the file has no feature layer.
	ErrNoLayer = errors.New("no such feature layer")
	// ErrInvalidGeometry: one feature's geometry cannot be decoded (per-feature, non-fatal).
	ErrInvalidGeometry = errors.New("invalid geometry")
	// ErrInvalidProperty: one feature's id or attribute cannot be decoded (per-feature, non-fatal).
	ErrInvalidProperty = errors.New("invalid property")
)

// FeatureError reports one rejected feature. It is non-fatal: the Reader
// may go on with Next. Err wraps ErrInvalidGeometry or ErrInvalidProperty.
type FeatureError struct {
	File  string // path of the file
	Index int    // 0-based feature index in the file
	ID    string // feature id when known, else ""
	Field string // "geometry", "id", "properties.<name>" or a column name
	Err   error
}

func (e *FeatureError) Error() string {
	id := ""
	if e.ID != "" {
		id = fmt.Sprintf(" (id %q)", e.ID)
	}
	return fmt.Sprintf("%s: feature %d%s: %s: %v", e.File, e.Index, id, e.Field, e.Err)
}

func (e *FeatureError) Unwrap() error { return e.Err }

// IsFeatureError reports whether err is a non-fatal per-feature error.
func IsFeatureError(err error) bool {
	var fe *FeatureError
	return errors.As(err, &fe)
}

// SyntaxError reports malformed JSON at a byte offset (0-based, in the
// decompressed stream) and 1-based line. It wraps ErrMalformed. Fatal.
type SyntaxError struct {
	File   string
	Offset int64
	Line   int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s:%d: malformed GeoJSON at byte %d: %s", e.File, e.Line, e.Offset, e.Msg)
}

func (e *SyntaxError) Unwrap() error { return ErrMalformed }

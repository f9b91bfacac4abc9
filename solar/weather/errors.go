package weather

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors wrapped by *ParseError; test with errors.Is.
var (
	// ErrMissingColumn: a required column, header line or metadata item is absent.
	ErrMissingColumn = errors.New("missing column")
	// ErrNotANumber: a numeric field does not parse, or is NaN or ±Inf.
	ErrNotANumber = errors.New("not a number")
	// ErrNonMonotonicTime: a time stamp is not after the previous one (backwards or duplicated).
	ErrNonMonotonicTime = errors.New("time not increasing")
	// ErrTimeGap: two consecutive time stamps are further apart than one step.
	ErrTimeGap = errors.New("gap in time series")
	// ErrTruncated: the file ends early (rows or fields missing, cut gzip stream, no footer).
	ErrTruncated = errors.New("truncated file")
	// ErrOutOfRange: a value outside its physical or format range (lat outside ±90, negative irradiance, ...).
	ErrOutOfRange = errors.New("out of range")
	// ErrUnknownFormat: the content matches no supported format (or not the one requested).
	ErrUnknownFormat = errors.New("unknown weather file format")
	// ErrFieldCount: a data row has a different number of fields from the header.
	ErrFieldCount = errors.New("wrong number of fields")
	// ErrMultipleSites: the file holds several sites and Options.Site does not select one.
	ErrMultipleSites = errors.New("file holds several sites")
	// ErrUnsupported: a valid feature of the format this package does not handle (e.g. sub-hourly EPW).
	ErrUnsupported = errors.New("unsupported")
)

// ParseError locates a problem in a weather file. Err wraps one of the
// sentinel errors above.
type ParseError struct {
	// File is the path or name given to Read/ReadFrom.
	File string
	// Line is the 1-based line number (0 when not applicable, e.g. JSON).
	Line int
	// Record is the 1-based index of the JSON record (0 when not applicable).
	Record int
	// Field is the column or metadata item concerned ("" when the whole line is).
	Field string
	Err   error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ": line %d", e.Line)
	}
	if e.Record > 0 {
		fmt.Fprintf(&b, ": record %d", e.Record)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ": field %q", e.Field)
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// errf builds a ParseError whose Err wraps sentinel with a formatted detail:
// "<sentinel>: <detail>" or, for ErrNotANumber, `not a number "abc"`.
func errf(file string, line int, field string, sentinel error, format string, args ...any) *ParseError {
	var err error
	if format == "" {
		err = sentinel
	} else if sentinel == ErrNotANumber {
		err = fmt.Errorf("%w "+format, append([]any{sentinel}, args...)...)
	} else {
		err = fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
	}
	return &ParseError{File: file, Line: line, Field: field, Err: err}
}

// Package export writes study layers for other tools. It holds the one CSV
// writer of gisement: the command line (`gisement export --format csv`) and
// the HTTP API (GET /v1/parcels with Accept: text/csv) both use it, so that
// NULL and not-a-number values, rounding and the point placed for each
// feature are the same whatever the door.
//
// A CSV flavour is a [Dialect]: [RFC4180] for machines (comma, decimal
// point, values in full, shortest form without exponent) and [FrenchExcel]
// for French spreadsheets (semicolon, decimal comma, UTF-8 byte-order mark,
// values rounded to the decimals the schema declares, CRLF line ends,
// French headings with units). Values that are not computed (NULL, NaN,
// ±Inf) are written as Dialect.NA, never 0.
package export

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/planar"

	"github.com/gisement/gisement/data"
)

// Dialect is a CSV flavour.
type Dialect struct {
	Name string // "csv", "csv-fr"
	// Comma separates fields.
	Comma rune
	// DecimalComma writes 3,25 instead of 3.25 (numbers and coordinates).
	DecimalComma bool
	// BOM writes the UTF-8 byte-order mark first: spreadsheets then read
	// the file as UTF-8 (Excel assumes the ANSI code page otherwise).
	BOM bool
	// Round rounds real values to the column's declared decimals
	// (data.Column.Decimals; columns without declared decimals are written
	// in full).
	Round bool
	// CRLF ends lines with \r\n (RFC 4180 §2; Excel on Windows).
	CRLF bool
	// Headings names the columns by their label and display unit in this
	// language (data.Column.Heading, e.g. "Production PV annuelle
	// (kWh/an)"); "" uses the column names.
	Headings string
	// NA is written for NULL, NaN and ±Inf ("" = an empty cell).
	NA string
	// EscapeFormulas prefixes text starting with = + - @ or a tab with an
	// apostrophe, so that a spreadsheet does not run it as a formula
	// (OWASP, "CSV Injection").
	EscapeFormulas bool
}

// RFC4180 is the machine dialect: comma, decimal point, values in full
// (shortest decimal form that reads back to the same float64, never an
// exponent), empty cells for missing values. Lines end with \n as Go's
// encoding/csv writes them (readers of RFC 4180 accept both).
var RFC4180 = Dialect{Name: "csv", Comma: ','}

// FrenchExcel is the dialect French spreadsheets (Excel, LibreOffice Calc
// with a French locale) open without an import dialog: semicolon separator,
// decimal comma, UTF-8 BOM, CRLF, values rounded to the schema's decimals,
// French headings with units, empty cells for missing values.
var FrenchExcel = Dialect{Name: "csv-fr", Comma: ';', DecimalComma: true, BOM: true, Round: true, CRLF: true,
	Headings: data.French, EscapeFormulas: true}

// Dialects lists the dialects by name.
var Dialects = map[string]Dialect{RFC4180.Name: RFC4180, FrenchExcel.Name: FrenchExcel}

// Placement says how a feature's geometry is written.
type Placement int

// Placements.
const (
	// Centroid writes lon and lat (EPSG:4326, degrees, 7 decimals ≈ 1 cm)
	// of the area-weighted centroid computed in the layer's SRID (planar:
	// metres in Lambert-93), then reprojected. For a concave polygon the
	// centroid may lie outside it.
	Centroid Placement = iota
	// WKT writes the whole geometry as geometry_wkt, EPSG:4326.
	WKT
	// NoGeometry writes the attributes only.
	NoGeometry
)

// Options choose a dialect and a geometry placement.
type Options struct {
	Dialect  Dialect
	Geometry Placement
}

// Writer writes the features of one layer as CSV rows. Columns flagged
// data.NoCSV are left out. Not safe for concurrent use.
type Writer struct {
	w    *csv.Writer
	l    data.Layer
	o    Options
	cols []int // indexes of the written columns in l.Columns
	rec  []string
	err  error
}

// NewWriter writes the byte-order mark (if the dialect asks for it) and
// the header row to w.
func NewWriter(w io.Writer, l data.Layer, o Options) (*Writer, error) {
	d := o.Dialect
	if d.Comma == 0 {
		return nil, errors.New("export: dialect without separator")
	}
	if d.DecimalComma && d.Comma == ',' {
		return nil, errors.New("export: a decimal comma needs another separator than the comma")
	}
	if d.BOM {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return nil, err
		}
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = d.Comma, d.CRLF
	x := &Writer{w: cw, l: l, o: o}
	var head []string
	for i, c := range l.Columns {
		if c.Flags.Has(data.NoCSV) {
			continue
		}
		x.cols = append(x.cols, i)
		if d.Headings != "" {
			head = append(head, c.Heading(d.Headings))
		} else {
			head = append(head, c.Name)
		}
	}
	switch o.Geometry {
	case Centroid:
		if d.Headings == data.French {
			head = append(head, "longitude (°)", "latitude (°)")
		} else {
			head = append(head, "lon", "lat")
		}
	case WKT:
		head = append(head, "geometry_wkt")
	case NoGeometry:
	default:
		return nil, fmt.Errorf("export: unknown geometry placement %d", o.Geometry)
	}
	x.rec = make([]string, len(head))
	if err := cw.Write(head); err != nil {
		return nil, err
	}
	return x, nil
}

// Write writes one feature (values aligned with the layer's columns,
// geometry in the layer's SRID). A geometry that cannot be reprojected is
// an error naming the feature.
func (x *Writer) Write(f data.Feature) error {
	if x.err != nil {
		return x.err
	}
	if len(f.Values) != len(x.l.Columns) {
		return fmt.Errorf("export: layer %s: feature with %d values for %d columns", x.l.Name, len(f.Values), len(x.l.Columns))
	}
	for k, i := range x.cols {
		x.rec[k] = x.Value(x.l.Columns[i], f.Values[i])
	}
	if err := x.place(f, x.rec[len(x.cols):]); err != nil {
		return fmt.Errorf("export: layer %s, feature %v: %w", x.l.Name, f.Value(x.l, x.l.Key), err)
	}
	x.err = x.w.Write(x.rec)
	return x.err
}

// Flush writes buffered rows and returns the first write error.
func (x *Writer) Flush() error {
	x.w.Flush()
	if x.err != nil {
		return x.err
	}
	return x.w.Error()
}

func (x *Writer) place(f data.Feature, out []string) error {
	switch x.o.Geometry {
	case Centroid:
		out[0], out[1] = x.o.Dialect.NA, x.o.Dialect.NA
		if f.Geom == nil {
			return nil
		}
		c, _ := planar.CentroidArea(f.Geom)
		if math.IsNaN(c[0]) || math.IsNaN(c[1]) {
			return nil
		}
		g, err := data.ToWGS84(c, x.l.SRID)
		if err != nil {
			return err
		}
		p := g.(orb.Point)
		out[0], out[1] = x.number(p[0], 7), x.number(p[1], 7)
	case WKT:
		out[0] = x.o.Dialect.NA
		if f.Geom == nil {
			return nil
		}
		g, err := data.ToWGS84(f.Geom, x.l.SRID)
		if err != nil {
			return err
		}
		out[0] = wkt.MarshalString(g)
	}
	return nil
}

// Value formats one value of column c in the writer's dialect.
func (x *Writer) Value(c data.Column, v any) string {
	d := x.o.Dialect
	switch v := v.(type) {
	case nil:
		return d.NA
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return d.NA
		}
		if d.Round && c.Decimals != nil {
			return x.number(c.Round(v), *c.Decimals)
		}
		return x.number(v, -1)
	case int64:
		return strconv.FormatInt(v, 10)
	case string:
		if d.EscapeFormulas && v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			return "'" + v
		}
		return v
	case json.RawMessage:
		return string(v)
	}
	return fmt.Sprint(v)
}

// number writes x with dec decimals (-1: the shortest form that reads back
// to x), never with an exponent, never as "-0".
func (x *Writer) number(v float64, dec int) string {
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if strings.TrimLeft(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	if x.o.Dialect.DecimalComma {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

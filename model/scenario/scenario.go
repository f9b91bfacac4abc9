// Package scenario holds the generic machinery of gisement's assumptions:
// Param (a value with its unit, its source and the date it applies to), its
// YAML form, the check of a user's file against the Go structure (unknown
// keys rejected with file, line and key path, and the closest known key
// suggested), the marking of user-set values, the range check of a Param,
// and the listing by reflection of every assumption (for reports and for
// the every-setting-is-wired test).
//
// It is a leaf package: the domain packages (model/pv, model/heat,
// model/land, model/econ, model/uncertainty) declare their Params structs
// with Param fields, and package model composes them into a Scenario.
package scenario

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Param is one assumption: a value with its unit, its source and, for
// prices and tariffs, the date (YYYY-MM) it applies to.
//
// In a user's YAML file a Param is written either as a bare number
// (`discount_rate_pct: 5`; the source then becomes "set in <file>" and the
// date is cleared) or as a mapping with the keys value, unit, source, date
// (the unit, when given, must equal the built-in unit: no unit conversion).
type Param struct {
	Value  float64 `json:"value" yaml:"value"`
	Unit   string  `json:"unit" yaml:"unit"`
	Source string  `json:"source" yaml:"source"`
	Date   string  `json:"date,omitempty" yaml:"date,omitempty"`
}

// P returns an undated Param.
func P(v float64, unit, source string) Param { return Param{Value: v, Unit: unit, Source: source} }

// PD returns a dated Param (date YYYY or YYYY-MM).
func PD(v float64, unit, source, date string) Param {
	return Param{Value: v, Unit: unit, Source: source, Date: date}
}

// Int returns the value as an int (values checked whole by Check).
func (p Param) Int() int { return int(p.Value) }

// userSourceMarker is set by Param.UnmarshalYAML for values a user's file
// sets without a source; MarkUserSources replaces it with "set in <file>".
const userSourceMarker = "\x00user"

// UnmarshalYAML accepts a bare number or a {value, unit, source, date}
// mapping (see Param).
func (p *Param) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		var v float64
		if err := n.Decode(&v); err != nil {
			return fmt.Errorf("line %d: want a number, got %q", n.Line, n.Value)
		}
		p.Value, p.Source, p.Date = v, userSourceMarker, ""
		return nil
	case yaml.MappingNode:
		sourceSet := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch k.Value {
			case "value":
				if err := v.Decode(&p.Value); err != nil {
					return fmt.Errorf("line %d: value: want a number, got %q", v.Line, v.Value)
				}
			case "unit":
				if v.Value != p.Unit && p.Unit != "" {
					return fmt.Errorf("line %d: unit %q differs from the built-in unit %q (no unit conversion; give the value in %s)", v.Line, v.Value, p.Unit, p.Unit)
				}
				p.Unit = v.Value
			case "source":
				p.Source, sourceSet = v.Value, true
			case "date":
				p.Date = v.Value
			default:
				return fmt.Errorf("line %d: unknown key %q (want value, unit, source or date)", k.Line, k.Value)
			}
		}
		if !sourceSet {
			p.Source = userSourceMarker
		}
		return nil
	}
	return fmt.Errorf("line %d: want a number or a {value, unit, source, date} mapping", n.Line)
}

// ErrInvalid marks an invalid scenario (unknown key, bad value).
var ErrInvalid = errors.New("invalid scenario")

// Error locates a scenario problem: the file (empty for built-in values),
// the line (0 when unknown), the key path (e.g. "econ.prices.gas.value")
// and the problem. It unwraps to ErrInvalid.
type Error struct {
	File, Key, Problem string
	Line               int
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Problem)
	return b.String()
}

func (e *Error) Unwrap() error { return ErrInvalid }

// Check returns an *Error for key when p's value is NaN, outside [lo, hi],
// or (whole) not an integer.
func Check(key string, p Param, lo, hi float64, whole bool) error {
	v := p.Value
	if math.IsNaN(v) || v < lo || v > hi {
		return &Error{Key: key, Problem: fmt.Sprintf("%g %s out of range [%g, %g]", v, p.Unit, lo, hi)}
	}
	if whole && v != math.Trunc(v) {
		return &Error{Key: key, Problem: fmt.Sprintf("%g must be a whole number", v)}
	}
	return nil
}

// Range is the allowed interval [Lo, Hi] of one Param, Whole when it must
// be an integer; Key is its YAML path.
type Range struct {
	Key    string
	P      Param
	Lo, Hi float64
	Whole  bool
}

// CheckRanges returns the error of the first Range violated (see Check),
// or nil.
func CheckRanges(rs []Range) error {
	for _, r := range rs {
		if err := Check(r.Key, r.P, r.Lo, r.Hi, r.Whole); err != nil {
			return err
		}
	}
	return nil
}

// Prefix returns err with prefix (a YAML path) prepended to the key of an
// *Error, and file set; other errors are wrapped into an *Error.
func Prefix(err error, prefix, file string) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		c := *e
		c.Key = Join(prefix, c.Key)
		if c.File == "" {
			c.File = file
		}
		return &c
	}
	return &Error{File: file, Key: prefix, Problem: err.Error()}
}

var paramType = reflect.TypeOf(Param{})

// CheckKeys walks a YAML node along the Go type t and rejects keys that no
// field carries, reporting file, line and the full key path (yaml.v3's
// KnownFields gives only the line and the Go type), with the closest known
// key as a suggestion.
func CheckKeys(n *yaml.Node, t reflect.Type, path, file string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == paramType {
		return nil // Param.UnmarshalYAML checks its own keys
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return &Error{File: file, Line: n.Line, Key: path, Problem: "want a mapping of keys"}
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			f, ok := fields[k]
			if !ok {
				return &Error{File: file, Line: n.Content[i].Line, Key: Join(path, k), Problem: "unknown key" + suggest(k, fields)}
			}
			if err := CheckKeys(n.Content[i+1], f.Type, Join(path, k), file); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return &Error{File: file, Line: n.Line, Key: path, Problem: "want a list"}
		}
		for i, c := range n.Content {
			if err := CheckKeys(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i), file); err != nil {
				return err
			}
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return &Error{File: file, Line: n.Line, Key: path, Problem: "want a mapping"}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if err := CheckKeys(n.Content[i+1], t.Elem(), Join(path, n.Content[i].Value), file); err != nil {
				return err
			}
		}
	}
	return nil
}

// Join joins two YAML key paths with a dot.
func Join(path, k string) string {
	switch {
	case path == "":
		return k
	case k == "":
		return path
	}
	return path + "." + k
}

func yamlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "" {
		name = strings.ToLower(f.Name)
	}
	return name
}

func yamlFields(t reflect.Type) map[string]reflect.StructField {
	m := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := yamlName(f)
		if name == "-" {
			continue
		}
		m[name] = f
	}
	return m
}

// suggest proposes the closest known key (edit distance ≤ 3, or one key a
// prefix of the other, e.g. a forgotten unit suffix).
func suggest(k string, fields map[string]reflect.StructField) string {
	best, bestD := "", 4
	for name := range fields {
		d := editDistance(k, name)
		if strings.HasPrefix(name, k) || strings.HasPrefix(k, name) {
			d = min(d, 2)
		}
		if d < bestD || (d == bestD && name < best) {
			best, bestD = name, d
		}
	}
	if best == "" {
		names := make([]string, 0, len(fields))
		for n := range fields {
			names = append(names, n)
		}
		sort.Strings(names)
		return " (known keys: " + strings.Join(names, ", ") + ")"
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance (tiny strings; hand-written to
// avoid a dependency for ten lines).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// MarkUserSources replaces the source of every Param a user's file set
// without one by src (e.g. "set in my.yaml"); root is a pointer to a struct.
func MarkUserSources(root any, src string) { markUserSources(reflect.ValueOf(root).Elem(), src) }

func markUserSources(v reflect.Value, src string) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == paramType {
			if p := v.Addr().Interface().(*Param); p.Source == userSourceMarker {
				p.Source = src
			}
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				markUserSources(v.Field(i), src)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			markUserSources(v.Index(i), src)
		}
	}
}

// Leaf is one settable value of a parameter tree: a Param (Kind "param"),
// a number of a size-class table row (Kind "number"), or a choice among
// named options (Kind "choice", a string field).
type Leaf struct {
	// Path is the YAML key path, e.g. "pv.min_usable_m2" or
	// "econ.pv.capex_rooftop[2].eur_per_kwp".
	Path string
	Kind string
	// Value is addressable: a Param struct, a float64/int field or a
	// string field.
	Value reflect.Value

	parent reflect.Value // the struct holding a "number" leaf
	field  reflect.StructField
}

// Float returns the numeric value of a "param" or "number" leaf.
func (l Leaf) Float() float64 {
	switch l.Kind {
	case "param":
		return l.Value.Field(0).Float()
	case "number":
		if l.Value.CanInt() {
			return float64(l.Value.Int())
		}
		return l.Value.Float()
	}
	return math.NaN()
}

// SetFloat sets the numeric value of a "param" or "number" leaf (ints are
// truncated).
func (l Leaf) SetFloat(v float64) {
	switch l.Kind {
	case "param":
		l.Value.Field(0).SetFloat(v)
	case "number":
		if l.Value.CanInt() {
			l.Value.SetInt(int64(v))
		} else {
			l.Value.SetFloat(v)
		}
	}
}

// Leaves lists every leaf of root (a pointer to a struct) in declaration
// order, by reflection: Params, the exported number fields of table rows,
// and string fields (choices). Fields named Source or Date (of table rows)
// are metadata, not leaves.
func Leaves(root any) []Leaf {
	var out []Leaf
	leaves(reflect.ValueOf(root).Elem(), "", &out, reflect.Value{}, reflect.StructField{})
	return out
}

func leaves(v reflect.Value, path string, out *[]Leaf, parent reflect.Value, field reflect.StructField) {
	t := v.Type()
	if t == paramType {
		*out = append(*out, Leaf{Path: path, Kind: "param", Value: v})
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() || f.Name == "Source" || f.Name == "Date" || yamlName(f) == "-" {
				continue
			}
			leaves(v.Field(i), Join(path, yamlName(f)), out, v, f)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			leaves(v.Index(i), fmt.Sprintf("%s[%d]", path, i), out, reflect.Value{}, reflect.StructField{})
		}
	case reflect.Float64, reflect.Int:
		*out = append(*out, Leaf{Path: path, Kind: "number", Value: v, parent: parent, field: field})
	case reflect.String:
		*out = append(*out, Leaf{Path: path, Kind: "choice", Value: v})
	}
}

// Assumption is one line of the assumptions table of a report.
type Assumption struct {
	Key    string  `json:"key"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	Source string  `json:"source"`
	Date   string  `json:"date,omitempty"`
}

// Assumptions lists every numeric assumption of root (a pointer to a
// struct) with its key path (YAML keys), unit, source and date, in
// declaration order. A Param gives one line. A table row (a struct with
// Source and Date string fields, e.g. a size class) gives one line per
// number field, with the row's source and date, the unit from the field's
// `unit` tag, and the key suffixed by the row's class label (the MaxKWp
// field: "(≤36 kWp)" or "(unbounded)"; the KWp field of a price point:
// "(at 9 kWp)"); the bound or size itself is part of the label, not a line. Choices (string fields) are not numbers and are
// not listed.
func Assumptions(root any, prefix string) []Assumption {
	var out []Assumption
	for _, l := range Leaves(root) {
		key := Join(prefix, l.Path)
		switch l.Kind {
		case "param":
			p := l.Value.Interface().(Param)
			out = append(out, Assumption{Key: key, Value: p.Value, Unit: p.Unit, Source: p.Source, Date: p.Date})
		case "number":
			row, field := l.parent, l.field
			if !row.IsValid() || field.Name == "MaxKWp" || field.Name == "KWp" {
				continue
			}
			label := ""
			if m := row.FieldByName("MaxKWp"); m.IsValid() {
				label = classLabel(m.Float())
			} else if k := row.FieldByName("KWp"); k.IsValid() && k.Kind() == reflect.Float64 {
				label = fmt.Sprintf("(at %g kWp)", k.Float()) // a price point's size
			}
			out = append(out, Assumption{Key: key + label, Value: l.Float(), Unit: field.Tag.Get("unit"),
				Source: row.FieldByName("Source").String(), Date: row.FieldByName("Date").String()})
		}
	}
	return out
}

func classLabel(maxKWp float64) string {
	if maxKWp == 0 {
		return "(unbounded)"
	}
	return fmt.Sprintf("(≤%g kWp)", maxKWp)
}

package vector

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/paulmach/orb"
)

// The fast path of the GeoJSON reader.
//
// encoding/json reads each feature several times (the Decoder scans the
// value, Unmarshal into rawFeature scans it again, orb's geometry decoding
// validates and decodes the geometry twice more, properties go through the
// token API). The fast path reads the features array with
// github.com/go-json-experiment/json/jsontext (the encoding/json/v2
// prototype, already in the module graph): one validating pass splits a
// feature (Decoder.ReadValue), a second walks its members and decodes the
// coordinates and properties directly.
//
// Results and error messages must be those of the encoding/json path
// (geojson.go), which stays the reference:
//   - a feature whose shape the fast path does not take for certain
//     (a member name that differs from type/id/geometry/properties only by
//     case, a repeated member, a non-string type, a geometry other than a
//     Polygon or MultiPolygon of 2-number positions, a number out of
//     float64 range, ...) is decoded by the encoding/json path from its raw
//     bytes, which gives the same result as decoding it from the stream;
//   - a feature with invalid UTF-8 (jsontext reads the stream with
//     AllowInvalidUTF8, so that a Latin-1 file does not leave the fast path)
//     or a \uD800-\uDFFF escape is decoded by the encoding/json path too;
//   - any syntax, gzip or I/O error met by jsontext, and anything after the
//     features array that is not plain, makes the reader "replay" (see
//     replay): it reopens the file, skips the features already returned
//     with encoding/json and goes on with it, so the error reported
//     (message, byte offset, line) is encoding/json's. One difference
//     remains: on a corrupt gzip stream, the fast path may return more
//     of the intact features before the (same) fatal error, as its reads
//     do not stop where encoding/json's buffer refills did. jsontext is at
//     least as strict as encoding/json (same grammar, same nesting limit
//     counted from the top), so it never accepts what encoding/json rejects;
//     where it is stricter, the replay reads the file as before.
//
// FuzzGeoJSONFastPath checks that both paths return the same features and
// errors on arbitrary input.

// fastPrefix puts jsontext, which starts in the middle of the top-level
// object, at the depth of the features array.
const fastPrefix = `{"features":[`

// startFast hands the stream over to jsontext just after the '[' of the
// features array. bin is the stream dec reads from.
func (s *geojsonSource) startFast(bin io.Reader) error {
	in := io.MultiReader(strings.NewReader(fastPrefix), s.dec.Buffered(), bin)
	s.js = jsontext.NewDecoder(in, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	for range 3 { // '{', "features", '['
		if _, err := s.js.ReadToken(); err != nil {
			return fmt.Errorf("%s: %v: %w", s.path, err, ErrMalformed) // cannot happen: the prefix is valid
		}
	}
	s.dec = nil
	return nil
}

// nextFast reads the next feature with jsontext.
func (s *geojsonSource) nextFast() (Feature, error) {
	if s.js.PeekKind() == ']' {
		if err := s.finishFast(); err != nil {
			return Feature{}, err
		}
		return Feature{}, io.EOF
	}
	raw, err := s.js.ReadValue()
	if err != nil {
		if err := s.replay(); err != nil {
			return Feature{}, err
		}
		return s.next()
	}
	idx := s.index
	s.index++
	return s.decodeRaw(idx, raw, &s.fd, s.info.Fields == nil)
}

// decodeRaw decodes one feature from its raw JSON value (valid JSON), as
// the encoding/json path does; fd decodes the usual shapes.
func (s *geojsonSource) decodeRaw(idx int, raw []byte, fd *featureDecoder, withNames bool) (Feature, error) {
	if !utf8.Valid(raw) || bytes.Contains(raw, []byte(`\ud`)) || bytes.Contains(raw, []byte(`\uD`)) {
		// Invalid UTF-8 (e.g. a Latin-1 file) or a possible lone surrogate
		// escape: encoding/json replaces them with U+FFFD, and decodes
		// this feature (see the comment at the top).
		fd = nil
	}
	rf, ok := fd.split(raw)
	if !ok {
		rf = rawFeature{}
		if err := json.Unmarshal(raw, &rf); err != nil {
			if fe := s.typeError(idx, err); fe != nil {
				return Feature{Index: idx}, fe
			}
			return Feature{}, fmt.Errorf("%s: feature %d: %v: %w", s.path, idx, err, ErrMalformed)
		}
	}
	return s.convert(idx, &rf, fd, withNames)
}

// finishFast reads "]" and the members after the features array with
// jsontext, as finish does; anything unusual replays with encoding/json.
func (s *geojsonSource) finishFast() error {
	fail := func() error {
		if err := s.replay(); err != nil {
			return err
		}
		return s.finish()
	}
	if _, err := s.js.ReadToken(); err != nil { // ']'
		return fail()
	}
	for {
		tok, err := s.js.ReadToken()
		if err != nil {
			return fail()
		}
		if tok.Kind() == '}' {
			break
		}
		if tok.String() != "crs" {
			if err := s.js.SkipValue(); err != nil {
				return fail()
			}
			continue
		}
		raw, err := s.js.ReadValue()
		if err != nil {
			return fail()
		}
		code, name, err := s.crsOf(raw)
		if err == nil {
			err = s.lateCRS(code, name)
		}
		if err != nil {
			s.done = true
			return err
		}
	}
	if _, err := s.js.ReadToken(); err != io.EOF {
		return fail()
	}
	s.done = true
	return nil
}

// replay reopens the file and goes on with encoding/json where jsontext
// stopped (see the comment at the top). encoding/json's Decoder reports
// syntax error offsets counted over the values it has scanned (not the
// bytes of the file), so it must have scanned what the encoding/json path
// would have: replay walks the header again and skips the features already
// returned with the same Decoder calls (More, Decode) as next. Only
// reached on a read error or a file the fast path does not take; the
// features before it are read a second time, at encoding/json's speed.
func (s *geojsonSource) replay() error {
	s.js = nil
	if s.gz != nil {
		_ = s.gz.Close() // its error (a corrupt stream) is met again below
		s.gz = nil
	}
	_ = s.file.Close()
	var err error
	if s.file, err = openFile(s.fsys, s.path); err != nil {
		s.file = io.NopCloser(strings.NewReader(""))
		return fmt.Errorf("%s: reopening to locate a read error: %w", s.path, err)
	}
	in, gz, err := jsonStream(s.file)
	s.gz = gz
	if err != nil {
		return fmt.Errorf("%s: gzip: %v: %w", s.path, err, ErrMalformed)
	}
	s.dec = json.NewDecoder(in)
	done := s.done
	if _, _, inFeatures, err := s.walkHeader(); err != nil || !inFeatures {
		s.done = true
		if err == nil {
			err = fmt.Errorf("%s: the file changed while it was read: %w", s.path, ErrMalformed)
		}
		return err
	}
	s.done = done
	for range s.index {
		var skip json.RawMessage
		if !s.dec.More() {
			return fmt.Errorf("%s: the file changed while it was read: %w", s.path, ErrMalformed)
		}
		if err := s.dec.Decode(&skip); err != nil {
			return s.wrapErr(err)
		}
	}
	return nil
}

// featureDecoder decodes the usual shapes of features with jsontext (see
// the comment at the top). Its methods return ok = false for anything else,
// and a nil *featureDecoder takes nothing. Not safe for concurrent use.
type featureDecoder struct {
	dec jsontext.Decoder
	buf bytes.Buffer
	pts []orb.Point // scratch ring: one allocation of the right size per ring
	// names holds the property names met (at most maxNames), so that the
	// same names in every feature are not allocated again.
	names map[string]string
}

const maxNames = 1024

// name returns the unquoted text of a JSON string (valid: read by
// jsontext), from fd.names when it has no escape.
func (fd *featureDecoder) name(quoted []byte) (string, bool) {
	body := quoted[1 : len(quoted)-1]
	if bytes.IndexByte(body, '\\') >= 0 {
		b, err := jsontext.AppendUnquote(nil, quoted)
		return string(b), err == nil
	}
	if s, ok := fd.names[string(body)]; ok {
		return s, true
	}
	s := string(body)
	if fd.names == nil {
		fd.names = map[string]string{}
	}
	if len(fd.names) < maxNames {
		fd.names[s] = s
	}
	return s, true
}

// open makes fd.dec read raw (valid JSON).
func (fd *featureDecoder) open(raw []byte) *jsontext.Decoder {
	fd.buf = *bytes.NewBuffer(raw) // jsontext reads a *bytes.Buffer without copying
	fd.dec.Reset(&fd.buf, jsontext.AllowDuplicateNames(true))
	return &fd.dec
}

// member returns the raw value just read by d as a sub-slice of raw (which
// stays valid, unlike jsontext's buffer views).
func member(raw []byte, d *jsontext.Decoder, v jsontext.Value) []byte {
	end := int(d.InputOffset())
	return raw[end-len(v) : end]
}

// split splits a feature object into its members as encoding/json would
// unmarshal it into rawFeature, when the member names are exactly type, id,
// geometry and properties (other names: ignored if they do not match one of
// these case-insensitively, as encoding/json does), each at most once, and
// type is a string.
func (fd *featureDecoder) split(raw []byte) (rf rawFeature, ok bool) {
	if fd == nil || len(raw) == 0 || raw[0] != '{' {
		return rf, false
	}
	d := fd.open(raw)
	if _, err := d.ReadToken(); err != nil {
		return rf, false
	}
	var seen [4]bool
	for d.PeekKind() != '}' {
		tok, err := d.ReadToken()
		if err != nil {
			return rf, false
		}
		name := tok.String()
		k := -1
		switch name {
		case "type":
			k = 0
		case "id":
			k = 1
		case "geometry":
			k = 2
		case "properties":
			k = 3
		default:
			for _, n := range [...]string{"type", "id", "geometry", "properties"} {
				if strings.EqualFold(name, n) {
					return rf, false
				}
			}
			for i := range len(name) {
				if name[i] >= 0x80 { // Unicode case folding (e.g. "ſ", the Kelvin sign)
					return rf, false
				}
			}
			if err := d.SkipValue(); err != nil {
				return rf, false
			}
			continue
		}
		if seen[k] {
			return rf, false
		}
		seen[k] = true
		if k == 0 {
			t, err := d.ReadToken()
			if err != nil || t.Kind() != '"' {
				return rf, false
			}
			rf.Type = t.String()
			continue
		}
		v, err := d.ReadValue()
		if err != nil {
			return rf, false
		}
		m := member(raw, d, v)
		switch k {
		case 1:
			rf.ID = m
		case 2:
			rf.Geometry = m
		case 3:
			rf.Properties = m
		}
	}
	return rf, true
}

// props decodes a properties object as decodeProps does.
func (fd *featureDecoder) props(raw []byte, withNames bool) (map[string]any, []string, bool) {
	if fd == nil {
		return nil, nil, false
	}
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil, true
	}
	if raw[0] != '{' {
		return nil, nil, false
	}
	d := fd.open(raw)
	if _, err := d.ReadToken(); err != nil {
		return nil, nil, false
	}
	props := make(map[string]any, 16)
	var names []string
	for d.PeekKind() != '}' {
		kv, err := d.ReadValue() // the name
		if err != nil {
			return nil, nil, false
		}
		key, ok := fd.name(kv)
		if !ok {
			return nil, nil, false
		}
		v, err := d.ReadValue()
		if err != nil {
			return nil, nil, false
		}
		val, err := jsonScalar(member(raw, d, v))
		if err != nil {
			return nil, nil, false // decodeProps reports it
		}
		props[key] = val
		if withNames {
			names = append(names, key)
		}
	}
	if withNames && names == nil {
		names = []string{}
	}
	return props, names, true
}

// geometry decodes a Polygon or MultiPolygon whose positions all have two
// numbers, with exactly the members type and coordinates, as orb's
// geojson.UnmarshalGeometry does (which decodes the coordinates with
// encoding/json into orb.Point = [2]float64: extra numbers would be
// dropped, missing ones zeroed; those and every other shape are left to
// it). Hand-written because no library decodes GeoJSON coordinates
// without going through encoding/json's reflection.
func (fd *featureDecoder) geometry(raw []byte) (orb.Geometry, bool) {
	if fd == nil || len(raw) == 0 || raw[0] != '{' {
		return nil, false
	}
	d := fd.open(raw)
	if _, err := d.ReadToken(); err != nil {
		return nil, false
	}
	typ, coords := "", []byte(nil)
	for d.PeekKind() != '}' {
		tok, err := d.ReadToken()
		if err != nil {
			return nil, false
		}
		switch tok.String() {
		case "type":
			if typ != "" {
				return nil, false
			}
			t, err := d.ReadToken()
			if err != nil || t.Kind() != '"' {
				return nil, false
			}
			if typ = t.String(); typ == "" {
				return nil, false
			}
		case "coordinates":
			if coords != nil {
				return nil, false
			}
			v, err := d.ReadValue()
			if err != nil {
				return nil, false
			}
			coords = member(raw, d, v)
		default:
			return nil, false
		}
	}
	if coords == nil {
		return nil, false
	}
	d = fd.open(coords)
	switch typ {
	case "Polygon":
		p, ok := fd.readPolygon(d)
		return p, ok && atEnd(d)
	case "MultiPolygon":
		if d.PeekKind() != '[' {
			return nil, false
		}
		_, _ = d.ReadToken()
		mp := orb.MultiPolygon{}
		for d.PeekKind() != ']' {
			p, ok := fd.readPolygon(d)
			if !ok {
				return nil, false
			}
			mp = append(mp, p)
		}
		_, _ = d.ReadToken()
		return mp, atEnd(d)
	}
	return nil, false
}

func atEnd(d *jsontext.Decoder) bool {
	_, err := d.ReadToken()
	return err == io.EOF
}

// readPolygon reads [[[x, y], ...], ...]; a polygon or ring that is [] is
// an empty non-nil slice, as encoding/json makes it.
func (fd *featureDecoder) readPolygon(d *jsontext.Decoder) (orb.Polygon, bool) {
	if d.PeekKind() != '[' {
		return nil, false
	}
	_, _ = d.ReadToken()
	p := orb.Polygon{}
	for d.PeekKind() != ']' {
		if d.PeekKind() != '[' {
			return nil, false
		}
		_, _ = d.ReadToken()
		fd.pts = fd.pts[:0]
		for d.PeekKind() != ']' {
			pt, ok := readPoint(d)
			if !ok {
				return nil, false
			}
			fd.pts = append(fd.pts, pt)
		}
		_, _ = d.ReadToken()
		p = append(p, append(make(orb.Ring, 0, len(fd.pts)), fd.pts...))
	}
	_, _ = d.ReadToken()
	return p, true
}

// readPoint reads [x, y]; false for another count of numbers, a value that
// is not a number, or a number out of float64 range (jsontext saturates it
// to ±MaxFloat64 where encoding/json reports an error).
func readPoint(d *jsontext.Decoder) (orb.Point, bool) {
	var pt orb.Point
	if d.PeekKind() != '[' {
		return pt, false
	}
	_, _ = d.ReadToken()
	for i := range 2 {
		if d.PeekKind() != '0' {
			return pt, false
		}
		t, err := d.ReadToken()
		if err != nil {
			return pt, false
		}
		if pt[i] = t.Float(); math.Abs(pt[i]) == math.MaxFloat64 {
			return pt, false
		}
	}
	if d.PeekKind() != ']' {
		return pt, false
	}
	_, _ = d.ReadToken()
	return pt, true
}

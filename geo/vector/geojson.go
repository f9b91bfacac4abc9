package vector

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/gisement/gisement/geo/crs"
)

// geojsonSource streams the features of a GeoJSON FeatureCollection (plain
// or gzip) with encoding/json's token API: only one feature is decoded at a
// time.
//
// Top-level members before "features" are read first ("crs" among them).
// A "crs" member found after "features" (allowed by JSON, rare in practice:
// GDAL and QGIS write it before) can only be seen once every feature has
// been returned; if it names a CRS other than the one the features were
// returned in, Next returns a fatal error wrapping ErrCRSMismatch that tells
// to reopen with OpenOptions.EPSG; if it agrees, LayerInfo.CRSSource becomes
// "declared".
type geojsonSource struct {
	path  string
	file  io.ReadCloser
	fsys  fs.FS // nil: path is on disk
	gz    *gzip.Reader
	dec   *json.Decoder
	info  *LayerInfo
	flag  bool // EPSG given by OpenOptions
	index int
	done  bool

	// js, when not nil, reads the features array (fast path, see
	// geojson_fast.go); dec is then unused until a replay.
	js   *jsontext.Decoder
	fd   featureDecoder
	slow bool // OpenOptions.slowJSON: never use the fast path (tests)
}

type rawFeature struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties json.RawMessage `json:"properties"`
}

func openGeoJSON(r *Reader, path string, o OpenOptions) error {
	f, err := openFile(o.FS, path)
	if err != nil {
		return fmt.Errorf("vector: %w", err)
	}
	s := &geojsonSource{path: path, file: f, fsys: o.FS, info: &r.info, flag: o.EPSG != 0, slow: o.slowJSON}
	r.src = s
	bin, gz, err := jsonStream(f)
	s.gz = gz
	if err != nil {
		return fmt.Errorf("%s: gzip: %v: %w", path, err, ErrMalformed)
	}
	s.dec = json.NewDecoder(bin)
	r.info = LayerInfo{Path: path, Format: FormatGeoJSON, Count: -1}

	declared, crsName, inFeatures, err := s.walkHeader()
	if err != nil {
		return err
	}
	if inFeatures && !s.slow {
		if err := s.startFast(bin); err != nil {
			return err
		}
	}
	r.info.CRSName = crsName
	switch {
	case o.EPSG != 0:
		r.info.EPSG, r.info.CRSSource = o.EPSG, CRSFromFlag
	case declared != 0:
		r.info.EPSG, r.info.CRSSource = declared, CRSDeclared
	default:
		r.info.EPSG, r.info.CRSSource = EPSG4326, CRSAssumed7946
	}
	if !crs.Supported(r.info.EPSG) {
		return fmt.Errorf("%s: EPSG:%d: %w", path, r.info.EPSG, ErrUnsupportedCRS)
	}
	return r.readAheadAndCheck()
}

// walkHeader walks the top-level object up to the '[' of "features"
// (inFeatures) or to its end (s.done, empty layer), and returns the CRS
// declared by a "crs" member before the features (0 if none).
func (s *geojsonSource) walkHeader() (declared int, crsName string, inFeatures bool, err error) {
	if err := s.expectDelim('{', "a GeoJSON object"); err != nil {
		return 0, "", false, err
	}
	for !s.done {
		key, err := s.nextKey()
		if err != nil {
			return 0, "", false, err
		}
		if key == "" { // end of object without features: empty layer
			s.done = true
			break
		}
		switch key {
		case "features":
			if err := s.expectDelim('[', "the features array"); err != nil {
				return 0, "", false, err
			}
			return declared, crsName, true, nil
		case "type":
			var t string
			if err := s.dec.Decode(&t); err != nil {
				return 0, "", false, s.wrapErr(err)
			}
			if t != "FeatureCollection" {
				return 0, "", false, fmt.Errorf("%s: top-level type %q, want FeatureCollection: %w", s.path, t, ErrMalformed)
			}
		case "crs":
			code, name, err := s.readCRS()
			if err != nil {
				return 0, "", false, err
			}
			declared, crsName = code, name
		default:
			var skip json.RawMessage
			if err := s.dec.Decode(&skip); err != nil {
				return 0, "", false, s.wrapErr(err)
			}
		}
	}
	return declared, crsName, false, nil
}

// readCRS decodes the value of a "crs" member: {"type":"name","properties":
// {"name": ...}} or the 2008 {"type":"EPSG","properties":{"code":2154}};
// null means "no CRS" (returns 0).
func (s *geojsonSource) readCRS() (int, string, error) {
	var raw json.RawMessage
	if err := s.dec.Decode(&raw); err != nil {
		return 0, "", s.wrapErr(err)
	}
	return s.crsOf(raw)
}

// crsOf decodes the raw value of a "crs" member (see readCRS).
func (s *geojsonSource) crsOf(raw []byte) (int, string, error) {
	var c struct {
		Type       string `json:"type"`
		Properties struct {
			Name string          `json:"name"`
			Code json.RawMessage `json:"code"`
		} `json:"properties"`
	}
	if string(raw) == "null" {
		return 0, "", nil
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return 0, "", fmt.Errorf("%s: crs member %s: %v: %w", s.path, truncate(string(raw), 80), err, ErrUnsupportedCRS)
	}
	name := c.Properties.Name
	if c.Type == "EPSG" || c.Type == "epsg" {
		name = "EPSG:" + string(bytes.Trim(c.Properties.Code, `"`))
	}
	code, err := crs.ParseName(name)
	if err != nil {
		return 0, name, fmt.Errorf("%s: %w", s.path, err)
	}
	return code, name, nil
}

func (s *geojsonSource) expectDelim(d json.Delim, what string) error {
	tok, err := s.dec.Token()
	if err != nil {
		return s.wrapErr(err)
	}
	if got, ok := tok.(json.Delim); !ok || got != d {
		return s.syntax(s.dec.InputOffset(), fmt.Sprintf("expected %s, found %v", what, tok))
	}
	return nil
}

// nextKey returns the next object key, or "" at the closing '}'.
func (s *geojsonSource) nextKey() (string, error) {
	tok, err := s.dec.Token()
	if err != nil {
		return "", s.wrapErr(err)
	}
	switch t := tok.(type) {
	case string:
		return t, nil
	case json.Delim:
		if t == '}' {
			return "", nil
		}
	}
	return "", s.syntax(s.dec.InputOffset(), fmt.Sprintf("expected a member name, found %v", tok))
}

func (s *geojsonSource) next() (Feature, error) {
	if s.done {
		return Feature{}, io.EOF
	}
	if s.js != nil {
		return s.nextFast()
	}
	if !s.dec.More() {
		if err := s.finish(); err != nil {
			return Feature{}, err
		}
		return Feature{}, io.EOF
	}
	idx := s.index
	s.index++
	var rf rawFeature
	if err := s.dec.Decode(&rf); err != nil {
		if fe := s.typeError(idx, err); fe != nil { // the value was consumed: reject this feature only
			return Feature{Index: idx}, fe
		}
		return Feature{}, s.wrapErr(err)
	}
	return s.convert(idx, &rf, nil, s.info.Fields == nil)
}

// typeError turns a decoding error of one feature whose value was consumed
// (*json.UnmarshalTypeError) into its *FeatureError; nil for other errors.
func (s *geojsonSource) typeError(idx int, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &FeatureError{File: s.path, Index: idx, Field: "feature",
			Err: fmt.Errorf("%w: %v", ErrInvalidProperty, err)}
	}
	return nil
}

// finish reads "]" and the members after the features array.
func (s *geojsonSource) finish() error {
	s.done = true
	if _, err := s.dec.Token(); err != nil { // ']'
		return s.wrapErr(err)
	}
	for {
		key, err := s.nextKey()
		if err != nil {
			return err
		}
		if key == "" {
			break
		}
		if key != "crs" {
			var skip json.RawMessage
			if err := s.dec.Decode(&skip); err != nil {
				return s.wrapErr(err)
			}
			continue
		}
		code, name, err := s.readCRS()
		if err != nil {
			return err
		}
		if err := s.lateCRS(code, name); err != nil {
			return err
		}
	}
	if tok, err := s.dec.Token(); err != io.EOF {
		if err != nil {
			return s.wrapErr(err)
		}
		return s.syntax(s.dec.InputOffset(), fmt.Sprintf("data after the top-level object: %v", tok))
	}
	return nil
}

// convert checks and decodes a feature split into its members. fd, when
// not nil, decodes the properties and geometry on the fast path (falling
// back to encoding/json and orb for anything it does not take); withNames
// asks for the property names (LayerInfo.Fields, set from the first
// feature that has properties).
// lateCRS checks a crs member found after the features (see geojsonSource).
func (s *geojsonSource) lateCRS(code int, name string) error {
	if s.flag || code == 0 {
		return nil
	}
	if code != s.info.EPSG {
		return fmt.Errorf("%s: crs member after the features declares %s (EPSG:%d) but the features were read as EPSG:%d (%s); reopen with OpenOptions.EPSG=%d: %w",
			s.path, name, code, s.info.EPSG, s.info.CRSSource, code, ErrCRSMismatch)
	}
	s.info.CRSName, s.info.CRSSource = name, CRSDeclared
	return nil
}

func (s *geojsonSource) convert(idx int, rf *rawFeature, fd *featureDecoder, withNames bool) (Feature, error) {
	f := Feature{Index: idx}
	ferr := func(field string, sentinel, err error) (Feature, error) {
		return f, &FeatureError{File: s.path, Index: idx, ID: f.ID, Field: field, Err: fmt.Errorf("%w: %v", sentinel, err)}
	}
	if len(rf.ID) > 0 && string(rf.ID) != "null" {
		switch rf.ID[0] {
		case '"':
			if err := json.Unmarshal(rf.ID, &f.ID); err != nil {
				return ferr("id", ErrInvalidProperty, err)
			}
		case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			f.ID = string(rf.ID)
		default:
			return ferr("id", ErrInvalidProperty, fmt.Errorf("id must be a string or a number, got %s", truncate(string(rf.ID), 40)))
		}
	}
	if rf.Type != "Feature" {
		return ferr("type", ErrInvalidProperty, fmt.Errorf("type %q, want \"Feature\"", rf.Type))
	}
	props, names, ok := fd.props(rf.Properties, withNames)
	if !ok {
		var err error
		if props, names, err = decodeProps(rf.Properties, withNames); err != nil {
			return ferr("properties", ErrInvalidProperty, err)
		}
	}
	f.Props = props
	if s.info.Fields == nil && names != nil {
		s.info.Fields = names
	}
	if len(rf.Geometry) > 0 && string(rf.Geometry) != "null" {
		if g, ok := fd.geometry(rf.Geometry); ok {
			f.Geometry = g
		} else {
			g, err := geojson.UnmarshalGeometry(rf.Geometry)
			if err != nil {
				return ferr("geometry", ErrInvalidGeometry, err)
			}
			f.Geometry = g.Geometry()
		}
		if err := checkGeometry(f.Geometry); err != nil {
			f.Geometry = nil
			return ferr("geometry", ErrInvalidGeometry, err)
		}
	}
	return f, nil
}

// checkGeometry rejects what the GeoJSON decoder lets through but no
// consumer can use: an unknown type (nil geometry from a non-null member)
// and empty coordinate arrays at the top level. Topological validity (ring
// closure, self-intersection) is the caller's business.
func checkGeometry(g orb.Geometry) error {
	if g == nil {
		return errors.New("unknown or empty geometry")
	}
	switch t := g.(type) {
	case orb.Polygon:
		if len(t) == 0 {
			return errors.New("polygon without rings")
		}
	case orb.MultiPolygon:
		if len(t) == 0 {
			return errors.New("multipolygon without polygons")
		}
	case orb.LineString:
		if len(t) == 0 {
			return errors.New("linestring without points")
		}
	}
	return nil
}

// decodeProps converts a GeoJSON properties object. withNames asks for the
// member names in file order.
func decodeProps(raw json.RawMessage, withNames bool) (map[string]any, []string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil, nil
	}
	if raw[0] != '{' {
		return nil, nil, fmt.Errorf("properties must be an object, got %s", truncate(string(raw), 40))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil, nil, err
	}
	props := make(map[string]any, 16)
	var names []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, err
		}
		val, err := jsonScalar(v)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", key, err)
		}
		props[key] = val
		if withNames {
			names = append(names, key)
		}
	}
	if withNames && names == nil {
		names = []string{}
	}
	return props, names, nil
}

// jsonScalar converts one JSON value: integral number literal → int64 (when
// it fits), other numbers → float64, strings, bools, null → nil, objects and
// arrays → their raw JSON text.
func jsonScalar(v json.RawMessage) (any, error) {
	if len(v) == 0 {
		return nil, nil
	}
	switch c := v[0]; {
	case c == 'n':
		return nil, nil
	case c == 't':
		return true, nil
	case c == 'f':
		return false, nil
	case c == '"':
		body := v[1 : len(v)-1]
		if bytes.IndexByte(body, '\\') < 0 && utf8.Valid(body) {
			return string(body), nil
		}
		var s string
		err := json.Unmarshal(v, &s)
		return s, err
	case c == '{' || c == '[':
		return string(v), nil
	default:
		if bytes.IndexAny(v, ".eE") < 0 {
			if i, err := strconv.ParseInt(string(v), 10, 64); err == nil {
				return i, nil
			}
		}
		return strconv.ParseFloat(string(v), 64)
	}
}

func (s *geojsonSource) close() error {
	var err error
	if s.gz != nil {
		err = s.gz.Close()
	}
	return errors.Join(err, s.file.Close())
}

// wrapErr turns a decoder error into a *SyntaxError (JSON syntax, truncated
// input) or a fatal error wrapping ErrMalformed (gzip).
func (s *geojsonSource) wrapErr(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return s.syntax(se.Offset, se.Error())
	case errors.Is(err, io.ErrUnexpectedEOF), err == io.EOF:
		// Everything has been read into the decoder's buffer: the end of input is there.
		end := s.dec.InputOffset()
		if n, cerr := io.Copy(io.Discard, s.dec.Buffered()); cerr == nil {
			end += n
		}
		return s.syntax(end, "unexpected end of input (truncated file?)")
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader):
		return fmt.Errorf("%s: gzip near byte %d: %v: %w", s.path, s.dec.InputOffset(), err, ErrMalformed)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return s.syntax(te.Offset, te.Error())
	}
	return fmt.Errorf("%s: near byte %d: %v: %w", s.path, s.dec.InputOffset(), err, ErrMalformed)
}

func (s *geojsonSource) syntax(offset int64, msg string) error {
	return &SyntaxError{File: s.path, Offset: offset, Line: lineAt(s.fsys, s.path, offset), Msg: msg}
}

// jsonStream returns the (decompressed) content of f without its UTF-8
// BOM; gz is not nil for a gzip file.
func jsonStream(f io.Reader) (in *bufio.Reader, gz *gzip.Reader, err error) {
	br := bufio.NewReaderSize(f, 1<<16)
	in = br
	if head, _ := br.Peek(2); bytes.Equal(head, magicGzip) {
		if gz, err = gzip.NewReader(br); err != nil {
			return nil, nil, err
		}
		in = bufio.NewReaderSize(gz, 1<<16)
	}
	if bom, _ := in.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = in.Discard(3)
	}
	return in, gz, nil
}

// lineAt returns the 1-based line of byte offset in the (decompressed)
// content of path, by reading it again: only called on the error path.
func lineAt(fsys fs.FS, path string, offset int64) int {
	f, err := openFile(fsys, path)
	if err != nil {
		return 0
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var in io.Reader = br
	if head, _ := br.Peek(2); bytes.Equal(head, magicGzip) {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return 0
		}
		in = gz
	}
	line := 1
	buf := make([]byte, 1<<16)
	for offset > 0 {
		n, err := in.Read(buf[:min(int64(len(buf)), offset)])
		line += bytes.Count(buf[:n], []byte{'\n'})
		offset -= int64(n)
		if err != nil {
			break
		}
	}
	return line
}

package api

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v5"

	"github.com/gisement/gisement/data"
)

// Feature answers (GET /v1/parcels/{id}, /v1/buildings/{id}) are a small
// per-feature head (~2 kB: id, geometry, properties) followed by the same
// large tail for every feature of a study: the foreign member "scenario"
// with the study's assumptions (~42 kB on the sample study). The cache keeps
// only the head, raw-deflated once; the tail is deflated once per study.
// A gzip answer is spliced from the two: the head's deflate stream ends with
// a sync flush (byte-aligned, not final), so a standalone deflate stream can
// follow it (RFC 1951 blocks are self-delimiting and a fresh compressor never
// refers back before its own start); the gzip trailer carries the CRC-32 and
// size of the whole, computed once per entry. No library offers this
// splicing: gzip-compressing each 44 kB answer took ~45 % of a lookup's CPU
// under load, and caching whole answers took ~50 kB per entry.

// scenarioTail is `,"scenario":{...}}` of one study, plain and deflated.
type scenarioTail struct {
	key     string // studyKey
	plain   []byte
	deflate []byte // final raw deflate stream of plain
}

// featEntry is a cached feature answer: head + tail.plain.
type featEntry struct {
	key         string
	head        []byte // feature JSON without its closing brace
	headDeflate []byte // raw deflate of head, sync-flushed, not final
	crc         uint32 // CRC-32 (IEEE) of head + tail.plain
	tail        *scenarioTail
}

func (e *featEntry) size() int { return len(e.head) + len(e.tail.plain) }

// scenarioTailOf returns the study's tail, built once per study.
func (s *Server) scenarioTailOf(st data.Study) (*scenarioTail, error) {
	k := studyKey(st)
	s.stMu.Lock()
	t := s.tail
	s.stMu.Unlock()
	if t != nil && t.key == k {
		return t, nil
	}
	sj, err := json.Marshal(s.scenarioRef(st))
	if err != nil {
		return nil, err
	}
	t = &scenarioTail{key: k, plain: append(append([]byte(`,"scenario":`), sj...), '}')}
	var buf bytes.Buffer
	zw, _ := flate.NewWriter(&buf, flate.BestCompression)
	zw.Write(t.plain)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	t.deflate = buf.Bytes()
	s.stMu.Lock()
	s.tail = t
	s.stMu.Unlock()
	return t, nil
}

// newFeatEntry builds the cache entry of a marshalled GeoJSON Feature.
func newFeatEntry(key string, feature []byte, tail *scenarioTail) (*featEntry, error) {
	if len(feature) < 2 || feature[len(feature)-1] != '}' {
		return nil, fmt.Errorf("api: feature JSON is not an object")
	}
	e := &featEntry{key: key, head: feature[:len(feature)-1], tail: tail}
	var buf bytes.Buffer
	zw := headWriters.Get().(*flate.Writer)
	defer headWriters.Put(zw)
	zw.Reset(&buf)
	zw.Write(e.head)
	if err := zw.Flush(); err != nil {
		return nil, err
	}
	e.headDeflate = buf.Bytes()
	e.crc = crc32.Update(crc32.ChecksumIEEE(e.head), crc32.IEEETable, tail.plain)
	return e, nil
}

// headWriters recycles the deflate writers of feature heads: a
// flate.Writer holds ~600 kB of state, which allocating per entry made the
// dominant garbage of a cold cache (and of the pre-warming, prewarm.go).
var headWriters = sync.Pool{New: func() any {
	zw, _ := flate.NewWriter(nil, flate.DefaultCompression)
	return zw
}}

// gzipHeader is a minimal gzip member header (RFC 1952: deflate, no
// flags, no mtime, OS unknown).
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// writeFeat answers a cached feature, spliced gzip when accepted.
func writeFeat(c *echo.Context, e *featEntry) error {
	w := c.Response()
	h := w.Header()
	h.Set("Content-Type", "application/geo+json")
	h.Add("Vary", "Accept-Encoding")
	if strings.Contains(c.Request().Header.Get("Accept-Encoding"), "gzip") {
		var trailer [8]byte
		binary.LittleEndian.PutUint32(trailer[:4], e.crc)
		binary.LittleEndian.PutUint32(trailer[4:], uint32(e.size()))
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", strconv.Itoa(len(gzipHeader)+len(e.headDeflate)+len(e.tail.deflate)+len(trailer)))
		w.WriteHeader(http.StatusOK)
		for _, b := range [][]byte{gzipHeader, e.headDeflate, e.tail.deflate, trailer[:]} {
			if _, err := w.Write(b); err != nil {
				return nil // client gone; nothing more to say
			}
		}
		return nil
	}
	h.Set("Content-Length", strconv.Itoa(e.size()))
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(e.head); err == nil {
		w.Write(e.tail.plain)
	}
	return nil
}

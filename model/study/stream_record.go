package study

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo"
)

// Staged records: one validated building or parcel, as read by
// geo.ScanBuildings / geo.ScanParcels, with its plan index. Hand-written
// binary rather than encoding/gob: gob writes its type description in
// every independently decodable message, several times the size of a small
// footprint. Layout: kind byte, plan index (uvarint), then the fields in
// declaration order: strings as uvarint length + bytes, floats as 8-byte
// little-endian IEEE 754 (exact), integers as varints, geometries as
// polygon count, ring count, point count and coordinates.

const (
	recBuilding byte = 1
	recParcel   byte = 2
)

type recWriter struct{ b []byte }

func (w *recWriter) str(s string) {
	w.b = binary.AppendUvarint(w.b, uint64(len(s)))
	w.b = append(w.b, s...)
}
func (w *recWriter) f64(v float64) { w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(v)) }
func (w *recWriter) int(v int)     { w.b = binary.AppendVarint(w.b, int64(v)) }
func (w *recWriter) geom(mp orb.MultiPolygon) {
	w.b = binary.AppendUvarint(w.b, uint64(len(mp)))
	for _, pg := range mp {
		w.b = binary.AppendUvarint(w.b, uint64(len(pg)))
		for _, r := range pg {
			w.b = binary.AppendUvarint(w.b, uint64(len(r)))
			for _, p := range r {
				w.f64(p[0])
				w.f64(p[1])
			}
		}
	}
}

// appendBuilding encodes b with plan index idx.
func appendBuilding(dst []byte, idx int, b *geo.Building) []byte {
	w := recWriter{append(dst, recBuilding)}
	w.b = binary.AppendUvarint(w.b, uint64(idx))
	for _, s := range []string{b.ID, b.ParcelID, b.ParcelRef, b.CommuneRef, b.HeightSource, b.Use, b.Usage2, b.CommuneINSEE, b.IRIS, b.RoofType, b.RoofTypeSource} {
		w.str(s)
	}
	w.geom(b.Footprint)
	for _, v := range []float64{b.FootprintM2, b.Centroid[0], b.Centroid[1], b.HeightM, b.GroundAltM} {
		w.f64(v)
	}
	for _, v := range []int{b.Levels, b.Year, b.Dwellings} {
		w.int(v)
	}
	if b.Fictive {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
	return w.b
}

// appendParcel encodes p with plan index idx (BuildingIdx is not stored).
func appendParcel(dst []byte, idx int, p *geo.Parcel) []byte {
	w := recWriter{append(dst, recParcel)}
	w.b = binary.AppendUvarint(w.b, uint64(idx))
	for _, s := range []string{p.ID, p.IDSource, p.CommuneINSEE, p.Section} {
		w.str(s)
	}
	w.geom(p.Geometry)
	w.f64(p.AreaM2)
	w.int(p.SourceIndex)
	return w.b
}

var errRecord = errors.New("stage: malformed record")

type recReader struct {
	b   []byte
	err error
}

func (r *recReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errRecord
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *recReader) int() int {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errRecord
		return 0
	}
	r.b = r.b[n:]
	return int(v)
}

func (r *recReader) str() string {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errRecord
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *recReader) f64() float64 {
	if r.err != nil || len(r.b) < 8 {
		r.err = errRecord
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
	r.b = r.b[8:]
	return v
}

// count reads a length that must fit in the remaining bytes (each element
// takes at least min bytes), so that garbage cannot allocate much.
func (r *recReader) count(min int) int {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)/min) {
		r.err = errRecord
		return 0
	}
	return int(n)
}

func (r *recReader) geom() orb.MultiPolygon {
	mp := make(orb.MultiPolygon, r.count(1))
	for i := range mp {
		pg := make(orb.Polygon, r.count(1))
		for j := range pg {
			ring := make(orb.Ring, r.count(16))
			for k := range ring {
				ring[k] = orb.Point{r.f64(), r.f64()}
			}
			pg[j] = ring
		}
		mp[i] = pg
	}
	return mp
}

// decodeRecord decodes one staged record into a building or a parcel.
func decodeRecord(rec []byte) (kind byte, idx int, b geo.Building, p geo.Parcel, err error) {
	if len(rec) == 0 {
		return 0, 0, b, p, errRecord
	}
	kind = rec[0]
	r := recReader{b: rec[1:]}
	idx = int(r.uvarint())
	switch kind {
	case recBuilding:
		for _, s := range []*string{&b.ID, &b.ParcelID, &b.ParcelRef, &b.CommuneRef, &b.HeightSource, &b.Use, &b.Usage2, &b.CommuneINSEE, &b.IRIS, &b.RoofType, &b.RoofTypeSource} {
			*s = r.str()
		}
		b.Footprint = r.geom()
		for _, v := range []*float64{&b.FootprintM2, &b.Centroid[0], &b.Centroid[1], &b.HeightM, &b.GroundAltM} {
			*v = r.f64()
		}
		for _, v := range []*int{&b.Levels, &b.Year, &b.Dwellings} {
			*v = r.int()
		}
		if len(r.b) != 1 {
			r.err = errRecord
		} else {
			b.Fictive = r.b[0] == 1
		}
	case recParcel:
		for _, s := range []*string{&p.ID, &p.IDSource, &p.CommuneINSEE, &p.Section} {
			*s = r.str()
		}
		p.Geometry = r.geom()
		p.AreaM2 = r.f64()
		p.SourceIndex = r.int()
		if r.err == nil && len(r.b) != 0 {
			r.err = errRecord
		}
	default:
		return kind, 0, b, p, fmt.Errorf("%w: kind %d", errRecord, kind)
	}
	if r.err != nil {
		return kind, idx, geo.Building{}, geo.Parcel{}, r.err
	}
	return kind, idx, b, p, nil
}

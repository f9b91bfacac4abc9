package study

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/paulmach/orb"
)

// Plan records on disk (issue 16). The plan reads most per-feature fields
// (centroid, bounds, ground altitude, footprint and parcel areas, commune
// codes) only in sequential passes (load bounds, routing, commune
// assignment, heat altitude, coherence, centre, scaling by place), so they
// are written to a temporary file of fixed-size records in file order
// (the buildings, then the parcels: the order of the spill) and read back
// pass by pass, instead of some 130 bytes per building and parcel held for
// the whole planning. Only what the plan reads at random stays in memory
// (planner: chunks, assigned parcels, parcel ids and communes), the
// building centroids until the kd split is done, and the ParcelRefs of the
// assigned buildings during the parcel-id recovery.

// planBuildingSize and planParcelSize are the encoded sizes (bytes).
const (
	planBuildingSize = 16 + 16 + 8 + 8 + 4 + 4 + 14
	planParcelSize   = 16 + 16 + 8
)

// planBuilding is the record of one kept building on disk.
type planBuilding struct {
	c          orb.Point  // centroid (exact, as in the territory), Lambert-93 m
	box        [4]float32 // footprint bounds, m (the halo margin covers float32 rounding)
	altM, fpM2 float64    // ground altitude, m (NaN: unknown), and footprint area, m²
	commune    uint32     // interned CommuneINSEE (as read)
	communeRef uint32     // interned CommuneRef
	parcelRef  idu        // BDNB parcel reference (an IDU: 14 characters, or none)
}

// planParcel is the record of one kept parcel on disk.
type planParcel struct {
	c      orb.Point  // centroid, Lambert-93 m
	box    [4]float32 // bounds, m
	areaM2 float64    // area, m²
}

func putF64(b []byte, v float64) { binary.LittleEndian.PutUint64(b, math.Float64bits(v)) }
func getF64(b []byte) float64    { return math.Float64frombits(binary.LittleEndian.Uint64(b)) }

func putPoint(b []byte, c orb.Point, box [4]float32) {
	putF64(b, c[0])
	putF64(b[8:], c[1])
	for k, v := range box {
		binary.LittleEndian.PutUint32(b[16+4*k:], math.Float32bits(v))
	}
}

func getPoint(b []byte) (c orb.Point, box [4]float32) {
	c = orb.Point{getF64(b), getF64(b[8:])}
	for k := range box {
		box[k] = math.Float32frombits(binary.LittleEndian.Uint32(b[16+4*k:]))
	}
	return c, box
}

// encode writes r into b (planBuildingSize bytes, little-endian IEEE 754:
// exact).
func (r *planBuilding) encode(b []byte) {
	putPoint(b, r.c, r.box)
	putF64(b[32:], r.altM)
	putF64(b[40:], r.fpM2)
	binary.LittleEndian.PutUint32(b[48:], r.commune)
	binary.LittleEndian.PutUint32(b[52:], r.communeRef)
	copy(b[56:70], r.parcelRef[:])
}

// decode reads r from b (planBuildingSize bytes).
func (r *planBuilding) decode(b []byte) {
	r.c, r.box = getPoint(b)
	r.altM, r.fpM2 = getF64(b[32:]), getF64(b[40:])
	r.commune = binary.LittleEndian.Uint32(b[48:])
	r.communeRef = binary.LittleEndian.Uint32(b[52:])
	copy(r.parcelRef[:], b[56:70])
}

func (r *planParcel) encode(b []byte) {
	putPoint(b, r.c, r.box)
	putF64(b[32:], r.areaM2)
}

func (r *planParcel) decode(b []byte) {
	r.c, r.box = getPoint(b)
	r.areaM2 = getF64(b[32:])
}

// planRecs is the file of plan records: nb buildings then np parcels.
type planRecs struct {
	f      *os.File
	w      *bufio.Writer
	nb, np int
	buf    [planBuildingSize]byte
}

func newPlanRecs(dir string) (*planRecs, error) {
	f, err := os.CreateTemp(dir, "gisement-planrec-*.bin")
	if err != nil {
		return nil, fmt.Errorf("streaming study: %w", err)
	}
	return &planRecs{f: f, w: bufio.NewWriterSize(f, 256<<10)}, nil
}

func (pr *planRecs) close() {
	pr.f.Close()
	os.Remove(pr.f.Name())
}

// addBuilding appends a building record (before any parcel).
func (pr *planRecs) addBuilding(r *planBuilding) error {
	if pr.np > 0 {
		return fmt.Errorf("streaming study: plan records: building after the parcels")
	}
	r.encode(pr.buf[:])
	pr.nb++
	_, err := pr.w.Write(pr.buf[:planBuildingSize])
	return err
}

func (pr *planRecs) addParcel(r *planParcel) error {
	r.encode(pr.buf[:])
	pr.np++
	_, err := pr.w.Write(pr.buf[:planParcelSize])
	return err
}

// planReader reads the records in order.
type planReader struct {
	r      *bufio.Reader
	nb, np int
	ib, ip int // records read
	buf    [planBuildingSize]byte
	ctx    context.Context
}

// reader returns a reader from the first record (the writer is flushed).
func (pr *planRecs) reader(ctx context.Context) (*planReader, error) {
	if err := pr.w.Flush(); err != nil {
		return nil, fmt.Errorf("streaming study: plan records: %w", err)
	}
	sr := io.NewSectionReader(pr.f, 0, int64(pr.nb*planBuildingSize+pr.np*planParcelSize))
	return &planReader{r: bufio.NewReaderSize(sr, 256<<10), nb: pr.nb, np: pr.np, ctx: ctx}, nil
}

func (rd *planReader) read(n int) error {
	if (rd.ib+rd.ip)%4096 == 0 {
		if err := rd.ctx.Err(); err != nil {
			return err
		}
	}
	if _, err := io.ReadFull(rd.r, rd.buf[:n]); err != nil {
		return fmt.Errorf("streaming study: plan records: %w", err)
	}
	return nil
}

// building reads the next building record into r.
func (rd *planReader) building(r *planBuilding) error {
	if rd.ib >= rd.nb {
		return fmt.Errorf("streaming study: plan records: building %d of %d", rd.ib, rd.nb)
	}
	if err := rd.read(planBuildingSize); err != nil {
		return err
	}
	r.decode(rd.buf[:])
	rd.ib++
	return nil
}

// parcel reads the next parcel record into r (after every building).
func (rd *planReader) parcel(r *planParcel) error {
	if rd.ib != rd.nb || rd.ip >= rd.np {
		return fmt.Errorf("streaming study: plan records: parcel %d of %d after %d of %d buildings", rd.ip, rd.np, rd.ib, rd.nb)
	}
	if err := rd.read(planParcelSize); err != nil {
		return err
	}
	r.decode(rd.buf[:])
	rd.ip++
	return nil
}

// eachBuilding calls fn with every building record, in plan order.
func (pr *planRecs) eachBuilding(ctx context.Context, fn func(i int, r *planBuilding) error) error {
	rd, err := pr.reader(ctx)
	if err != nil {
		return err
	}
	var r planBuilding
	for i := 0; i < pr.nb; i++ {
		if err := rd.building(&r); err != nil {
			return err
		}
		if err := fn(i, &r); err != nil {
			return err
		}
	}
	return nil
}

// eachParcel calls fn with every parcel record, in plan order.
func (pr *planRecs) eachParcel(ctx context.Context, fn func(q int, r *planParcel) error) error {
	rd, err := pr.reader(ctx)
	if err != nil {
		return err
	}
	if _, err := rd.r.Discard(pr.nb * planBuildingSize); err != nil {
		return fmt.Errorf("streaming study: plan records: %w", err)
	}
	rd.ib = pr.nb
	var r planParcel
	for q := 0; q < pr.np; q++ {
		if err := rd.parcel(&r); err != nil {
			return err
		}
		if err := fn(q, &r); err != nil {
			return err
		}
	}
	return nil
}

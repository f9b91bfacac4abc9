package study

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// Plan records written to the file come back in order, bit for bit
// (NaN altitude included), through the sequential and the lock-step
// readers.
func TestPlanRecsRoundTrip(t *testing.T) {
	ctx := context.Background()
	pr, err := newPlanRecs(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer pr.close()
	bs := []planBuilding{
		{c: orb.Point{520006.66, 6457004.1}, box: [4]float32{520000, 6457000, 520010, 6457012.5}, altM: math.NaN(), fpM2: 62.5, commune: 3, communeRef: 7, parcelRef: iduOf("24322000AE0037")},
		{c: orb.Point{-1e-300, math.MaxFloat64}, box: [4]float32{-1, -2, 3, 4}, altM: 85.25, fpM2: 0, commune: math.MaxUint32},
	}
	ps := []planParcel{{c: orb.Point{1, 2}, box: [4]float32{0, 0, 2, 4}, areaM2: 8}, {c: orb.Point{3, 4}, areaM2: math.Inf(1)}}
	for i := range bs {
		if err := pr.addBuilding(&bs[i]); err != nil {
			t.Fatal(err)
		}
	}
	for i := range ps {
		if err := pr.addParcel(&ps[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := pr.addBuilding(&bs[0]); err == nil {
		t.Error("building after the parcels: no error")
	}
	pr.nb = len(bs) // undo the refused building's count
	sameB := func(a, b planBuilding) bool {
		return a.c == b.c && a.box == b.box && math.Float64bits(a.altM) == math.Float64bits(b.altM) && a.fpM2 == b.fpM2 && a.commune == b.commune && a.communeRef == b.communeRef && a.parcelRef == b.parcelRef
	}
	n := 0
	if err := pr.eachBuilding(ctx, func(i int, r *planBuilding) error {
		if !sameB(*r, bs[i]) {
			t.Errorf("building %d: got %+v, want %+v", i, *r, bs[i])
		}
		n++
		return nil
	}); err != nil || n != len(bs) {
		t.Fatalf("buildings: %d read, err %v", n, err)
	}
	n = 0
	if err := pr.eachParcel(ctx, func(q int, r *planParcel) error {
		if *r != ps[q] {
			t.Errorf("parcel %d: got %+v, want %+v", q, *r, ps[q])
		}
		n++
		return nil
	}); err != nil || n != len(ps) {
		t.Fatalf("parcels: %d read, err %v", n, err)
	}
	rd, err := pr.reader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var rp planParcel
	if err := rd.parcel(&rp); err == nil {
		t.Error("parcel before the buildings: no error")
	}
	// A file cut short is an error.
	if err := pr.f.Truncate(int64(planBuildingSize + 3)); err != nil {
		t.Fatal(err)
	}
	if err := pr.eachBuilding(ctx, func(int, *planBuilding) error { return nil }); err == nil {
		t.Error("truncated plan records: no error")
	}
}

// FuzzPlanRecordDecode: any bytes decode without panic, and decoding then
// encoding gives the same bytes back (the records are fixed-size and every
// bit pattern is a value).
func FuzzPlanRecordDecode(f *testing.F) {
	f.Add(make([]byte, planBuildingSize))
	f.Add(bytes.Repeat([]byte{0xff}, planBuildingSize))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < planBuildingSize {
			b = append(b, make([]byte, planBuildingSize-len(b))...)
		}
		var rb planBuilding
		rb.decode(b)
		out := make([]byte, planBuildingSize)
		rb.encode(out)
		if !bytes.Equal(out, b[:planBuildingSize]) {
			t.Fatalf("building: % x → % x", b[:planBuildingSize], out)
		}
		var rp planParcel
		rp.decode(b)
		out = out[:planParcelSize]
		rp.encode(out)
		if !bytes.Equal(out, b[:planParcelSize]) {
			t.Fatalf("parcel: % x → % x", b[:planParcelSize], out)
		}
	})
}

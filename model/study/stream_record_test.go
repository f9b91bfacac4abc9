package study

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo"
)

func testRecords() (geo.Building, geo.Parcel) {
	mp := orb.MultiPolygon{{{{520000, 6457000}, {520010, 6457000}, {520010, 6457012.5}, {520000, 6457000}}, {{520001, 6457001}, {520002, 6457001}, {520002, 6457002}, {520001, 6457001}}}}
	b := geo.Building{ID: "BATIMENT0000000301234567", ParcelRef: "24322000AE0037", CommuneRef: "", Footprint: mp, FootprintM2: 62.5,
		Centroid: orb.Point{520006.66, 6457004.1}, HeightM: 7.25, HeightSource: geo.HeightFromAttribute, Levels: 2, Year: 1972,
		Use: "Résidentiel", Usage2: "", Dwellings: 3, GroundAltM: math.NaN(), CommuneINSEE: "24322", IRIS: "243220101",
		RoofType: "pitched", RoofTypeSource: geo.RoofTypeFromAttribute, Fictive: true}
	p := geo.Parcel{ID: "24322000AE0037", IDSource: geo.IDFromAttribute, CommuneINSEE: "24322", Section: "AE", Geometry: mp, AreaM2: 61.5, SourceIndex: 41}
	return b, p
}

// Records decode to the features they encode, bit for bit.
func TestRecordRoundTrip(t *testing.T) {
	b, p := testRecords()
	kind, idx, gb, _, err := decodeRecord(appendBuilding(nil, 1234567, &b))
	if err != nil || kind != recBuilding || idx != 1234567 {
		t.Fatalf("building: kind %d idx %d err %v", kind, idx, err)
	}
	if !math.IsNaN(gb.GroundAltM) {
		t.Errorf("ground altitude %v, want NaN", gb.GroundAltM)
	}
	gb.GroundAltM, b.GroundAltM = 0, 0
	if !reflect.DeepEqual(gb, b) {
		t.Errorf("building\n got %+v\nwant %+v", gb, b)
	}
	kind, idx, _, gp, err := decodeRecord(appendParcel(nil, 7, &p))
	if err != nil || kind != recParcel || idx != 7 || !reflect.DeepEqual(gp, p) {
		t.Errorf("parcel: kind %d idx %d err %v\n got %+v\nwant %+v", kind, idx, err, gp, p)
	}
}

// FileStage returns each chunk's records in append order.
func TestFileStage(t *testing.T) {
	ctx := context.Background()
	s, err := NewFileStage(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	big := make([]byte, fileStageBuf+10) // forces a write before Flush
	for i := range 3 {
		for c := range 2 {
			if err := s.Append(ctx, c, []byte{byte(c), byte(i)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.Append(ctx, 1, big); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	for c := range 3 {
		var got [][]byte
		if err := s.Read(ctx, c, func(rec []byte) error { got = append(got, append([]byte(nil), rec...)); return nil }); err != nil {
			t.Fatal(err)
		}
		want := map[int]int{0: 3, 1: 4, 2: 0}[c]
		if len(got) != want {
			t.Fatalf("chunk %d: %d records, want %d", c, len(got), want)
		}
		for i := range min(3, len(got)) {
			if got[i][0] != byte(c) || got[i][1] != byte(i) {
				t.Errorf("chunk %d record %d: %v", c, i, got[i])
			}
		}
	}
}

// decodeRecord never panics and never allocates much on garbage.
func FuzzDecodeRecord(f *testing.F) {
	b, p := testRecords()
	f.Add(appendBuilding(nil, 3, &b))
	f.Add(appendParcel(nil, 4, &p))
	f.Add([]byte{1, 0, 200, 200, 200, 200, 1})
	f.Fuzz(func(t *testing.T, rec []byte) {
		kind, _, gb, gp, err := decodeRecord(rec)
		if err != nil {
			return
		}
		// A decoded record encodes back to the same bytes.
		var again []byte
		if kind == recBuilding {
			again = appendBuilding(nil, 0, &gb)
		} else {
			again = appendParcel(nil, 0, &gp)
		}
		_, _, _, _, err = decodeRecord(again)
		if err != nil {
			t.Fatalf("re-encoded record does not decode: %v", err)
		}
	})
}

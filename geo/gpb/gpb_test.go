package gpb

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestAppendParseRoundTrip(t *testing.T) {
	env := orb.Bound{Min: orb.Point{520000.5, 6457000.25}, Max: orb.Point{520100, 6457080}}
	b := AppendHeader([]byte("prefix"), 2154, env)[len("prefix"):]
	if len(b) != HeaderSizeXY {
		t.Fatalf("header of %d bytes, want %d", len(b), HeaderSizeXY)
	}
	// GeoPackage 1.3 §2.1.3: magic, version 0, flags 0x03 (little endian, XY envelope), srs_id 2154 = 0x086a.
	if string(b[:2]) != "GP" || b[2] != 0 || b[3] != 0x03 || b[4] != 0x6a || b[5] != 0x08 {
		t.Errorf("header % x", b[:8])
	}
	h, err := ParseHeader(b)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := h.Bound()
	if !ok || got != env || h.SRSID != 2154 || !h.LittleEndian || h.Empty || h.Extended || h.Size != HeaderSizeXY {
		t.Errorf("parsed %+v, bound %v", h, got)
	}
}

// TestParseHeaderKinds: big-endian headers, every envelope indicator, the
// empty and extended flags, and the malformed cases.
func TestParseHeaderKinds(t *testing.T) {
	be := func(flags byte, srs int32, env ...float64) []byte {
		b := []byte{'G', 'P', 0, flags}
		b = binary.BigEndian.AppendUint32(b, uint32(srs))
		for _, v := range env {
			b = binary.BigEndian.AppendUint64(b, math.Float64bits(v))
		}
		return b
	}
	for _, c := range []struct {
		name    string
		b       []byte
		envLen  int
		empty   bool
		ext     bool
		boundOK bool
	}{
		{"no envelope", be(0x00, 4326), 0, false, false, false},
		{"xy", be(0x02, 4326, 1, 2, 3, 4), 4, false, false, true},
		{"xyz", be(0x04, 4326, 1, 2, 3, 4, 5, 6), 6, false, false, true},
		{"xym", be(0x06, 4326, 1, 2, 3, 4, 5, 6), 6, false, false, true},
		{"xyzm", be(0x08, 4326, 1, 2, 3, 4, 5, 6, 7, 8), 8, false, false, true},
		{"empty", be(0x10, 4326), 0, true, false, false},
		{"extended", be(0x20, -1), 0, false, true, false},
	} {
		h, err := ParseHeader(c.b)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		b, ok := h.Bound()
		if h.EnvelopeLen != c.envLen || h.Empty != c.empty || h.Extended != c.ext || ok != c.boundOK ||
			h.LittleEndian || h.Size != 8+8*c.envLen {
			t.Errorf("%s: %+v", c.name, h)
		}
		if ok && b != (orb.Bound{Min: orb.Point{1, 3}, Max: orb.Point{2, 4}}) {
			t.Errorf("%s: bound %v", c.name, b)
		}
	}
	if h, _ := ParseHeader(be(0x20, -1)); h.SRSID != -1 {
		t.Errorf("srs_id %d, want -1", h.SRSID)
	}
	for name, b := range map[string][]byte{
		"short": []byte("GP\x00"), "magic": []byte("XP\x00\x00\x00\x00\x00\x00"),
		"version": []byte("GP\x01\x00\x00\x00\x00\x00"), "indicator 5": be(0x0a, 0, 1, 2, 3, 4, 5, 6, 7, 8),
		"truncated envelope": be(0x02, 0, 1, 2, 3),
	} {
		if _, err := ParseHeader(b); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
}

// FuzzParseHeader: never panics; a parsed header fits in the blob and its
// envelope length matches the indicator.
func FuzzParseHeader(f *testing.F) {
	f.Add(AppendHeader(nil, 2154, orb.Bound{Max: orb.Point{1, 1}}))
	f.Add([]byte("GP\x00\x01\x00\x00\x00\x00"))
	f.Add([]byte("GP\x00\x09\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseHeader(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if h.Size > len(b) || h.Size != 8+8*h.EnvelopeLen {
			t.Fatalf("size %d for %d bytes, envelope %d", h.Size, len(b), h.EnvelopeLen)
		}
	})
}

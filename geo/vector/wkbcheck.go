package vector

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// checkWKB walks a WKB (ISO or EWKB) geometry and verifies that every
// element count fits in the bytes that remain, before go-geom decodes it:
// go-geom sizes its slices from the counts in the blob, so a corrupt count
// (found by FuzzGPB) made it allocate tens of GB. Hand-written because no
// library offers a bounds-only pre-check.
func checkWKB(b []byte) error {
	n, err := checkWKBAt(b, 0)
	if err != nil {
		return err
	}
	if n != len(b) {
		return fmt.Errorf("%d trailing bytes after the WKB geometry", len(b)-n)
	}
	return nil
}

func checkWKBAt(b []byte, depth int) (int, error) {
	if depth > 32 {
		return 0, errors.New("WKB nested too deeply")
	}
	if len(b) < 5 {
		return 0, errors.New("WKB truncated")
	}
	var order binary.ByteOrder
	switch b[0] {
	case 0:
		order = binary.BigEndian
	case 1:
		order = binary.LittleEndian
	default:
		return 0, fmt.Errorf("bad WKB byte order %d", b[0])
	}
	t := order.Uint32(b[1:5])
	off := 5
	dims := 2
	if t&0x80000000 != 0 { // EWKB Z
		dims++
	}
	if t&0x40000000 != 0 { // EWKB M
		dims++
	}
	if t&0x20000000 != 0 { // EWKB SRID
		off += 4
	}
	t &= 0x0FFFFFFF
	switch t / 1000 {
	case 1, 2:
		dims++
	case 3:
		dims += 2
	}
	base := t % 1000
	count := func() (int, error) {
		if len(b) < off+4 {
			return 0, errors.New("WKB truncated")
		}
		c := int(order.Uint32(b[off:]))
		off += 4
		return c, nil
	}
	pts := func() error {
		c, err := count()
		if err != nil {
			return err
		}
		need := c * dims * 8
		if c < 0 || c > (len(b)-off)/(dims*8) {
			return fmt.Errorf("WKB claims %d points, only %d bytes left", c, len(b)-off)
		}
		off += need
		return nil
	}
	switch base {
	case 1:
		off += dims * 8
	case 2:
		if err := pts(); err != nil {
			return 0, err
		}
	case 3:
		c, err := count()
		if err != nil {
			return 0, err
		}
		if c > (len(b)-off)/4 {
			return 0, fmt.Errorf("WKB claims %d rings, only %d bytes left", c, len(b)-off)
		}
		for range c {
			if err := pts(); err != nil {
				return 0, err
			}
		}
	case 4, 5, 6, 7:
		c, err := count()
		if err != nil {
			return 0, err
		}
		if c > (len(b)-off)/9 {
			return 0, fmt.Errorf("WKB claims %d parts, only %d bytes left", c, len(b)-off)
		}
		for range c {
			n, err := checkWKBAt(b[off:], depth+1)
			if err != nil {
				return 0, err
			}
			off += n
		}
	default:
		return 0, fmt.Errorf("unsupported WKB geometry type %d", t)
	}
	if off > len(b) {
		return 0, errors.New("WKB truncated")
	}
	return off, nil
}

package raster

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// Windowed GeoTIFF reads: OpenGeoTIFF parses the header once (georeference,
// block layout, no-data) and GeoTIFF.ReadWindow decodes only the strips or
// tiles that intersect a pixel window, so a 1 km² 0.5 m surface-model tile
// (4 M cells) or a mosaic of them can be streamed chunk by chunk with memory
// bounded by the window (plus one decoded block).

// tiffLayout is the parsed block layout of the first image.
type tiffLayout struct {
	grid           *Grid // geometry and no-data, Data nil
	kind           sampleKind
	comp, pred     uint64
	blockW, blockH uint64
	across         uint64
	offs, counts   []uint64
	strips         bool
}

// GeoTIFF is an opened GeoTIFF file whose header has been parsed; its pixels
// are read on demand with ReadWindow. Close it when done.
type GeoTIFF struct {
	f      *os.File
	t      *tiffReader
	layout *tiffLayout
	// Info has the file's geometry, CRS and no-data value; Info.Data is nil.
	Info Grid
}

// OpenGeoTIFF opens path and parses the header of its first image (same scope
// and checks as ReadGeoTIFF) without decoding pixels.
func OpenGeoTIFF(path string, opts ...ReadOptions) (*GeoTIFF, error) {
	var o ReadOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	o.headerOnly = true
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	g, err := openGeoTIFFFrom(f, st.Size(), path, o)
	if err != nil {
		f.Close()
		return nil, err
	}
	if g.Info.EPSG == 0 {
		g.Info.EPSG = epsgFromPRJFile(path)
	}
	if g.Info.EPSG == 0 {
		g.Info.EPSG = o.EPSG
	}
	g.layout.grid.EPSG = g.Info.EPSG
	g.f = f
	return g, nil
}

// openGeoTIFFFrom parses the header from r (size bytes; name for errors).
func openGeoTIFFFrom(r io.ReaderAt, size int64, name string, o ReadOptions) (*GeoTIFF, error) {
	o.headerOnly = true
	t := &tiffReader{r: r, size: size, name: name}
	g, err := t.decode(o)
	if err != nil {
		return nil, err
	}
	t.layout.grid = g
	return &GeoTIFF{t: t, layout: t.layout, Info: *g}, nil
}

// Close releases the file.
func (g *GeoTIFF) Close() error {
	if g.f == nil {
		return nil
	}
	return g.f.Close()
}

// ReadWindow decodes the pixel window of width w and height h whose top-left
// cell is (col0, row0) into a new Grid georeferenced on that window. The
// window must lie inside the image (use Clip to intersect first).
func (g *GeoTIFF) ReadWindow(col0, row0, w, h int) (*Grid, error) {
	if col0 < 0 || row0 < 0 || w <= 0 || h <= 0 || col0+w > g.Info.Width || row0+h > g.Info.Height {
		return nil, fmt.Errorf("%s: window %d,%d %d×%d outside the %d×%d image", g.t.name, col0, row0, w, h, g.Info.Width, g.Info.Height)
	}
	return g.t.readWindow(g.layout, col0, row0, w, h)
}

// WindowOf returns the pixel window (clipped to the image) covering the
// rectangle b in the file's CRS; ok is false when they do not intersect.
func (g *GeoTIFF) WindowOf(b Bounds) (col0, row0, w, h int, ok bool) {
	return windowOf(&g.Info, b)
}

func windowOf(gi *Grid, b Bounds) (col0, row0, w, h int, ok bool) {
	fc0 := (b.MinX - gi.OriginX) / gi.PixelSizeX
	fc1 := (b.MaxX - gi.OriginX) / gi.PixelSizeX
	fr0 := (b.MaxY - gi.OriginY) / gi.PixelSizeY
	fr1 := (b.MinY - gi.OriginY) / gi.PixelSizeY
	if fr0 > fr1 {
		fr0, fr1 = fr1, fr0
	}
	c0, c1 := max(0, int(fc0)), min(gi.Width, int(fc1)+1)
	r0, r1 := max(0, int(fr0)), min(gi.Height, int(fr1)+1)
	if fc1 < 0 || fr1 < 0 || c0 >= c1 || r0 >= r1 {
		return 0, 0, 0, 0, false
	}
	return c0, r0, c1 - c0, r1 - r0, true
}

// readWindow decodes the blocks intersecting the window into a new grid.
func (t *tiffReader) readWindow(l *tiffLayout, col0, row0, w, h int) (*Grid, error) {
	gi := l.grid
	out := &Grid{Width: w, Height: h, EPSG: gi.EPSG, NoData: gi.NoData, HasNoData: gi.HasNoData,
		PixelSizeX: gi.PixelSizeX, PixelSizeY: gi.PixelSizeY,
		OriginX: gi.OriginX + float64(col0)*gi.PixelSizeX, OriginY: gi.OriginY + float64(row0)*gi.PixelSizeY}
	out.Data = make([]float64, w*h)
	bpsB := uint64(l.kind.bytes)
	var buf []byte
	imgH := uint64(gi.Height)
	bx0, bx1 := uint64(col0)/l.blockW, uint64(col0+w-1)/l.blockW
	by0, by1 := uint64(row0)/l.blockH, uint64(row0+h-1)/l.blockH
	for by := by0; by <= by1; by++ {
		for bx := bx0; bx <= bx1; bx++ {
			bi := by*l.across + bx
			rows := l.blockH
			if l.strips && (by+1)*l.blockH > imgH {
				rows = imgH - by*l.blockH // last strip may be shorter
			}
			x0, y0 := int(bx*l.blockW)-col0, int(by*l.blockH)-row0 // block origin in the window
			if l.counts[bi] == 0 {
				// Sparse block (GDAL SPARSE_OK): no data, or 0 without nodata.
				fill := 0.0
				if gi.HasNoData {
					fill = gi.NoData
				}
				placeWindow(out, x0, y0, int(l.blockW), int(rows), func(r, c int) float64 { return fill })
				continue
			}
			if buf == nil {
				buf = make([]byte, l.blockW*l.blockH*bpsB)
			}
			want := buf[:l.blockW*rows*bpsB]
			where := fmt.Sprintf("%s block %d", tagWhere(map[bool]uint16{true: tagStripOffsets, false: tagTileOffsets}[l.strips]), bi)
			src, err := t.readAt(l.offs[bi], l.counts[bi], where)
			if err != nil {
				return nil, err
			}
			if err := t.decompress(l.comp, src, want, where); err != nil {
				return nil, err
			}
			if err := t.unpredict(l.pred, want, int(l.blockW), int(rows), 1, l.kind, where); err != nil {
				return nil, err
			}
			var bo binary.ByteOrder = t.bo
			if l.pred == 3 {
				bo = binary.BigEndian // fpAcc leaves bytes most significant first
			}
			bw := int(l.blockW)
			placeWindow(out, x0, y0, bw, int(rows), func(r, c int) float64 {
				return l.kind.decode(bo, want[(r*bw+c)*int(bpsB):])
			})
		}
	}
	return out, nil
}

// placeWindow writes the block cells (r, c) that fall inside out, the block's
// top-left cell being at (x0, y0) in out's pixel coordinates.
func placeWindow(out *Grid, x0, y0, bw, bh int, val func(r, c int) float64) {
	r0, r1 := max(0, -y0), min(bh, out.Height-y0)
	c0, c1 := max(0, -x0), min(bw, out.Width-x0)
	for r := r0; r < r1; r++ {
		base := (y0+r)*out.Width + x0
		for c := c0; c < c1; c++ {
			out.Data[base+c] = val(r, c)
		}
	}
}

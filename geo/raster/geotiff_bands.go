package raster

// Multi-band GeoTIFF decoding (the pixel decoder shared with ReadGeoTIFF) and
// the GDAL metadata tag. Band layouts: PlanarConfiguration 1 ("chunky",
// GDAL's INTERLEAVE=PIXEL, samples of one pixel side by side) and 2
// ("planar", INTERLEAVE=BAND, one set of strips/tiles per band), TIFF 6.0
// §8 and §16. Predictors with several samples per pixel follow libtiff
// (tif_predict.c): horizontal differencing (2) with a stride of
// SamplesPerPixel samples, floating-point (3) byte-differenced with a stride
// of SamplesPerPixel bytes over the whole row of w·spp samples.

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// MaxBands caps the number of bands ReadGeoTIFFBands accepts (a climate grid
// has at most 1 annual + 12 monthly irradiation + 12 temperature bands; the
// cap only stops a hostile header from multiplying allocations).
const MaxBands = 64

// Bands is a multi-band raster: every band shares the geometry of Bands[0].
type Bands struct {
	Bands []*Grid
	// Metadata is the content of the GDAL_METADATA tag (empty when absent).
	Metadata GDALMetadata
}

// ReadGeoTIFFBands reads every band of the first image of a GeoTIFF file and
// its GDAL metadata (band descriptions, units, dataset items).
func ReadGeoTIFFBands(path string, opts ...ReadOptions) (*Bands, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	b, err := ReadGeoTIFFBandsFrom(f, st.Size(), path, opts...)
	if err != nil {
		return nil, err
	}
	if b.Bands[0].EPSG == 0 {
		epsg := epsgFromPRJFile(path)
		if epsg == 0 && len(opts) > 0 {
			epsg = opts[0].EPSG
		}
		for _, g := range b.Bands {
			g.EPSG = epsg
		}
	}
	return b, nil
}

// ReadGeoTIFFBandsFrom is ReadGeoTIFFBands on a reader of size bytes; name
// is used in error messages only.
func ReadGeoTIFFBandsFrom(r io.ReaderAt, size int64, name string, opts ...ReadOptions) (*Bands, error) {
	var o ReadOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	t := &tiffReader{r: r, size: size, name: name}
	if err := t.open(); err != nil {
		return nil, err
	}
	gs, err := t.images(o, MaxBands)
	if err != nil {
		return nil, err
	}
	out := &Bands{Bands: gs}
	s, ok, err := t.ascii(tagGDALMetadata)
	if err != nil {
		return nil, err
	}
	if ok {
		md, err := ParseGDALMetadata(s)
		if err != nil {
			return nil, &FormatError{File: name, Where: tagWhere(tagGDALMetadata), Err: ErrMalformed, Msg: err.Error()}
		}
		out.Metadata = md
	}
	for _, g := range gs {
		if g.EPSG == 0 {
			g.EPSG = o.EPSG
		}
	}
	return out, nil
}

// tagGDALMetadata is GDAL's private TIFF tag holding an XML document of
// metadata items (GDAL GTiff driver documentation, "Metadata").
const tagGDALMetadata = 42112

func init() { tagNames[tagGDALMetadata] = "GDAL_METADATA" }

// image reads a single-band image (ReadGeoTIFF).
func (t *tiffReader) image(o ReadOptions) (*Grid, error) {
	gs, err := t.images(o, 1)
	if err != nil {
		return nil, err
	}
	return gs[0], nil
}

// images decodes the first image into one Grid per band (at most maxBands).
func (t *tiffReader) images(o ReadOptions, maxBands uint64) ([]*Grid, error) {
	w, err := t.uint1(tagImageWidth, 0)
	if err != nil {
		return nil, err
	}
	h, err := t.uint1(tagImageLength, 0)
	if err != nil {
		return nil, err
	}
	if w == 0 || h == 0 {
		return nil, t.errf(ErrMalformed, tagWhere(tagImageWidth), "image size %d×%d (missing or zero ImageWidth/ImageLength)", w, h)
	}
	if w > 1<<31 || h > 1<<31 || int64(w*h) > o.maxPixels() {
		return nil, t.errf(ErrTooLarge, tagWhere(tagImageWidth), "%d×%d pixels exceeds the limit of %d", w, h, o.maxPixels())
	}
	spp, err := t.uint1(tagSamplesPerPixel, 1)
	if err != nil {
		return nil, err
	}
	if spp == 0 || spp > maxBands {
		if maxBands == 1 {
			return nil, t.errf(ErrUnsupported, tagWhere(tagSamplesPerPixel), "%d samples per pixel; only single-band rasters are read (extract one band with gdal_translate -b N)", spp)
		}
		return nil, t.errf(ErrUnsupported, tagWhere(tagSamplesPerPixel), "%d samples per pixel; 1…%d bands are read", spp, maxBands)
	}
	if int64(w*h*spp) > o.maxPixels() {
		return nil, t.errf(ErrTooLarge, tagWhere(tagSamplesPerPixel), "%d×%d pixels × %d bands exceeds the limit of %d", w, h, spp, o.maxPixels())
	}
	pc, err := t.uint1(tagPlanarConfig, 1)
	if err != nil {
		return nil, err
	}
	if pc != 1 && !(pc == 2 && spp > 1) {
		return nil, t.errf(ErrUnsupported, tagWhere(tagPlanarConfig), "planar configuration %d; only 1 (chunky) and 2 (planar, several bands) are read", pc)
	}
	planar := pc == 2 && spp > 1
	bps, err := t.uint1(tagBitsPerSample, 1)
	if err != nil {
		return nil, err
	}
	sf, err := t.uint1(tagSampleFormat, 1)
	if err != nil {
		return nil, err
	}
	kind := sampleKind{bytes: int(bps / 8), format: sf}
	okKind := bps%8 == 0 && ((sf == 1 || sf == 2) && (bps == 8 || bps == 16 || bps == 32) || sf == 3 && (bps == 32 || bps == 64))
	if !okKind {
		return nil, t.errf(ErrUnsupported, tagWhere(tagSampleFormat), "sample format %d with %d bits per sample; supported: uint/int 8/16/32, float 32/64", sf, bps)
	}
	comp, err := t.uint1(tagCompression, 1)
	if err != nil {
		return nil, err
	}
	switch comp {
	case 1, 5, 8, 32946:
	default:
		return nil, t.errf(ErrUnsupported, tagWhere(tagCompression), "compression %d; supported: 1 (none), 5 (LZW), 8/32946 (Deflate)", comp)
	}
	pred, err := t.uint1(tagPredictor, 1)
	if err != nil {
		return nil, err
	}
	switch {
	case pred == 1:
	case pred == 2 && sf != 3:
	case pred == 3 && sf == 3:
	default:
		return nil, t.errf(ErrUnsupported, tagWhere(tagPredictor), "predictor %d with sample format %d; supported: 1, 2 for integers, 3 for floats", pred, sf)
	}
	// Chunk layout: tiles or strips.
	var blockW, blockH uint64
	var offs, counts []uint64
	var offTag, cntTag uint16
	if _, tiled := t.entries[tagTileWidth]; tiled {
		if blockW, err = t.uint1(tagTileWidth, 0); err != nil {
			return nil, err
		}
		if blockH, err = t.uint1(tagTileLength, 0); err != nil {
			return nil, err
		}
		offTag, cntTag = tagTileOffsets, tagTileByteCounts
	} else {
		blockW = w
		if blockH, err = t.uint1(tagRowsPerStrip, h); err != nil {
			return nil, err
		}
		if blockH > h {
			blockH = h
		}
		offTag, cntTag = tagStripOffsets, tagStripByteCounts
	}
	// Tiles may overhang the image, but not absurdly: a tile larger than
	// twice the image plus 256 pixels is a malformed or hostile file.
	if blockW == 0 || blockH == 0 || blockW > 2*w+256 || blockH > 2*h+256 {
		return nil, t.errf(ErrMalformed, tagWhere(tagTileWidth), "block size %d×%d for a %d×%d image", blockW, blockH, w, h)
	}
	across := (w + blockW - 1) / blockW
	down := (h + blockH - 1) / blockH
	perBand := across * down
	nBlocks := perBand
	// Samples per block pixel: all bands (chunky) or one (planar).
	sppBlock := spp
	if planar {
		nBlocks, sppBlock = perBand*spp, 1
	}
	var ok bool
	if offs, ok, err = t.uints(offTag); err != nil {
		return nil, err
	} else if !ok {
		return nil, t.errf(ErrMalformed, tagWhere(offTag), "missing")
	}
	if counts, ok, err = t.uints(cntTag); err != nil {
		return nil, err
	} else if !ok {
		return nil, t.errf(ErrMalformed, tagWhere(cntTag), "missing")
	}
	if uint64(len(offs)) != nBlocks || uint64(len(counts)) != nBlocks {
		return nil, t.errf(ErrMalformed, tagWhere(offTag), "%d offsets and %d byte counts for %d blocks", len(offs), len(counts), nBlocks)
	}
	bpsB := uint64(kind.bytes)
	blockBytes := blockW * blockH * bpsB * sppBlock
	if blockBytes > 1<<31 {
		return nil, t.errf(ErrTooLarge, tagWhere(offTag), "block of %d bytes", blockBytes)
	}
	// Refuse claims that the file's bytes cannot possibly hold.
	var total uint64
	for i, c := range counts {
		if offs[i] > uint64(t.size) || c > uint64(t.size)-offs[i] {
			return nil, t.errf(ErrMalformed, tagWhere(offTag), "block %d: %d bytes at offset %d run past the end of the file (%d bytes)", i, c, offs[i], t.size)
		}
		total += c
	}
	need := w * h * bpsB * spp
	limit := total
	if comp != 1 {
		limit = total * maxExpansion
	}
	if need > limit {
		// Fully sparse files (all counts zero) are accepted only when small.
		if !(total == 0 && need <= 1<<20) {
			return nil, t.errf(ErrMalformed, tagWhere(cntTag), "image needs %d bytes but blocks hold %d (compression %d)", need, total, comp)
		}
	}
	g0 := &Grid{Width: int(w), Height: int(h)}
	if err := t.georef(g0); err != nil {
		return nil, err
	}
	if err := t.nodata(g0, kind); err != nil {
		return nil, err
	}
	if o.headerOnly {
		// OpenGeoTIFF: keep the block layout for ReadWindow (window.go),
		// which reads single-band images only.
		if spp != 1 {
			return nil, t.errf(ErrUnsupported, tagWhere(tagSamplesPerPixel), "%d samples per pixel; windowed reads take single-band rasters", spp)
		}
		t.layout = &tiffLayout{grid: g0, kind: kind, comp: comp, pred: pred, blockW: blockW, blockH: blockH,
			across: across, offs: offs, counts: counts, strips: offTag == tagStripOffsets}
		return []*Grid{g0}, nil
	}
	gs := make([]*Grid, spp)
	for b := range gs {
		g := *g0
		g.Data = make([]float64, w*h)
		gs[b] = &g
	}
	buf := make([]byte, blockBytes)
	for bi := uint64(0); bi < nBlocks; bi++ {
		band := uint64(0)
		pos := bi
		if planar {
			band, pos = bi/perBand, bi%perBand
		}
		bx, by := pos%across, pos/across
		rows := blockH
		if offTag == tagStripOffsets && (by+1)*blockH > h {
			rows = h - by*blockH // last strip may be shorter
		}
		want := buf[:blockW*rows*bpsB*sppBlock]
		where := fmt.Sprintf("%s block %d", tagWhere(offTag), bi)
		if counts[bi] == 0 {
			// Sparse block (GDAL SPARSE_OK): no data, or 0 without nodata.
			fill := 0.0
			if g0.HasNoData {
				fill = g0.NoData
			}
			for s := uint64(0); s < sppBlock; s++ {
				t.place(gs[band+s], fill, bx*blockW, by*blockH, blockW, rows)
			}
			continue
		}
		src, err := t.readAt(offs[bi], counts[bi], where)
		if err != nil {
			return nil, err
		}
		if err := t.decompress(comp, src, want, where); err != nil {
			return nil, err
		}
		if err := t.unpredict(pred, want, int(blockW), int(rows), int(sppBlock), kind, where); err != nil {
			return nil, err
		}
		bo := t.bo
		if pred == 3 {
			bo = binary.BigEndian // fpAcc leaves bytes most significant first
		}
		for s := uint64(0); s < sppBlock; s++ {
			t.placeBytes(gs[band+s], want, bo, bx*blockW, by*blockH, blockW, rows, int(s), int(sppBlock), kind)
		}
	}
	return gs, nil
}

// place fills a block of g with one value.
func (t *tiffReader) place(g *Grid, fill float64, x0, y0, bw, bh uint64) {
	for r := uint64(0); r < bh; r++ {
		y := y0 + r
		if y >= uint64(g.Height) {
			break
		}
		for c := uint64(0); c < bw; c++ {
			x := x0 + c
			if x >= uint64(g.Width) {
				break
			}
			g.Data[y*uint64(g.Width)+x] = fill
		}
	}
}

// placeBytes copies sample s (of spp per pixel) of a decoded block into g.
func (t *tiffReader) placeBytes(g *Grid, b []byte, bo binary.ByteOrder, x0, y0, bw, bh uint64, s, spp int, k sampleKind) {
	sb := uint64(k.bytes)
	px := sb * uint64(spp)
	for r := uint64(0); r < bh; r++ {
		y := y0 + r
		if y >= uint64(g.Height) {
			break
		}
		row := b[r*bw*px:]
		for c := uint64(0); c < bw; c++ {
			x := x0 + c
			if x >= uint64(g.Width) {
				break
			}
			g.Data[y*uint64(g.Width)+x] = k.decode(bo, row[c*px+uint64(s)*sb:])
		}
	}
}

// unpredict undoes the TIFF predictor on one block of w×h pixels of spp
// samples each.
//
// Predictor 2 (TIFF 6.0 §14, horizontal differencing): each sample of a row
// stores the difference to the same sample of the pixel on its left, in
// sample units of the file's byte order with wrap-around. Predictor 3 (Adobe
// TIFF Technical Note 3, floating-point predictor; libtiff tif_predict.c
// fpAcc): each row of w·spp samples is stored byte-shuffled — all most
// significant bytes first, then the next byte plane, … — and byte-wise
// differenced with a stride of spp bytes; we undo the differencing, then
// un-shuffle into big-endian sample order.
func (t *tiffReader) unpredict(pred uint64, b []byte, w, h, spp int, k sampleKind, where string) error {
	sb := k.bytes
	wc := w * spp // samples per row
	rowBytes := wc * sb
	if len(b) < rowBytes*h {
		return t.errf(ErrMalformed, where, "block shorter than %d rows", h)
	}
	switch pred {
	case 2:
		for r := 0; r < h; r++ {
			row := b[r*rowBytes : (r+1)*rowBytes]
			switch sb {
			case 1:
				for i := spp; i < wc; i++ {
					row[i] += row[i-spp]
				}
			case 2:
				for i := spp; i < wc; i++ {
					t.bo.PutUint16(row[2*i:], t.bo.Uint16(row[2*i:])+t.bo.Uint16(row[2*(i-spp):]))
				}
			case 4:
				for i := spp; i < wc; i++ {
					t.bo.PutUint32(row[4*i:], t.bo.Uint32(row[4*i:])+t.bo.Uint32(row[4*(i-spp):]))
				}
			}
		}
	case 3:
		tmp := make([]byte, rowBytes)
		for r := 0; r < h; r++ {
			row := b[r*rowBytes : (r+1)*rowBytes]
			for i := spp; i < rowBytes; i++ {
				row[i] += row[i-spp]
			}
			copy(tmp, row)
			for i := 0; i < wc; i++ {
				for j := 0; j < sb; j++ {
					row[i*sb+j] = tmp[j*wc+i]
				}
			}
		}
	}
	return nil
}

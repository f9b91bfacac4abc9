package raster

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/gisement/gisement/internal/shareddata"
)

// Georeferencing of the 40×30 crop, from `gdalinfo testdata/crop_*.tif`:
//
//	Origin = (-2.166666666666668,46.500000000000000)
//	Pixel Size = (0.083333333333333,-0.083333333333333)
//	Coordinate System … ID["EPSG",4326]
const (
	cropOriginX = -2.166666666666668
	cropOriginY = 46.5
	cropPixel   = 0.083333333333333
	cropW       = 40
	cropH       = 30
)

// cropFixtures are the GDAL-written GeoTIFF crops (testdata/README.md).
var cropFixtures = []string{
	"crop_f32_deflate_pred3.tif",
	"crop_f64_deflate_pred3.tif",
	"crop_f32_deflate_bigendian.tif",
	"crop_i16_lzw_pred2_bigendian.tif",
	"crop_i16_lzw_pred2.tif",
	"crop_f32_tiled16_deflate.tif",
	"crop_f32_strips_none.tif",
	"crop_i16_nodata_bigendian.tif",
	"crop_i32_bigtiff_pixelispoint.tif",
}

func readExpectedCrop(t *testing.T) *Grid {
	t.Helper()
	// expected_crop.asc was written by `gdal_translate -of AAIGrid` from
	// the original DEM: the reference values.
	g, err := ReadASCIIGrid(filepath.Join("testdata", "expected_crop.asc"))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func sameCells(t *testing.T, name string, got, want *Grid) {
	t.Helper()
	if got.Width != want.Width || got.Height != want.Height {
		t.Fatalf("%s: size %d×%d, want %d×%d", name, got.Width, got.Height, want.Width, want.Height)
	}
	diff := 0
	for r := 0; r < want.Height; r++ {
		for c := 0; c < want.Width; c++ {
			gv, gok := got.At(c, r)
			wv, wok := want.At(c, r)
			if gok != wok || gv != wv {
				if diff < 5 {
					t.Errorf("%s: cell (%d,%d) = %v,%v want %v,%v", name, c, r, gv, gok, wv, wok)
				}
				diff++
			}
		}
	}
	if diff > 0 {
		t.Errorf("%s: %d cells differ", name, diff)
	}
}

func TestGeoTIFFFixturesMatchGDAL(t *testing.T) {
	want := readExpectedCrop(t)
	if want.ValidCount() == want.Width*want.Height || want.ValidCount() == 0 {
		t.Fatalf("expected crop should mix land and sea no-data cells, valid=%d", want.ValidCount())
	}
	for _, name := range cropFixtures {
		t.Run(name, func(t *testing.T) {
			g, err := ReadGeoTIFF(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			sameCells(t, name, g, want)
			if g.EPSG != 4326 {
				t.Errorf("EPSG %d, want 4326 (gdalinfo)", g.EPSG)
			}
			if !g.HasNoData || g.NoData != -9999 {
				t.Errorf("nodata %v %v, want -9999 (gdalinfo NoData Value=-9999)", g.HasNoData, g.NoData)
			}
			const tol = 1e-9 // degrees; gdalinfo prints 15 decimals
			if math.Abs(g.OriginX-cropOriginX) > tol || math.Abs(g.OriginY-cropOriginY) > tol ||
				math.Abs(g.PixelSizeX-cropPixel) > tol || math.Abs(g.PixelSizeY+cropPixel) > tol {
				t.Errorf("geotransform (%.15f, %.15f, %.15f, %.15f), gdalinfo (%.15f, %.15f, %.15f, %.15f)",
					g.OriginX, g.OriginY, g.PixelSizeX, g.PixelSizeY, cropOriginX, cropOriginY, cropPixel, -cropPixel)
			}
		})
	}
}

func TestGeoTIFFUint16(t *testing.T) {
	g, err := ReadGeoTIFF(filepath.Join("testdata", "land_u16_lzw_pred2.tif"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := ReadASCIIGrid(filepath.Join("testdata", "expected_land.asc"))
	if err != nil {
		t.Fatal(err)
	}
	sameCells(t, "land_u16", g, want)
	// from gdalinfo: Origin = (0.166666666666664,45.666666666666671)
	if math.Abs(g.OriginX-0.166666666666664) > 1e-9 || math.Abs(g.OriginY-45.666666666666671) > 1e-9 {
		t.Errorf("origin (%.15f, %.15f)", g.OriginX, g.OriginY)
	}
}

func TestASCIIGridXLLCenter(t *testing.T) {
	want := readExpectedCrop(t)
	for _, name := range []string{"crop_xllcenter.asc", "crop_xllcenter.asc.gz"} {
		g, err := Read(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		sameCells(t, name, g, want)
		if math.Abs(g.OriginX-cropOriginX) > 1e-9 || math.Abs(g.OriginY-cropOriginY) > 1e-9 {
			t.Errorf("%s: origin (%.15f, %.15f), want (%.15f, %.15f)", name, g.OriginX, g.OriginY, cropOriginX, cropOriginY)
		}
		if g.EPSG != 4326 {
			t.Errorf("%s: EPSG %d from .prj, want 4326", name, g.EPSG)
		}
	}
}

// TestSharedDEM compares the shared GeoTIFF and ASCII DEM cell by cell and
// checks the spot values of SOURCES.md §4 (Paris 54 m, Périgueux 166 m,
// Chamonix area 2574 m). They are the values of the cell containing the
// point (nearest cell centre), exact: the DEM is quantised in 28 m steps, so
// the tolerance is 0 for Nearest; the bilinear Sample is reported only.
func TestSharedDEM(t *testing.T) {
	tif, err := ReadGeoTIFF(shareddata.Path(t, "raster/france_altitude_pvlib_5arcmin.tif"))
	if err != nil {
		t.Fatal(err)
	}
	asc, err := Read(shareddata.Path(t, "raster/france_altitude_pvlib_5arcmin.asc.gz"))
	if err != nil {
		t.Fatal(err)
	}
	sameCells(t, "shared DEM", tif, asc)
	// from gdalinfo: Size is 186, 126; Origin = (-5.5,51.5); Pixel Size = (0.083333333333333,-0.083333333333333)
	if tif.Width != 186 || tif.Height != 126 || math.Abs(tif.OriginX+5.5) > 1e-9 || math.Abs(tif.OriginY-51.5) > 1e-9 ||
		math.Abs(tif.PixelSizeX-0.083333333333333) > 1e-9 || tif.EPSG != 4326 {
		t.Errorf("georef %+v", tif.Bounds())
	}
	if n := tif.ValidCount(); n != 16913 {
		t.Errorf("valid cells %d, SOURCES.md says 16,913", n)
	}
	for _, s := range []struct {
		name     string
		lon, lat float64
		wantM    float64
	}{
		{"Paris", 2.3522, 48.8566, 54},
		{"Périgueux", 0.7218, 45.1838, 166},
		// The 2574 m cell (6.833–6.917 E, 45.750–45.833 N) is the one holding
		// the Mont Blanc massif south of Chamonix (the town's own cell at
		// 45.92 N holds 1874 m); we sample it at 6.87 E 45.80 N.
		{"Chamonix area (Mont Blanc cell)", 6.87, 45.80, 2574},
	} {
		v, ok := tif.Nearest(s.lon, s.lat)
		b, _ := tif.Sample(s.lon, s.lat)
		t.Logf("%s: nearest cell %.0f m, bilinear %.1f m (SOURCES.md %.0f m)", s.name, v, b, s.wantM)
		if !ok || v != s.wantM {
			t.Errorf("%s: nearest cell %v (ok=%v), want %v m", s.name, v, ok, s.wantM)
		}
	}
}

func TestGeoTIFFBadFiles(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "crop_f32_deflate_pred3.tif"))
	if err != nil {
		t.Fatal(err)
	}
	mutate := func(f func(b []byte) []byte) []byte {
		return f(append([]byte(nil), good...))
	}
	// Entry of a tag in the first IFD of the classic little-endian fixture.
	entryOf := func(b []byte, tag uint16) []byte {
		off := binary.LittleEndian.Uint32(b[4:])
		n := binary.LittleEndian.Uint16(b[off:])
		for i := 0; i < int(n); i++ {
			e := b[off+2+uint32(12*i):]
			if binary.LittleEndian.Uint16(e) == tag {
				return e[:12]
			}
		}
		t.Fatalf("tag %d not found", tag)
		return nil
	}
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrNotTIFF},
		{"wrong magic", mutate(func(b []byte) []byte { b[2] = 41; return b }), ErrNotTIFF},
		{"wrong byte order", mutate(func(b []byte) []byte { copy(b, "XX"); return b }), ErrNotTIFF},
		{"truncated", good[:len(good)/2], ErrMalformed},
		{"IFD past end", mutate(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[4:], 1<<30); return b }), ErrMalformed},
		{"strip offset past end", mutate(func(b []byte) []byte {
			e := entryOf(b, tagStripOffsets)
			if binary.LittleEndian.Uint32(e[4:]) != 1 {
				t.Fatal("fixture expected to have a single strip")
			}
			binary.LittleEndian.PutUint32(e[8:], 1<<30)
			return b
		}), ErrMalformed},
		{"unsupported compression", mutate(func(b []byte) []byte {
			binary.LittleEndian.PutUint16(entryOf(b, tagCompression)[8:], 7) // JPEG
			return b
		}), ErrUnsupported},
		{"three samples per pixel", mutate(func(b []byte) []byte {
			e := entryOf(b, tagSamplesPerPixel)
			binary.LittleEndian.PutUint16(e[8:], 3)
			return b
		}), ErrUnsupported},
		{"huge image", mutate(func(b []byte) []byte {
			binary.LittleEndian.PutUint16(entryOf(b, tagImageWidth)[8:], 65535)
			binary.LittleEndian.PutUint16(entryOf(b, tagImageLength)[8:], 65535)
			return b
		}), ErrTooLarge},
		{"corrupt deflate", mutate(func(b []byte) []byte {
			e := entryOf(b, tagStripOffsets)
			off := binary.LittleEndian.Uint32(e[8:])
			for i := off + 2; i < off+40; i++ {
				b[i] ^= 0x5a
			}
			return b
		}), ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadGeoTIFFFrom(bytes.NewReader(c.data), int64(len(c.data)), c.name+".tif")
			if err == nil {
				t.Fatal("no error")
			}
			var fe *FormatError
			if !errors.As(err, &fe) || fe.File != c.name+".tif" {
				t.Errorf("error %v is not a *FormatError naming the file", err)
			}
			if !errors.Is(err, c.want) {
				t.Errorf("error %v does not wrap %v", err, c.want)
			}
			t.Log(err)
		})
	}
}

func TestASCIIGridBadFiles(t *testing.T) {
	cases := map[string]string{
		"bad value":     "ncols 2\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 x\n",
		"short":         "ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2\n3\n",
		"too many":      "ncols 1\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2\n",
		"no cellsize":   "ncols 1\nnrows 1\nxllcorner 0\nyllcorner 0\n1\n",
		"unknown key":   "ncols 1\nnrows 1\nfoo 0\n",
		"both corners":  "ncols 1\nnrows 1\nxllcorner 0\nxllcenter 0\nyllcorner 0\ncellsize 1\n1\n",
		"negative size": "ncols -1\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1\n1\n",
	}
	for name, s := range cases {
		_, err := ReadASCIIGridFrom(bytes.NewReader([]byte(s)), name, ReadOptions{})
		if !errors.Is(err, ErrASCIIGrid) {
			t.Errorf("%s: error %v, want ErrASCIIGrid", name, err)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

func TestSampleBilinearNoData(t *testing.T) {
	// Synthetic 2×2 grid, cell size 1, origin (0,2): centres at x 0.5,1.5, y 1.5,0.5.
	g, _ := NewGrid(2, 2, 0, 2, 1, -1, 0, 0)
	copy(g.Data, []float64{10, 20, 30, 40})
	if v, ok := g.Sample(1, 1); !ok || v != 25 {
		t.Errorf("centre %v %v, want 25", v, ok)
	}
	if v, ok := g.Sample(0.5, 1.5); !ok || v != 10 {
		t.Errorf("cell centre %v, want 10", v)
	}
	if v, ok := g.Sample(0.1, 1.9); !ok || v != 10 {
		t.Errorf("outer border %v, want clamped 10", v)
	}
	if _, ok := g.Sample(-0.1, 1); ok {
		t.Error("outside bounds should be false")
	}
	g.HasNoData, g.NoData = true, -1
	g.Data[3] = -1
	// valid weights 0.25 each on 10, 20, 30 → renormalised mean 20.
	if v, ok := g.Sample(1, 1); !ok || math.Abs(v-20) > 1e-12 {
		t.Errorf("renormalised %v %v, want 20", v, ok)
	}
	if _, ok := g.Sample(1.5, 0.5); ok {
		t.Error("no-data cell centre should be false")
	}
}

package raster

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzGeoTIFF feeds arbitrary bytes (seeded with the GDAL-written fixtures)
// to the GeoTIFF reader: it must return a grid or an error, never panic, and
// never allocate beyond what the input can justify (MaxPixels is lowered so a
// lying header cannot make the fuzzer allocate gigabytes).
func FuzzGeoTIFF(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.tif"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("II*\x00\x08\x00\x00\x00"))
	f.Add([]byte("MM\x00+\x00\x08\x00\x00\x00\x00\x00\x00\x00\x10"))
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := ReadGeoTIFFFrom(bytes.NewReader(b), int64(len(b)), "fuzz.tif", ReadOptions{MaxPixels: 1 << 22})
		if err != nil {
			return
		}
		if g.Width*g.Height != len(g.Data) {
			t.Fatalf("grid %d×%d with %d cells", g.Width, g.Height, len(g.Data))
		}
		_, _ = g.Sample(g.OriginX+g.PixelSizeX, g.OriginY+g.PixelSizeY)
	})
}

// FuzzASCIIGrid does the same for the ESRI ASCII grid reader.
func FuzzASCIIGrid(f *testing.F) {
	for _, p := range []string{"expected_crop.asc", "crop_xllcenter.asc", "expected_land.asc"} {
		b, err := os.ReadFile(filepath.Join("testdata", p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := ReadASCIIGridFrom(bytes.NewReader(b), "fuzz.asc", ReadOptions{MaxPixels: 1 << 22})
		if err != nil {
			return
		}
		if g.Width*g.Height != len(g.Data) {
			t.Fatalf("grid %d×%d with %d cells", g.Width, g.Height, len(g.Data))
		}
	})
}

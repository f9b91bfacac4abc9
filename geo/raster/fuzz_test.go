package raster

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
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

// FuzzIrradiationCSV: the per-commune irradiation reader never panics and
// either returns an error or points with finite coordinates in range.
func FuzzIrradiationCSV(f *testing.F) {
	f.Add("code_insee,commune,code_postal,code_departement,region,departement,lat,lon,irradiation\n24037,Boulazac,24750,24,Nouvelle-Aquitaine,Dordogne,45.18,0.76,1357\n")
	f.Add("code_insee,lat,lon,irradiation\n1,95,0,1000\n")
	f.Add("code_insee,lat,lon\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		pts, _, err := readIrradiationCSV(strings.NewReader(s), "fuzz.csv")
		if err != nil {
			return
		}
		for _, p := range pts {
			if math.IsNaN(p.LatDeg) || p.LatDeg < -90 || p.LatDeg > 90 || p.LonDeg < -180 || p.LonDeg > 180 {
				t.Fatalf("point out of range: %+v", p)
			}
		}
	})
}

// FuzzGeoTIFFWindow parses arbitrary bytes as a header and reads windows of
// the declared image: an error or a window of the requested size, never a
// panic.
func FuzzGeoTIFFWindow(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.tif"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint16(3), uint16(2), uint16(5), uint16(4))
	}
	f.Fuzz(func(t *testing.T, b []byte, c0, r0, w, h uint16) {
		g, err := openGeoTIFFFrom(bytes.NewReader(b), int64(len(b)), "fuzz.tif", ReadOptions{MaxPixels: 1 << 22})
		if err != nil {
			return
		}
		win, err := g.ReadWindow(int(c0), int(r0), int(w)%64+1, int(h)%64+1)
		if err != nil {
			return
		}
		if win.Width*win.Height != len(win.Data) {
			t.Fatalf("window %d×%d with %d cells", win.Width, win.Height, len(win.Data))
		}
	})
}

package raster

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzGDALMetadata: the GDAL_METADATA XML parser returns metadata or an
// error, never panics, and never makes more bands than maxMetadataBands.
func FuzzGDALMetadata(f *testing.F) {
	f.Add(`<GDALMetadata><Item name="BAND_1">annual GHI kWh/m2/yr</Item><Item name="DESCRIPTION" sample="0" role="description">GHI</Item><Item name="SCALE" sample="2" role="scale">0.1</Item></GDALMetadata>`)
	f.Add(`<GDALMetadata><Item name="x" sample="4095">y</Item></GDALMetadata>`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, s string) {
		md, err := ParseGDALMetadata(s)
		if err != nil {
			return
		}
		if len(md.Bands) > maxMetadataBands {
			t.Fatalf("%d bands", len(md.Bands))
		}
		_ = md.Band(3)
	})
}

// FuzzGeoTIFFBands feeds arbitrary bytes (seeded with the multi-band
// fixtures) to the multi-band reader: grids of consistent size or an error.
func FuzzGeoTIFFBands(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.tif"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		bs, err := ReadGeoTIFFBandsFrom(bytes.NewReader(b), int64(len(b)), "fuzz.tif", ReadOptions{MaxPixels: 1 << 22})
		if err != nil {
			return
		}
		if len(bs.Bands) == 0 || len(bs.Bands) > MaxBands {
			t.Fatalf("%d bands", len(bs.Bands))
		}
		for _, g := range bs.Bands {
			if g.Width*g.Height != len(g.Data) {
				t.Fatalf("grid %d×%d with %d cells", g.Width, g.Height, len(g.Data))
			}
		}
	})
}

// FuzzClimateText: the unit, role and label parsers never panic and a
// parsed role prints back to itself.
func FuzzClimateText(f *testing.F) {
	for _, s := range []string{"kWh/m2/yr", "kWh m-2 day-1", "W/m²", "ghi_q3", "temp_m12", "Q2 irradiation kWh/m2", "GHI décembre", "t2m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = ParseIrradiationUnit(s)
		_, _ = unitInLabel(s)
		_, _ = roleFromLabel(s)
		if r, err := ParseBandRole(s); err == nil && r.Quantity != "" {
			r2, err := ParseBandRole(r.String())
			if err != nil || r2 != r {
				t.Fatalf("%q → %v → %v %v", s, r, r2, err)
			}
		}
	})
}

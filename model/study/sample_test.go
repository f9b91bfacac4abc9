package study

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gisement/gisement/data/sample"
)

// The embedded sample territory (data/sample: Périgueux BDNB buildings,
// parcel polygons, commune outline, La Rochelle TMYx EPW — all real public
// data) is materialised once per test binary and the sample study is run
// once, shared by the tests that only read its result.

var (
	sampleDir   string
	samplePaths map[string]string
	sampleErr   error
	sampleOnce  sync.Once

	sampleRes     *Result
	sampleRunErr  error
	sampleRunOnce sync.Once
)

func TestMain(m *testing.M) {
	code := m.Run()
	if sampleDir != "" {
		os.RemoveAll(sampleDir)
	}
	os.Exit(code)
}

// samplePath returns the path of one materialised sample file (sample.Buildings, ...).
func samplePath(tb testing.TB, name string) string {
	tb.Helper()
	sampleOnce.Do(func() {
		sampleDir, sampleErr = os.MkdirTemp("", "gisement-study-test-")
		if sampleErr == nil {
			samplePaths, sampleErr = sample.Materialize(sampleDir)
		}
	})
	if sampleErr != nil {
		tb.Fatalf("materialising the embedded sample: %v", sampleErr)
	}
	p, ok := samplePaths[name]
	if !ok {
		tb.Fatalf("sample has no file %q", name)
	}
	return p
}

// sampleOptions are the options `gisement study` uses for the embedded sample.
func sampleOptions(tb testing.TB) Options {
	return Options{
		ID: "sample-" + sample.INSEE, Name: "Périgueux (embedded sample)",
		BuildingsPath:  samplePath(tb, sample.Buildings),
		ParcelsPath:    samplePath(tb, sample.Parcels),
		BoundariesPath: samplePath(tb, sample.Commune),
		WeatherPath:    samplePath(tb, sample.Weather),
	}
}

// sampleStudy runs the sample study once (≈ 5–10 s on 2 cores) and returns it.
func sampleStudy(tb testing.TB) *Result {
	tb.Helper()
	o := sampleOptions(tb)
	sampleRunOnce.Do(func() {
		sampleRes, sampleRunErr = Run(context.Background(), o)
	})
	if sampleRunErr != nil {
		tb.Fatalf("sample study: %v", sampleRunErr)
	}
	return sampleRes
}

// gunzipSample returns the uncompressed bytes of one embedded sample file.
func gunzipSample(tb testing.TB, name string) []byte {
	tb.Helper()
	f, err := sample.FS.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// southernEPW writes a MODIFIED copy of the embedded La Rochelle EPW whose
// LOCATION latitude is negated (46.17810 → -46.17810): a weather file "from
// the wrong hemisphere". Nothing else is changed. Returns its path.
func southernEPW(tb testing.TB, dir string) string {
	tb.Helper()
	b := gunzipSample(tb, sample.Weather)
	nl := bytes.IndexByte(b, '\n')
	if nl < 0 || !bytes.HasPrefix(b, []byte("LOCATION,")) {
		tb.Fatal("embedded EPW has no LOCATION line")
	}
	first := bytes.Replace(b[:nl], []byte(",46.17810,"), []byte(",-46.17810,"), 1)
	if bytes.Equal(first, b[:nl]) {
		tb.Fatalf("embedded EPW LOCATION line changed: %q", b[:nl])
	}
	p := filepath.Join(dir, "MODIFIED_southern_La.Rochelle.epw")
	if err := os.WriteFile(p, append(first, b[nl:]...), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// truncatedBuildings writes the first half of the embedded buildings GeoJSON
// (cut in the middle of a feature) and returns its path.
func truncatedBuildings(tb testing.TB, dir string) string {
	tb.Helper()
	b := gunzipSample(tb, sample.Buildings)
	p := filepath.Join(dir, "buildings_truncated.geojson")
	if err := os.WriteFile(p, b[:len(b)/2], 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// tmpSiblings lists the "<path>.tmp-*" files next to path (left-overs of an
// interrupted GeoPackage write).
func tmpSiblings(tb testing.TB, path string) []string {
	tb.Helper()
	m, err := filepath.Glob(path + ".tmp-*")
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// The embedded sample read in place (Options.FS) gives the study of its
// files written to disk.
func TestRunSampleFromFS(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the sample study twice")
	}
	want := sampleStudy(t)
	o := Options{
		ID: "sample-" + sample.INSEE, Name: "Périgueux (embedded sample)", FS: sample.FS,
		BuildingsPath: sample.Buildings, ParcelsPath: sample.Parcels, BoundariesPath: sample.Commune, WeatherPath: sample.Weather,
	}
	got, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if got.Totals != want.Totals || len(got.Communes) != len(want.Communes) || got.Communes[0].Totals != want.Communes[0].Totals {
		t.Errorf("from the FS: %+v\nfrom files: %+v", got.Totals, want.Totals)
	}
	if got.Inputs["buildings"] != sample.Buildings {
		t.Errorf("inputs %v", got.Inputs)
	}
}

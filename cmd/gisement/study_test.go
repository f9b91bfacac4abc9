package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gisement/gisement/data/gpkg"
	"github.com/gisement/gisement/data/sample"
	"github.com/gisement/gisement/model/study"
)

// Counts of the embedded sample (data/sample/README.md).
const (
	studySampleBuildings = 10381
	studySampleParcels   = 15322 // of 15,323 read; one has zero area
)

// cancelOnWrite is an io.Writer (runStudy's stderr) that cancels a context
// when the progress line of a given stage is printed.
type cancelOnWrite struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	marker string
	cancel context.CancelFunc
}

func (c *cancelOnWrite) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf.Write(p)
	if c.cancel != nil && strings.Contains(c.buf.String(), c.marker) {
		c.cancel()
	}
	return len(p), nil
}

var summaryNumber = regexp.MustCompile(`(?m)^\s*roof planes\s+(\d+) \((\d+) in the technical potential\)`)

// `gisement study` with no input flag runs on the embedded sample, prints
// the summary and writes a GeoPackage with the four layers; ogrinfo reads it
// without a warning; an interrupted second run leaves the first result.
func TestStudySample(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "gisement-study.gpkg")
	var stdout, stderr bytes.Buffer
	if err := runStudy(context.Background(), studyOptions{out: out}, &stdout, &stderr); err != nil {
		t.Fatalf("runStudy: %v\nstderr:\n%s", err, stderr.String())
	}
	sum := stdout.String()
	t.Logf("summary:\n%s", sum)

	t.Run("summary", func(t *testing.T) {
		for _, want := range []string{
			"Study sample-24322 — Périgueux (embedded sample)",
			"output               " + out,
			"buildings            10381 read, 10381 kept",
			"parcels              15323 read, 15322 kept, 0 repaired, 1 rejected",
			"rejected by reason zero_area 1",
			"heights              attribute 10381",
			"Rooftop PV", "technical potential", "economic potential", "GWh/yr (P90 sum", "specific yield", "NPV (sum)",
			"Heat", "heated buildings", "heat demand", "air-source", "ground-source", "CO2 avoided",
			"outside parcels      ",
			"Time", "load territory", "storage", "peak memory",
		} {
			if !strings.Contains(sum, want) {
				t.Errorf("summary lacks %q", want)
			}
		}
		m := summaryNumber.FindStringSubmatch(sum)
		if m == nil {
			t.Fatal("no roof-plane line in the summary")
		}
		if n, _ := strconv.Atoi(m[1]); n == 0 {
			t.Errorf("summary reports %s roof planes", m[1])
		}
		if !strings.Contains(stderr.String(), "gisement: heat, economics, uncertainty") {
			t.Errorf("no stage progress on stderr: %q", stderr.String())
		}
	})

	var first map[string]int64
	var firstKWp float64
	t.Run("geopackage", func(t *testing.T) {
		first, firstKWp = readStudyCounts(t, out)
		if first[study.LayerBuildings] != studySampleBuildings || first[study.LayerParcels] != studySampleParcels ||
			first[study.LayerRoofPlanes] == 0 || first[study.LayerCommunes] < 1 {
			t.Errorf("layer counts %v: want buildings %d, parcels %d, roof planes > 0, communes ≥ 1",
				first, studySampleBuildings, studySampleParcels)
		}
		if firstKWp <= 0 {
			t.Errorf("parcels pv_kwp sum %.0f", firstKWp)
		}
	})

	t.Run("ogrinfo", func(t *testing.T) {
		ogr, err := exec.LookPath("ogrinfo")
		if err != nil {
			t.Skip("ogrinfo not on PATH (Debian gdal-bin); skipping the GDAL read check")
		}
		cmd := exec.Command(ogr, "-al", "-so", out)
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		if err := cmd.Run(); err != nil {
			t.Fatalf("ogrinfo: %v\n%s%s", err, o.String(), e.String())
		}
		all := o.String() + e.String()
		for _, bad := range []string{"Warning", "ERROR"} {
			if strings.Contains(all, bad) {
				t.Errorf("ogrinfo printed %q:\n%s", bad, all)
			}
		}
		for layer, n := range first {
			want := "Layer name: " + layer + "\n"
			i := strings.Index(all, want)
			if i < 0 {
				t.Errorf("ogrinfo does not list layer %s", layer)
				continue
			}
			if !strings.Contains(all[i:], "Feature Count: "+strconv.FormatInt(n, 10)+"\n") {
				t.Errorf("ogrinfo: layer %s, want Feature Count %d", layer, n)
			}
		}
	})

	t.Run("interrupted rerun keeps the previous result", func(t *testing.T) {
		if first == nil {
			t.Skip("no first result")
		}
		for _, stage := range []string{"gisement: rooftop PV", "gisement: heat, economics, uncertainty"} {
			ctx, cancel := context.WithCancel(context.Background())
			w := &cancelOnWrite{marker: stage, cancel: cancel}
			// A different study id: had anything been written, a second study would appear.
			err := runStudy(ctx, studyOptions{out: out, id: "interrupted"}, io.Discard, w)
			cancel()
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled at %q: error %v, want context.Canceled", stage, err)
			}
			var ie inputError
			if errors.As(err, &ie) {
				t.Errorf("cancellation reported as bad input (exit 2): %v", err)
			}
		}
		if left, _ := filepath.Glob(out + ".tmp-*"); len(left) > 0 {
			t.Errorf("temporary files left: %v", left)
		}
		again, kwp := readStudyCounts(t, out)
		for l, n := range first {
			if again[l] != n {
				t.Errorf("layer %s: %d features after the interrupted run, %d before", l, again[l], n)
			}
		}
		if kwp != firstKWp {
			t.Errorf("parcels pv_kwp %.3f after the interrupted run, %.3f before", kwp, firstKWp)
		}
	})
}

// readStudyCounts opens a study GeoPackage, checks it holds exactly one study
// and returns its per-layer counts and the parcels' pv_kwp sum.
func readStudyCounts(t *testing.T, path string) (map[string]int64, float64) {
	t.Helper()
	s, err := gpkg.OpenExisting(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer s.Close()
	ctx := context.Background()
	studies, err := s.Studies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(studies) != 1 || studies[0].ID != "sample-"+sample.INSEE {
		t.Fatalf("studies in %s: %+v; want only sample-%s", path, studies, sample.INSEE)
	}
	st, err := s.Study(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	tot, err := s.Summary(ctx, st.ID, study.LayerParcels, nil, []string{"pv_kwp"})
	if err != nil {
		t.Fatal(err)
	}
	return st.Counts, tot.Sums["pv_kwp"]
}

// studyFixture writes a file into dir and returns its path.
func studyFixture(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// gunzipEmbedded returns the uncompressed bytes of one embedded sample file.
func gunzipEmbedded(t *testing.T, name string) []byte {
	t.Helper()
	f, err := sample.FS.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Bad inputs: a clear message naming the file and the problem, exit code 2
// (inputError), and no output file nor temporary sibling.
func TestStudyBadInputs(t *testing.T) {
	dir := t.TempDir()
	fx := filepath.Join("..", "..", "model", "study", "testdata")
	small := filepath.Join(fx, "buildings_40.geojson")
	epw := gunzipEmbedded(t, sample.Weather)
	weatherOK := studyFixture(t, dir, "la_rochelle.epw", epw)
	// MODIFIED copy of the La Rochelle EPW: LOCATION latitude negated.
	nl := bytes.IndexByte(epw, '\n')
	south := bytes.Replace(epw[:nl], []byte(",46.17810,"), []byte(",-46.17810,"), 1)
	if bytes.Equal(south, epw[:nl]) {
		t.Fatalf("unexpected EPW LOCATION line %q", epw[:nl])
	}
	weatherSouth := studyFixture(t, dir, "MODIFIED_southern_la_rochelle.epw", append(south, epw[nl:]...))
	// MODIFIED copy: the station moved to latitude 52 N (about 760 km
	// north of the Périgueux test buildings).
	weatherFar := studyFixture(t, dir, "MODIFIED_far_la_rochelle.epw", append(bytes.Replace(epw[:nl], []byte(",46.17810,"), []byte(",52.00000,"), 1), epw[nl:]...))
	bld := gunzipEmbedded(t, sample.Buildings)
	truncated := studyFixture(t, dir, "buildings_half.geojson", bld[:len(bld)/2])
	badYAML := studyFixture(t, dir, "bad.yaml", []byte("name: broken\npv: [unclosed\n"))
	unknownKey := studyFixture(t, dir, "typo.yaml", []byte("name: typo\npv:\n  sytem_loss_pct: 12\n"))

	for _, tc := range []struct {
		name string
		o    studyOptions
		want []string
	}{
		{"truncated GeoJSON", studyOptions{buildings: truncated, weather: weatherOK}, []string{"buildings_half.geojson", "truncated"}},
		{"parcels in degrees declared Lambert-93", studyOptions{buildings: small, parcels: filepath.Join(fx, "parcels_degrees_as_l93.geojson"), weather: weatherOK},
			[]string{"parcels_degrees_as_l93.geojson", "EPSG:2154", "EPSG:4326"}},
		{"weather for the wrong hemisphere", studyOptions{buildings: small, weather: weatherSouth}, []string{"MODIFIED_southern_la_rochelle.epw", "hemisphere"}},
		{"scenario not YAML", studyOptions{buildings: small, weather: weatherOK, scenario: badYAML}, []string{"bad.yaml", "YAML"}},
		{"scenario unknown key", studyOptions{buildings: small, weather: weatherOK, scenario: unknownKey}, []string{"typo.yaml", "sytem_loss_pct", "unknown key"}},
		// Buildings without --weather now run on the embedded year scaled
		// to the territory (issue 13; territory_test.go).
		{"weather station far away, no grid", studyOptions{buildings: small, weather: weatherFar}, []string{"more than 300 km", "--allow-distant-weather", "--irradiance-grid"}},
		{"sample with a weather flag", studyOptions{weather: weatherOK}, []string{"--buildings"}},
		{"output directory missing", studyOptions{buildings: small, weather: weatherOK, out: filepath.Join(dir, "no", "such", "dir", "x.gpkg")}, []string{"no/such/dir"}},
		{"bad database URL", studyOptions{buildings: small, weather: weatherOK, db: "mysql://x"}, []string{"--db", "postgres://"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.o.out == "" {
				tc.o.out = filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".gpkg")
			}
			tc.o.quiet = true
			var stdout bytes.Buffer
			err := runStudy(context.Background(), tc.o, &stdout, io.Discard)
			if err == nil {
				t.Fatalf("no error; output:\n%s", stdout.String())
			}
			var ie inputError
			if !errors.As(err, &ie) {
				t.Errorf("not an input error (exit code would be 1, want 2): %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q does not mention %q", err, w)
				}
			}
			if _, serr := os.Stat(tc.o.out); !errors.Is(serr, os.ErrNotExist) {
				t.Errorf("output %s exists after the failure (stat: %v)", tc.o.out, serr)
			}
			if left, _ := filepath.Glob(tc.o.out + ".tmp-*"); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
			if stdout.Len() > 0 {
				t.Errorf("summary printed despite the failure: %q", stdout.String())
			}
			t.Log(err)
		})
	}
}

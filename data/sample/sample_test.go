package sample

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"io"
	"strings"
	"testing"
)

func gunzip(t *testing.T, name string) []byte {
	t.Helper()
	f, err := FS.Open(name)
	if err != nil {
		t.Fatalf("%s missing: %v", name, err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	b, err := io.ReadAll(z)
	if err != nil {
		t.Fatalf("%s: gunzip: %v", name, err)
	}
	return b
}

// TestFiles checks each file is present, gunzips, and has the feature or
// row counts given in shared/data/SOURCES.md.
func TestFiles(t *testing.T) {
	want := map[string]int{Buildings: 10381, Parcels: 15323, Commune: 1}
	for name, n := range want {
		var fc struct {
			Type     string            `json:"type"`
			Features []json.RawMessage `json:"features"`
		}
		if err := json.Unmarshal(gunzip(t, name), &fc); err != nil || fc.Type != "FeatureCollection" {
			t.Fatalf("%s: not a GeoJSON FeatureCollection: %v", name, err)
		}
		if len(fc.Features) != n {
			t.Errorf("%s: %d features, want %d (SOURCES.md)", name, len(fc.Features), n)
		}
	}
	if !strings.Contains(string(gunzip(t, Commune)), INSEE) {
		t.Errorf("commune file does not mention INSEE %s", INSEE)
	}
	sc := bufio.NewScanner(strings.NewReader(string(gunzip(t, Weather))))
	lines := 0
	for sc.Scan() {
		if lines == 0 && !strings.HasPrefix(sc.Text(), "LOCATION,La Rochelle") {
			t.Errorf("EPW first line %q", sc.Text())
		}
		lines++
	}
	if lines != 8+8760 {
		t.Errorf("EPW: %d lines, want 8768", lines)
	}
	// Irradiation CSV: 11,769 data rows + header (SOURCES.md section 8).
	irr := strings.Split(strings.TrimRight(string(gunzip(t, Irradiation)), "\n"), "\n")
	if len(irr) != 11769+1 || !strings.HasPrefix(irr[0], "code_insee,") {
		t.Errorf("irradiation CSV: %d lines, header %q; want 11,770 lines starting with code_insee", len(irr), irr[0])
	}
}

func TestMaterialize(t *testing.T) {
	paths, err := Materialize(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != len(Names) || paths[Weather] == "" || paths[Irradiation] == "" {
		t.Fatalf("paths = %v", paths)
	}
}

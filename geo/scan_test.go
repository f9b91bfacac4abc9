package geo

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gisement/gisement/data/sample"
	"github.com/gisement/gisement/geo/vector"
)

// TestLookupCaseInsensitive: the exact pass wins, then the first candidate
// name (in order) that some key matches case-insensitively, Unicode folding
// included (U+212A KELVIN SIGN folds to "k"); nil values do not count.
func TestLookupCaseInsensitive(t *testing.T) {
	props := map[string]any{"HAUTEUR": 7.0, "Height": 9.0, "nb_\u212aey": "x", "z": nil, "Z_1": 1.0}
	for _, c := range []struct {
		names []string
		want  any
	}{
		{[]string{"height", "hauteur"}, 9.0},
		{[]string{"hauteur", "height"}, 7.0},
		{[]string{"HAUTEUR"}, 7.0},
		{[]string{"nb_key"}, "x"},
		{[]string{"z", "z_1"}, 1.0},
		{[]string{"absent"}, nil},
		{[]string{"NB_KEY"}, "x"},
	} {
		v, ok := lookup(props, c.names)
		if v != c.want || ok != (c.want != nil) {
			t.Errorf("lookup %v = %v, %v; want %v", c.names, v, ok, c.want)
		}
	}
}

// TestFoldEqual checks foldEqual against strings.EqualFold on ASCII and
// Unicode pairs (the Kelvin sign and the long s fold to ASCII letters).
func TestFoldEqual(t *testing.T) {
	words := []string{"", "k", "K", "\u212a", "s", "S", "\u017f", "ks", "\u212a\u017f", "Hauteur", "hauteur", "HAUTEUR", "hauteur2", "é", "É", "a", "ab", "\u212aey", "key", "KEY"}
	for _, a := range words {
		for _, b := range words {
			if got, want := foldEqual(a, b), strings.EqualFold(a, b); got != want {
				t.Errorf("foldEqual(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}

// FuzzFoldEqual: foldEqual answers as strings.EqualFold on any pair.
func FuzzFoldEqual(f *testing.F) {
	f.Add("k", "\u212a")
	f.Add("hauteur", "HAUTEUR")
	f.Add("s", "\u017f")
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, want := foldEqual(a, b), strings.EqualFold(a, b); got != want {
			t.Fatalf("foldEqual(%q, %q) = %v, want %v", a, b, got, want)
		}
	})
}

// TestScanReadAheadOrderAndStop: with the read-ahead goroutine, buildings
// still come in file order, an error from the callback stops the scan and
// is returned, and a malformed file yields the buildings before the bad
// spot and then the fatal error (SYNTHETIC copies of the sample).
func TestScanReadAheadOrderAndStop(t *testing.T) {
	dir := t.TempDir()
	p := writeTiledSample(t, dir, sample.Buildings, 1, 3*readAheadBatch)
	var ids []string
	all, err := ScanBuildings(p, LoadOptions{}, func(b Building) error { ids = append(ids, b.ID); return nil })
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := LoadBuildings(p, LoadOptions{})
	if err != nil || len(want) != len(ids) || all.Read != 3*readAheadBatch {
		t.Fatalf("read %d, %d buildings vs %d (%v)", all.Read, len(ids), len(want), err)
	}
	for i := range want {
		if want[i].ID != ids[i] {
			t.Fatalf("building %d: %s, want %s", i, ids[i], want[i].ID)
		}
	}
	stop := errors.New("stop")
	n := 0
	if _, err := ScanBuildings(p, LoadOptions{}, func(Building) error {
		if n++; n == readAheadBatch+10 {
			return stop
		}
		return nil
	}); !errors.Is(err, stop) || n != readAheadBatch+10 {
		t.Fatalf("after %d buildings: %v, want the callback's error", n, err)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.geojson")
	cut := len(data) * 2 / 3
	if err := os.WriteFile(bad, append(data[:cut:cut], "}}}"...), 0o644); err != nil {
		t.Fatal(err)
	}
	n = 0
	_, err = ScanBuildings(bad, LoadOptions{}, func(b Building) error {
		if b.ID != ids[n] {
			t.Fatalf("building %d: %s, want %s", n, b.ID, ids[n])
		}
		n++
		return nil
	})
	if !errors.Is(err, vector.ErrMalformed) || n < readAheadBatch || n >= len(ids) {
		t.Fatalf("malformed file: %d buildings then %v", n, err)
	}
}

package geo

import (
	"strings"
	"testing"
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

package report

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gisement/gisement/data"
)

func TestParseIDU(t *testing.T) {
	for id, want := range map[string][4]string{
		"24322000AB0062": {"24322", "000", "AB", "62"},
		"243220000A0105": {"24322", "000", "A", "105"},
		"2A004000AC0001": {"2A004", "000", "AC", "1"},
	} {
		c, p, s, n, ok := ParseIDU(id)
		if !ok || [4]string{c, p, s, n} != want {
			t.Errorf("ParseIDU(%q) = %q %q %q %q %v, want %v", id, c, p, s, n, ok, want)
		}
	}
	for _, id := range []string{"G821f89846b4e", "24322000AB006", "24322000ab0062", "24322000AB0000", ""} {
		if _, _, _, _, ok := ParseIDU(id); ok {
			t.Errorf("ParseIDU(%q) accepted", id)
		}
	}
}

func FuzzParseIDU(f *testing.F) {
	for _, s := range []string{"24322000AB0062", "243220000A0105", "G821f89846b4e", "2B0330000X9999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		c, p, s, n, ok := ParseIDU(id)
		if !ok {
			return
		}
		if len(id) != 14 || c != id[:5] || p != id[5:8] || !strings.HasSuffix(id[8:10], s) || !strings.HasSuffix(id[10:], n) || n == "" {
			t.Fatalf("ParseIDU(%q) = %q %q %q %q", id, c, p, s, n)
		}
	})
}

func TestShortSource(t *testing.T) {
	for src, want := range map[string]string{
		"PVGIS default system loss (JRC)":                                            "PVGIS (JRC)",
		"our assumption (≈1 kWp, smallest sensible install)":                         "Hypothèse de l'étude",
		"VDI 4640 Blatt 2 (2019), specific heat extraction for small systems":        "VDI 4640 Blatt 2 (2019)",
		"our assumption: 25–50 % typical without battery (insunwetrust.solar); 35 %": "Hypothèse de l'étude, d'après insunwetrust.solar",
		"roof pitch 30° ± 10° (pv.roof.pitch_deg; our assumption, taken as 1σ)":      "Hypothèse de l'étude, d'après paramètre « Pente des toitures à pans »",
		"APER law (loi n° 2023-175 du 10 mars 2023, art. 40): at least 50 % covered": "loi APER ; loi n° 2023-175 du 10 mars 2023, art. 40",
	} {
		if got, orig := ShortSource(src, data.French); got != want || orig {
			t.Errorf("ShortSource(%q) = %q, %v; want %q", src, got, orig, want)
		}
	}
	if got, orig := ShortSource("a comment naming no reference", data.French); got != "a comment naming no reference" || !orig {
		t.Errorf("unrecognised source: %q, %v", got, orig)
	}
	if got, _ := ShortSource("PVGIS default system loss (JRC)", data.English); got != "PVGIS default system loss (JRC)" {
		t.Errorf("English source changed: %q", got)
	}
}

func FuzzShortSource(f *testing.F) {
	for _, s := range []string{"PVGIS default system loss (JRC)", "our assumption (see ashp_fixed_eur)", "(a.b;", "doi:10.1/x)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		s, orig := ShortSource(src, data.French)
		if utf8.ValidString(src) && !utf8.ValidString(s) {
			t.Fatalf("ShortSource(%q) = invalid UTF-8 %q", src, s)
		}
		if orig && s != strings.TrimSpace(src) {
			t.Fatalf("orig source changed: %q → %q", src, s)
		}
		TranslateWarning(src, data.French)
	})
}

func TestTranslateWarning(t *testing.T) {
	w := "the parcel layer looks like building polygons, not cadastral parcels (median polygon 72 m² vs median footprint 91 m²): free-land results (outdoor units, boreholes) are underestimated"
	fr, ok := TranslateWarning(w, data.French)
	if !ok || !strings.Contains(fr, "72 m²") || !strings.Contains(fr, "sous-estimés") {
		t.Errorf("TranslateWarning = %q, %v", fr, ok)
	}
	if _, ok := TranslateWarning("something new", data.French); ok {
		t.Error("unknown warning reported as translated")
	}
	st := data.Study{Summary: []byte(`{"warnings":["a","b","a"]}`)}
	if got := StudyWarnings(st); len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Errorf("StudyWarnings = %q", got)
	}
}

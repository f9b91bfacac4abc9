package report

import (
	"github.com/gisement/gisement/data"

	"bytes"
	"encoding/json"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/model"
)

// defaultAssumptions returns the default scenario's assumptions as the
// study stores them ({"assumptions": [...]}) read back by ParseAssumptions.
func defaultAssumptions(t *testing.T) ([]model.Assumption, []Assumption) {
	t.Helper()
	ms := model.DefaultScenario().Assumptions()
	if len(ms) == 0 {
		t.Fatal("the default scenario lists no assumptions")
	}
	b, err := json.Marshal(map[string]any{"assumptions": ms})
	if err != nil {
		t.Fatal(err)
	}
	return ms, ParseAssumptions(b)
}

// TestAssumptionLabelsCoverDefaultScenario fails when a key of
// model.DefaultScenario().Assumptions() has no French label, when two keys
// share a label, or when a unit is left in English.
func TestAssumptionLabelsCoverDefaultScenario(t *testing.T) {
	ms, as := defaultAssumptions(t)
	seen := map[string]string{}
	for _, a := range ms {
		label, ok := AssumptionLabel(a.Key)
		if !ok {
			norm, _ := labelKey(a.Key)
			t.Errorf("scenario key %q (label table key %q) has no French label in assumptionLabels", a.Key, norm)
			continue
		}
		if prev, dup := seen[label]; dup {
			t.Errorf("keys %q and %q share the label %q", prev, a.Key, label)
		}
		seen[label] = a.Key
		u := " " + unitLang(a.Unit, data.French) + " "
		for _, en := range []string{"yr", "kWp", "deg", "draws", " of ", "EUR"} {
			if strings.Contains(u, en) {
				t.Errorf("key %q: unit %q shown as %q (English %q)", a.Key, a.Unit, unitLang(a.Unit, data.French), en)
			}
		}
	}
	// ParseAssumptions carries the labels.
	for i, a := range as {
		if want, _ := AssumptionLabel(ms[i].Key); a.Label != want || a.Key != ms[i].Key {
			t.Errorf("row %d: key %q label %q, want %q %q", i, a.Key, a.Label, ms[i].Key, want)
		}
	}
	// Every label is tied to a key of the default scenario (no stale entry).
	used := map[string]bool{}
	for _, a := range ms {
		norm, _ := labelKey(a.Key)
		used[norm] = true
	}
	for k := range assumptionLabels {
		if !used[k] {
			t.Errorf("assumptionLabels[%q] matches no key of the default scenario", k)
		}
	}
}

func TestAssumptionLabelClasses(t *testing.T) {
	for key, want := range map[string]string{
		"econ.pv.capex_rooftop_points[2].eur_per_wp_ht(at 9 kWp)":           "Prix de référence en toiture (courbe continue ajustée) — à 9 kWc",
		"econ.tariffs.s21[3].surplus_eur_per_kwh(unbounded)":                "Tarif d'achat du surplus (vente du surplus, S21) — tranche supérieure",
		"econ.tariffs.s21[0].full_sale_eur_per_kwh(≤3.5 kWp)":               "Tarif d'achat en vente totale (S21) — jusqu'à 3,5 kWc",
		"pv.module_power_density_wp_m2":                                     "Puissance surfacique des modules",
		"heat.gshp.extraction.normal.at_1800h_w_m":                          "Sondes : puissance extraite, sol moyen, 1 800 h/an",
		"econ.tariffs.s21[12].premium_years(≤100 kWp)":                      "Durée de versement de la prime à l'autoconsommation — jusqu'à 100 kWc",
		"economics.discount_rate_pct":                                       "",
		"econ.pv.capex_rooftop_points.eur_per_wp_ht(at 9 kWp)":              "",
		"pv.module_power_density_wp_m2(≤36 kWp) and more":                   "",
		"pv.module_power_density_wp_m2[0]":                                  "",
		"econ.pv.capex_rooftop_points[0].eur_per_wp_ht(at 3 kWp)(at 3 kWp)": "",
	} {
		got, ok := AssumptionLabel(key)
		if got != want || ok != (want != "") {
			t.Errorf("AssumptionLabel(%q) = %q, %v; want %q", key, got, ok, want)
		}
	}
}

// TestAnnexAssumptionsTable renders the default scenario's table: in
// French each row shows the French label, the unit in French and the
// source shortened to its references, written once per run of identical
// sources; in English the key and the full source.
func TestAnnexAssumptionsTable(t *testing.T) {
	_, as := defaultAssumptions(t)
	square := orb.Polygon{{{520000, 6450000}, {520100, 6450000}, {520100, 6450100}, {520000, 6450100}, {520000, 6450000}}} // Lambert-93, m
	render := func(lang string) string {
		r := &Report{Commune: "24322", Assumptions: as, Now: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), TopN: 5, Lang: lang,
			SRID: 2154, Parcels: []Parcel{{ID: "24322000AB0001", Section: "AB", Geom: square, AreaM2: 1e4}}}
		var buf bytes.Buffer
		if err := r.WriteHTML(&buf); err != nil {
			t.Fatal(err)
		}
		return html.UnescapeString(buf.String())
	}
	doc := render(data.French)
	for _, a := range as[:20] {
		if !strings.Contains(doc, "<tr><td>"+a.Label+"</td>") {
			t.Errorf("French annex lacks the row of %q", a.Label)
		}
	}
	if src := "PVGIS default system loss (JRC)"; strings.Contains(doc, src) {
		t.Errorf("source %q shown in English in the French annex", src)
	}
	if !strings.Contains(doc, "PVGIS (JRC)") || !strings.Contains(doc, "Hypothèse de l'étude") {
		t.Error("French annex lacks the shortened sources")
	}
	en := render(data.English)
	if src := "PVGIS default system loss (JRC)"; !strings.Contains(en, src) {
		t.Errorf("source %q not shown verbatim in the English annex", src)
	}
	// The 20 S21 rows share one source: written every maxSourceRun rows.
	s21 := as[0].Source
	for _, a := range as {
		if strings.HasPrefix(a.Key, "econ.tariffs.s21[") {
			s21 = a.Source
			break
		}
	}
	n := strings.Count(en, s21)
	rows := 0
	for _, a := range as {
		if a.Source == s21 {
			rows++
		}
	}
	if n == 0 || n >= rows || n > (rows+maxSourceRun-1)/maxSourceRun+1 {
		t.Errorf("S21 source written %d times for %d rows (once per run of ≤ %d rows expected)", n, rows, maxSourceRun)
	}
}

func TestAssumptionRows(t *testing.T) {
	var as []Assumption
	for i := range 19 {
		src := "A"
		if i >= 10 {
			src = "B"
		}
		as = append(as, Assumption{Key: string(rune('a' + i)), Source: src})
	}
	var firsts []int
	for i, r := range assumptionRows(as, data.French) {
		if r.First {
			firsts = append(firsts, i)
		}
	}
	want := []int{0, 8, 10, 18}
	if len(firsts) != len(want) {
		t.Fatalf("source written on rows %v, want %v", firsts, want)
	}
	for i := range want {
		if firsts[i] != want[i] {
			t.Fatalf("source written on rows %v, want %v", firsts, want)
		}
	}
}

package report

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/gisement/gisement/data"
)

// StudyWarnings returns the warnings stored with a study: a "warnings" list
// of strings (or of objects with a "message") at the top level of the
// stored study or in its summary, without duplicates, in order.
func StudyWarnings(st data.Study) []string {
	var out []string
	add := func(raw json.RawMessage) {
		var ws []json.RawMessage
		if json.Unmarshal(raw, &ws) != nil {
			return
		}
		for _, w := range ws {
			var s string
			if json.Unmarshal(w, &s) != nil {
				var o struct {
					Message string `json:"message"`
				}
				if json.Unmarshal(w, &o) != nil {
					continue
				}
				s = o.Message
			}
			if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	var top map[string]json.RawMessage
	if b, err := json.Marshal(st); err == nil && json.Unmarshal(b, &top) == nil {
		add(top["warnings"])
	}
	var sum map[string]json.RawMessage
	if json.Unmarshal(st.Summary, &sum) == nil {
		add(sum["warnings"])
	}
	return out
}

// warningFR translates the warnings the study pipeline writes
// (model/study: site.go, byplace.go) into French; ok is false for a
// warning without a translation (the annex shows it as written, marked as
// the program's original message).
var warningFR = []struct {
	re *regexp.Regexp
	fr func(m []string) string
}{
	{regexp.MustCompile(`^the parcel layer looks like building polygons, not cadastral parcels \(median polygon ([0-9.,]+) m² vs median footprint ([0-9.,]+) m²\)`),
		func(m []string) string {
			return fmt.Sprintf("La couche des parcelles ressemble à des emprises de bâtiments plutôt qu'à un plan cadastral "+
				"(polygone médian %s m², emprise médiane %s m²) : les résultats sur le terrain libre "+
				"(unités extérieures de PAC, sondes géothermiques) sont sous-estimés.", m[1], m[2])
		}},
	{regexp.MustCompile(`^irradiance grid (\S+) .*weather year \(([0-9.,]+) kWh/m²·an\) scaled by place, factor H_grille/H_météo min ([0-9.]+) / médiane ([0-9.]+) / max ([0-9.]+)`),
		func(m []string) string {
			return fmt.Sprintf("Grille d'irradiation %s : l'année météorologique (%s kWh/m²·an) est corrigée selon le lieu, "+
				"facteur grille/météo entre %s et %s (médiane %s) sur les bâtiments.",
				m[1], m[2], decFR(m[3]), decFR(m[5]), decFR(m[4]))
		}},
	{regexp.MustCompile(`^weather station (.+) is ([0-9.]+) km from the territory \(more than ([0-9]+) km\)`),
		func(m []string) string {
			return fmt.Sprintf("La station météorologique %s est à %s km du territoire (plus de %s km) : une grille d'irradiation "+
				"(--irradiance-grid) devrait corriger le rayonnement selon le lieu.", m[1], m[2], m[3])
		}},
	{regexp.MustCompile(`^study area: kept ([0-9]+) of ([0-9]+) buildings and ([0-9]+) of ([0-9]+) parcels`),
		func(m []string) string {
			return fmt.Sprintf("Périmètre d'étude : %s bâtiments retenus sur %s et %s parcelles sur %s (centroïde à l'intérieur).",
				m[1], m[2], m[3], m[4])
		}},
}

func decFR(s string) string { return strings.ReplaceAll(s, ".", ",") }

// TranslateWarning returns the warning in lang; ok is false when no
// translation is known (w is returned unchanged).
func TranslateWarning(w, lang string) (string, bool) {
	if lang == data.English {
		return w, true
	}
	for _, t := range warningFR {
		if m := t.re.FindStringSubmatch(w); m != nil {
			return t.fr(m), true
		}
	}
	return w, false
}

// optimumYield returns the local optimum specific yield (kWh/kWp) the
// yield map is relative to: the study's reference yield of the optimally
// oriented unshaded plane when the stored summary carries one (a key
// "OptimumYieldKWhKWp" or "optimum_yield_kwh_kwp" at any depth), else the
// 95th percentile of the parcels' specific yields (the best-placed roofs of
// the commune), with the source of the value in words.
func optimumYield(st data.Study, ps []Parcel) (float64, string) {
	var sum any
	if json.Unmarshal(st.Summary, &sum) == nil {
		if v, ok := findKey(sum, "optimumyieldkwhkwp"); ok && v > 0 {
			return v, "optimum"
		}
	}
	var ys []float64
	for _, p := range ps {
		if p.SpecificYield != nil && *p.SpecificYield > 0 {
			ys = append(ys, *p.SpecificYield)
		}
	}
	if len(ys) == 0 {
		return math.NaN(), ""
	}
	slices.Sort(ys)
	return ys[int(math.Round(0.95*float64(len(ys)-1)))], "p95"
}

func findKey(v any, norm string) (float64, bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if strings.ReplaceAll(strings.ToLower(k), "_", "") == norm {
				if f, ok := val.(float64); ok {
					return f, true
				}
			}
		}
		for _, val := range x {
			if f, ok := findKey(val, norm); ok {
				return f, true
			}
		}
	case []any:
		for _, val := range x {
			if f, ok := findKey(val, norm); ok {
				return f, true
			}
		}
	}
	return 0, false
}

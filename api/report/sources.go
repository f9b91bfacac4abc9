package report

import (
	"regexp"
	"slices"
	"strings"

	"github.com/gisement/gisement/data"
)

// Source is one data source of the study, with its licence and the
// attribution its licence asks for.
type Source struct {
	Name, Content, Origin, Licence, Attribution string
}

// DefaultSources are the sources of the embedded Périgueux sample territory,
// as documented in data/sample/README.md (provenance in
// shared/data/SOURCES.md). A study built from other inputs passes its own
// list in Options.Sources.
func DefaultSources() []Source {
	return []Source{
		{Name: "BDNB (Base de données nationale des bâtiments)", Content: "Emprises et hauteurs des bâtiments, code IRIS",
			Origin: "CSTB — BDNB, sur les emprises IGN BD TOPO", Licence: "Licence Ouverte / Etalab 2.0",
			Attribution: "CSTB — BDNB ; IGN — BD TOPO"},
		{Name: "Plan cadastral", Content: "Géométrie des parcelles", Origin: "DGFiP — cadastre",
			Licence: "Licence Ouverte 2.0", Attribution: "© DGFiP — cadastre"},
		{Name: "ADMIN EXPRESS — communes", Content: "Limite communale", Origin: "IGN — ADMIN EXPRESS (objet COMMUNE)",
			Licence: "Licence Ouverte 2.0", Attribution: "© IGN — ADMIN EXPRESS"},
		{Name: "Année météorologique type (TMYx)", Content: "Météo horaire (rayonnement, température)",
			Origin:  "Climate.OneBuilding.org ISD-TMYx, d'après NOAA NCEI ISD (2005-2019), station La Rochelle (WMO 073160)",
			Licence: "aucune licence de données indiquée par le fichier", Attribution: "Climate.OneBuilding.org TMYx, from NOAA ISD"},
	}
}

// citation is a reference a scenario source names, and how the annex's
// French source column writes it (fr; "" = the matched text as it is: a
// title, a law or a standard keeps its own words).
type citation struct {
	re *regexp.Regexp
	fr string
}

// citations are the references found in the scenario's sources (written
// in English in model/scenario's defaults, with comments): the French
// table keeps the references, in the order they appear, and drops the
// comments (the full text is in the English annex, --lang en, and in the
// scenario file).
var citations = []citation{
	{regexp.MustCompile(`\bS21\b`), "arrêté tarifaire S21 (CRE)"},
	{regexp.MustCompile(`\bTRVE\b`), "tarif réglementé TRVE (CRE)"},
	{regexp.MustCompile(`'prix repère'`), "prix repère du gaz (CRE)"},
	{regexp.MustCompile(`\barrêté du \d{1,2} \p{L}+ \d{4}`), ""},
	{regexp.MustCompile(`\bloi n° [0-9-]+ du \d{1,2} \p{L}+ \d{4}(, art\. \d+)?`), ""},
	{regexp.MustCompile(`\bVDI 4640( Blatt \d)?( \(\d{4}\))?`), ""},
	{regexp.MustCompile(`\bDIN V 4701-10\b`), ""},
	{regexp.MustCompile(`\bNF DTU [0-9.]+( P[0-9-]+)?( \(\d{4}\))?`), ""},
	{regexp.MustCompile(`\bNF EN \d+`), ""},
	{regexp.MustCompile(`\bTABULA\b`), "typologie TABULA/EPISCOPE (IWU)"},
	{regexp.MustCompile(`\bINSEE RP\d{4}`), ""},
	{regexp.MustCompile(`'DJU'`), "convention DJU"},
	{regexp.MustCompile(`\bADEME Base Carbone\b`), ""},
	{regexp.MustCompile(`\bCOSTIC\b`), ""},
	{regexp.MustCompile(`\bMétéo-France\b`), ""},
	{regexp.MustCompile(`\bPVGIS\b`), "PVGIS (JRC)"},
	{regexp.MustCompile(`\bhplib\b`), "hplib (FZJ-IEK3-VSA)"},
	{regexp.MustCompile(`\bRuhnau, Hirth & Praktiknjo \d{4}(, When2Heat)?`), ""},
	{regexp.MustCompile(`\bGoogle Solar API\b`), "Google Solar API (valeurs par défaut)"},
	{regexp.MustCompile(`\bHotmaps\b`), ""},
	{regexp.MustCompile(`\bData For Good\b`), "Data For Good, « 13_potentiel_solaire »"},
	{regexp.MustCompile(`\bThevenard & Pelland \d{4}`), ""},
	{regexp.MustCompile(`\bIneichen \d{4}`), ""},
	{regexp.MustCompile(`\bPVsyst\b`), ""},
	{regexp.MustCompile(`\bSDES\b`), "SDES (ministère de la Transition écologique)"},
	{regexp.MustCompile(`\bEDF OA\b`), ""},
	{regexp.MustCompile(`\bAPER\b`), "loi APER"},
	{regexp.MustCompile(`\bCode de la santé publique, R[0-9-]+ to R[0-9-]+`), "Code de la santé publique, art. R1336-6 à R1336-9"},
	{regexp.MustCompile(`\bGMI\b`), "réglementation GMI (géothermie de minime importance)"},
	{regexp.MustCompile(`today's modules`), "fiches techniques des modules actuels"},
	{regexp.MustCompile(`French market surveys`), "enquêtes de marché françaises"},
	{regexp.MustCompile(`\bdoi:[^\s);,]+`), ""},
	{regexp.MustCompile(`\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(fr|com|net|org|eu|info|solar)\b`), ""},
}

var (
	ourAssumptionRe = regexp.MustCompile(`(?i)\bour assumption\b`)
	paramRefRe      = regexp.MustCompile(`\(((?:pv|econ|heat|land|uncertainty)\.[a-z_.]+)[;)]|\(see ([a-z_]+)\)`)
	yearRe          = regexp.MustCompile(`\b(19[5-9][0-9]|20[0-9]{2})\b`)
)

// ShortSource writes a scenario source for the annex's assumptions table in
// lang: in English the text as it is; in French "Hypothèse de l'étude" for
// the study's own assumptions, followed by the references the text names
// (laws, standards, data sets, papers, web sites), the comments left out.
// orig is true when no reference was recognised and the text is returned as
// it is (in its own language).
func ShortSource(src, lang string) (short string, orig bool) {
	prefix, refs, orig := sourceParts(src, lang)
	switch {
	case prefix != "" && len(refs) > 0:
		return prefix + ", d'après " + strings.Join(refs, " ; "), orig
	case prefix != "":
		return prefix, orig
	}
	return strings.Join(refs, " ; "), orig
}

// sourceParts splits a source as ShortSource writes it: the French prefix
// ("Hypothèse de l'étude" or ""), the references (titles, kept in their
// own language) and orig, set when nothing was recognised and refs holds
// the whole text.
func sourceParts(src, lang string) (prefix string, refs []string, orig bool) {
	src = strings.TrimSpace(src)
	if src == "" {
		return "", nil, false
	}
	if lang == data.English {
		return "", []string{src}, false
	}
	seen := map[string]bool{}
	add := func(s string) {
		for _, r := range refs {
			if strings.Contains(r, s) {
				return
			}
		}
		if !seen[s] {
			seen[s] = true
			refs = append(refs, s)
		}
	}
	type hit struct {
		at   int
		text string
	}
	var hits []hit
	for _, c := range citations {
		for _, m := range c.re.FindAllStringIndex(src, -1) {
			t := c.fr
			if t == "" {
				t = src[m[0]:m[1]]
			}
			hits = append(hits, hit{m[0], t})
		}
	}
	for _, m := range paramRefRe.FindAllStringSubmatch(src, -1) {
		key := m[1] + m[2]
		if l, ok := AssumptionLabel(key); ok {
			key = l
		}
		hits = append(hits, hit{strings.Index(src, m[0]), "paramètre « " + key + " »"})
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return a.at - b.at })
	for _, h := range hits {
		add(h.text)
	}
	if ourAssumptionRe.MatchString(src) {
		return "Hypothèse de l'étude", refs, false
	}
	if len(refs) > 0 {
		return "", refs, false
	}
	return "", []string{src}, true
}

// sourceYear is the latest year a source text names ("" for none): the
// date column's fallback when the scenario gives no date.
func sourceYear(src string) string {
	best := ""
	for _, y := range yearRe.FindAllString(src, -1) {
		if y > best {
			best = y
		}
	}
	return best
}
